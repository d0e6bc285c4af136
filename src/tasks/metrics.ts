/** The evaluation metrics of data.md, one function each. */

/** Mean squared error over all points of all spectra. */
export function spectraMse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < truth.length; k++) s += (pred[k] - truth[k]) ** 2;
  return s / truth.length;
}

/** Each spectrum of `width` values divided by its sum (ph-DoS predictions are scored so). */
export function normaliseRows(values: ArrayLike<number>, width: number): Float64Array {
  const out = Float64Array.from(values);
  for (let r = 0; r < out.length / width; r++) {
    let s = 0;
    for (let k = 0; k < width; k++) s += out[r * width + k];
    if (s !== 0) for (let k = 0; k < width; k++) out[r * width + k] /= s;
  }
  return out;
}

export interface ScalarMetrics {
  rmse: number;
  r2: number;
  /** Share with |pred − true| / |true| < 25 %. */
  within25: number;
  medianRelativeError: number;
}

export function scalarMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>): ScalarMetrics {
  const n = truth.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += truth[k] / n;
  let se = 0;
  let ss = 0;
  let within = 0;
  const rel: number[] = [];
  for (let k = 0; k < n; k++) {
    se += (pred[k] - truth[k]) ** 2;
    ss += (truth[k] - mean) ** 2;
    const r = Math.abs(pred[k] - truth[k]) / Math.abs(truth[k]);
    rel.push(r);
    if (r < 0.25) within++;
  }
  rel.sort((a, b) => a - b);
  return { rmse: Math.sqrt(se / n), r2: 1 - se / ss, within25: within / n, medianRelativeError: rel[Math.floor(n / 2)] ?? NaN };
}

/** κ: mean |log10 κ_pred − log10 κ| from log10 values, and the share within a factor 2. */
export function log10Metrics(predLog10: ArrayLike<number>, truthLog10: ArrayLike<number>): { log10Mae: number; withinFactor2: number } {
  let s = 0;
  let within = 0;
  for (let k = 0; k < truthLog10.length; k++) {
    const d = Math.abs(predLog10[k] - truthLog10[k]);
    s += d;
    if (d < Math.log10(2)) within++;
  }
  return { log10Mae: s / truthLog10.length, withinFactor2: within / truthLog10.length };
}
