import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { loadTersoff, potentialsDirectory } from '../../../src/physics/tersoff/params.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { gammaFrequencies } from '../../../src/physics/phonons/gamma.js';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { python } from '../../helpers.js';
import { lammpsGammaFrequencies } from './lammpsGamma.js';

const py = python(['numpy']);
const skip = (lammpsVersion() === undefined || py === undefined) && !process.env.CI ? 'needs lmp (Debian lammps) and python3-numpy' : false;

/** Graphene's primitive cell: a = √3·d, two atoms, 10 Å of vacuum. */
function primitiveGraphene(d: number): Atoms {
  const a = Math.sqrt(3) * d;
  return new Atoms({
    positions: [0, 0, 5, a / 2, d / 2, 5],
    symbols: ['C', 'C'],
    cell: [a, 0, 0, a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10],
    pbc: [true, true, true],
  });
}

/**
 * Γ frequencies of graphene's primitive cell: 3 acoustic zeros, ZO, and the doubly degenerate
 * in-plane optical (G) mode. Reference: LAMMPS forces of the same relaxed cell, differenced and
 * diagonalised by numpy (lammpsGamma.ts).
 */
for (const set of ['lindsay-broido-2010', 'tersoff-1988']) {
  test(`graphene Γ modes with ${set} equal LAMMPS finite differences + numpy; acoustic ≈ 0`, { skip }, async () => {
    const ff = new Tersoff(loadTersoff(set));
    const { atoms } = relaxFire(primitiveGraphene(1.42), ff, { fmax_eV_A: 1e-7, relaxCell: true, maxSteps: 50000 });
    const ours = gammaFrequencies(atoms, ff).frequencies_THz;
    const potential = { pairStyle: 'tersoff', file: join(potentialsDirectory(), `${set}.tersoff`) };
    const at0 = await lammpsSinglePoint(atoms, potential);
    for (const f of at0.forces_eV_A) assert.ok(Math.abs(f) < 1e-6, `LAMMPS force on our relaxed cell ${f}`);
    for (const k of [0, 1, 3, 4]) assert.ok(Math.abs(at0.virial_eV[k]) < 1e-4, `LAMMPS in-plane virial ${at0.virial_eV[k]} eV`);
    const reference = await lammpsGammaFrequencies(atoms, potential, py!);
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(ours[k] - reference[k]) < 2e-3, `mode ${k}: ${ours[k]} vs LAMMPS ${reference[k]} THz`);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(ours[k]) < 0.05, `acoustic ${k}: ${ours[k]} THz`);
    assert.ok(Math.abs(ours[4] - ours[5]) < 1e-3, 'G mode doubly degenerate');
    console.log(`# ${set}: bond ${Math.hypot(atoms.positions[3] - atoms.positions[0], atoms.positions[4] - atoms.positions[1]).toFixed(5)} Å, ZO ${ours[3].toFixed(3)} THz, G ${ours[5].toFixed(3)} THz = ${(ours[5] * 33.35641).toFixed(1)} cm⁻¹`);
  });
}
