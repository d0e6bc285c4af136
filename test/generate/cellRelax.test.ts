import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGenerate, type CellPolicy } from '../../src/generate/factory.js';
import { tersoffForceField } from '../../src/generate/forceFields.js';
import { grapheneSupercell, nearestGrapheneCell } from '../../src/generate/graphene.js';
import { grapheneBondLength } from '../../src/generate/potentialGraphene.js';
import { relaxSheetAndCell } from '../../src/generate/relaxForceField.js';
import type { ForceField } from '../../src/physics/forceField.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { tempDir } from '../helpers.js';

function grapheneAtoms(bond_A: number): Atoms {
  const cell = nearestGrapheneCell(96, bond_A);
  return new Atoms({ positions: grapheneSupercell(cell, bond_A), numbers: new Uint8Array(cell.atoms).fill(6), cell: [cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, 10], pbc: [true, true, true] });
}

/** Energy with x and y lengths scaled by (1 + ex), (1 + ey), atoms moved affinely (fractional coordinates kept). */
function strainedEnergy(atoms: Atoms, ff: ForceField, ex: number, ey: number): number {
  const p = Float64Array.from(atoms.positions);
  for (let i = 0; i < atoms.length; i++) {
    p[3 * i] *= 1 + ex;
    p[3 * i + 1] *= 1 + ey;
  }
  const c = Float64Array.from(atoms.cell);
  c[0] *= 1 + ex;
  c[4] *= 1 + ey;
  return ff.compute({ positions: p, numbers: atoms.numbers, cell: c, pbc: [true, true, false] }).energy_eV;
}

// Independent of the virial and of FIRE: the energy of perfect graphene as a function of its bond
// length alone, minimised by golden-section search.
test('cell relaxation of graphene and grapheneBondLength land on the bond length that minimises its energy (1D scan of a 96-atom cell)', () => {
  const ff = tersoffForceField('lindsay-broido-2010');
  const energyAt = (b: number): number => {
    const a = grapheneAtoms(b);
    return ff.compute({ positions: a.positions, numbers: a.numbers, cell: a.cell, pbc: [true, true, false] }).energy_eV;
  };
  let lo = 1.38;
  let hi = 1.5;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (energyAt(m1) < energyAt(m2)) hi = m2;
    else lo = m1;
  }
  const bestBond = (lo + hi) / 2;
  const atoms = grapheneAtoms(1.42);
  const x0 = atoms.cell[0];
  const r = relaxSheetAndCell(atoms, ff, 1e-4);
  assert.ok(r.converged);
  const relaxedBond = (1.42 * atoms.cell[0]) / x0;
  assert.ok(Math.abs(relaxedBond - bestBond) < 1e-4, `relaxed bond ${relaxedBond} Å, energy minimum at ${bestBond} Å`);
  assert.ok(Math.abs(atoms.cell[4] / atoms.cell[0] - nearestGrapheneCell(96, 1.42).ly_A / x0) < 1e-6, 'graphene stretched isotropically');
  assert.ok(bestBond > 1.43 && bestBond < 1.45, `Lindsay–Broido graphene bond ${bestBond} Å`);
  assert.ok(Math.abs(grapheneBondLength(ff) - bestBond) < 1e-5, `grapheneBondLength ${grapheneBondLength(ff)} vs ${bestBond}`);
  const t88 = tersoffForceField('tersoff-1988');
  assert.ok(grapheneBondLength(t88) > bestBond + 0.01, `Tersoff 1988 graphene bond ${grapheneBondLength(t88)} Å`);
});

test('generate with --relax tersoff, the three cell policies: relaxed = orthorhombic at zero in-plane stress (finite-difference energy), graphene = 1.42 Å cell, potential = the force field\'s graphene cell; flat, reproducible', () => {
  const ff = tersoffForceField();
  const run = (out: string, cell: CellPolicy) =>
    runGenerate({ method: 'www', count: 1, seed: 5, out, atoms: 120, www: { dimensions: 2, temperature_K: 30000, switches: 240, vacancies: 0.03 }, relax: 'forcefield', forceField: ff, cell });
  const a = tempDir();
  const b = tempDir();
  const fixed = tempDir();
  const potential = tempDir();
  run(a, 'relaxed');
  run(b, 'relaxed');
  run(fixed, 'graphene');
  run(potential, 'potential');
  const read = (dir: string): Atoms => readPoscar(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
  assert.equal(readFileSync(join(a, 'POSCAR_0001'), 'utf8'), readFileSync(join(b, 'POSCAR_0001'), 'utf8'));
  const relaxed = read(a);
  const kept = read(fixed);
  for (const k of [1, 2, 3, 5, 6, 7]) assert.equal(relaxed.cell[k], 0);
  for (let i = 0; i < relaxed.length; i++) assert.equal(relaxed.positions[3 * i + 2], 5);
  const graphene = nearestGrapheneCell(Math.round(120 / 0.97), 1.42, 120);
  assert.ok(Math.abs(kept.cell[0] - graphene.lx_A) < 1e-9 && Math.abs(kept.cell[4] - graphene.ly_A) < 1e-9, 'fixed cell = graphene supercell');
  assert.ok(relaxed.cell[0] > kept.cell[0] * 1.005, `relaxed x ${relaxed.cell[0]} vs graphene ${kept.cell[0]}`);
  const own = read(potential);
  const scale = grapheneBondLength(ff) / 1.42;
  assert.ok(Math.abs(own.cell[0] - graphene.lx_A * scale) < 1e-9 && Math.abs(own.cell[4] - graphene.ly_A * scale) < 1e-9, 'potential: graphene cell at the potential\'s bond length');
  for (let i = 0; i < own.length; i++) assert.equal(own.positions[3 * i + 2], 5);
  // dE/dε at fixed fractional coordinates, per atom: ≈ 0 at the relaxed cell, clearly not at graphene's
  const h = 1e-4;
  const stress = (s: Atoms, axis: 0 | 1): number => {
    const e = (d: number): number => strainedEnergy(s, ff, axis === 0 ? d : 0, axis === 1 ? d : 0);
    return (e(h) - e(-h)) / (2 * h) / s.length;
  };
  for (const axis of [0, 1] as const) {
    const atRelaxed = stress(relaxed, axis);
    const atGraphene = stress(kept, axis);
    assert.ok(Math.abs(atRelaxed) < 0.02 * Math.abs(atGraphene), `axis ${axis}: dE/dε ${atRelaxed} eV/atom relaxed vs ${atGraphene} at the graphene cell`);
  }
});
