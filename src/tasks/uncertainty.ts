/**
 * 90 % prediction intervals by normalised split conformal prediction (Lei et al., JASA 113, 1094,
 * 2018; Papadopoulos et al. 2002): on rows no member was fitted on (the inner hold-out), the
 * residual of the ensemble mean is divided by a per-row difficulty — the spread of the members'
 * predictions plus a floor — and the ⌈(n + 1)·level⌉-th smallest ratio q per output gives the
 * interval ŷ ± q·(spread + floor) for a new row. With one member the spread is 0 and the interval
 * is the plain conformal ŷ ± q·floor. Everything is in the task's fit space (κ: log10).
 */
export interface ConformalCalibration {
  method: 'normalised split conformal on the inner hold-out';
  level: number;
  /** Per output: the conformal quantile of |y − ŷ| / (spread + floor). */
  quantile: number[];
  /** Per output: the floor added to the spread (the hold-out's median spread, or its median |residual| when every spread is 0). */
  floor: number[];
  rows: number;
}

/** Weighted mean and weighted standard deviation of member predictions (rows × outputs each). */
export function memberSpread(preds: readonly Float64Array[], weights: readonly number[]): { mean: Float64Array; spread: Float64Array } {
  const n = preds[0].length;
  const mean = new Float64Array(n);
  preds.forEach((p, j) => {
    if (weights[j] > 0) for (let k = 0; k < n; k++) mean[k] += weights[j] * p[k];
  });
  const spread = new Float64Array(n);
  preds.forEach((p, j) => {
    if (weights[j] > 0) for (let k = 0; k < n; k++) spread[k] += weights[j] * (p[k] - mean[k]) ** 2;
  });
  for (let k = 0; k < n; k++) spread[k] = Math.sqrt(spread[k]);
  return { mean, spread };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)];
}

/** Calibrate on hold-out rows: truth, ensemble mean and member spread, rows × outputs each. */
export function calibrateConformal(truth: Float64Array, mean: Float64Array, spread: Float64Array, outputs: number, level = 0.9): ConformalCalibration {
  const rows = truth.length / outputs;
  const quantile: number[] = [];
  const floor: number[] = [];
  for (let o = 0; o < outputs; o++) {
    const s = Array.from({ length: rows }, (_, r) => spread[r * outputs + o]);
    const residual = Array.from({ length: rows }, (_, r) => Math.abs(truth[r * outputs + o] - mean[r * outputs + o]));
    let f = median(s);
    if (!(f > 0)) f = median(residual);
    if (!(f > 0)) f = Math.max(...residual, 1e-12); // a constant output predicted exactly
    const ratios = residual.map((e, r) => e / (s[r] + f)).sort((a, b) => a - b);
    const rank = Math.min(rows, Math.ceil((rows + 1) * level)) - 1;
    quantile.push(ratios[Math.max(0, rank)]);
    floor.push(f);
  }
  return { method: 'normalised split conformal on the inner hold-out', level, quantile, floor, rows };
}

/** Lower and upper bounds (fit space) of the intervals for predictions with their member spread. */
export function conformalBounds(calibration: ConformalCalibration, mean: Float64Array, spread: Float64Array): { low: Float64Array; high: Float64Array } {
  const outputs = calibration.quantile.length;
  const low = new Float64Array(mean.length);
  const high = new Float64Array(mean.length);
  for (let k = 0; k < mean.length; k++) {
    const o = k % outputs;
    const half = calibration.quantile[o] * (spread[k] + calibration.floor[o]);
    low[k] = mean[k] - half;
    high[k] = mean[k] + half;
  }
  return { low, high };
}

/** Share of values inside their intervals, per output and over all. */
export function coverage(truth: Float64Array, low: Float64Array, high: Float64Array, outputs: number): { overall: number; perOutput: number[] } {
  const inside = new Float64Array(outputs);
  const rows = truth.length / outputs;
  let all = 0;
  for (let k = 0; k < truth.length; k++) {
    if (truth[k] >= low[k] && truth[k] <= high[k]) {
      inside[k % outputs]++;
      all++;
    }
  }
  return { overall: all / truth.length, perOutput: Array.from(inside, (v) => v / rows) };
}
