import { InputError } from '../../errors.js';
import { MASSES_AMU } from '../../structure/elements.js';
import { symmetricEigenvalues } from '../../linalg/symmetricEigen.js';
import type { AtomicSystem, ForceField } from '../forceField.js';
import { forceConstants, type ForceConstantOptions } from './forceConstants.js';

/**
 * Harmonic frequencies at Γ: eigenvalues λ of the mass-weighted force constants
 * D_(ia),(jb) = Φ_(ia),(jb) / √(m_i m_j) in eV/(Å²·amu); ω = √λ, f = ω/2π.
 *
 * √(eV/(Å²·amu)) = √(1.602176634e-19 J / (1e-20 m² · 1.66053906660e-27 kg)) = 9.822694e13 rad/s,
 * so f[THz] = 15.633304 · √λ (phonopy's VaspToTHz, 15.633302, rests on older constants: 1.3e-7
 * apart). Negative λ (unstable modes) give −15.633304 · √|λ|, as phonopy reports imaginary modes.
 */
const EV_J = 1.602176634e-19;
const AMU_KG = 1.6605390666e-27;
const ANGSTROM_M = 1e-10;
export const THZ_PER_SQRT_EV_A2_AMU = Math.sqrt(EV_J / (ANGSTROM_M * ANGSTROM_M * AMU_KG)) / (2 * Math.PI) / 1e12;

/** D = Φ / √(m_i m_j), a new array. */
export function dynamicalMatrix(phi: Float64Array, numbers: ArrayLike<number>): Float64Array {
  const n = numbers.length;
  const dim = 3 * n;
  if (phi.length !== dim * dim) throw new InputError(`force constants have ${phi.length} elements; expected (3·${n})² = ${dim * dim}`);
  const invSqrtMass = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const m = MASSES_AMU[numbers[i]];
    if (!(m > 0)) throw new InputError(`atom ${i + 1}: atomic number ${numbers[i]} has no standard mass`);
    invSqrtMass[3 * i] = invSqrtMass[3 * i + 1] = invSqrtMass[3 * i + 2] = 1 / Math.sqrt(m);
  }
  const d = new Float64Array(dim * dim);
  for (let r = 0; r < dim; r++) {
    const sr = invSqrtMass[r];
    const ro = r * dim;
    for (let c = 0; c < dim; c++) d[ro + c] = phi[ro + c] * sr * invSqrtMass[c];
  }
  return d;
}

/** f = sign(λ)·√|λ|·15.633302 THz for eigenvalues λ in eV/(Å²·amu); order kept. */
export function frequenciesFromEigenvalues(lambda: ArrayLike<number>): Float64Array {
  return Float64Array.from(lambda, (l) => Math.sign(l) * Math.sqrt(Math.abs(l)) * THZ_PER_SQRT_EV_A2_AMU);
}

export interface GammaPhonons {
  /** 3N frequencies, ascending, THz (imaginary as negative). */
  frequencies_THz: Float64Array;
  /** Seconds spent on force constants and on the eigenvalues. */
  timing_s: { forceConstants: number; eigenvalues: number };
}

/** Γ-point frequencies of a (relaxed) periodic cell under a force field. */
export function gammaFrequencies(system: AtomicSystem, forceField: ForceField, options: ForceConstantOptions = {}): GammaPhonons {
  const t0 = performance.now();
  const phi = forceConstants(system, forceField, options);
  const t1 = performance.now();
  const lambda = symmetricEigenvalues(dynamicalMatrix(phi, system.numbers), 3 * (system.positions.length / 3));
  const t2 = performance.now();
  return { frequencies_THz: frequenciesFromEigenvalues(lambda), timing_s: { forceConstants: (t1 - t0) / 1000, eigenvalues: (t2 - t1) / 1000 } };
}
