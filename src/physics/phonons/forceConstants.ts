import { InputError } from '../../errors.js';
import { neighborList } from '../../structure/neighbors.js';
import type { AtomicSystem, ForceField } from '../forceField.js';

/**
 * Γ-point force constants Φ_(ia),(jb) = ∂²E/∂r_ia∂r_jb of a periodic cell by central differences of
 * the forces: Φ_(ia),(jb) = −[F_jb(r_ia + δ) − F_jb(r_ia − δ)] / 2δ, then symmetrised (Φ + Φᵀ)/2.
 *
 * The displacement δ (default 1e-3 Å) must stay well inside the gaps between the structure's bond
 * lengths and the potential's switching zone: public AMC cells have bonds within thousandths of an
 * Å of the Tersoff cut-off, where a step larger than that gap crosses the kink of the cut-off
 * function and the difference quotient is no longer the Hessian. Use δ ≤ 0.002 Å there; smaller δ
 * trades that error for round-off (≈ ε·|F|/δ).
 *
 * `method: 'cluster'` (default) evaluates each displaced pair of force calls on a non-periodic
 * cluster, the images of all atoms within 4 cut-offs of the displaced atom, instead of the whole
 * cell: the force on an atom of a pair, three-body or bond-order potential (Tersoff) depends only on
 * atoms within 2 cut-offs of it, so the forces that change — on atoms within 2 cut-offs of the
 * displaced one — are exact in the cluster. Periodic images of one atom in the cluster add up, as
 * the Γ-point force constants do. `method: 'full'` displaces in the whole cell (any force field).
 */

export type ForceConstantMethod = 'cluster' | 'full';

export interface ForceConstantOptions {
  /** Finite-difference step, Å. */
  displacement_A?: number;
  method?: ForceConstantMethod;
  /** Range of a force's dependence on positions, Å (default 2 × the force field's cut-off). */
  forceRange_A?: number;
  /** Called after each displaced atom with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_DISPLACEMENT_A = 1e-3;

/** 3N×3N row-major force constants in eV/Å² (symmetric). */
export function forceConstants(system: AtomicSystem, forceField: ForceField, options: ForceConstantOptions = {}): Float64Array {
  const delta = options.displacement_A ?? DEFAULT_DISPLACEMENT_A;
  const method = options.method ?? 'cluster';
  if (!(delta > 0) || !Number.isFinite(delta)) throw new InputError(`finite-difference displacement must be > 0 Å, got ${delta}`);
  if (method !== 'cluster' && method !== 'full') throw new InputError(`force-constant method "${method}"; expected "cluster" or "full"`);
  const n = system.positions.length / 3;
  const dim = 3 * n;
  const phi = new Float64Array(dim * dim);
  if (method === 'full') fullDifferences(system, forceField, delta, phi, options.onProgress);
  else clusterDifferences(system, forceField, delta, options.forceRange_A ?? 2 * forceField.cutoff_A, phi, options.onProgress);
  symmetrize(phi, dim);
  return phi;
}

function fullDifferences(system: AtomicSystem, forceField: ForceField, delta: number, phi: Float64Array, onProgress?: (done: number, total: number) => void): void {
  const n = system.positions.length / 3;
  const dim = 3 * n;
  const work = { positions: Float64Array.from(system.positions), numbers: system.numbers, cell: system.cell, pbc: system.pbc };
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const row = 3 * i + a;
      const x0 = work.positions[row];
      work.positions[row] = x0 + delta;
      const plus = Float64Array.from(forceField.compute(work).forces_eV_A);
      work.positions[row] = x0 - delta;
      const minus = forceField.compute(work).forces_eV_A;
      work.positions[row] = x0;
      const ro = row * dim;
      for (let k = 0; k < dim; k++) phi[ro + k] = -(plus[k] - minus[k]) / (2 * delta);
    }
    onProgress?.(i + 1, n);
  }
}

function clusterDifferences(
  system: AtomicSystem,
  forceField: ForceField,
  delta: number,
  forceRange: number,
  phi: Float64Array,
  onProgress?: (done: number, total: number) => void,
): void {
  if (!(forceRange > 0) || !Number.isFinite(forceRange)) throw new InputError(`force range must be > 0 Å, got ${forceRange}`);
  const n = system.positions.length / 3;
  const dim = 3 * n;
  // Atoms within 2 ranges of the displaced one see their whole environment of 1 range inside it.
  const radius = 2 * forceRange;
  const list = neighborList(system.positions, system.cell, system.pbc, radius);
  const noCell = new Float64Array(9);
  const open = [false, false, false] as const;
  for (let i = 0; i < n; i++) {
    const first = list.start[i];
    const count = list.start[i + 1] - first;
    const m = count + 1;
    // Cluster atom 0 is i itself; then every image of every atom within the radius.
    const positions = new Float64Array(3 * m);
    const numbers = new Uint8Array(m);
    const original = new Int32Array(m);
    const xi = system.positions[3 * i];
    const yi = system.positions[3 * i + 1];
    const zi = system.positions[3 * i + 2];
    positions[0] = xi;
    positions[1] = yi;
    positions[2] = zi;
    numbers[0] = system.numbers[i];
    original[0] = i;
    for (let k = 0; k < count; k++) {
      const e = first + k;
      const j = list.index[e];
      positions[3 * (k + 1)] = xi + list.vectors[3 * e];
      positions[3 * (k + 1) + 1] = yi + list.vectors[3 * e + 1];
      positions[3 * (k + 1) + 2] = zi + list.vectors[3 * e + 2];
      numbers[k + 1] = system.numbers[j];
      original[k + 1] = j;
    }
    const cluster = { positions, numbers, cell: noCell, pbc: open };
    for (let a = 0; a < 3; a++) {
      const row = 3 * i + a;
      positions[a] = (a === 0 ? xi : a === 1 ? yi : zi) + delta;
      const plus = Float64Array.from(forceField.compute(cluster).forces_eV_A);
      positions[a] = (a === 0 ? xi : a === 1 ? yi : zi) - delta;
      const minus = forceField.compute(cluster).forces_eV_A;
      positions[a] = a === 0 ? xi : a === 1 ? yi : zi;
      const ro = row * dim;
      for (let c = 0; c < m; c++) {
        const jo = 3 * original[c];
        for (let b = 0; b < 3; b++) phi[ro + jo + b] -= (plus[3 * c + b] - minus[3 * c + b]) / (2 * delta);
      }
    }
    onProgress?.(i + 1, n);
  }
}

/** Φ ← (Φ + Φᵀ)/2 in place. */
export function symmetrize(phi: Float64Array, dim: number): void {
  for (let r = 0; r < dim; r++) {
    for (let c = r + 1; c < dim; c++) {
      const s = 0.5 * (phi[r * dim + c] + phi[c * dim + r]);
      phi[r * dim + c] = s;
      phi[c * dim + r] = s;
    }
  }
}
