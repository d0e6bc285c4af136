import { InputError } from '../../errors.js';
import { KB_EV_K, W_MK_PER_EV_A_FS_K } from '../md/units.js';

/**
 * Autocorrelation C(k) = ⟨x(t) x(t + k)⟩ averaged over all N − k time origins, k = 0 … maxLag − 1.
 * Direct sum, O(N · maxLag): exact and simple; fine for the 10⁴–10⁶ samples × 10³ lags used here.
 */
export function autocorrelation(x: Float64Array, maxLag: number, out: Float64Array = new Float64Array(maxLag)): Float64Array {
  const n = x.length;
  if (!Number.isInteger(maxLag) || maxLag < 1 || maxLag > n) throw new InputError(`correlation length must be 1…${n} samples, got ${maxLag}`);
  for (let k = 0; k < maxLag; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += x[t] * x[t + k];
    out[k] = s / (n - k);
  }
  return out;
}

/** Running trapezoid integral I(k) = ∫₀^{k·dt} C, I(0) = 0. */
export function runningIntegral(c: Float64Array, dt: number): Float64Array {
  const out = new Float64Array(c.length);
  for (let k = 1; k < c.length; k++) out[k] = out[k - 1] + 0.5 * dt * (c[k - 1] + c[k]);
  return out;
}

/**
 * Running Green–Kubo conductivity κ(t) = 1/(V k_B T²) ∫₀ᵗ ⟨J(0) J(t')⟩ dt' in W/(m·K), for J the
 * volume-integrated heat current (eV·Å/fs) sampled every `sample_fs`, V in Å³.
 */
export function greenKuboRunning(j: Float64Array, sample_fs: number, maxLag: number, volume_A3: number, temperature_K: number): Float64Array {
  return kappaFromAutocorrelation(autocorrelation(j, maxLag), sample_fs, volume_A3, temperature_K);
}

/** κ(t) in W/(m·K) from ⟨J(0)J(t)⟩ in (eV·Å/fs)² on a grid of `sample_fs`. */
export function kappaFromAutocorrelation(acf: Float64Array, sample_fs: number, volume_A3: number, temperature_K: number): Float64Array {
  const integral = runningIntegral(acf, sample_fs);
  const f = W_MK_PER_EV_A_FS_K / (volume_A3 * KB_EV_K * temperature_K * temperature_K);
  for (let k = 0; k < integral.length; k++) integral[k] *= f;
  return integral;
}

/**
 * The plateau rule: the mean of the running integral over the window [t1, t2] (both inclusive on
 * the sample grid).
 */
export function plateauMean(running: Float64Array, sample_fs: number, window_fs: readonly [number, number]): number {
  const [t1, t2] = window_fs;
  const k1 = Math.ceil(t1 / sample_fs - 1e-9);
  const k2 = Math.min(running.length - 1, Math.floor(t2 / sample_fs + 1e-9));
  if (!(t1 >= 0 && t2 > t1) || k1 > k2) throw new InputError(`plateau window [${t1}, ${t2}] fs holds no sample of the ${running.length} (every ${sample_fs} fs)`);
  let s = 0;
  for (let k = k1; k <= k2; k++) s += running[k];
  return s / (k2 - k1 + 1);
}

/** Mean and standard error of the mean (NaN with fewer than two values). */
export function meanStderr(values: readonly number[]): { mean: number; stderr: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, stderr: NaN };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(variance / n) };
}
