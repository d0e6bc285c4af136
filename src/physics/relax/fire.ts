import { Atoms } from '../../structure/atoms.js';
import { determinant, inverse } from '../../structure/cell.js';
import { ConvergenceError, InputError } from '../../errors.js';
import type { ForceField } from '../forceField.js';

/**
 * FIRE, the fast inertial relaxation engine (Bitzek, Bitzek, Gumbsch, Moseler & Koskinen,
 * PRL 97, 170201, 2006), in ASE's form (ase/optimize/fire.py): unit masses, velocity mixed toward
 * the force direction while the power F·v stays positive, time step grown after `nMin` good steps
 * and cut (velocities zeroed) on the first uphill one, and the whole step's length capped.
 *
 * With `relaxCell` the in-plane lattice vectors a and b move too, c stays fixed: the degrees of
 * freedom are those of ASE's UnitCellFilter with mask [xx, yy, xy] — positions in the undeformed
 * frame u = F⁻¹ r and the deformation gradient F (C = C₀ Fᵀ) scaled by cellFactor (default
 * min(N, max(10, √N)); ASE's N), driven by the virial W F⁻ᵀ / cellFactor (W = −V σ). Converged
 * when every atomic force and every in-plane generalised cell force is below fmax.
 */

export interface FireOptions {
  /** Convergence: largest atomic force norm (and in-plane cell force), eV/Å. */
  fmax_eV_A?: number;
  maxSteps?: number;
  /** Also relax a and b in-plane (c fixed). */
  relaxCell?: boolean;
  /** 'free' (default): a and b may shear; 'orthorhombic': only stretches along x and y (an orthorhombic cell stays so). */
  cellShape?: 'free' | 'orthorhombic';
  /** Scale of the cell degrees of freedom (ASE's cell_factor); default min(N, max(10, √N)) for N atoms (ASE: N). */
  cellFactor?: number;
  /** Initial and largest time step (ASE units: Å, eV, unit mass). */
  dt?: number;
  dtMax?: number;
  /** Largest step length of the whole configuration vector, Å. */
  maxStep_A?: number;
  /** 'ase' (default): ASE's FIRE; 'fire2': FIRE 2.0 (half-step back on uphill steps, dt ≥ dtMin). */
  variant?: 'ase' | 'fire2';
  /** Smallest time step of FIRE 2.0 (default dt/50). */
  dtMin?: number;
  /** At maxSteps without convergence: throw a ConvergenceError (default), or return the last state with `converged: false`. */
  onMaxSteps?: 'throw' | 'return';
  /** Called every step (for progress). */
  onStep?: (step: number, fmax_eV_A: number, energy_eV: number) => void;
}

export interface RelaxRecord {
  steps: number;
  /** false only with onMaxSteps 'return' when maxSteps ran out. */
  converged: boolean;
  fmax_eV_A: number;
  energy_eV: number;
  relaxCell: boolean;
  settings: { variant: 'ase' | 'fire2'; fmax_eV_A: number; maxSteps: number; dtMin?: number; dt: number; dtMax: number; maxStep_A: number; cellFactor?: number; cellShape?: 'free' | 'orthorhombic' };
}

export interface RelaxResult {
  atoms: Atoms;
  record: RelaxRecord;
}

const N_MIN = 5;
const F_INC = 1.1;
const F_DEC = 0.5;
const A_START = 0.1;
const F_A = 0.99;
const A_START_2 = 0.25;

/** In-plane strain components that move (row-major indices of the 3×3): xx, xy, yx, yy. */
const CELL_MASK = [1, 1, 0, 1, 1, 0, 0, 0, 0];
/** Only xx and yy: an orthorhombic cell stays orthorhombic. */
const CELL_MASK_ORTHORHOMBIC = [1, 0, 0, 0, 1, 0, 0, 0, 0];

/** Relax `atoms` (not modified) under `forceField`; throws ConvergenceError after maxSteps. */
export function relaxFire(atoms: Atoms, forceField: ForceField, options: FireOptions = {}): RelaxResult {
  const fmax = options.fmax_eV_A ?? 0.05;
  const maxSteps = options.maxSteps ?? 10000;
  const relaxCell = options.relaxCell ?? false;
  const cellShape = options.cellShape ?? 'free';
  if (cellShape !== 'free' && cellShape !== 'orthorhombic') throw new InputError(`cell shape "${String(cellShape)}"; expected "free" or "orthorhombic"`);
  const cellMask = cellShape === 'orthorhombic' ? CELL_MASK_ORTHORHOMBIC : CELL_MASK;
  const dtMax = options.dtMax ?? 1.0;
  let dt = options.dt ?? 0.1;
  const maxStep = options.maxStep_A ?? 0.2;
  const variant = options.variant ?? 'ase';
  const dtMin = options.dtMin ?? dt / 50;
  if (variant !== 'ase' && variant !== 'fire2') throw new InputError(`FIRE variant "${variant}"; expected "ase" or "fire2"`);
  const n = atoms.length;
  // ASE's N up to 10 atoms, then √N (at least 10): the cell coordinate's stiffness goes as
  // N/cellFactor², so with N it is N times softer than an atom's and FIRE crawls (an 800-atom sheet:
  // 92 647 steps with N, 1071 with √N, same cell to 1e-3 Å). Not below that: a step of the cell
  // coordinate is a strain of maxStep/cellFactor, and too large strains jump to another minimum.
  const cellFactor = options.cellFactor ?? Math.max(1, Math.min(n, Math.max(10, Math.sqrt(n))));
  if (!(fmax > 0)) throw new InputError(`fmax must be > 0 eV/Å, got ${fmax}`);
  if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new InputError(`maxSteps must be an integer ≥ 0, got ${maxSteps}`);
  if (!(dt > 0) || !(dtMax >= dt)) throw new InputError(`FIRE time steps need 0 < dt ≤ dtMax, got dt = ${dt}, dtMax = ${dtMax}`);
  if (!(maxStep > 0)) throw new InputError(`maxStep must be > 0 Å, got ${maxStep}`);
  if (relaxCell && !(atoms.pbc[0] && atoms.pbc[1] && Math.abs(determinant(atoms.cell)) > 1e-9)) {
    throw new InputError('cell relaxation needs a 3D cell periodic along a and b');
  }

  const system = { positions: Float64Array.from(atoms.positions), numbers: atoms.numbers, cell: Float64Array.from(atoms.cell), pbc: atoms.pbc };
  const cell0 = Float64Array.from(atoms.cell);
  // Configuration vector: 3N positions (undeformed frame when the cell moves), then 9 for cellFactor·F.
  const dof = 3 * n + (relaxCell ? 9 : 0);
  const x = new Float64Array(dof);
  const v = new Float64Array(dof);
  const g = new Float64Array(dof);
  x.set(system.positions);
  const deform = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  if (relaxCell) for (let k = 0; k < 9; k++) x[3 * n + k] = cellFactor * deform[k];

  /** Evaluate at x: sets system, fills g with generalised forces, returns energy and fmax. */
  const evaluate = (): { energy: number; fmax: number } => {
    if (relaxCell) {
      for (let k = 0; k < 9; k++) deform[k] = x[3 * n + k] / cellFactor;
      // C = C₀ Fᵀ, r = F u.
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          system.cell[3 * r + c] = cell0[3 * r] * deform[3 * c] + cell0[3 * r + 1] * deform[3 * c + 1] + cell0[3 * r + 2] * deform[3 * c + 2];
        }
      }
      for (let i = 0; i < n; i++) {
        const u0 = x[3 * i];
        const u1 = x[3 * i + 1];
        const u2 = x[3 * i + 2];
        for (let c = 0; c < 3; c++) system.positions[3 * i + c] = deform[3 * c] * u0 + deform[3 * c + 1] * u1 + deform[3 * c + 2] * u2;
      }
    } else {
      system.positions.set(x.subarray(0, 3 * n));
    }
    const result = forceField.compute(system);
    const f = result.forces_eV_A;
    let fmax2 = 0;
    for (let i = 0; i < n; i++) {
      const f0 = f[3 * i];
      const f1 = f[3 * i + 1];
      const f2 = f[3 * i + 2];
      fmax2 = Math.max(fmax2, f0 * f0 + f1 * f1 + f2 * f2);
      if (relaxCell) {
        // dE/du = Fᵀ dE/dr.
        for (let c = 0; c < 3; c++) g[3 * i + c] = deform[c] * f0 + deform[3 + c] * f1 + deform[6 + c] * f2;
      } else {
        g[3 * i] = f0;
        g[3 * i + 1] = f1;
        g[3 * i + 2] = f2;
      }
    }
    if (relaxCell) {
      const w = result.virial_eV;
      // In-plane virial, symmetrised (no rigid rotation), masked, then W F⁻ᵀ / cellFactor.
      const wm = new Float64Array(9);
      for (let k = 0; k < 9; k++) wm[k] = cellMask[k] * w[k];
      wm[1] = wm[3] = 0.5 * (wm[1] + wm[3]);
      const finv = inverse(deform);
      for (let r = 0; r < 3; r++) {
        let rowNorm2 = 0;
        for (let c = 0; c < 3; c++) {
          // (W F⁻ᵀ)_rc = Σ_k W_rk (F⁻¹)_ck
          const val = (wm[3 * r] * finv[3 * c] + wm[3 * r + 1] * finv[3 * c + 1] + wm[3 * r + 2] * finv[3 * c + 2]) / cellFactor;
          g[3 * n + 3 * r + c] = cellMask[3 * r + c] * val;
          rowNorm2 += g[3 * n + 3 * r + c] ** 2;
        }
        fmax2 = Math.max(fmax2, rowNorm2);
      }
    }
    return { energy: result.energy_eV, fmax: Math.sqrt(fmax2) };
  };

  let alpha = variant === 'fire2' ? A_START_2 : A_START;
  let positiveSteps = 0;
  let state = evaluate();
  let step = 0;
  options.onStep?.(step, state.fmax, state.energy);
  while (state.fmax >= fmax) {
    if (step >= maxSteps) {
      if (options.onMaxSteps === 'return') break;
      throw new ConvergenceError(`FIRE did not reach fmax ${fmax} eV/Å in ${maxSteps} steps (largest force ${state.fmax.toExponential(3)} eV/Å, energy ${state.energy} eV)`);
    }
    let stepNorm2 = 0;
    if (variant === 'ase') {
      if (step > 0) {
        let power = 0;
        let vNorm2 = 0;
        let gNorm2 = 0;
        for (let k = 0; k < dof; k++) {
          power += g[k] * v[k];
          vNorm2 += v[k] * v[k];
          gNorm2 += g[k] * g[k];
        }
        if (power > 0) {
          const mix = gNorm2 > 0 ? (alpha * Math.sqrt(vNorm2)) / Math.sqrt(gNorm2) : 0;
          for (let k = 0; k < dof; k++) v[k] = (1 - alpha) * v[k] + mix * g[k];
          if (positiveSteps > N_MIN) {
            dt = Math.min(dt * F_INC, dtMax);
            alpha *= F_A;
          }
          positiveSteps++;
        } else {
          v.fill(0);
          alpha = A_START;
          dt *= F_DEC;
          positiveSteps = 0;
        }
      }
      for (let k = 0; k < dof; k++) {
        v[k] += dt * g[k];
        stepNorm2 += (dt * v[k]) ** 2;
      }
    } else {
      // FIRE 2.0 (Guénolé et al., Comput. Mater. Sci. 175, 109584, 2020, Algorithm 2): on an uphill
      // step go back half a step, keep dt ≥ dtMin and leave dt alone during the first N_MIN steps;
      // mix after the semi-implicit Euler velocity update.
      let power = 0;
      for (let k = 0; k < dof; k++) power += g[k] * v[k];
      if (power > 0) {
        positiveSteps++;
        if (positiveSteps > N_MIN) {
          dt = Math.min(dt * F_INC, dtMax);
          alpha *= F_A;
        }
      } else {
        positiveSteps = 0;
        if (step >= N_MIN) {
          if (dt * F_DEC >= dtMin) dt *= F_DEC;
          alpha = A_START_2;
        }
        for (let k = 0; k < dof; k++) x[k] -= 0.5 * dt * v[k];
        v.fill(0);
      }
      let vNorm2 = 0;
      let gNorm2 = 0;
      for (let k = 0; k < dof; k++) {
        v[k] += dt * g[k];
        vNorm2 += v[k] * v[k];
        gNorm2 += g[k] * g[k];
      }
      const mix = gNorm2 > 0 ? (alpha * Math.sqrt(vNorm2)) / Math.sqrt(gNorm2) : 0;
      for (let k = 0; k < dof; k++) {
        v[k] = (1 - alpha) * v[k] + mix * g[k];
        stepNorm2 += (dt * v[k]) ** 2;
      }
    }
    const scale = Math.sqrt(stepNorm2) > maxStep ? maxStep / Math.sqrt(stepNorm2) : 1;
    for (let k = 0; k < dof; k++) x[k] += scale * dt * v[k];
    step++;
    state = evaluate();
    options.onStep?.(step, state.fmax, state.energy);
  }
  const relaxed = new Atoms({ positions: system.positions, numbers: atoms.numbers, cell: system.cell, pbc: atoms.pbc, info: atoms.info });
  return {
    atoms: relaxed,
    record: {
      steps: step,
      converged: state.fmax < fmax,
      fmax_eV_A: state.fmax,
      energy_eV: state.energy,
      relaxCell,
      settings: { variant, fmax_eV_A: fmax, maxSteps, dt: options.dt ?? 0.1, dtMax, maxStep_A: maxStep, ...(variant === 'fire2' ? { dtMin } : {}), ...(relaxCell ? { cellFactor, cellShape } : {}) },
    },
  };
}
