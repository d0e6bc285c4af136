import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { MASSES_AMU } from '../../../src/structure/elements.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { loadTersoff, potentialsDirectory } from '../../../src/physics/tersoff/params.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { THZ_PER_SQRT_EV_A2_AMU, gammaFrequencies } from '../../../src/physics/phonons/gamma.js';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { python, run } from '../../helpers.js';

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
 * in-plane optical (G) mode. Reference: LAMMPS forces of the same relaxed cell, differenced in
 * this test and diagonalised by numpy.
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
    const delta = 1e-3;
    const h: number[][] = [];
    for (let row = 0; row < 6; row++) {
      const shifted = (s: number): Atoms => {
        const p = Float64Array.from(atoms.positions);
        p[row] += s;
        return new Atoms({ positions: p, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
      };
      const plus = (await lammpsSinglePoint(shifted(delta), potential)).forces_eV_A;
      const minus = (await lammpsSinglePoint(shifted(-delta), potential)).forces_eV_A;
      h.push(Array.from({ length: 6 }, (_, c) => -(plus[c] - minus[c]) / (2 * delta) / MASSES_AMU[6]));
    }
    const script = `import sys, json, numpy as np
d = np.array(json.loads(sys.stdin.read())); d = (d + d.T) / 2
w = np.linalg.eigvalsh(d); print(json.dumps((np.sign(w) * np.sqrt(np.abs(w)) * ${THZ_PER_SQRT_EV_A2_AMU}).tolist()))`;
    const r = run(py!, ['-c', script], JSON.stringify(h));
    assert.equal(r.status, 0, r.stderr);
    const reference = JSON.parse(r.stdout) as number[];
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(ours[k] - reference[k]) < 2e-3, `mode ${k}: ${ours[k]} vs LAMMPS ${reference[k]} THz`);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(ours[k]) < 0.05, `acoustic ${k}: ${ours[k]} THz`);
    assert.ok(Math.abs(ours[4] - ours[5]) < 1e-3, 'G mode doubly degenerate');
    console.log(`# ${set}: bond ${Math.hypot(atoms.positions[3] - atoms.positions[0], atoms.positions[4] - atoms.positions[1]).toFixed(5)} Å, ZO ${ours[3].toFixed(3)} THz, G ${ours[5].toFixed(3)} THz = ${(ours[5] * 33.35641).toFixed(1)} cm⁻¹`);
  });
}
