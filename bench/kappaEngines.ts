// Built-in vs LAMMPS Green–Kubo κ with the same heat-current definition (stress/atom virials, what
// LAMMPS 2021 offers for Tersoff) and the same protocol, on one relaxed 248-atom AMC cell; prints
// the difference of the means in units of their combined standard error.
// Usage: node dist/bench/kappaEngines.js [id] [runs] [first seed]
import { fileURLToPath } from 'node:url';
import { readStructure } from '../src/structure/io/formats.js';
import { resolvePotential } from '../src/physics/md/potential.js';
import { kappa, type KappaOptions } from '../src/physics/thermal/kappa.js';
import { kappaLammps } from '../src/physics/thermal/lammpsKappa.js';

const id = process.argv[2] ?? '2677';
const runs = Number(process.argv[3] ?? 8);
const seed = Number(process.argv[4] ?? 101);
const atoms = readStructure(fileURLToPath(new URL(`../../test/fixtures/md/relaxed_${id}.extxyz`, import.meta.url)));
const options: KappaOptions = { method: 'gk', runs, timestep_fs: 0.5, equilibration_ps: 2, production_ps: 10, correlation_ps: 2, sampleEvery: 4, seed };
let t = performance.now();
const ours = kappa(atoms, resolvePotential('lindsay-broido-2010', 'third').forceField, options);
const oursSeconds = (performance.now() - t) / 1000;
t = performance.now();
const lmp = await kappaLammps(atoms, resolvePotential('lindsay-broido-2010').lammps, options);
const lmpSeconds = (performance.now() - t) / 1000;
const z = (key: 'xx' | 'yy' | 'mean'): number => (ours.kappa_W_mK[key] - lmp.kappa_W_mK[key]) / Math.hypot(ours.stderr_W_mK[key], lmp.stderr_W_mK[key]);
console.log(JSON.stringify({
  bench: 'kappa-engines', id, runs, protocol: '0.5 fs, 2 ps NVT + 10 ps NVE per run, J every 2 fs, plateau mean over [1, 2] ps, V = area × 3.35 Å',
  builtin: { kappa_W_mK: ours.kappa_W_mK, stderr_W_mK: ours.stderr_W_mK, seconds: oursSeconds },
  lammps: { kappa_W_mK: lmp.kappa_W_mK, stderr_W_mK: lmp.stderr_W_mK, seconds: lmpSeconds },
  difference_in_combined_stderr: { xx: z('xx'), yy: z('yy'), mean: z('mean') },
  seconds_ratio_builtin_over_lammps: oursSeconds / lmpSeconds,
}));
