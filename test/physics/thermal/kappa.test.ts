import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxwellBoltzmann } from '../../../src/physics/md/dynamics.js';
import { heatCurrent } from '../../../src/physics/thermal/heatCurrent.js';
import { addDrivingForce } from '../../../src/physics/thermal/hnemd.js';
import { kappa } from '../../../src/physics/thermal/kappa.js';
import { resolvePotential } from '../../../src/physics/md/potential.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { Rng } from '../../../src/util/random.js';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('../../../../test/fixtures/md/relaxed_2677.extxyz', import.meta.url));

test('HNEMD driving force does work J_pot · F_e (power identity), with zero total force', () => {
  const atoms = readStructure(fixture);
  const { forceField } = resolvePotential('lindsay-broido-2010');
  const v = maxwellBoltzmann(atoms.masses_amu(), 300, new Rng(3));
  const base = forceField.compute(atoms, { energies: true, virials: true });
  const f0 = Float64Array.from(base.forces_eV_A);
  const fe: [number, number, number] = [3e-4, -1e-4, 2e-5];
  addDrivingForce(base, fe);
  let power = 0;
  const total = [0, 0, 0];
  for (let k = 0; k < f0.length; k++) {
    power += (base.forces_eV_A[k] - f0[k]) * v[k];
    total[k % 3] += base.forces_eV_A[k] - f0[k];
  }
  // J_pot = J − Σ e_i v_i: the heat current with the per-atom energies (and kinetic part) left out.
  const zeroV = new Float64Array(atoms.length);
  const jPot = heatCurrent(v, new Float64Array(atoms.length), zeroV, base.virials_eV!);
  const expected = fe[0] * jPot[0] + fe[1] * jPot[1] + fe[2] * jPot[2];
  assert.ok(Math.abs(power - expected) < 1e-10 * Math.abs(expected), `power ${power} vs J_pot·F_e ${expected}`);
  for (const t of total) assert.ok(Math.abs(t) < 1e-12);
});

test('κ: a killed calculation resumes from its checkpoint between runs and gives the same result', () => {
  const atoms = readStructure(fixture);
  const { forceField } = resolvePotential('lindsay-broido-2010');
  const dir = mkdtempSync(join(tmpdir(), 'kappa-'));
  try {
    const options = { method: 'gk' as const, runs: 2, equilibration_ps: 0.05, production_ps: 0.4, correlation_ps: 0.1, timestep_fs: 1, checkpoint: join(dir, 'k.json') };
    let calls = 0;
    assert.throws(() =>
      kappa(atoms, forceField, {
        ...options,
        onProgress: (_s, done) => {
          if (done > 600 && ++calls > 0) throw new Error('killed');
        },
      }),
    /killed/);
    const resumed = kappa(atoms, forceField, options);
    rmSync(options.checkpoint);
    const whole = kappa(atoms, forceField, options);
    assert.deepEqual(resumed.runs, whole.runs);
    assert.deepEqual(resumed.kappa_W_mK, whole.kappa_W_mK);
    assert.equal(whole.thickness_A, 3.35);
    assert.ok(whole.kappa_W_mK.xx > 0 && Number.isFinite(whole.stderr_W_mK.mean));
    assert.throws(() => kappa(atoms, forceField, { ...options, runs: 3 }), /other settings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('κ HNEMD: driving along x and y gives both components, stderr over runs', () => {
  const atoms = readStructure(fixture);
  const { forceField } = resolvePotential('lindsay-broido-2010');
  const r = kappa(atoms, forceField, { method: 'hnemd', runs: 2, equilibration_ps: 0.05, production_ps: 0.2, timestep_fs: 1, blocks: 4 });
  assert.equal(r.runs.length, 4);
  assert.ok(Number.isFinite(r.kappa_W_mK.xx) && Number.isFinite(r.kappa_W_mK.yy));
  assert.ok(Number.isNaN(r.runs[0].yy) && Number.isNaN(r.runs[2].xx));
  assert.equal(r.curves.xx.length, 200);
});
