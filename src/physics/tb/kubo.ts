import { embed, type HermitianEigen } from './eigen.js';
import type { ComplexMatrix } from './bloch.js';

import { ELEMENTARY_CHARGE_C, EPSILON0_F_M, HBAR_EV_S as HBAR_EVS } from '../../data/sigmaUnits.js';

/** ħ in eV·s and the elementary charge in C (CODATA 2018, exact in the SI), from the one constants module. */
export { ELEMENTARY_CHARGE_C, EPSILON0_F_M, HBAR_EVS };

/**
 * Kubo–Greenwood conductivity from eigenpairs and velocity matrices (ħv in eV·Å), per k-point,
 * accumulated over k. Spin degeneracy g_s = 2. Three quantities:
 *
 * - optical (interband, as VASP's LOPTICS with a Lorentzian complex shift η, which is what the
 *   release's ε₂ label is): Re σ(ω) = (π e² g_s/(Ω ω)) Σ_k w_k Σ_{a≠b} (f_a − f_b)|v_ab|² L_η(E_b − E_a − ħω);
 * - its ω → 0 limit: (π e² g_s ħ/Ω) Σ (f_a − f_b)|v_ab|² (−L_η′(E_b − E_a)) — finite because the
 *   Lorentzian tails reach ω = 0 (the ε₂ ∝ 1/ω of the labels);
 * - the DC Kubo–Greenwood at E_F with Gaussian δ's, σ = (π ħ e² g_s/Ω) Tr[v δ_σ(E_F − H) v δ_σ(E_F − H)],
 *   intraband terms included: the quantity a Chebyshev (KPM) expansion computes.
 *
 * In the real embedding of a complex H every complex level is a pair (x_m, y_m) and
 * Σ_{pairs of the pairs} (xᵀR(V)y)² = 2|c_m†Vc_n|², so embedded sums are halved.
 */
export interface KuboSettings {
  /** ħω of the optical value, eV (the label's ħω₁ = 0.0169 eV). */
  omega_eV: number;
  /** Lorentzian half width η, eV. */
  eta_eV: number;
  /** Electronic temperature k_BT of the occupations (Fermi–Dirac), eV; 0 = step. */
  kT_eV: number;
  /** Gaussian σ of the DC Tr[vδvδ] form, eV. */
  dcSigma_eV: number;
  /** Only levels within E_F ± window enter the sums (Lorentzian tails beyond add < 1e−3 relative). */
  window_eV: number;
}

export class KuboAccumulator {
  /** [xx, yy] sums in eV⁻²·(eV·Å)², before the common prefactor. */
  private readonly optical = [0, 0];
  private readonly dc = [0, 0];
  private readonly gaussian = [0, 0];
  constructor(readonly settings: KuboSettings, readonly fermi_eV: number) {}

  add(eigen: HermitianEigen, velocities: readonly [ComplexMatrix, ComplexMatrix], kWeight: number): void {
    const { values, vectors, dim } = eigen;
    if (vectors === undefined) throw new RangeError('Kubo–Greenwood needs eigenvectors');
    const s = this.settings;
    const chosen: number[] = [];
    for (let a = 0; a < dim; a++) if (Math.abs(values[a] - this.fermi_eV) < s.window_eV) chosen.push(a);
    const m = chosen.length;
    if (m === 0) return;
    const x = new Float64Array(dim * m);
    for (let r = 0; r < dim; r++) for (let c = 0; c < m; c++) x[r * m + c] = vectors[r * dim + chosen[c]];
    const e = Float64Array.from(chosen, (a) => values[a]);
    const f = Float64Array.from(e, (v) => occupation(v, this.fermi_eV, s.kT_eV));
    const g = Float64Array.from(e, (v) => gaussian(this.fermi_eV - v, s.dcSigma_eV));
    const weight = kWeight * (eigen.embedded ? 0.5 : 1);
    const squared = new Float64Array(m * m);
    for (let axis = 0; axis < 2; axis++) {
      squared.fill(0);
      const v = velocities[axis];
      if (eigen.embedded) addSquared(projected(embed(v), x, dim, m), squared);
      else {
        addSquared(projected(v.re, x, dim, m), squared);
        addSquared(projected(v.im, x, dim, m), squared);
      }
      let optical = 0;
      let dc = 0;
      let gauss = 0;
      const w = s.omega_eV;
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++) {
          const m2 = squared[a * m + b];
          gauss += m2 * g[a] * g[b];
          if (a === b) continue;
          const df = f[a] - f[b];
          if (df === 0) continue;
          const delta = e[b] - e[a];
          optical += (df * m2 * lorentzian(delta - w, s.eta_eV)) / w;
          dc += df * m2 * -lorentzianSlope(delta, s.eta_eV);
        }
      this.optical[axis] += weight * optical;
      this.dc[axis] += weight * dc;
      this.gaussian[axis] += weight * gauss;
    }
  }

  /** Conductivities in S/m over the cell volume Ω (Å³). */
  result(volume_A3: number): { optical_S_m: [number, number]; dc_S_m: [number, number]; dcGaussian_S_m: [number, number] } {
    const c = kuboPrefactor(volume_A3);
    return {
      optical_S_m: [c * this.optical[0], c * this.optical[1]],
      dc_S_m: [c * this.dc[0], c * this.dc[1]],
      dcGaussian_S_m: [c * this.gaussian[0], c * this.gaussian[1]],
    };
  }
}

/**
 * π e g_s·10¹⁰/(Ω ħ) with Ω in Å³ and ħ in eV·s: turns Σ (ħv in eV·Å)² × (1/eV²) into S/m
 * (e² from the current, 10⁻²⁰ from Å², 10³⁰ from Å³, one e from J → eV in the δ function).
 */
export function kuboPrefactor(volume_A3: number): number {
  return (Math.PI * ELEMENTARY_CHARGE_C * 2 * 1e10) / (volume_A3 * HBAR_EVS);
}

export function occupation(e: number, fermi: number, kT: number): number {
  if (kT <= 0) return e < fermi ? 1 : e > fermi ? 0 : 0.5;
  const x = (e - fermi) / kT;
  return x > 40 ? 0 : x < -40 ? 1 : 1 / (1 + Math.exp(x));
}

export function lorentzian(x: number, eta: number): number {
  return eta / (Math.PI * (x * x + eta * eta));
}

function lorentzianSlope(x: number, eta: number): number {
  const d = x * x + eta * eta;
  return (-2 * eta * x) / (Math.PI * d * d);
}

function gaussian(x: number, sigma: number): number {
  return Math.exp((-0.5 * x * x) / (sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
}

/** Xᵀ A X for A dim×dim and X dim×m (row-major), m×m out. */
function projected(a: Float64Array, x: Float64Array, dim: number, m: number): Float64Array {
  const ax = new Float64Array(dim * m);
  for (let i = 0; i < dim; i++) {
    const row = i * m;
    for (let k = 0; k < dim; k++) {
      const v = a[i * dim + k];
      if (v === 0) continue;
      const from = k * m;
      for (let c = 0; c < m; c++) ax[row + c] += v * x[from + c];
    }
  }
  const out = new Float64Array(m * m);
  for (let i = 0; i < dim; i++) {
    const row = i * m;
    for (let a2 = 0; a2 < m; a2++) {
      const v = x[row + a2];
      if (v === 0) continue;
      const to = a2 * m;
      for (let c = 0; c < m; c++) out[to + c] += v * ax[row + c];
    }
  }
  return out;
}

function addSquared(w: Float64Array, into: Float64Array): void {
  for (let k = 0; k < w.length; k++) into[k] += w[k] * w[k];
}

/** σ (S/m) → the release's label ε₂ = σ/(ε₀ω) at ħω (eV). */
export function sigmaToLabel(sigma_S_m: number, omega_eV: number): number {
  return sigma_S_m / (EPSILON0_F_M * (omega_eV / HBAR_EVS));
}
