import type { Atoms } from '../structure/atoms.js';
import { InputError } from '../errors.js';

/**
 * The label contract, after ASE's calculators: a calculator declares the properties it implements,
 * computes those asked for on one structure and returns them in named units, with the engine and its
 * settings as provenance. Built-in engines (Tersoff, tight binding), external codes (LAMMPS, GPAW,
 * VASP, Quantum ESPRESSO) and parsers of files a code already wrote all sit behind it.
 */

/** Every property a calculator can return; each key carries its unit in the name. */
export interface Properties {
  energy_eV: number;
  /** 3 per atom. */
  forces_eV_A: Float64Array;
  /** ASE convention (positive = tensile), Voigt order xx yy zz yz xz xy. */
  stress_eV_A3: Float64Array;
  /** Harmonic eigenfrequencies (3N, ascending; imaginary modes as negative numbers, as phonopy). */
  frequencies_THz: Float64Array;
  /** Phonon DoS on its own axis (bin centres). */
  ph_dos: { frequency_THz: Float64Array; dos: Float64Array };
  /** Electronic DoS per atom against E − E_F. */
  el_dos: { energy_eV: Float64Array; dos: Float64Array };
  /** The release's σ label: ε₂ at ħω₁ = 0.0169 eV (dimensionless, over the cell incl. vacuum). */
  sigma_label: { xx: number; yy: number };
  /** Conductivity over the cell volume, S/m. */
  sigma_S_m: { xx: number; yy: number };
  /** Sheet conductance σ·c, S. */
  sheet_conductance_S: { xx: number; yy: number };
  /** Lattice thermal conductivity with the stated thickness convention. */
  kappa_W_mK: { xx: number; yy: number; mean: number };
}

export type PropertyName = keyof Properties;

export interface Provenance {
  /** Engine name, e.g. "builtin-tersoff", "lammps", "vasp-files", "gpaw". */
  engine: string;
  /** Engine version when known (program version or spramnet's). */
  version?: string;
  /** Everything that changes the numbers: potential, parameters, k-points, broadening, seeds… */
  settings: Record<string, unknown>;
}

export interface CalculationResult {
  properties: Partial<Properties>;
  provenance: Provenance;
  /** Side information worth keeping (standard errors, warnings, timings); free-form, JSON-safe. */
  extra?: Record<string, unknown>;
  /**
   * The structure the properties belong to, when the calculation moved the atoms (a relaxation before
   * phonons): a label is kept with these positions, not with the input's.
   */
  atoms?: Atoms;
}

export interface CalculateOptions {
  /** Called with a fraction in [0, 1] on long calculations. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface Calculator {
  readonly name: string;
  readonly implementedProperties: readonly PropertyName[];
  calculate(atoms: Atoms, properties: readonly PropertyName[], options?: CalculateOptions): Promise<CalculationResult>;
}

/** Refuses, in words, properties a calculator does not implement (ASE raises PropertyNotImplementedError). */
export function checkImplemented(calculator: Calculator, properties: readonly PropertyName[]): void {
  const missing = properties.filter((p) => !calculator.implementedProperties.includes(p));
  if (missing.length > 0) {
    throw new InputError(
      `calculator ${calculator.name} does not compute ${missing.join(', ')} (it computes ${calculator.implementedProperties.join(', ')})`,
    );
  }
}
