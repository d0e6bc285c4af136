import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { generateStructure } from '../../../src/generate/factory.js';
import { materialByName } from '../../../src/materials/material.js';
import { parseTersoff } from '../../../src/physics/tersoff/params.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { LAMMPS_POTENTIALS, POTENTIALS, assertClose, lammpsSkip } from './support.js';

/**
 * The boron nitride potential the a-BN material uses (potentials/kinaci-2012-bn.tersoff, the B/N
 * entries of Debian's BNC.tersoff) on a generated amorphous BN sheet: the shipped file's numbers
 * equal BNC.tersoff's B/N entries, and the built-in Tersoff's energy and forces equal LAMMPS'
 * `pair_style tersoff` with either file.
 */
const BNC = join(LAMMPS_POTENTIALS, 'BNC.tersoff');
const SHIPPED = join(POTENTIALS, 'kinaci-2012-bn.tersoff');
const skip = lammpsSkip();

test('kinaci-2012-bn.tersoff holds exactly the B/N entries of BNC.tersoff', { skip: lammpsSkip() }, () => {
  const bnc = parseTersoff(readFileSync(BNC, 'utf8'), BNC);
  const ours = parseTersoff(readFileSync(SHIPPED, 'utf8'), SHIPPED);
  const bn = bnc.entries.filter((e) => e.elements.every((x) => x === 'B' || x === 'N'));
  assert.equal(ours.entries.length, 8);
  assert.equal(bn.length, 8);
  for (const e of ours.entries) {
    const match = bn.find((b) => b.elements.join() === e.elements.join());
    assert.ok(match !== undefined, `entry ${e.elements.join(' ')} not in BNC.tersoff`);
    assert.deepEqual({ ...e }, { ...match }, `entry ${e.elements.join(' ')}`);
  }
});

/** A buckled a-BN sheet from the generator (Keating relaxed only, so Tersoff forces are large), atoms jiggled by ±0.03 Å. */
function abnSheet(): Atoms {
  const g = generateStructure({ method: 'www', count: 1, seed: 11, out: '', atoms: 96, material: materialByName('bn'), www: { dimensions: 3 } }, 0);
  const atoms = g.atoms;
  let s = 12345;
  const rand = (): number => ((s = (1103515245 * s + 12345) % 2147483648) / 2147483648) - 0.5;
  const positions = Float64Array.from(atoms.positions, (x) => x + 0.06 * rand());
  return new Atoms({ positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
}

test('a generated a-BN sheet: built-in Tersoff energy and forces equal LAMMPS with kinaci-2012-bn and with BNC.tersoff', { skip }, async () => {
  const atoms = abnSheet();
  const species = new Set(atoms.numbers);
  assert.deepEqual([...species].sort(), [5, 7], 'boron and nitrogen only');
  const forces: Float64Array[] = [];
  for (const file of [SHIPPED, BNC]) {
    const ours = new Tersoff(parseTersoff(readFileSync(file, 'utf8'), file)).compute(atoms);
    const ref = await lammpsSinglePoint(atoms, { pairStyle: 'tersoff', file });
    assert.ok(Math.abs(ours.energy_eV - ref.energy_eV) <= 1e-8 * Math.abs(ref.energy_eV), `${file}: energy ${ours.energy_eV} vs LAMMPS ${ref.energy_eV}`);
    const { maxAbs } = assertClose(ours.forces_eV_A, ref.forces_eV_A, 1e-8, 1e-9, `${file} forces`);
    const fmax = Math.max(...ref.forces_eV_A.map(Math.abs));
    assert.ok(fmax > 0.1, `forces are not trivially small (largest ${fmax} eV/Å)`);
    console.log(`# a-BN ${atoms.length} atoms, ${file.split('/').pop()}: E ${ours.energy_eV.toFixed(6)} eV (LAMMPS ${ref.energy_eV.toFixed(6)}), max |ΔF| ${maxAbs.toExponential(2)} eV/Å of max |F| ${fmax.toFixed(3)} eV/Å`);
    forces.push(ours.forces_eV_A);
  }
  // the two files describe B and N identically
  assertClose(forces[0], forces[1], 1e-12, 1e-12, 'kinaci-2012-bn vs BNC.tersoff forces');
});
