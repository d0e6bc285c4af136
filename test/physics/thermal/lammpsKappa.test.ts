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
import { kappaLammps, lammpsGreenKuboInput, lammpsKappaData, parseAveCorrelate } from '../../../src/physics/thermal/lammpsKappa.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { Atoms } from '../../../src/structure/atoms.js';

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

// A trajectory cannot be the check: a 1e-9 rad turn alone moves a 0.3 ps κ estimate by a factor 2
// (MD is chaotic; tried). What must hold is that LAMMPS gets the same structure.
test('lammpsKappaData: a cell turned in-plane by 3e-3 rad (as much as a free cell relaxation left on 800-atom sheets) is handed to LAMMPS as the unturned one, as is one of 0.05 rad (past the 2.6e-2 of an a-BN sheet); 0.15 rad is refused', () => {
  const atoms = readStructure(fixture);
  const turned = (theta: number) => {
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const rot = (v: ArrayLike<number>) => {
      const out = Float64Array.from(v);
      for (let k = 0; k < out.length; k += 3) [out[k], out[k + 1]] = [c * out[k] - s * out[k + 1], s * out[k] + c * out[k + 1]];
      return out;
    };
    return new Atoms({ numbers: atoms.numbers, pbc: atoms.pbc, positions: rot(atoms.positions), cell: rot(atoms.cell) });
  };
  // the Atoms section and the box lengths (the turned cell also gets an `xy xz yz` line of ~1e-15 tilts)
  const numbersOf = (data: string) => {
    const lines = data.split('\n');
    const atomsAt = lines.findIndex((l) => l.trim().startsWith('Atoms'));
    const box = lines.filter((l) => /[xyz]lo [xyz]hi/.test(l));
    return [...box, ...lines.slice(atomsAt + 1)].filter((l) => /^\s*-?\d/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(0, l.includes('lo') ? 2 : undefined).map(Number));
  };
  const straight = lammpsKappaData(atoms);
  const small = lammpsKappaData(turned(3e-3));
  assert.equal(straight.turn_rad, 0);
  assert.ok(Math.abs(Math.abs(small.turn_rad) - 3e-3) < 1e-12, `turn ${small.turn_rad}`);
  const a = numbersOf(straight.data);
  const b = numbersOf(small.data);
  assert.equal(a.length, b.length);
  assert.equal(a.length, 2 * 3 + 5 * atoms.length, 'three box ranges and the atoms (id type x y z)');
  const tilt = small.data.split('\n').find((l) => l.includes('xy xz yz'));
  if (tilt) for (const t of tilt.trim().split(/\s+/).slice(0, 3).map(Number)) assert.ok(Math.abs(t) < 1e-9, tilt);
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-9, `number ${k} of the data file: ${a[k]} vs ${b[k]}`);
  // a buckled a-BN sheet's cell relaxation turned a by 2.6e-2 rad: taken, the same data as unturned
  const more = numbersOf(lammpsKappaData(turned(0.05)).data);
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - more[k]) < 1e-9, `number ${k} at 0.05 rad: ${a[k]} vs ${more[k]}`);
  assert.throws(() => lammpsKappaData(turned(0.15)), /a along x \(within 0\.1 rad\).*turned by -?1\.50e-1 rad/);
});
