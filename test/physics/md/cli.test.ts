import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { writePoscar } from '../../../src/structure/io/poscar.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = `${root}bin/spramnet.js`;
const fixture = `${root}test/fixtures/md/relaxed_2677.extxyz`;
const skip = !process.env.CI && lammpsVersion() === undefined ? 'lmp not installed' : false;

function md(args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(process.execPath, [CLI, 'md', fixture, '--potential', 'lindsay-broido-2010', '--json', ...args], { encoding: 'utf8' }));
}

// Same positions, same seeded velocities, same potential: over 100 fs the two trajectories have
// not yet diverged, so mean temperatures and drifts agree closely.
test('md --json: built-in NVE and LAMMPS NVE from the same state agree (248-atom AMC, 200 × 0.5 fs)', { skip }, async () => {
  const args = ['--ensemble', 'nve', '--steps', '200', '--timestep-fs', '0.5', '--seed', '3'];
  const ours = md(args);
  const lmp = md([...args, '--engine', 'lammps']);
  assert.deepEqual(Object.keys(ours).sort(), ['atoms', 'energy_drift_eV_per_atom', 'seconds', 'steps', 'temperature_K']);
  assert.deepEqual(Object.keys(lmp).sort(), Object.keys(ours).sort());
  assert.equal(ours.atoms, 248);
  assert.equal(ours.steps, 200);
  // LAMMPS averages thermo rows every step here (200 steps < 1000); its constants are rounded (1e-6).
  assert.ok(Math.abs(ours.temperature_K - lmp.temperature_K) < 0.01, `T ${ours.temperature_K} vs LAMMPS ${lmp.temperature_K}`);
  assert.ok(Math.abs(ours.energy_drift_eV_per_atom - lmp.energy_drift_eV_per_atom) < 0.05 * lmp.energy_drift_eV_per_atom + 1e-7);
});

test('md and calc: --potential defaults to Lindsay–Broido, as the label commands do', () => {
  const run = (args: string[]) => JSON.parse(execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' }));
  const steps = ['--steps', '20', '--seed', '2'];
  const implicit = run(['md', fixture, '--json', ...steps]);
  const explicit = run(['md', fixture, '--json', '--potential', 'lindsay-broido-2010', ...steps]);
  const other = run(['md', fixture, '--json', '--potential', 'tersoff-1988', ...steps]);
  assert.equal(implicit.temperature_K, explicit.temperature_K);
  assert.notEqual(implicit.temperature_K, other.temperature_K);
  const energy = (args: string[]) => (run(['calc', fixture, '--json', ...args]) as Array<{ energy_eV: number }>)[0].energy_eV;
  assert.equal(energy([]), energy(['--potential', 'lindsay-broido-2010']));
});

test('label kappa --json: output shape, thickness 3.35 Å stated; the sheet conductance κ·t does not depend on the thickness', () => {
  const label = (thickness: string) => JSON.parse(execFileSync(process.execPath, [CLI, 'label', 'kappa', fixture, '--potential', 'lindsay-broido-2010', '--method', 'gk', '--runs', '2', '--equilibration-ps', '0.02', '--production-ps', '0.2', '--correlation-ps', '0.05', '--timestep-fs', '1', '--thickness', thickness, '--json'], { encoding: 'utf8' }));
  const out = label('3.35');
  assert.equal(out.length, 1);
  assert.deepEqual(Object.keys(out[0]).sort(), ['input', 'kappa', 'kappa_W_mK', 'method', 'stderr_W_mK', 'thickness_A']);
  assert.equal(out[0].thickness_A, 3.35);
  assert.equal(out[0].method, 'gk');
  for (const key of ['xx', 'yy', 'mean']) assert.equal(typeof out[0].kappa_W_mK[key], 'number');
  // the same runs (same seeds) with a 20 Å volume: κ scales as 1/t, κ·t and the 3.35 Å value stay
  const thick = label('20')[0];
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  assert.ok(close(thick.kappa_W_mK.mean * 20, out[0].kappa_W_mK.mean * 3.35));
  assert.ok(close(thick.kappa.sheet_conductance_W_K, out[0].kappa_W_mK.mean * 3.35e-10), 'κ·t in W/K');
  assert.ok(close(thick.kappa.sheet_conductance_W_K, out[0].kappa.sheet_conductance_W_K));
  assert.ok(close(thick.kappa.W_mK_3p35A, out[0].kappa_W_mK.mean));
  assert.ok(close(thick.kappa.W_mK, out[0].kappa.W_mK));
  assert.match(out[0].kappa.convention, /public SPRamNet labels/);
});

// Two different structures that share a file name (a/POSCAR_0001, b/POSCAR_0001), one checkpoint
// folder: each keeps its own checkpoint, and a rerun in the other order reads them back.
test('label kappa --checkpoint-dir: inputs with the same file name from two folders, resumed in any order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-kappa-ckpt-'));
  const atoms = readStructure(fixture);
  const files: string[] = [];
  for (const [sub, shift] of [['a', 0], ['b', 0.01]] as const) {
    mkdirSync(join(dir, sub));
    atoms.positions[0] += shift;
    files.push(join(dir, sub, 'POSCAR_0001'));
    writeFileSync(files.at(-1) as string, writePoscar(atoms));
  }
  const ckpt = join(dir, 'ckpt');
  const run = (inputs: string[]): Array<{ input: string; kappa_W_mK: { mean: number } }> => JSON.parse(execFileSync(process.execPath, [CLI, 'label', 'kappa', ...inputs, '--potential', 'lindsay-broido-2010', '--method', 'gk', '--runs', '1', '--equilibration-ps', '0.01', '--production-ps', '0.1', '--correlation-ps', '0.02', '--timestep-fs', '1', '--checkpoint-dir', ckpt, '--json'], { encoding: 'utf8' }));
  const first = run(files);
  assert.equal(first.length, 2);
  assert.equal(readdirSync(ckpt).length, 2);
  assert.notEqual(first[0].kappa_W_mK.mean, first[1].kappa_W_mK.mean);
  const again = run([files[1], files[0]]);
  assert.equal(again[0].kappa_W_mK.mean, first[1].kappa_W_mK.mean);
  assert.equal(again[1].kappa_W_mK.mean, first[0].kappa_W_mK.mean);
});
