import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { Atoms } from '../../structure/atoms.js';
import { writeExtxyz } from '../../structure/io/extxyz.js';
import { Rng } from '../../util/random.js';
import type { ForceField } from '../forceField.js';
import { decodeDynamics, decodeFloat64, encodeDynamics, encodeFloat64, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { Dynamics, maxwellBoltzmann, type DynamicsOptions, type DynamicsState } from './dynamics.js';

export interface MdRunOptions extends Omit<DynamicsOptions, 'seed'> {
  steps: number;
  /** Seeds the Maxwell–Boltzmann velocities and (derived) the Langevin noise. */
  seed: number;
  /** Initial temperature of the Maxwell–Boltzmann draw (default: temperature_K). Ignored when `velocities` is given. */
  initialTemperature_K?: number;
  /** Initial velocities in Å/fs instead of a draw. */
  velocities?: Float64Array;
  /** Extended XYZ frames (positions, velocities in Å/fs) at step 0 and every `every` steps. */
  trajectory?: { path: string; every: number };
  /** State written atomically every `every` steps; an existing file is resumed from. */
  checkpoint?: { path: string; every: number };
  onProgress?: (done: number, total: number) => void;
}

export interface MdRunResult {
  steps: number;
  /** Wall time of the run, including earlier invocations of a resumed run. */
  seconds: number;
  atoms: number;
  /** max_t |E(t) − E(0)| / N over the run, E the integrator's conserved energy. */
  energy_drift_eV_per_atom: number;
  /** Mean instantaneous temperature over steps 1…N. */
  temperature_K: number;
  final: DynamicsState;
}

/** The Langevin noise gets its own stream, derived from the velocity seed. */
export function noiseSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

function frame(atoms: Atoms, d: Dynamics): string {
  const snapshot = new Atoms({ positions: atoms.positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc, info: { step: d.step, time_fs: d.step * d.timestep_fs, energy_eV: d.potential_eV + d.kinetic_eV() } });
  snapshot.setArray('velocities', d.velocities, 3);
  return writeExtxyz(snapshot);
}

/**
 * Molecular dynamics from the given positions (moved in place): NVE or NVT, with trajectory and
 * checkpoints. A run killed after a checkpoint and started again with the same options ends
 * bit-identical to an uninterrupted one (the trajectory is cut back to the checkpoint's length).
 */
export function runMd(atoms: Atoms, forceField: ForceField, options: MdRunOptions): MdRunResult {
  if (!Number.isInteger(options.steps) || options.steps < 0) throw new InputError(`steps must be an integer ≥ 0, got ${options.steps}`);
  for (const [name, spec] of [['trajectory', options.trajectory], ['checkpoint', options.checkpoint]] as const) {
    if (spec && (!Number.isInteger(spec.every) || spec.every < 1)) throw new InputError(`${name} interval must be an integer ≥ 1 step, got ${spec.every}`);
  }
  const masses = atoms.masses_amu();
  const t0 = options.initialTemperature_K ?? options.temperature_K ?? 0;
  const v0 = options.velocities ?? maxwellBoltzmann(masses, t0, new Rng(options.seed));
  const d = new Dynamics(atoms, forceField, v0, { ...options, seed: noiseSeed(options.seed) });
  let e0: number;
  let maxDrift = 0;
  let sumT = 0;
  let elapsed = 0;
  // Everything but the step count must match for a resume (a run may be extended).
  const fingerprint = JSON.stringify({
    atoms: atoms.length, potential: forceField.name, timestep_fs: options.timestep_fs, thermostat: options.thermostat ?? 'none',
    temperature_K: options.temperature_K ?? 0, tau_fs: options.tau_fs ?? 100, chainLength: options.chainLength ?? 3,
    friction_per_fs: options.friction_per_fs ?? 0.01, seed: options.seed, trajectoryEvery: options.trajectory?.every ?? 0,
  });
  const saved = options.checkpoint ? readCheckpoint(options.checkpoint.path, 'md') : undefined;
  if (saved) {
    if (saved.fingerprint !== fingerprint) {
      throw new InputError(`${options.checkpoint!.path}: checkpoint of a run with other settings (${String(saved.fingerprint)}); remove it or use the same options`);
    }
    d.restoreState(decodeDynamics(saved.state as Record<string, unknown>, options.checkpoint!.path));
    const stats = decodeFloat64(saved.stats as string);
    [e0, maxDrift, sumT, elapsed] = stats;
    if (options.trajectory) {
      const size = saved.trajectoryBytes as number;
      if (!existsSync(options.trajectory.path) || statSync(options.trajectory.path).size < size) {
        throw new InputError(`${options.trajectory.path}: shorter than the checkpoint records (${size} bytes); cannot resume`);
      }
      truncateSync(options.trajectory.path, size);
    }
  } else {
    d.computeForces();
    e0 = d.conserved_eV();
    if (options.trajectory) writeFileSync(options.trajectory.path, frame(atoms, d));
  }
  const start = performance.now();
  const n = atoms.length;
  while (d.step < options.steps) {
    d.advance();
    maxDrift = Math.max(maxDrift, Math.abs(d.conserved_eV() - e0));
    sumT += d.temperature();
    if (options.trajectory && d.step % options.trajectory.every === 0) appendFileSync(options.trajectory.path, frame(atoms, d));
    if (options.checkpoint && d.step % options.checkpoint.every === 0 && d.step < options.steps) {
      writeCheckpoint(options.checkpoint.path, 'md', {
        fingerprint,
        state: encodeDynamics(d.saveState()),
        stats: encodeFloat64(Float64Array.of(e0, maxDrift, sumT, elapsed + (performance.now() - start) / 1000)),
        trajectoryBytes: options.trajectory ? statSync(options.trajectory.path).size : 0,
      });
    }
    options.onProgress?.(d.step, options.steps);
  }
  return {
    steps: options.steps,
    seconds: elapsed + (performance.now() - start) / 1000,
    atoms: n,
    energy_drift_eV_per_atom: n > 0 ? maxDrift / n : 0,
    temperature_K: options.steps > 0 ? sumT / options.steps : d.temperature(),
    final: d.saveState(),
  };
}
