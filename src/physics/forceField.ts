import type { Mat3 } from '../structure/cell.js';
import type { Pbc } from '../structure/atoms.js';

/**
 * What a force field reads each step. `Atoms` satisfies it structurally; MD and relaxation mutate
 * `positions` (and, for cell relaxation, `cell`) in place instead of building new objects per step.
 */
export interface AtomicSystem {
  /** Cartesian positions in Å, x0 y0 z0 x1 y1 z1 … */
  readonly positions: Float64Array;
  /** Atomic numbers. */
  readonly numbers: Uint8Array;
  /** Rows a, b, c in Å. */
  readonly cell: Mat3;
  readonly pbc: Pbc;
}

/** Which optional per-atom quantities a caller needs (they cost time, so they are asked for). */
export interface ForceRequest {
  /** Per-atom energies e_i with Σ e_i = energy_eV. */
  energies?: boolean;
  /**
   * Per-atom virial tensors W_i (9 numbers per atom, row-major, full non-symmetric tensor) in the
   * centroid form of LAMMPS' `compute centroid/stress/atom`, in eV with Σ_i W_i = the total virial
   * Σ r ⊗ f (LAMMPS' per-atom "stress" is −W_i in bar·Å³: S_i = −1.6021765e6 · W_i). Used for the
   * heat current J = Σ_i e_i v_i + Σ_i W_i · v_i of many-body potentials (Fan et al., PRB 92,
   * 094301, 2015), which equals LAMMPS' `compute heat/flux` (tested in test/physics).
   */
  virials?: boolean;
}

export interface ForceResult {
  energy_eV: number;
  /** 3 per atom, eV/Å. */
  forces_eV_A: Float64Array;
  /**
   * Total virial W = Σ_pairs r_ij ⊗ f_ij as a row-major 3×3 (eV). ASE's stress (eV/Å³) is
   * −W / V (symmetrised), Voigt order xx yy zz yz xz xy.
   */
  virial_eV: Float64Array;
  /** Present when asked for: see ForceRequest. */
  energies_eV?: Float64Array;
  virials_eV?: Float64Array;
}

/**
 * A classical potential: the hot, synchronous interface MD, relaxation and phonons call every step.
 * Calculators (the slower, asynchronous property interface) wrap it.
 */
/** A force field that fills caller-owned arrays (zeroed by it) and returns the energy in eV. */
export type ComputeInto = (system: AtomicSystem, forces: Float64Array, virial: Float64Array, energies?: Float64Array, virials?: Float64Array) => number;

/** `compute` of a field that has a `computeInto`: fresh arrays for what the request asks, one ForceResult. */
export function computeFresh(computeInto: ComputeInto, system: AtomicSystem, request: ForceRequest = {}): ForceResult {
  const n = system.numbers.length;
  const forces = new Float64Array(3 * n);
  const energies = request.energies ? new Float64Array(n) : undefined;
  const virials = request.virials ? new Float64Array(9 * n) : undefined;
  const virial = new Float64Array(9);
  const energy = computeInto(system, forces, virial, energies, virials);
  const result: ForceResult = { energy_eV: energy, forces_eV_A: forces, virial_eV: virial };
  if (energies) result.energies_eV = energies;
  if (virials) result.virials_eV = virials;
  return result;
}

/** Where a bond-order potential switches a pair of elements off: f_c goes from 1 at inner_A to 0 at outer_A. */
export interface SwitchingShell {
  elements: [string, string];
  inner_A: number;
  outer_A: number;
}

export interface ForceField {
  /** Short name for provenance, e.g. "tersoff:lindsay-broido-2010". */
  readonly name: string;
  /** Interaction range in Å (neighbour lists use cutoff + skin). */
  readonly cutoff_A: number;
  /** Per element pair, the cut-off's switching shell (Tersoff-like potentials; see phonons/switchingShell.ts). */
  readonly switchingShells?: readonly SwitchingShell[];
  compute(system: AtomicSystem, request?: ForceRequest): ForceResult;
}
