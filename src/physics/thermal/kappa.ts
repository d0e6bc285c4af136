import { InputError } from '../../errors.js';
import { Atoms } from '../../structure/atoms.js';
import { inPlaneArea } from '../../structure/cell.js';
import { Rng } from '../../util/random.js';
import type { ForceField, ForceRequest } from '../forceField.js';
import { readCheckpoint, writeCheckpoint } from '../md/checkpoint.js';
import { Dynamics, maxwellBoltzmann } from '../md/dynamics.js';
import { noiseSeed } from '../md/run.js';
import { GRAPHENE_THICKNESS_A, W_MK_PER_EV_A_FS_K } from '../md/units.js';
import { greenKuboRunning, meanStderr, plateauMean } from './greenKubo.js';
import { heatCurrent } from './heatCurrent.js';
import { addDrivingForce } from './hnemd.js';

export type KappaMethod = 'gk' | 'hnemd';

export interface KappaOptions {
  method: KappaMethod;
  /** Default 300 K. */
  temperature_K?: number;
  /** Independent runs (velocity seeds seed, seed+1, …); HNEMD does each run once per in-plane direction. Default 3. */
  runs?: number;
  seed?: number;
  /** Default 0.5 fs. */
  timestep_fs?: number;
  /** NVT (Nosé–Hoover chain) equilibration before each run's production. Default 10 ps. */
  equilibration_ps?: number;
  /** GK: NVE production; HNEMD: driven NVT production. Default 50 ps (GK) / 50 ps (HNEMD). */
  production_ps?: number;
  /** Nosé–Hoover τ (default 100 fs), chain length 3. */
  tau_fs?: number;
  /** Sheet thickness for V = area × thickness; default 3.35 Å (graphene interlayer spacing). */
  thickness_A?: number;
  /** GK: heat current sampled every this many steps (default 4 → 2 fs at 0.5 fs). */
  sampleEvery?: number;
  /** GK: longest correlation time (default 2 ps). */
  correlation_ps?: number;
  /** GK plateau rule: mean of κ(t) over [t1, t2] (default [1, 2] ps). */
  plateau_ps?: readonly [number, number];
  /** HNEMD: driving force magnitude F_e in 1/Å (default 1e-3; 2e-4 left the 20 ps signal below its noise on 248-atom AMC). */
  drivingForce_per_A?: number;
  /** HNEMD: blocks of the production for the within-run standard error (default 10). */
  blocks?: number;
  /** Completed runs are kept here; a restarted call skips them (settings must match). */
  checkpoint?: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface KappaRun {
  seed: number;
  /** GK: both; HNEMD: the run's driving direction only (the other is NaN). */
  xx: number;
  yy: number;
  /** HNEMD: block means of κ in the driving direction. */
  blocks?: number[];
}

export interface KappaSettings {
  engine: string;
  potential: string;
  temperature_K: number;
  timestep_fs: number;
  equilibration_ps: number;
  production_ps: number;
  tau_fs: number;
  thickness_A: number;
  volume_A3: number;
  atoms: number;
  seed: number;
  sampleEvery?: number;
  correlation_ps?: number;
  plateau_ps?: readonly [number, number];
  drivingForce_per_A?: number;
  blocks?: number;
  plateauRule?: string;
  stderrRule: string;
}

export interface KappaResult {
  kappa_W_mK: { xx: number; yy: number; mean: number };
  stderr_W_mK: { xx: number; yy: number; mean: number };
  thickness_A: number;
  method: KappaMethod;
  runs: KappaRun[];
  settings: KappaSettings;
  /** GK: the running integrals κ(t) averaged over runs; HNEMD: the cumulative average of κ over production time. */
  curves: { time_ps: number[]; xx: number[]; yy: number[] };
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new InputError(`${name} must be a positive number, got ${value}`);
  return value;
}

export function kappaSettings(atoms: Atoms, forceField: { name: string }, options: KappaOptions, engine = 'builtin'): KappaSettings {
  if (options.method !== 'gk' && options.method !== 'hnemd') throw new InputError(`method must be "gk" or "hnemd", got "${String(options.method)}"`);
  const thickness_A = positive('thickness', options.thickness_A ?? GRAPHENE_THICKNESS_A);
  const area = inPlaneArea(atoms.cell);
  if (!(area > 0)) throw new InputError('κ needs a cell periodic in x and y (in-plane area is zero)');
  const base = {
    engine,
    potential: forceField.name,
    temperature_K: positive('temperature', options.temperature_K ?? 300),
    timestep_fs: positive('timestep', options.timestep_fs ?? 0.5),
    equilibration_ps: options.equilibration_ps ?? 10,
    production_ps: positive('production time', options.production_ps ?? 50),
    tau_fs: positive('tau', options.tau_fs ?? 100),
    thickness_A,
    volume_A3: area * thickness_A,
    atoms: atoms.length,
    seed: options.seed ?? 1,
  };
  if (!(base.equilibration_ps >= 0)) throw new InputError(`equilibration time must be ≥ 0 ps, got ${base.equilibration_ps}`);
  if (options.method === 'gk') {
    const correlation_ps = positive('correlation time', options.correlation_ps ?? 2);
    const plateau_ps = options.plateau_ps ?? [correlation_ps / 2, correlation_ps];
    if (!(plateau_ps[0] >= 0 && plateau_ps[1] > plateau_ps[0] && plateau_ps[1] <= correlation_ps + 1e-12)) {
      throw new InputError(`plateau window [${plateau_ps}] ps must lie within [0, ${correlation_ps}] ps`);
    }
    const sampleEvery = options.sampleEvery ?? 4;
    if (!Number.isInteger(sampleEvery) || sampleEvery < 1) throw new InputError(`sampleEvery must be an integer ≥ 1, got ${sampleEvery}`);
    if (correlation_ps >= base.production_ps) throw new InputError(`correlation time ${correlation_ps} ps must be shorter than the production ${base.production_ps} ps`);
    return {
      ...base, sampleEvery, correlation_ps, plateau_ps,
      plateauRule: `mean of the running integral κ(t) over t ∈ [${plateau_ps[0]}, ${plateau_ps[1]}] ps`,
      stderrRule: 'standard error of the per-run plateau values over the runs (NaN with one run)',
    };
  }
  const blocks = options.blocks ?? 10;
  if (!Number.isInteger(blocks) || blocks < 2) throw new InputError(`blocks must be an integer ≥ 2, got ${blocks}`);
  return {
    ...base, drivingForce_per_A: positive('driving force', options.drivingForce_per_A ?? 1e-3), blocks,
    stderrRule: 'standard error over runs (≥ 2 runs per direction), else over the blocks of the one run',
  };
}

function stepsOf(ps: number, dt_fs: number): number {
  return Math.round((ps * 1000) / dt_fs);
}

/** NVT (Nosé–Hoover chain) from fresh Maxwell–Boltzmann velocities; positions of `system` move. */
function equilibrate(system: Atoms, ff: ForceField, s: KappaSettings, seed: number, tick: () => void): Dynamics {
  const v = maxwellBoltzmann(system.masses_amu(), s.temperature_K, new Rng(seed));
  const d = new Dynamics(system, ff, v, { timestep_fs: s.timestep_fs, thermostat: 'nose-hoover', temperature_K: s.temperature_K, tau_fs: s.tau_fs, seed: noiseSeed(seed) });
  d.computeForces();
  const n = stepsOf(s.equilibration_ps, s.timestep_fs);
  for (let k = 0; k < n; k++) (d.advance(), tick());
  return d;
}

const PER_ATOM: ForceRequest = { energies: true, virials: true };

function gkRun(atoms: Atoms, ff: ForceField, s: KappaSettings, seed: number, tick: () => void): { run: KappaRun; xx: Float64Array; yy: Float64Array } {
  const system = new Atoms({ positions: atoms.positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
  const eq = equilibrate(system, ff, s, seed, tick);
  const d = new Dynamics(system, ff, eq.velocities, { timestep_fs: s.timestep_fs });
  d.computeForces();
  const every = s.sampleEvery!;
  const samples = Math.floor(stepsOf(s.production_ps, s.timestep_fs) / every);
  const jx = new Float64Array(samples);
  const jy = new Float64Array(samples);
  const j = new Float64Array(3);
  for (let k = 0; k < samples; k++) {
    for (let q = 1; q < every; q++) (d.advance(), tick());
    d.advance(PER_ATOM);
    tick();
    heatCurrent(d.velocities, d.masses_amu, d.last!.energies_eV!, d.last!.virials_eV!, j);
    jx[k] = j[0];
    jy[k] = j[1];
  }
  const sample_fs = every * s.timestep_fs;
  const lags = Math.floor((s.correlation_ps! * 1000) / sample_fs) + 1;
  const xx = greenKuboRunning(jx, sample_fs, lags, s.volume_A3, s.temperature_K);
  const yy = greenKuboRunning(jy, sample_fs, lags, s.volume_A3, s.temperature_K);
  const window: [number, number] = [s.plateau_ps![0] * 1000, s.plateau_ps![1] * 1000];
  return { run: { seed, xx: plateauMean(xx, sample_fs, window), yy: plateauMean(yy, sample_fs, window) }, xx, yy };
}

function hnemdRun(atoms: Atoms, ff: ForceField, s: KappaSettings, seed: number, axis: 0 | 1, tick: () => void): { run: KappaRun; cumulative: Float64Array } {
  const system = new Atoms({ positions: atoms.positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
  const eq = equilibrate(system, ff, s, seed, tick);
  const d = new Dynamics(system, ff, eq.velocities, { timestep_fs: s.timestep_fs, thermostat: 'nose-hoover', temperature_K: s.temperature_K, tau_fs: s.tau_fs });
  const fe: [number, number, number] = [0, 0, 0];
  fe[axis] = s.drivingForce_per_A!;
  d.afterForces = (result) => addDrivingForce(result, fe);
  d.computeForces(PER_ATOM);
  const steps = stepsOf(s.production_ps, s.timestep_fs);
  const nb = s.blocks!;
  const perBlock = Math.floor(steps / nb);
  if (perBlock < 1) throw new InputError(`production of ${steps} steps is shorter than ${nb} blocks`);
  const toKappa = W_MK_PER_EV_A_FS_K / (s.temperature_K * s.volume_A3 * s.drivingForce_per_A!);
  const blocks: number[] = [];
  const cumulative = new Float64Array(nb * perBlock);
  const j = new Float64Array(3);
  let total = 0;
  for (let b = 0; b < nb; b++) {
    let sum = 0;
    for (let k = 0; k < perBlock; k++) {
      d.advance(PER_ATOM);
      tick();
      heatCurrent(d.velocities, d.masses_amu, d.last!.energies_eV!, d.last!.virials_eV!, j);
      sum += j[axis];
      total += j[axis];
      cumulative[b * perBlock + k] = (total / (b * perBlock + k + 1)) * toKappa;
    }
    blocks.push((sum / perBlock) * toKappa);
  }
  const kappa = blocks.reduce((a, c) => a + c, 0) / nb;
  return { run: { seed, xx: axis === 0 ? kappa : NaN, yy: axis === 1 ? kappa : NaN, blocks }, cumulative };
}

function summarise(method: KappaMethod, runs: KappaRun[]): Pick<KappaResult, 'kappa_W_mK' | 'stderr_W_mK'> {
  if (method === 'gk') {
    const xx = meanStderr(runs.map((r) => r.xx));
    const yy = meanStderr(runs.map((r) => r.yy));
    const mean = meanStderr(runs.map((r) => (r.xx + r.yy) / 2));
    return { kappa_W_mK: { xx: xx.mean, yy: yy.mean, mean: mean.mean }, stderr_W_mK: { xx: xx.stderr, yy: yy.stderr, mean: mean.stderr } };
  }
  const axis = (key: 'xx' | 'yy'): { mean: number; stderr: number } => {
    const rs = runs.filter((r) => Number.isFinite(r[key]));
    return rs.length >= 2 ? meanStderr(rs.map((r) => r[key])) : { mean: rs[0][key], stderr: meanStderr(rs[0].blocks ?? []).stderr };
  };
  const xx = axis('xx');
  const yy = axis('yy');
  return {
    kappa_W_mK: { xx: xx.mean, yy: yy.mean, mean: (xx.mean + yy.mean) / 2 },
    stderr_W_mK: { xx: xx.stderr, yy: yy.stderr, mean: 0.5 * Math.hypot(xx.stderr, yy.stderr) },
  };
}

/**
 * Lattice thermal conductivity of a sheet at temperature T, in-plane xx and yy, by
 * - Green–Kubo ('gk'): per run, NVT (Nosé–Hoover chain) equilibration, NVE production sampling the
 *   heat current, running integral κ(t) = 1/(V k_B T²) ∫⟨J(0)J(t)⟩ (J volume-integrated), plateau
 *   = mean of κ(t) over the plateau window; mean and standard error over runs with different seeds.
 * - HNEMD ('hnemd'): per run and direction, a driving force F_e (hnemd.ts) under the Nosé–Hoover
 *   chain; κ = ⟨J⟩ / (T V F_e), averaged over the production.
 * V = in-plane area × thickness (3.35 Å unless set). Completed runs are checkpointed.
 */
export function kappa(atoms: Atoms, forceField: ForceField, options: KappaOptions): KappaResult {
  const s = kappaSettings(atoms, forceField, options);
  const nRuns = options.runs ?? 3;
  if (!Number.isInteger(nRuns) || nRuns < 1) throw new InputError(`runs must be an integer ≥ 1, got ${nRuns}`);
  const jobs = options.method === 'gk' ? nRuns : 2 * nRuns;
  const stepsPerJob = stepsOf(s.equilibration_ps, s.timestep_fs) + (options.method === 'gk' ? Math.floor(stepsOf(s.production_ps, s.timestep_fs) / s.sampleEvery!) * s.sampleEvery! : Math.floor(stepsOf(s.production_ps, s.timestep_fs) / s.blocks!) * s.blocks!);
  const fingerprint = JSON.stringify({ method: options.method, runs: nRuns, settings: s });
  type Saved = { run: KappaRun; curve: number[] | [number[], number[]] };
  let done: Saved[] = [];
  if (options.checkpoint) {
    const saved = readCheckpoint(options.checkpoint, 'kappa');
    if (saved) {
      if (saved.fingerprint !== fingerprint) throw new InputError(`${options.checkpoint}: checkpoint of a κ calculation with other settings; remove it or use the same options`);
      done = (saved.done as Saved[]).map((x) => ({ run: { ...x.run, xx: x.run.xx ?? NaN, yy: x.run.yy ?? NaN }, curve: x.curve }));
    }
  }
  let step = done.length * stepsPerJob;
  const tick = (): void => {
    step++;
    if (step % 50 === 0) options.onProgress?.(`κ ${options.method}`, step, jobs * stepsPerJob);
  };
  for (let job = done.length; job < jobs; job++) {
    if (options.method === 'gk') {
      const r = gkRun(atoms, forceField, s, s.seed + job, tick);
      done.push({ run: r.run, curve: [Array.from(r.xx), Array.from(r.yy)] });
    } else {
      const axis = job < nRuns ? 0 : 1;
      const r = hnemdRun(atoms, forceField, s, s.seed + (job % nRuns), axis, tick);
      done.push({ run: r.run, curve: Array.from(r.cumulative) });
    }
    if (options.checkpoint) writeCheckpoint(options.checkpoint, 'kappa', { fingerprint, done });
  }
  options.onProgress?.(`κ ${options.method}`, jobs * stepsPerJob, jobs * stepsPerJob);
  const runs = done.map((d) => d.run);
  return { ...summarise(options.method, runs), thickness_A: s.thickness_A, method: options.method, runs, settings: s, curves: curvesOf(options.method, s, done.map((d) => d.curve), nRuns) };
}

function curvesOf(method: KappaMethod, s: KappaSettings, curves: (number[] | [number[], number[]])[], nRuns: number): KappaResult['curves'] {
  const average = (list: number[][]): number[] => list[0].map((_, k) => list.reduce((a, c) => a + c[k], 0) / list.length);
  if (method === 'gk') {
    const pairs = curves as [number[], number[]][];
    const xx = average(pairs.map((p) => p[0]));
    const dt_ps = (s.sampleEvery! * s.timestep_fs) / 1000;
    return { time_ps: xx.map((_, k) => k * dt_ps), xx, yy: average(pairs.map((p) => p[1])) };
  }
  const single = curves as number[][];
  const xx = average(single.slice(0, nRuns));
  const dt_ps = s.timestep_fs / 1000;
  return { time_ps: xx.map((_, k) => (k + 1) * dt_ps), xx, yy: average(single.slice(nRuns)) };
}
