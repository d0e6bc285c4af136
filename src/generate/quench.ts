import { InputError } from '../errors.js';
import type { AtomicSystem, ForceField } from '../physics/forceField.js';
import { Atoms } from '../structure/atoms.js';
import { MASSES_AMU } from '../structure/elements.js';
import { Rng } from '../util/random.js';
import { checkAtomCount, GRAPHENE_BOND_A, grapheneSupercell, nearestGrapheneCell, type GrapheneCell } from './graphene.js';
import { fire } from './minimize.js';
import { wrapInPlane } from './toAtoms.js';
import { KB_EV_K } from './www.js';

/** Acceleration of 1 eV/Å on 1 amu, Å/fs² (≈ 9.649e-3). */
const ACCEL = (1.602176634e-19 / (1e-10 * 1.6605390666e-27)) * 1e-20;

export interface QuenchOptions {
  atoms: number;
  seed: number;
  /** 2: z fixed (flat sheet); 3: free. */
  dimensions?: 2 | 3;
  /** Cooling rate, K/ps: the disorder knob (fast = more disorder). */
  rate_K_ps?: number;
  meltTemperature_K?: number;
  meltTime_ps?: number;
  endTemperature_K?: number;
  timestep_fs?: number;
  /** Fraction of graphene atoms removed before melting (the public quench cells: 0–10 %). */
  vacancies?: number;
  /** 'graphene': melt the (vacancy-bearing) crystal; 'random': random positions in its cell. */
  start?: 'graphene' | 'random';
  /** Velocities are rescaled to the schedule's temperature every this many steps. */
  rescaleEvery?: number;
  /** Heights of the random z start for dimensions 3, Å. */
  zNoise_A?: number;
  /** Force tolerance of the final relaxation, eV/Å. */
  fmax_eV_A?: number;
  /** Bond length of the graphene cell (and start) the sheet is made in, Å (default 1.42). */
  bond_A?: number;
  /** Atomic numbers of the parent honeycomb's two sublattices (default carbon on both; h-BN: [5, 7]). */
  sublattices?: readonly [number, number];
}

export type QuenchSettings = Required<QuenchOptions>;

export function quenchDefaults(o: QuenchOptions): QuenchSettings {
  checkAtomCount(o.atoms);
  const s: QuenchSettings = {
    atoms: o.atoms,
    seed: o.seed >>> 0,
    dimensions: o.dimensions ?? 2,
    rate_K_ps: o.rate_K_ps ?? 1000,
    meltTemperature_K: o.meltTemperature_K ?? 5000,
    meltTime_ps: o.meltTime_ps ?? 1,
    endTemperature_K: o.endTemperature_K ?? 300,
    timestep_fs: o.timestep_fs ?? 0.5,
    vacancies: o.vacancies ?? 0,
    start: o.start ?? 'graphene',
    rescaleEvery: o.rescaleEvery ?? 10,
    zNoise_A: o.zNoise_A ?? 0.1,
    fmax_eV_A: o.fmax_eV_A ?? 0.01,
    bond_A: o.bond_A ?? GRAPHENE_BOND_A,
    sublattices: o.sublattices ?? [6, 6],
  };
  if (!s.sublattices.every((z) => MASSES_AMU[z] !== undefined)) throw new InputError(`sublattice species must be elements with a known mass, got ${s.sublattices.join(', ')}`);
  if (!(s.bond_A > 1.2 && s.bond_A < 1.7)) throw new InputError(`graphene bond length must lie in (1.2, 1.7) Å, got ${s.bond_A}`);
  if (s.dimensions !== 2 && s.dimensions !== 3) throw new InputError(`dimensions must be 2 or 3, got ${s.dimensions}`);
  if (!(s.rate_K_ps > 0)) throw new InputError(`cooling rate must be a positive number of K/ps, got ${s.rate_K_ps}`);
  if (!(s.meltTemperature_K > s.endTemperature_K && s.endTemperature_K > 0)) throw new InputError(`melt temperature (${s.meltTemperature_K} K) must exceed the end temperature (${s.endTemperature_K} K) > 0`);
  if (!(s.timestep_fs > 0 && s.timestep_fs <= 2)) throw new InputError(`timestep must be in (0, 2] fs, got ${s.timestep_fs}`);
  if (!(s.vacancies >= 0 && s.vacancies < 0.5)) throw new InputError(`vacancies must be a fraction in [0, 0.5), got ${s.vacancies}`);
  if (s.start !== 'graphene' && s.start !== 'random') throw new InputError(`start must be "graphene" or "random", got "${s.start}"`);
  return s;
}

export interface QuenchResult {
  atoms: Atoms;
  cell: GrapheneCell;
  steps: number;
  energy_eV: number;
  relaxSteps: number;
  relaxConverged: boolean;
  settings: QuenchSettings;
}

/** Steps of the schedule: melt at T_melt, then a linear ramp to T_end at the cooling rate. */
export function quenchSchedule(s: QuenchSettings): { meltSteps: number; coolSteps: number; temperatureAt: (step: number) => number } {
  const meltSteps = Math.round((s.meltTime_ps * 1000) / s.timestep_fs);
  const coolSteps = Math.max(1, Math.round((((s.meltTemperature_K - s.endTemperature_K) / s.rate_K_ps) * 1000) / s.timestep_fs));
  return {
    meltSteps,
    coolSteps,
    temperatureAt: (step) => (step < meltSteps ? s.meltTemperature_K : s.meltTemperature_K - ((s.meltTemperature_K - s.endTemperature_K) * Math.min(step - meltSteps, coolSteps)) / coolSteps),
  };
}

/** Start positions and each atom's sublattice (0 or 1): the parent's for a crystal start (grapheneSupercell alternates them atom by atom), alternating for a random one. */
function startPositions(s: QuenchSettings, cell: GrapheneCell, rng: Rng): { positions: Float64Array; sublattice: Uint8Array } {
  const remove = s.vacancies > 0 ? Math.max(0, cell.atoms - s.atoms) : 0;
  const n = cell.atoms - remove;
  if (s.start === 'random') {
    const pos = new Float64Array(3 * n);
    const minD2 = 1.2 * 1.2;
    for (let i = 0; i < n; i++) {
      for (let tries = 0; ; tries++) {
        const x = rng.uniform() * cell.lx_A;
        const y = rng.uniform() * cell.ly_A;
        let ok = true;
        for (let j = 0; j < i && ok; j++) {
          let dx = pos[3 * j] - x;
          let dy = pos[3 * j + 1] - y;
          dx -= cell.lx_A * Math.round(dx / cell.lx_A);
          dy -= cell.ly_A * Math.round(dy / cell.ly_A);
          ok = dx * dx + dy * dy >= minD2;
        }
        if (ok || tries > 1000) {
          pos[3 * i] = x;
          pos[3 * i + 1] = y;
          break;
        }
      }
    }
    return { positions: pos, sublattice: Uint8Array.from({ length: n }, (_, i) => i % 2) };
  }
  const all = grapheneSupercell(cell, s.bond_A);
  const order = rng.shuffle(Int32Array.from({ length: cell.atoms }, (_, i) => i));
  const keep = Array.from(order.subarray(remove)).sort((a, b) => a - b);
  const pos = new Float64Array(3 * n);
  keep.forEach((atom, k) => pos.set(all.subarray(3 * atom, 3 * atom + 3), 3 * k));
  return { positions: pos, sublattice: Uint8Array.from(keep, (atom) => atom % 2) };
}

/**
 * Melt-quench: start (graphene with vacancies, or random) → random velocities at T_melt → velocity
 * Verlet, velocities rescaled to the schedule's temperature every few steps (melt, then linear
 * cooling at rate_K_ps) → FIRE relaxation at fixed cell. Flat sheets keep z fixed throughout.
 * The cell is the graphene supercell's (the public quench cells are graphene supercells).
 */
export function generateQuench(options: QuenchOptions, forceField: ForceField, onProgress?: (done: number, total: number) => void): QuenchResult {
  const s = quenchDefaults(options);
  const rng = new Rng(s.seed);
  const cell = nearestGrapheneCell(s.vacancies > 0 ? Math.round(s.atoms / (1 - s.vacancies)) : s.atoms, s.bond_A, s.vacancies > 0 ? s.atoms : 0);
  const { positions, sublattice } = startPositions(s, cell, rng);
  const n = positions.length / 3;
  const numbers = Uint8Array.from(sublattice, (k) => s.sublattices[k]);
  const c_A = s.dimensions === 2 ? 10 : 20;
  if (s.dimensions === 3) for (let i = 0; i < n; i++) positions[3 * i + 2] = s.zNoise_A * rng.normal();
  const system: AtomicSystem = { positions, numbers, cell: Float64Array.of(cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, c_A), pbc: [true, true, false] };
  const mass = Float64Array.from(numbers, (z) => MASSES_AMU[z]);
  const dims = s.dimensions;
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) v[3 * i + d] = rng.normal();
  const { meltSteps, coolSteps, temperatureAt } = quenchSchedule(s);
  const total = meltSteps + coolSteps;
  const rescale = (target: number): void => {
    const p = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) p[d] += v[3 * i + d] / n;
    let ke2 = 0;
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dims; d++) {
        v[3 * i + d] -= p[d];
        ke2 += mass[i] * v[3 * i + d] * v[3 * i + d];
      }
    }
    // ke2/ACCEL = 2 KE in eV; T = 2 KE / (N_f k_B)
    const dof = dims * n - dims;
    const t = ke2 / ACCEL / (dof * KB_EV_K);
    const f = t > 0 ? Math.sqrt(target / t) : 0;
    for (let k = 0; k < v.length; k++) v[k] *= f;
  };
  rescale(s.meltTemperature_K);
  const dt = s.timestep_fs;
  let f = forceField.compute(system).forces_eV_A;
  for (let step = 0; step < total; step++) {
    if (step % 200 === 0) onProgress?.(step, total);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dims; d++) {
        const k = 3 * i + d;
        v[k] += (0.5 * dt * f[k] * ACCEL) / mass[i];
        positions[k] += dt * v[k];
      }
    }
    f = forceField.compute(system).forces_eV_A;
    for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) v[3 * i + d] += (0.5 * dt * f[3 * i + d] * ACCEL) / mass[i];
    if ((step + 1) % s.rescaleEvery === 0) rescale(temperatureAt(step + 1));
  }
  onProgress?.(total, total);
  const free = new Int32Array(dims * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) free[dims * i + d] = 3 * i + d;
  const relaxed = fire(positions, free, (g) => {
    const r = forceField.compute(system);
    for (let k = 0; k < g.length; k++) g[k] = -r.forces_eV_A[k];
    return r.energy_eV;
  }, { fmax_eV_A: s.fmax_eV_A, maxSteps: 5000, dt: 0.5, dtMax: 2, maxMove_A: 0.1 });
  // into the public files' frame: wrapped in x, y; sheet centred at c/2
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += positions[3 * i + 2] / n;
  wrapInPlane(positions, cell.lx_A, cell.ly_A);
  for (let i = 0; i < n; i++) positions[3 * i + 2] += c_A / 2 - zMean;
  const atoms = new Atoms({ positions, numbers: system.numbers, cell: system.cell, pbc: [true, true, true], info: { comment: `N=${n}, method=quench, rate_K_ps=${s.rate_K_ps}, seed=${s.seed}` } });
  return { atoms, cell, steps: total, energy_eV: relaxed.energy_eV, relaxSteps: relaxed.steps, relaxConverged: relaxed.converged, settings: s };
}
