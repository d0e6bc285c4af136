import { join } from 'node:path';
import { generateStructure } from '../../../src/generate/factory.js';
import { materialByName } from '../../../src/materials/material.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { neighborList } from '../../../src/structure/neighbors.js';
import { random } from '../../helpers.js';
import { LAMMPS_POTENTIALS } from '../tersoff/support.js';

/** Debian's copy of the file LAMMPS distributes for `pair_style extep` (the reference side). */
export const BN_EXTEP = join(LAMMPS_POTENTIALS, 'BN.extep');
export const BNC_TERSOFF = join(LAMMPS_POTENTIALS, 'BNC.tersoff');

/**
 * h-BN in an n × n supercell of the hexagonal (triclinic, γ = 60°) primitive cell, bond d, c = 12 Å,
 * every coordinate moved by up to ±jiggle/2 Å (seeded).
 */
export function hbnHexagonal(n: number, d: number, jiggle = 0, seed = 1): Atoms {
  const a = Math.sqrt(3) * d;
  const a1 = [a, 0, 0];
  const a2 = [a / 2, (a * Math.sqrt(3)) / 2, 0];
  const rand = random(seed);
  const positions: number[] = [];
  const symbols: string[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const o = [0, 1, 2].map((c) => i * a1[c] + j * a2[c]);
      positions.push(o[0], o[1], 6, o[0] + a / 2, o[1] + d / 2, 6);
      symbols.push('B', 'N');
    }
  for (let k = 0; k < positions.length; k++) positions[k] += jiggle * (rand() - 0.5);
  return new Atoms({ positions, symbols, cell: [n * a, 0, 0, (n * a) / 2, (n * a * Math.sqrt(3)) / 2, 0, 0, 0, 12], pbc: [true, true, true] });
}

/** Bonds (i < j, shortest image) closer than cutoff_A between atoms of the same element. */
export function homopolarBonds(atoms: Atoms, cutoff_A = 1.85): { i: number; j: number; vector: number[]; r: number }[] {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, cutoff_A);
  const out: { i: number; j: number; vector: number[]; r: number }[] = [];
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      if (j <= i || atoms.numbers[i] !== atoms.numbers[j]) continue;
      out.push({ i, j, vector: [list.vectors[3 * e], list.vectors[3 * e + 1], list.vectors[3 * e + 2]], r: list.distances[e] });
    }
  }
  return out;
}

/** The buckled 96-atom a-BN sheet of `spramnet generate www --material bn --atoms 96 --seed 3 --dimensions 3` (Keating relaxed, with B–B and N–N bonds). */
export function abnSheet(seed = 3): Atoms {
  return generateStructure({ method: 'www', count: 1, seed, out: '', atoms: 96, material: materialByName('bn'), www: { dimensions: 3 } }, 0).atoms;
}

/** The same atoms with the bond i–j set to length d (both ends moved along it, the rest fixed). */
export function withBond(atoms: Atoms, bond: { i: number; j: number; vector: number[]; r: number }, d: number): Atoms {
  const p = Float64Array.from(atoms.positions);
  const s = (d - bond.r) / 2 / bond.r;
  for (let c = 0; c < 3; c++) {
    p[3 * bond.i + c] -= s * bond.vector[c];
    p[3 * bond.j + c] += s * bond.vector[c];
  }
  return new Atoms({ positions: p, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
}
