import { InputError } from '../../errors.js';
import { MASSES_AMU } from '../../structure/elements.js';
import { Rng } from '../../util/random.js';
import type { AtomicSystem, ForceField, ForceRequest, ForceResult } from '../forceField.js';
import { chainEnergy_eV, chainHalfStep, chainMasses, newChain, type NoseHooverChainState } from './noseHoover.js';
import { ACCEL_A_FS2_PER_EV_A_AMU, EV_PER_AMU_A2_FS2, KB_EV_K } from './units.js';

export type Thermostat = 'none' | 'nose-hoover' | 'langevin';

export interface DynamicsOptions {
  timestep_fs: number;
  /** 'none' = NVE. */
  thermostat?: Thermostat;
  /** Target temperature of a thermostat, K. */
  temperature_K?: number;
  /** Nosé–Hoover relaxation time (default 100 fs). */
  tau_fs?: number;
  /** Nosé–Hoover chain length (default 3). */
  chainLength?: number;
  /** Langevin friction γ in 1/fs (default 1/100 fs). */
  friction_per_fs?: number;
  /** Seed of the Langevin noise (velocities are drawn by `maxwellBoltzmann`). */
  seed?: number;
}

/** Everything a run needs to continue bit for bit (the checkpoint payload). */
export interface DynamicsState {
  step: number;
  positions: Float64Array;
  velocities: Float64Array;
  forces: Float64Array;
  potential_eV: number;
  xi: Float64Array;
  vxi: Float64Array;
  rngState: number;
  /** Energy the Langevin thermostat has put into the system so far (eV). */
  bathWork_eV: number;
}

/**
 * Maxwell–Boltzmann velocities (Å/fs) at exactly `temperature_K` for N_f = 3N − 3 degrees of
 * freedom, with zero total momentum. Draws come from `rng` (normals by Box–Muller).
 */
export function maxwellBoltzmann(masses_amu: Float64Array, temperature_K: number, rng: Rng): Float64Array {
  const n = masses_amu.length;
  const v = new Float64Array(3 * n);
  if (n === 0) return v;
  const kT = KB_EV_K * temperature_K;
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt((kT / masses_amu[i]) * ACCEL_A_FS2_PER_EV_A_AMU);
    for (let d = 0; d < 3; d++) v[3 * i + d] = s * rng.normal();
  }
  removeDrift(v, masses_amu);
  const t = temperatureOf(v, masses_amu);
  if (t > 0) {
    const f = Math.sqrt(temperature_K / t);
    for (let k = 0; k < v.length; k++) v[k] *= f;
  }
  return v;
}

/** Subtract the centre-of-mass velocity so that Σ m_i v_i = 0. */
export function removeDrift(v: Float64Array, masses_amu: Float64Array): void {
  const p = [0, 0, 0];
  let mass = 0;
  for (let i = 0; i < masses_amu.length; i++) {
    mass += masses_amu[i];
    for (let d = 0; d < 3; d++) p[d] += masses_amu[i] * v[3 * i + d];
  }
  for (let i = 0; i < masses_amu.length; i++) for (let d = 0; d < 3; d++) v[3 * i + d] -= p[d] / mass;
}

export function kineticEnergyOf(v: Float64Array, masses_amu: Float64Array): number {
  let s = 0;
  for (let i = 0; i < masses_amu.length; i++) {
    const x = v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
    s += masses_amu[i] * (x * x + y * y + z * z);
  }
  return 0.5 * s * EV_PER_AMU_A2_FS2;
}

/** Degrees of freedom with the total momentum fixed. */
export function degreesOfFreedom(n: number): number {
  return Math.max(1, 3 * n - 3);
}

export function temperatureOf(v: Float64Array, masses_amu: Float64Array): number {
  return (2 * kineticEnergyOf(v, masses_amu)) / (degreesOfFreedom(masses_amu.length) * KB_EV_K);
}

/**
 * Velocity Verlet with an optional thermostat, on an AtomicSystem whose positions it moves in place.
 * - NVE: kick–drift–kick.
 * - Nosé–Hoover chain: chain half step, velocity Verlet, chain half step (see noseHoover.ts).
 * - Langevin: BAOAB (Leimkuhler & Matthews, 2013): kick, half drift, exact Ornstein–Uhlenbeck
 *   velocity update v ← c v + √((1−c²) kT/m) ξ with c = exp(−γ dt), half drift, kick.
 * `afterForces` may add forces (e.g. the HNEMD driving force) to each new force result in place.
 */
export class Dynamics {
  readonly system: AtomicSystem;
  readonly forceField: ForceField;
  readonly masses_amu: Float64Array;
  readonly timestep_fs: number;
  readonly thermostat: Thermostat;
  readonly temperature_K: number;
  velocities: Float64Array;
  forces: Float64Array;
  potential_eV = 0;
  /** The last force result (with per-atom energies/virials when they were requested). */
  last: ForceResult | undefined;
  step = 0;
  bathWork_eV = 0;
  readonly chain: NoseHooverChainState;
  readonly rng: Rng;
  afterForces: ((result: ForceResult, dynamics: Dynamics) => void) | undefined;
  private readonly q: Float64Array;
  private readonly friction_per_fs: number;
  private readonly dof: number;

  constructor(system: AtomicSystem, forceField: ForceField, velocities: Float64Array, options: DynamicsOptions) {
    const n = system.numbers.length;
    if (velocities.length !== 3 * n) throw new RangeError(`velocities need ${3 * n} numbers, got ${velocities.length}`);
    if (!(options.timestep_fs > 0) || !Number.isFinite(options.timestep_fs)) {
      throw new InputError(`timestep must be a positive number of fs, got ${options.timestep_fs}`);
    }
    this.system = system;
    this.forceField = forceField;
    this.masses_amu = Float64Array.from(system.numbers, (z) => MASSES_AMU[z]);
    this.timestep_fs = options.timestep_fs;
    this.thermostat = options.thermostat ?? 'none';
    this.temperature_K = options.temperature_K ?? 0;
    if (this.thermostat !== 'none' && !(this.temperature_K > 0)) {
      throw new InputError(`a ${this.thermostat} thermostat needs a positive temperature in K, got ${options.temperature_K}`);
    }
    const tau = options.tau_fs ?? 100;
    const chainLength = options.chainLength ?? 3;
    if (!(tau > 0)) throw new InputError(`Nosé–Hoover tau must be > 0 fs, got ${tau}`);
    if (!Number.isInteger(chainLength) || chainLength < 1) throw new InputError(`chain length must be an integer ≥ 1, got ${chainLength}`);
    this.friction_per_fs = options.friction_per_fs ?? 0.01;
    if (!(this.friction_per_fs > 0)) throw new InputError(`Langevin friction must be > 0 per fs, got ${this.friction_per_fs}`);
    this.dof = degreesOfFreedom(n);
    this.chain = newChain(chainLength);
    this.q = chainMasses(chainLength, this.dof, KB_EV_K * this.temperature_K, tau);
    this.rng = new Rng(options.seed ?? 1);
    this.velocities = Float64Array.from(velocities);
    this.forces = new Float64Array(3 * n);
  }

  /** Forces at the current positions (call once before the first step, and whenever positions were set). */
  computeForces(request?: ForceRequest): ForceResult {
    const result = this.forceField.compute(this.system, request);
    this.afterForces?.(result, this);
    this.last = result;
    this.forces = result.forces_eV_A;
    this.potential_eV = result.energy_eV;
    return result;
  }

  kinetic_eV(): number {
    return kineticEnergyOf(this.velocities, this.masses_amu);
  }

  temperature(): number {
    return temperatureOf(this.velocities, this.masses_amu);
  }

  /** The quantity the integrator conserves: E for NVE, E + chain energy, or E − work done by the Langevin bath. */
  conserved_eV(): number {
    const e = this.kinetic_eV() + this.potential_eV;
    if (this.thermostat === 'nose-hoover') return e + chainEnergy_eV(this.chain, this.q, this.dof, KB_EV_K * this.temperature_K);
    if (this.thermostat === 'langevin') return e - this.bathWork_eV;
    return e;
  }

  /** One step; `request` asks the force field for per-atom quantities at the step's new positions. */
  advance(request?: ForceRequest): void {
    const dt = this.timestep_fs;
    if (this.thermostat === 'nose-hoover') this.chainHalf();
    this.kick(dt / 2);
    if (this.thermostat === 'langevin') {
      this.drift(dt / 2);
      this.ornsteinUhlenbeck(dt);
      this.drift(dt / 2);
    } else {
      this.drift(dt);
    }
    this.computeForces(request);
    this.kick(dt / 2);
    if (this.thermostat === 'nose-hoover') this.chainHalf();
    this.step++;
  }

  private kick(dt: number): void {
    const v = this.velocities;
    const f = this.forces;
    for (let i = 0; i < this.masses_amu.length; i++) {
      const a = (dt * ACCEL_A_FS2_PER_EV_A_AMU) / this.masses_amu[i];
      v[3 * i] += a * f[3 * i];
      v[3 * i + 1] += a * f[3 * i + 1];
      v[3 * i + 2] += a * f[3 * i + 2];
    }
  }

  private drift(dt: number): void {
    const x = this.system.positions;
    const v = this.velocities;
    for (let k = 0; k < x.length; k++) x[k] += dt * v[k];
  }

  private chainHalf(): void {
    const kT = KB_EV_K * this.temperature_K;
    const scale = chainHalfStep(this.chain, this.q, 2 * this.kinetic_eV(), this.dof, kT, this.timestep_fs);
    const v = this.velocities;
    for (let k = 0; k < v.length; k++) v[k] *= scale;
  }

  private ornsteinUhlenbeck(dt: number): void {
    const c = Math.exp(-this.friction_per_fs * dt);
    const kT = KB_EV_K * this.temperature_K;
    const v = this.velocities;
    const before = this.kinetic_eV();
    for (let i = 0; i < this.masses_amu.length; i++) {
      const s = Math.sqrt((1 - c * c) * (kT / this.masses_amu[i]) * ACCEL_A_FS2_PER_EV_A_AMU);
      for (let d = 0; d < 3; d++) v[3 * i + d] = c * v[3 * i + d] + s * this.rng.normal();
    }
    this.bathWork_eV += this.kinetic_eV() - before;
  }

  saveState(): DynamicsState {
    return {
      step: this.step,
      positions: Float64Array.from(this.system.positions),
      velocities: Float64Array.from(this.velocities),
      forces: Float64Array.from(this.forces),
      potential_eV: this.potential_eV,
      xi: Float64Array.from(this.chain.xi),
      vxi: Float64Array.from(this.chain.vxi),
      rngState: this.rng.state,
      bathWork_eV: this.bathWork_eV,
    };
  }

  /** Continue from a saved state: the forces are taken as saved, not recomputed, so the run goes on bit for bit. */
  restoreState(s: DynamicsState): void {
    const n3 = this.system.positions.length;
    if (s.positions.length !== n3 || s.velocities.length !== n3 || s.forces.length !== n3) {
      throw new InputError(`checkpoint holds ${s.positions.length / 3} atoms, the structure ${n3 / 3}`);
    }
    if (s.xi.length !== this.chain.xi.length) throw new InputError(`checkpoint chain length ${s.xi.length}, run has ${this.chain.xi.length}`);
    (this.system.positions as Float64Array).set(s.positions);
    this.velocities = Float64Array.from(s.velocities);
    this.forces = Float64Array.from(s.forces);
    this.potential_eV = s.potential_eV;
    this.chain.xi.set(s.xi);
    this.chain.vxi.set(s.vxi);
    this.rng.state = s.rngState;
    this.bathWork_eV = s.bathWork_eV;
    this.step = s.step;
  }
}
