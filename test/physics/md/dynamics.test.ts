import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dynamics, maxwellBoltzmann, temperatureOf, type Thermostat } from '../../../src/physics/md/dynamics.js';
import { runMd } from '../../../src/physics/md/run.js';
import { EV_PER_AMU_A2_FS2, ACCEL_A_FS2_PER_EV_A_AMU } from '../../../src/physics/md/units.js';
import { readExtxyz } from '../../../src/structure/io/extxyz.js';
import { Rng } from '../../../src/util/random.js';
import { ARGON_LJ, argonCrystal, lennardJones } from './toys.js';

const ff = lennardJones(ARGON_LJ.epsilon_eV, ARGON_LJ.sigma_A, ARGON_LJ.cutoff_A);

test('unit constants: 1 amu·Å²/fs² = 103.6427 eV (NIST-derived), reciprocal of the acceleration factor', () => {
  assert.ok(Math.abs(EV_PER_AMU_A2_FS2 - 103.642697) < 1e-5);
  assert.ok(Math.abs(EV_PER_AMU_A2_FS2 * ACCEL_A_FS2_PER_EV_A_AMU - 1) < 1e-14);
});

test('Maxwell–Boltzmann draw: exact temperature, zero momentum, Gaussian second moment per component', () => {
  const masses = new Float64Array(3000).fill(12.011);
  const v = maxwellBoltzmann(masses, 300, new Rng(3));
  assert.ok(Math.abs(temperatureOf(v, masses) - 300) < 1e-9);
  for (let d = 0; d < 3; d++) {
    let p = 0;
    for (let i = 0; i < 3000; i++) p += v[3 * i + d];
    assert.ok(Math.abs(p) < 1e-12);
  }
  // Fourth moment / second moment² = 3 for a Gaussian (stderr ≈ 0.1 with 9000 samples).
  let m2 = 0, m4 = 0;
  for (const x of v) (m2 += x * x), (m4 += x ** 4);
  const kurtosis = (m4 / v.length) / (m2 / v.length) ** 2;
  assert.ok(Math.abs(kurtosis - 3) < 0.3, `kurtosis ${kurtosis}`);
});

test('NVE: energy error shrinks as dt² (velocity Verlet is second order) and momentum stays zero', () => {
  const drift = (dt: number): number => {
    const atoms = argonCrystal(2);
    const d = new Dynamics(atoms, ff, maxwellBoltzmann(atoms.masses_amu(), 80, new Rng(1)), { timestep_fs: dt });
    d.computeForces();
    const e0 = d.conserved_eV();
    let max = 0;
    for (let s = 0; s < Math.round(1000 / dt); s++) {
      d.advance();
      max = Math.max(max, Math.abs(d.conserved_eV() - e0));
    }
    const p = [0, 0, 0];
    for (let i = 0; i < atoms.length; i++) for (let a = 0; a < 3; a++) p[a] += d.masses_amu[i] * d.velocities[3 * i + a];
    for (const x of p) assert.ok(Math.abs(x) < 1e-10, `momentum ${p}`);
    return max / atoms.length;
  };
  const e10 = drift(10);
  const e5 = drift(5);
  assert.ok(e5 < 2e-5, `drift ${e5} eV/atom at 5 fs`);
  const ratio = e10 / e5;
  assert.ok(ratio > 3 && ratio < 5.5, `error ratio for dt 10/5 fs = ${ratio}, expected ≈ 4`);
});

function meanTemperature(thermostat: Thermostat, seed: number): { mean: number; stderr: number; drift: number } {
  const atoms = argonCrystal(3); // 108 atoms
  const target = 40;
  const d = new Dynamics(atoms, ff, maxwellBoltzmann(atoms.masses_amu(), target, new Rng(seed)), { timestep_fs: 5, thermostat, temperature_K: target, seed });
  d.computeForces();
  const e0 = d.conserved_eV();
  let drift = 0;
  for (let s = 0; s < 400; s++) d.advance(); // 2 ps equilibration
  const blocks: number[] = [];
  for (let b = 0; b < 20; b++) {
    let sum = 0;
    for (let s = 0; s < 200; s++) {
      d.advance();
      sum += d.temperature();
      drift = Math.max(drift, Math.abs(d.conserved_eV() - e0));
    }
    blocks.push(sum / 200);
  }
  const mean = blocks.reduce((a, b) => a + b) / blocks.length;
  const sd = Math.sqrt(blocks.reduce((a, b) => a + (b - mean) ** 2, 0) / (blocks.length - 1));
  return { mean, stderr: sd / Math.sqrt(blocks.length), drift: drift / atoms.length };
}

for (const thermostat of ['nose-hoover', 'langevin'] as const) {
  test(`${thermostat}: mean temperature of 108 LJ atoms = target within 3 block standard errors; conserved energy holds`, () => {
    const { mean, stderr, drift } = meanTemperature(thermostat, 7);
    assert.ok(Math.abs(mean - 40) < 3 * stderr + 0.2, `mean ${mean} ± ${stderr} K, target 40 K`);
    assert.ok(stderr < 2, `block stderr ${stderr}`);
    assert.ok(drift < 1e-4, `conserved-energy drift ${drift} eV/atom`);
  });
}

const runner = join(fileURLToPath(new URL('.', import.meta.url)), 'runToy.js');

function runChild(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, ...args]);
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    const timer = killWhen ? setInterval(() => killWhen() && child.kill('SIGKILL'), 5) : undefined;
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, out });
    });
  });
}

for (const thermostat of ['langevin', 'nose-hoover'] as const) {
  test(`${thermostat}: a run killed (SIGKILL) after a checkpoint resumes and ends bit-identical to an uninterrupted run`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-resume-'));
    try {
      const steps = '400';
      const whole = await runChild([join(dir, 'a.xyz'), '-', steps, thermostat]);
      assert.equal(whole.code, 0);
      const ck = join(dir, 'b.ck');
      const killed = await runChild([join(dir, 'b.xyz'), ck, steps, thermostat], () => existsSync(ck));
      assert.notEqual(killed.code, 0, 'the child was meant to be killed before finishing');
      const resumed = await runChild([join(dir, 'b.xyz'), ck, steps, thermostat]);
      assert.equal(resumed.code, 0);
      assert.equal(readFileSync(join(dir, 'b.xyz'), 'utf8'), readFileSync(join(dir, 'a.xyz'), 'utf8'));
      assert.equal(resumed.out, whole.out);
      const frames = readExtxyz(readFileSync(join(dir, 'a.xyz'), 'utf8'));
      assert.equal(frames.length, 41);
      assert.equal(frames[40].info.step, 400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('runMd reports mean temperature and drift; NVE starting at T has T(0) exactly', () => {
  const atoms = argonCrystal(2);
  const r = runMd(atoms, ff, { steps: 50, timestep_fs: 5, seed: 2, temperature_K: 30, thermostat: 'none' });
  assert.equal(r.atoms, 32);
  assert.ok(r.temperature_K > 5 && r.temperature_K < 30);
  assert.ok(r.energy_drift_eV_per_atom < 1e-5);
});

test('runMd refuses a checkpoint written with other settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-fp-'));
  try {
    const checkpoint = { path: join(dir, 'c.json'), every: 10 };
    runMd(argonCrystal(2), ff, { steps: 20, timestep_fs: 5, seed: 2, temperature_K: 30, checkpoint });
    assert.throws(() => runMd(argonCrystal(2), ff, { steps: 30, timestep_fs: 4, seed: 2, temperature_K: 30, checkpoint }), /other settings/);
    const extended = runMd(argonCrystal(2), ff, { steps: 30, timestep_fs: 5, seed: 2, temperature_K: 30, checkpoint });
    assert.equal(extended.final.step, 30);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
