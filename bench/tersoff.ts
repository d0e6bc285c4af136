/**
 * Built-in Tersoff against LAMMPS (`lmp`, serial, one OpenMP thread) on a ~1000-atom flat AMC
 * (public structure POSCAR_3983, 252 atoms, repeated 2 × 2 = 1008 atoms), Lindsay–Broido carbon,
 * the same Verlet skin and check rule in both: seconds per force evaluation, and per NVE
 * velocity-Verlet step (our minimal loop vs LAMMPS `fix nve` + `run N`, LAMMPS' own "Loop time",
 * which leaves out its start-up). Measurements alternate for `rounds` rounds; the best of each is
 * kept (the machine is shared).
 * usage: node dist/bench/tersoff.js [steps=1000] [skin_A=1.0] [rounds=2]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStructure } from '../src/structure/io/formats.js';
import { writeLammpsData } from '../src/structure/io/lammpsData.js';
import { loadTersoff, potentialsDirectory } from '../src/physics/tersoff/params.js';
import { Tersoff } from '../src/physics/tersoff/tersoff.js';
import { lammpsVersion, runLammps } from '../src/engines/lammps/run.js';
import { Rng } from '../src/util/random.js';
import { ROOT } from './shared.js';

const steps = Number(process.argv[2] ?? 1000);
const skin = Number(process.argv[3] ?? 1.0);
const rounds = Number(process.argv[4] ?? 2);
const dt_fs = 0.5;
const MV2E = 103.6427; // amu·Å²/fs² in eV
const KB = 8.617333262e-5; // eV/K

const base = readStructure(join(ROOT, 'test', 'fixtures', 'tersoff', 'POSCAR_3983'), { format: 'vasp' });
const atoms = base.repeat(2, 2, 1);
const n = atoms.length;
const ff = new Tersoff(loadTersoff('lindsay-broido-2010'), { skin_A: skin });
const forces = new Float64Array(3 * n);
const virial = new Float64Array(9);

function oursEval(): number {
  for (let k = 0; k < 20; k++) ff.computeInto(atoms, forces, virial);
  let evals = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    ff.computeInto(atoms, forces, virial);
    evals++;
  }
  return (performance.now() - t0) / 1000 / evals;
}

/** NVE velocity Verlet from 300 K (in-plane Gaussian velocities); seconds per step and energy drift. */
function oursMd(): { step_s: number; drift_eV_atom: number; builds: number } {
  const masses = atoms.masses_amu();
  const rng = new Rng(12345);
  const x = Float64Array.from(atoms.positions);
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < 2; d++) v[3 * i + d] = rng.normal() * Math.sqrt((KB * 300) / (masses[i] * MV2E));
  const system = { positions: x, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc };
  const kinetic = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += 0.5 * masses[i] * MV2E * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
    return s;
  };
  let energy = ff.computeInto(system, forces, virial);
  const e0 = energy + kinetic();
  const builds0 = ff.list.builds;
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < n; i++) {
      const s = (0.5 * dt_fs) / (masses[i] * MV2E);
      for (let k = 3 * i; k < 3 * i + 3; k++) {
        v[k] += s * forces[k];
        x[k] += dt_fs * v[k];
      }
    }
    energy = ff.computeInto(system, forces, virial);
    for (let i = 0; i < n; i++) {
      const s = (0.5 * dt_fs) / (masses[i] * MV2E);
      for (let k = 3 * i; k < 3 * i + 3; k++) v[k] += s * forces[k];
    }
  }
  const step_s = (performance.now() - t0) / 1000 / steps;
  return { step_s, drift_eV_atom: (energy + kinetic() - e0) / n, builds: ff.list.builds - builds0 };
}

const version = lammpsVersion();
const header = [
  'units metal',
  'atom_style atomic',
  'boundary p p p',
  'read_data structure.data',
  'pair_style tersoff',
  'pair_coeff * * lb.tersoff C',
  `neighbor ${skin} bin`,
  'neigh_modify every 1 delay 0 check yes',
];
const files = { 'structure.data': writeLammpsData(atoms), 'lb.tersoff': readFileSync(join(potentialsDirectory(), 'lindsay-broido-2010.tersoff')) };
const loopTime = (log: string): number => {
  const m = /Loop time of ([0-9.eE+-]+) on 1 procs for (\d+) steps/.exec(log);
  if (!m) throw new Error(`no "Loop time" in LAMMPS log:\n${log.slice(-2000)}`);
  return Number(m[1]) / Number(m[2]);
};

/** Force evaluations: NVE with a 1e-9 ps step (one evaluation and an O(N) update per step, no rebuilds). */
async function lammpsEval(): Promise<number> {
  const run = await runLammps([...header, 'timestep 1e-9', 'fix integrate all nve', 'thermo 100000', 'run 300', ''].join('\n'), files);
  run.cleanup();
  return loopTime(run.log);
}

async function lammpsMd(): Promise<{ step_s: number; drift_eV_atom: number; builds: number }> {
  const run = await runLammps(
    [
      ...header,
      `timestep ${dt_fs / 1000}`,
      'velocity all create 300 12345 dist gaussian',
      'velocity all set NULL NULL 0.0',
      'fix integrate all nve',
      'thermo_style custom step etotal',
      'thermo_modify format float %.10f',
      `thermo ${steps}`,
      `run ${steps}`,
      '',
    ].join('\n'),
    files,
  );
  run.cleanup();
  const rows = [...run.log.matchAll(/^\s*(\d+)\s+(-?[0-9.]+)\s*$/gm)].map((m) => Number(m[2]));
  return {
    step_s: loopTime(run.log),
    drift_eV_atom: (rows[rows.length - 1] - rows[0]) / n,
    builds: Number(/Neighbor list builds = (\d+)/.exec(run.log)?.[1] ?? NaN),
  };
}

const best = { oursEval: Infinity, lmpEval: Infinity, oursMd: { step_s: Infinity, drift_eV_atom: NaN, builds: 0 }, lmpMd: { step_s: Infinity, drift_eV_atom: NaN, builds: 0 } };
for (let round = 0; round < rounds; round++) {
  best.oursEval = Math.min(best.oursEval, oursEval());
  const md = oursMd();
  if (md.step_s < best.oursMd.step_s) best.oursMd = md;
  if (version === undefined) continue;
  best.lmpEval = Math.min(best.lmpEval, await lammpsEval());
  const lmd = await lammpsMd();
  if (lmd.step_s < best.lmpMd.step_s) best.lmpMd = lmd;
}
const ms = (s: number): string => (s * 1e3).toFixed(3);
console.log(`atoms ${n}, Lindsay–Broido Tersoff, skin ${skin} Å, LAMMPS ${version ?? 'not installed'}, best of ${rounds} rounds`);
console.log(`force evaluation: ours ${ms(best.oursEval)} ms, LAMMPS ${ms(best.lmpEval)} ms; ratio LAMMPS/ours ${(best.lmpEval / best.oursEval).toFixed(3)}`);
console.log(
  `NVE step (${dt_fs} fs, ${steps} steps): ours ${ms(best.oursMd.step_s)} ms (${best.oursMd.builds} list builds, drift ${best.oursMd.drift_eV_atom.toExponential(2)} eV/atom), ` +
    `LAMMPS ${ms(best.lmpMd.step_s)} ms (${best.lmpMd.builds} builds, drift ${best.lmpMd.drift_eV_atom.toExponential(2)} eV/atom); ratio LAMMPS/ours ${(best.lmpMd.step_s / best.oursMd.step_s).toFixed(3)}`,
);
console.log(JSON.stringify({ atoms: n, skin_A: skin, steps, ...best, ratio_eval: best.lmpEval / best.oursEval, ratio_step: best.lmpMd.step_s / best.oursMd.step_s }));

