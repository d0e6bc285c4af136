import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { MASSES_AMU } from '../../../src/structure/elements.js';
import { forceConstants } from '../../../src/physics/phonons/forceConstants.js';
import { THZ_PER_SQRT_EV_A2_AMU, dynamicalMatrix, frequenciesFromEigenvalues, gammaFrequencies } from '../../../src/physics/phonons/gamma.js';
import { PhononCalculator } from '../../../src/physics/phonons/calculator.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { ConvergenceError } from '../../../src/errors.js';
import { symmetricEigenvalues } from '../../../src/linalg/symmetricEigen.js';
import { writeNpy } from '../../../src/io/npy.js';
import { python, random, run, tempDir } from '../../helpers.js';
import { SpringForceField, springHessian } from '../springs.js';

const py = python(['numpy']);
const needPython = py === undefined && !process.env.CI ? 'python3-numpy is not installed' : false;

/** A chain along x: `species` repeated, spacing `a`, in a cell with 10 Å of vacuum across. */
function chain(cells: number, species: string[], a: number, jitter = 0, seed = 1): Atoms {
  const rand = random(seed);
  const n = cells * species.length;
  const positions: number[] = [];
  for (let i = 0; i < n; i++) positions.push(i * a + jitter * (rand() - 0.5), 5, 5);
  return new Atoms({ positions, symbols: Array.from({ length: n }, (_, i) => species[i % species.length]), cell: [n * a, 0, 0, 0, 10, 0, 0, 0, 10], pbc: [true, true, true] });
}

/** fcc (conventional cubic cell, lattice constant `a`) repeated r×r×r, positions jittered. */
function fcc(r: number, a: number, jitter: number, seed: number): Atoms {
  const rand = random(seed);
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const positions: number[] = [];
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) for (let k = 0; k < r; k++) for (const b of basis) {
    positions.push((i + b[0]) * a + jitter * (rand() - 0.5), (j + b[1]) * a + jitter * (rand() - 0.5), (k + b[2]) * a + jitter * (rand() - 0.5));
  }
  return new Atoms({ positions, symbols: Array(positions.length / 3).fill('C'), cell: [r * a, 0, 0, 0, r * a, 0, 0, 0, r * a], pbc: [true, true, true] });
}

function sorted(values: ArrayLike<number>): number[] {
  return Array.from(values).sort((x, y) => x - y);
}

test('THz per √(eV/(Å²·amu)) is 15.633304 from CODATA 2018 (phonopy\'s VaspToTHz 15.633302 to 1.3e-7)', () => {
  // √(1.602176634e-19 / (1e-20 · 1.66053906660e-27)) / 2π / 1e12, as ASE's units give it too.
  assert.ok(Math.abs(THZ_PER_SQRT_EV_A2_AMU - 15.6333042) < 1e-7, String(THZ_PER_SQRT_EV_A2_AMU));
  assert.ok(Math.abs(THZ_PER_SQRT_EV_A2_AMU / 15.633302 - 1) < 2e-7);
  assert.deepEqual(Array.from(frequenciesFromEigenvalues([4, -4, 0])), [2 * THZ_PER_SQRT_EV_A2_AMU, -2 * THZ_PER_SQRT_EV_A2_AMU, 0]);
});

test('finite-difference force constants equal the exact spring Hessian (strained 3D network; whole cell and clusters)', () => {
  const atoms = fcc(2, 2.0, 0.15, 7); // NN 1.414 Å, rest 1.5 Å: every spring compressed, tension terms present
  const ff = new SpringForceField(8, 1.5, 1.7);
  const exact = springHessian(ff, atoms);
  const scale = exact.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  for (const method of ['full', 'cluster'] as const) {
    const phi = forceConstants(atoms, ff, { method });
    let err = 0;
    for (let k = 0; k < phi.length; k++) err = Math.max(err, Math.abs(phi[k] - exact[k]));
    assert.ok(err < 1e-6 * scale, `${method}: max |Φ_FD − Φ| = ${err} (scale ${scale})`);
  }
  const full = forceConstants(atoms, ff, { method: 'full' });
  const cluster = forceConstants(atoms, ff, { method: 'cluster' });
  let diff = 0;
  for (let k = 0; k < full.length; k++) diff = Math.max(diff, Math.abs(full[k] - cluster[k]));
  assert.ok(diff < 1e-9 * scale, `cluster vs whole cell: ${diff}`);
});

test('monatomic chain at Γ of an N-atom cell: f = (1/2π)·2√(K/m)|sin(πj/N)|, j = 0…N−1, plus 2N transverse zeros', () => {
  const n = 10;
  const k = 10;
  const atoms = chain(n, ['C'], 1.4);
  const ff = new SpringForceField(k, 1.4, 2.0);
  const { frequencies_THz } = gammaFrequencies(atoms, ff);
  const m = MASSES_AMU[6];
  const expected = sorted([
    ...Array.from({ length: n }, (_, j) => 2 * Math.sqrt(k / m) * Math.abs(Math.sin((Math.PI * j) / n)) * THZ_PER_SQRT_EV_A2_AMU),
    ...Array(2 * n).fill(0),
  ]);
  const got = sorted(frequencies_THz);
  for (let i = 0; i < expected.length; i++) {
    const tol = expected[i] === 0 ? 0.05 : 1e-6 * expected[i];
    assert.ok(Math.abs(got[i] - expected[i]) < tol, `mode ${i}: ${got[i]} vs ${expected[i]} THz`);
  }
});

test('diatomic chain (C–Si) at Γ: both branches at the allowed k', () => {
  const cells = 6;
  const k = 12;
  const a = 1.6;
  const atoms = chain(cells, ['C', 'Si'], a);
  const ff = new SpringForceField(k, a, 2.2);
  const { frequencies_THz } = gammaFrequencies(atoms, ff);
  const m1 = MASSES_AMU[6];
  const m2 = MASSES_AMU[14];
  const s = 1 / m1 + 1 / m2;
  const expected: number[] = Array(2 * cells * 2).fill(0);
  for (let j = 0; j < cells; j++) {
    const q = (2 * Math.PI * j) / cells; // k·(2a)
    const root = Math.sqrt(Math.max(0, s * s - (4 * Math.sin(q / 2) ** 2) / (m1 * m2)));
    expected.push(Math.sqrt(Math.max(0, k * (s - root))) * THZ_PER_SQRT_EV_A2_AMU, Math.sqrt(k * (s + root)) * THZ_PER_SQRT_EV_A2_AMU);
  }
  const want = sorted(expected);
  const got = sorted(frequencies_THz);
  for (let i = 0; i < want.length; i++) {
    const tol = want[i] < 1e-9 ? 0.05 : 1e-6 * want[i];
    assert.ok(Math.abs(got[i] - want[i]) < tol, `mode ${i}: ${got[i]} vs ${want[i]} THz`);
  }
});

test('frequencies equal numpy eigvalsh of the same dynamical matrix (1e-10 of the largest eigenvalue)', { skip: needPython }, () => {
  const atoms = fcc(3, 2.0, 0.2, 9); // 108 atoms, 324 modes, off equilibrium
  const ff = new SpringForceField(8, 1.45, 1.7);
  const d = dynamicalMatrix(forceConstants(atoms, ff), atoms.numbers);
  const dim = 3 * atoms.length;
  const dir = tempDir();
  writeNpy(join(dir, 'd.npy'), { data: d, shape: [dim, dim] });
  const r = run(py!, ['-c', 'import sys, json, numpy as np; print(json.dumps(np.linalg.eigvalsh(np.load(sys.argv[1])).tolist()))', join(dir, 'd.npy')]);
  assert.equal(r.status, 0, r.stderr);
  const reference = JSON.parse(r.stdout) as number[];
  const ours = symmetricEigenvalues(d, dim);
  const norm = Math.max(...reference.map(Math.abs));
  for (let k = 0; k < dim; k++) assert.ok(Math.abs(ours[k] - reference[k]) < 1e-10 * norm, `λ${k}: ${ours[k]} vs ${reference[k]}`);
  const f = frequenciesFromEigenvalues(ours);
  const fRef = frequenciesFromEigenvalues(reference);
  // √ magnifies an eigenvalue error near 0: allow what 1e-10·max|λ| in λ gives in f.
  const fTol = THZ_PER_SQRT_EV_A2_AMU * Math.sqrt(1e-10 * norm);
  for (let k = 0; k < dim; k++) assert.ok(Math.abs(f[k] - fRef[k]) < fTol, `f${k}: ${f[k]} vs ${fRef[k]} THz`);
});

test('after FIRE relaxation three acoustic modes are ≈ 0 and the rest are real and finite', () => {
  const atoms = fcc(2, 2.0, 0.1, 11);
  const ff = new SpringForceField(8, 1.38, 1.7); // springs stretched: a stable, tense lattice
  const { atoms: relaxed } = relaxFire(atoms, ff, { fmax_eV_A: 1e-6 });
  const f = gammaFrequencies(relaxed, ff).frequencies_THz;
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(f[k]) < 0.02, `acoustic ${k}: ${f[k]} THz`);
  assert.ok(f[3] > 1, `first optical mode ${f[3]} THz`);
});

test('PhononCalculator: relaxes, returns 3N ascending frequencies, the ph-DoS label (numpy histogram) and provenance', { skip: needPython }, async () => {
  const n = 12;
  const atoms = chain(n, ['C'], 1.4, 0.2, 5);
  const ff = new SpringForceField(40, 1.4, 2.0);
  const calc = new PhononCalculator(ff, { displacement_A: 2e-3 });
  const result = await calc.calculate(atoms, ['frequencies_THz', 'ph_dos']);
  const f = result.properties.frequencies_THz!;
  assert.equal(f.length, 3 * n);
  for (let k = 1; k < f.length; k++) assert.ok(f[k] >= f[k - 1]);
  const m = MASSES_AMU[6];
  const longitudinal = sorted(Array.from({ length: n }, (_, j) => 2 * Math.sqrt(40 / m) * Math.abs(Math.sin((Math.PI * j) / n)) * THZ_PER_SQRT_EV_A2_AMU));
  const got = sorted(f).slice(2 * n);
  for (let k = 1; k < n; k++) assert.ok(Math.abs(got[k] - longitudinal[k]) < 1e-4 * longitudinal[k], `${got[k]} vs ${longitudinal[k]}`);
  const dir = tempDir();
  writeNpy(join(dir, 'f.npy'), { data: f, shape: [f.length] });
  const r = run(py!, ['-c', 'import sys, json, numpy as np; f = np.load(sys.argv[1]); h, _ = np.histogram(f, bins=100, range=(0, 100)); print(json.dumps((h / h.sum()).tolist()))', join(dir, 'f.npy')]);
  assert.equal(r.status, 0, r.stderr);
  const dos = result.properties.ph_dos!;
  assert.deepEqual(Array.from(dos.dos), JSON.parse(r.stdout));
  assert.equal(dos.frequency_THz.length, 100);
  assert.equal(dos.frequency_THz[0], 0.5);
  assert.equal(result.provenance.settings.potential, 'test-springs');
  assert.equal(result.provenance.settings.displacement_A, 2e-3);
  assert.deepEqual(result.provenance.settings.relax, { fmax_eV_A: 0.01, maxSteps: 100000, relaxCell: false });
  await assert.rejects(calc.calculate(atoms, ['energy_eV']), /does not compute energy_eV/);
});

test('PhononCalculator refuses a structure whose relaxation did not converge, naming the force reached and the steps', async () => {
  const atoms = chain(12, ['C'], 1.4, 0.2, 5);
  const ff = new SpringForceField(40, 1.4, 2.0);
  // the force FIRE leaves after 3 steps, from a separate run
  const reached = relaxFire(atoms, ff, { fmax_eV_A: 1e-4, maxSteps: 3, onMaxSteps: 'return' }).record;
  assert.equal(reached.converged, false);
  await assert.rejects(
    new PhononCalculator(ff, { relax: { fmax_eV_A: 1e-4, maxSteps: 3 } }).calculate(atoms, ['frequencies_THz']),
    (e: unknown) => e instanceof ConvergenceError && e.message.includes(`largest force ${reached.fmax_eV_A.toExponential(2)} eV/Å after 3 FIRE steps; asked 0.0001 eV/Å within 3 steps`),
  );
  // converged: a label
  const ok = await new PhononCalculator(ff, { relax: { fmax_eV_A: 1e-4, maxSteps: 10000 } }).calculate(atoms, ['frequencies_THz']);
  assert.equal(ok.properties.frequencies_THz!.length, 36);
});
