import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Atoms } from '../../../src/structure/atoms.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { ConvergenceError } from '../../../src/errors.js';
import { random } from '../../helpers.js';
import { SpringForceField } from '../springs.js';

/** A square lattice of n×n atoms with spacing `a` in a 3D cell (vacuum along c), positions jittered. */
function squareSheet(n: number, a: number, jitter: number, seed: number, shear = 0, buckle = jitter): Atoms {
  const rand = random(seed);
  const positions: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) positions.push(i * a + jitter * (rand() - 0.5), j * a + jitter * (rand() - 0.5), 5 + buckle * (rand() - 0.5));
  return new Atoms({ positions, symbols: positions.slice(0, n * n).map(() => 'C'), cell: [n * a, shear, 0, 0, n * a * 1.1, 0, 0, 0, 10], pbc: [true, true, true] });
}

test('the virial of the spring test field is −dE/dε (finite differences), the convention FIRE relies on', () => {
  const atoms = squareSheet(3, 1.4, 0.2, 1);
  const ff = new SpringForceField(10, 1.5, 2.3);
  const w = ff.compute(atoms).virial_eV;
  const h = 1e-6;
  for (const [a, b] of [[0, 0], [1, 1], [0, 1]]) {
    const energyAt = (eps: number): number => {
      const strain = [1, 0, 0, 0, 1, 0, 0, 0, 1];
      strain[3 * a + b] += eps;
      const apply = (v: ArrayLike<number>, o: number): number[] => [0, 1, 2].map((r) => strain[3 * r] * v[o] + strain[3 * r + 1] * v[o + 1] + strain[3 * r + 2] * v[o + 2]);
      const cell = [...apply(atoms.cell, 0), ...apply(atoms.cell, 3), ...apply(atoms.cell, 6)];
      const positions: number[] = [];
      for (let i = 0; i < atoms.length; i++) positions.push(...apply(atoms.positions, 3 * i));
      return ff.compute({ positions: Float64Array.from(positions), numbers: atoms.numbers, cell: Float64Array.from(cell), pbc: atoms.pbc }).energy_eV;
    };
    const dE = (energyAt(h) - energyAt(-h)) / (2 * h);
    assert.ok(Math.abs(-dE - w[3 * a + b]) < 1e-5 * Math.max(1, Math.abs(dE)), `W_${a}${b} = ${w[3 * a + b]}, −dE/dε = ${-dE}`);
  }
});

for (const variant of ['ase', 'fire2'] as const) {
test(`${variant}: positions relax to the analytic minimum: a spring chain under tension ends equally spaced`, () => {
  const n = 8;
  const length = 12; // rest length 1.4 → chain stretched to spacing 1.5
  const rand = random(3);
  const positions: number[] = [];
  for (let i = 0; i < n; i++) positions.push(i * 1.5 + 0.3 * (rand() - 0.5), 5, 5);
  const atoms = new Atoms({ positions, symbols: Array(n).fill('C'), cell: [length, 0, 0, 0, 10, 0, 0, 0, 10], pbc: [true, true, true] });
  const ff = new SpringForceField(20, 1.4, 2.0);
  const { atoms: relaxed, record } = relaxFire(atoms, ff, { fmax_eV_A: 1e-8, variant });
  assert.ok(record.fmax_eV_A < 1e-8);
  // Analytic: spacing L/n, energy n·½K(L/n − r0)².
  assert.ok(Math.abs(record.energy_eV - n * 0.5 * 20 * (1.5 - 1.4) ** 2) < 1e-12, `E = ${record.energy_eV}`);
  const xs = Array.from({ length: n }, (_, i) => relaxed.positions[3 * i]).sort((p, q) => p - q);
  for (let i = 1; i < n; i++) assert.ok(Math.abs(xs[i] - xs[i - 1] - 1.5) < 1e-8, `gap ${xs[i] - xs[i - 1]}`);
  assert.deepEqual(Array.from(relaxed.cell), Array.from(atoms.cell));
});

test(`${variant}: the in-plane cell relaxes to the springs’ rest lattice (a, b = n·r0, a ⊥ b) and c stays fixed`, () => {
  const r0 = 1.5;
  const n = 3;
  // Nearest-neighbour springs (rest r0) and diagonal ones (rest r0·√2) that resist shear.
  const nn = new SpringForceField(10, r0, 1.8);
  const diag = new SpringForceField(5, r0 * Math.SQRT2, 2.3);
  const both = {
    name: 'nn+diag',
    cutoff_A: 2.3,
    compute: (s: Parameters<SpringForceField['compute']>[0]) => {
      const p = nn.compute(s);
      const q = diagOnly(diag, s);
      return { energy_eV: p.energy_eV + q.energy_eV, forces_eV_A: p.forces_eV_A.map((f, k) => f + q.forces_eV_A[k]), virial_eV: p.virial_eV.map((w, k) => w + q.virial_eV[k]) };
    },
  };
  const atoms = squareSheet(n, 1.4, 0.05, 4, 0.15, 0); // flat: buckling would be a zero-energy way to shrink
  const { atoms: relaxed, record } = relaxFire(atoms, both, { fmax_eV_A: 1e-7, relaxCell: true, maxSteps: 20000, variant });
  assert.ok(record.fmax_eV_A < 1e-7);
  assert.ok(Math.abs(record.energy_eV) < 1e-10, `energy ${record.energy_eV} (rest lattice has 0)`);
  const c = relaxed.cell;
  assert.ok(Math.abs(Math.hypot(c[0], c[1], c[2]) - n * r0) < 1e-6, `|a| = ${Math.hypot(c[0], c[1], c[2])}`);
  assert.ok(Math.abs(Math.hypot(c[3], c[4], c[5]) - n * r0) < 1e-6, `|b| = ${Math.hypot(c[3], c[4], c[5])}`);
  assert.ok(Math.abs(c[0] * c[3] + c[1] * c[4] + c[2] * c[5]) < 1e-5, 'a ⊥ b');
  assert.deepEqual(Array.from(c.subarray(6)), [0, 0, 10]);
  assert.equal(c[2], 0);
  assert.equal(c[5], 0);
});
}

/** Springs only between pairs beyond 1.8 Å (the diagonals of the square lattice). */
function diagOnly(ff: SpringForceField, s: Parameters<SpringForceField['compute']>[0]) {
  const all = ff.compute(s);
  const near = new SpringForceField(ff.k_eV_A2, ff.r0_A, 1.8).compute(s);
  return { energy_eV: all.energy_eV - near.energy_eV, forces_eV_A: all.forces_eV_A.map((f, k) => f - near.forces_eV_A[k]), virial_eV: all.virial_eV.map((w, k) => w - near.virial_eV[k]) };
}

test('max steps without convergence is a ConvergenceError; bad settings are InputErrors', () => {
  const atoms = squareSheet(3, 1.4, 0.3, 5);
  const ff = new SpringForceField(10, 1.5, 1.8);
  assert.throws(() => relaxFire(atoms, ff, { fmax_eV_A: 1e-9, maxSteps: 3 }), ConvergenceError);
  // onMaxSteps 'return': the state after maxSteps, marked unconverged, the same as a run of that length
  const stopped = relaxFire(atoms, ff, { fmax_eV_A: 1e-9, maxSteps: 3, onMaxSteps: 'return' });
  assert.equal(stopped.record.converged, false);
  assert.equal(stopped.record.steps, 3);
  const longer = relaxFire(atoms, ff, { fmax_eV_A: 1e-9, maxSteps: 4, onMaxSteps: 'return' });
  assert.ok(longer.record.fmax_eV_A !== stopped.record.fmax_eV_A);
  const done = relaxFire(atoms, ff, { fmax_eV_A: 1e-3, maxSteps: 10000, onMaxSteps: 'return' });
  assert.equal(done.record.converged, true);
  assert.ok(done.record.fmax_eV_A < 1e-3);
  assert.throws(() => relaxFire(atoms, ff, { fmax_eV_A: -1 }), /fmax must be > 0/);
});
