import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runLammps } from '../../../src/engines/lammps/run.js';
import { writeLammpsData } from '../../../src/structure/io/lammpsData.js';
import { resolvePotential } from '../../../src/physics/md/potential.js';
import { autocorrelation } from '../../../src/physics/thermal/greenKubo.js';
import { kappaSettings } from '../../../src/physics/thermal/kappa.js';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { kappaLammps, lammpsGreenKuboInput, parseAveCorrelate } from '../../../src/physics/thermal/lammpsKappa.js';
import { readStructure } from '../../../src/structure/io/formats.js';

const fixture = fileURLToPath(new URL('../../../../test/fixtures/tersoff/POSCAR_3069', import.meta.url));
const skip = !process.env.CI && lammpsVersion() === undefined ? 'lmp not installed' : false;

// The engine's input, with the heat current also printed at every sample: our autocorrelation of
// that series must equal what fix ave/correlate wrote and parseAveCorrelate read.
test('LAMMPS GK input: fix ave/correlate equals our autocorrelation of the same J(t) series', { skip }, async () => {
  const atoms = readStructure(fixture);
  const potential = resolvePotential('lindsay-broido-2010').lammps;
  const s = kappaSettings(atoms, potential, { method: 'gk', timestep_fs: 1, equilibration_ps: 0.1, production_ps: 1, correlation_ps: 0.1, sampleEvery: 2 }, 'lammps');
  const { input, productionSteps, lags } = lammpsGreenKuboInput(s, { pairStyle: 'tersoff', coeff: '* * potential.file C' }, 5, 'stress/atom');
  const printed = input.replace('fix nve all nve', 'fix nve all nve\nfix pj all print 2 "$(c_flux[1]:%.17g) $(c_flux[2]:%.17g)" file j.dat screen no');
  const run = await runLammps(printed, { 'structure.data': writeLammpsData(atoms), 'potential.file': readFileSync(potential.file) });
  try {
    const acf = parseAveCorrelate(run.read('acf.dat'));
    const rows = run.read('j.dat').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(Number));
    assert.equal(acf.length, 2);
    assert.equal(acf[0].length, lags);
    // Both sample steps 0, 2, …, productionSteps (N/2 + 1 values); lag 0 averages all of them.
    const counts = run.read('acf.dat').split('\n').filter((l) => /^\s*1\s+0\s+\d+/.test(l)).map((l) => Number(l.trim().split(/\s+/)[2]));
    assert.equal(rows.length, productionSteps / 2 + 1);
    assert.equal(counts[counts.length - 1], rows.length);
    for (let c = 0; c < 2; c++) {
      const series = Float64Array.from(rows, (r) => r[c]);
      const ours = autocorrelation(series, lags);
      const scale = Math.abs(ours[0]);
      // fix ave/correlate writes %g (6 significant digits) and has no format keyword in LAMMPS 2021.
      for (let k = 0; k < lags; k++) assert.ok(Math.abs(ours[k] - acf[c][k]) < 6e-6 * Math.abs(acf[c][k]) + 1e-12 * scale, `component ${c} lag ${k}: ${ours[k]} vs ${acf[c][k]}`);
    }
  } finally {
    run.cleanup();
  }
});

test('kappaLammps: two short runs give the shared output shape with a stated thickness', { skip }, async () => {
  const atoms = readStructure(fixture);
  const r = await kappaLammps(atoms, resolvePotential('lindsay-broido-2010').lammps, { method: 'gk', runs: 2, timestep_fs: 1, equilibration_ps: 0.05, production_ps: 0.5, correlation_ps: 0.1 });
  assert.equal(r.thickness_A, 3.35);
  assert.equal(r.runs.length, 2);
  assert.equal(r.settings.engine, 'lammps');
  assert.ok(Number.isFinite(r.kappa_W_mK.mean) && Number.isFinite(r.stderr_W_mK.mean));
  await assert.rejects(kappaLammps(atoms, resolvePotential('lindsay-broido-2010').lammps, { method: 'hnemd' }), /Green–Kubo only/);
});
