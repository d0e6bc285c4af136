/**
 * 90 % prediction intervals by split conformal prediction (Lei et al., JASA 113, 1094, 2018;
 * Papadopoulos et al. 2002): on rows no member was fitted on (the inner hold-out), the residual of
 * the finished ensemble prediction is divided by a per-row difficulty, and the ⌈(n + 1)·level⌉-th
 * smallest ratio q per output gives the interval ŷ ± q·difficulty for a new row. The difficulty is
 * one of
 *  - 'spread' (the first calibration, and every folder trained before `scale` existed): the spread
 *    of the members' predictions plus a floor (the hold-out's median spread). With one member the
 *    spread is 0 and the interval is the plain conformal ŷ ± q·floor.
 *  - 'distance': max(1, d / d₉₀), d the input's distance to the nearest training row in the domain
 *    check's projected space (domain.ts) and d₉₀ the 90th percentile of the training rows' own
 *    nearest-neighbour distances: a plain conformal interval for inputs among the training rows,
 *    widening in proportion to the distance beyond them. For κ the members agree closely and are
 *    wrong together, so their spread says little about the error (Spearman −0.28 with |residual|
 *    on the hold-out, 0.14 on the validation rows; bench/intervals.ts), while the width it led to
 *    multiplied with a large q gave in-domain intervals four decades wide.
 * Residuals are taken in the task's fit space (κ: log10), or with `space: 'log'` in the natural log
 * of the fit-space values: a positive quantity (σ) then gets positive bounds ŷ·e^(±q·difficulty).
 * Densities (DoS) are clipped at 0 and every interval contains its prediction.
 *
 * A histogram label (the ph-DoS: counts of modes per bin over 3N) takes the value 0 or at least one
 * mode's share, 1/(3N). A lower bound between 0 and the smallest non-zero label value excludes only
 * the value 0 — which is what the truth is in most rows at the spectrum's high-frequency end, where
 * the prediction is a small positive number. Such a bound is set to 0 (`zero_below`): without it
 * the lowest of those points were covered in 84 % of 450 held-out rows over five tenths, 77 % on
 * two (bench/intervals.ts pointwise).
 */
export interface ConformalCalibration {
  method: string;
  level: number;
  /** Per output: the conformal quantile of |y − ŷ| / difficulty. */
  quantile: number[];
  /** Per output: the floor added to the spread ('spread' scale; the hold-out's median spread, or its median |residual| when every spread is 0). */
  floor: number[];
  rows: number;
  /** 'log': residuals on ln of the fit-space values. Absent: fit space. */
  space?: 'log';
  /** The difficulty (see above). Absent: 'spread'. */
  scale?: 'distance';
  /** Histogram labels: a lower bound below this (the training labels' smallest non-zero value) is 0 (see above). */
  zero_below?: number;
}

/** How a task's intervals are built (TaskSpec.intervals). */
export interface IntervalRule {
  space?: 'log';
  scale?: 'distance';
  /** The quantity cannot be negative (a density): bounds clipped at 0. */
  nonNegative?: boolean;
  /** The label is a histogram of counts (see above): its smallest non-zero value bounds the lower bounds. */
  histogram?: boolean;
}

/** A row's difficulty inputs: the members' spread (rows × outputs, in the calibration's space) and, for the 'distance' scale, d / d₉₀ per row. */
export interface Difficulty {
  spread: Float64Array;
  distanceRatio?: Float64Array;
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

/** The smallest positive number ln is taken of: a member that predicts σ ≤ 0 gets a huge log spread, not a NaN. */
const LOG_FLOOR = 1e-300;

/** Values in a calibration's space. */
export function toCalibrationSpace(space: 'log' | undefined, values: Float64Array): Float64Array {
  return space === 'log' ? values.map((v) => Math.log(Math.max(v, LOG_FLOOR))) : values;
}

/** The members' spread in a calibration's space (their weighted standard deviation there). */
export function spreadIn(space: 'log' | undefined, preds: readonly Float64Array[], weights: readonly number[]): Float64Array {
  return memberSpread(space === 'log' ? preds.map((p) => toCalibrationSpace('log', p)) : preds, weights).spread;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)];
}

/** Per row and output, the difficulty the quantile multiplies. */
function difficultyOf(calibration: Pick<ConformalCalibration, 'scale' | 'floor'>, difficulty: Difficulty, k: number, outputs: number): number {
  if (calibration.scale === 'distance') return Math.max(1, difficulty.distanceRatio?.[Math.floor(k / outputs)] ?? 1);
  return difficulty.spread[k] + calibration.floor[k % outputs];
}

const METHODS = {
  spread: 'normalised split conformal on the inner hold-out',
  distance: 'split conformal on the inner hold-out, widened by the distance to the training rows',
};

/**
 * Calibrate on hold-out rows: truth and the finished prediction in fit space (rows × outputs), and
 * the rows' difficulty inputs (spread in the calibration's space).
 */
export function calibrateConformal(truth: Float64Array, center: Float64Array, difficulty: Difficulty | Float64Array, outputs: number, level = 0.9, rule: IntervalRule = {}): ConformalCalibration {
  const d: Difficulty = difficulty instanceof Float64Array ? { spread: difficulty } : difficulty;
  if (rule.scale === 'distance' && d.distanceRatio === undefined) throw new RangeError('a distance-scaled calibration needs the rows’ distance ratios');
  const rows = truth.length / outputs;
  const t = toCalibrationSpace(rule.space, truth);
  const c = toCalibrationSpace(rule.space, center);
  const quantile: number[] = [];
  const floor: number[] = [];
  for (let o = 0; o < outputs; o++) {
    const s = Array.from({ length: rows }, (_, r) => d.spread[r * outputs + o]);
    const residual = Array.from({ length: rows }, (_, r) => Math.abs(t[r * outputs + o] - c[r * outputs + o]));
    let f = median(s);
    if (!(f > 0)) f = median(residual);
    if (!(f > 0)) f = Math.max(...residual, 1e-12); // a constant output predicted exactly
    floor.push(f);
    const scaleOf = (r: number) => difficultyOf({ scale: rule.scale, floor: Array.from({ length: outputs }, () => f) }, d, r * outputs + o, outputs);
    const ratios = residual.map((e, r) => e / scaleOf(r)).sort((a, b) => a - b);
    const rank = Math.min(rows, Math.ceil((rows + 1) * level)) - 1;
    quantile.push(ratios[Math.max(0, rank)]);
  }
  return { method: `${METHODS[rule.scale ?? 'spread']}${rule.space === 'log' ? ', on the log of the values' : ''}`, level, quantile, floor, rows, ...(rule.space ? { space: rule.space } : {}), ...(rule.scale ? { scale: rule.scale } : {}) };
}

/** A histogram label's smallest non-zero value among `labels` (the calibration's zero_below; see above). */
export function smallestNonZero(labels: ArrayLike<number>): number | undefined {
  let least = Number.POSITIVE_INFINITY;
  for (let k = 0; k < labels.length; k++) if (labels[k] > 0 && labels[k] < least) least = labels[k];
  return Number.isFinite(least) ? least : undefined;
}

/** A calibration with the histogram rule applied when the task's rule asks for it: zero_below from the training rows' labels (see above). */
export function withHistogramRule(calibration: ConformalCalibration, rule: IntervalRule, trainingLabels: ArrayLike<number>): ConformalCalibration {
  const zeroBelow = rule.histogram ? smallestNonZero(trainingLabels) : undefined;
  return zeroBelow === undefined ? calibration : { ...calibration, method: `${calibration.method}; lower bounds under one count's share are 0`, zero_below: zeroBelow };
}

/**
 * Lower and upper bounds (fit space) of the intervals around finished predictions `center`, with
 * their difficulty inputs. Bounds of a non-negative quantity are clipped at 0, and every interval
 * is widened to contain its prediction (a clipped ph-DoS bin, or a centre off a log interval).
 */
export function conformalBounds(calibration: ConformalCalibration, center: Float64Array, difficulty: Difficulty | Float64Array, nonNegative = false): { low: Float64Array; high: Float64Array } {
  const d: Difficulty = difficulty instanceof Float64Array ? { spread: difficulty } : difficulty;
  const outputs = calibration.quantile.length;
  const c = toCalibrationSpace(calibration.space, center);
  const low = new Float64Array(center.length);
  const high = new Float64Array(center.length);
  for (let k = 0; k < center.length; k++) {
    const half = calibration.quantile[k % outputs] * difficultyOf(calibration, d, k, outputs);
    if (calibration.space === 'log') {
      low[k] = Math.exp(c[k] - half);
      high[k] = Math.exp(c[k] + half);
    } else {
      low[k] = c[k] - half;
      high[k] = c[k] + half;
    }
    if (nonNegative && low[k] < 0) low[k] = 0;
    if (calibration.zero_below !== undefined && low[k] < calibration.zero_below) low[k] = 0;
    if (low[k] > center[k]) low[k] = center[k];
    if (high[k] < center[k]) high[k] = center[k];
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

/** Median interval width per output, in the calibration's space (log10 for κ; log10(high/low) for 'log'). */
export function medianWidth(calibration: Pick<ConformalCalibration, 'space'>, low: Float64Array, high: Float64Array, outputs: number): number[] {
  return Array.from({ length: outputs }, (_, o) => {
    const w: number[] = [];
    for (let k = o; k < low.length; k += outputs) w.push(calibration.space === 'log' ? Math.log10(high[k] / low[k]) : high[k] - low[k]);
    return median(w);
  });
}
