import { InputError } from '../errors.js';
import type { Grid } from './grid.js';

/**
 * Soft binning: the histogram of samples, each spread uniformly over a window `spread` bins wide
 * centred on it (0 < spread ≤ 1), every bin taking the share of the window that falls in it. It is
 * the hard histogram convolved with a narrow box, so it is a continuous (Lipschitz) function of the
 * samples: a sample moving by δ moves at most δ / (spread · step) of its weight. spread = 1 shares
 * each sample linearly between the two nearest bin centres (and keeps the first moment exactly);
 * spread → 0 tends to the hard histogram, which a small spread equals except for samples within
 * spread/2 bins of an edge.
 *
 * Shares are rounded to multiples of 2⁻²⁴ (`quantizeShare`): sums of such numbers below 2²⁹ are
 * exact in float64, so a histogram is the same to the last bit whatever order the samples come in —
 * which lets the fused pair pass and its plain reference be held equal bit for bit. The rounding is
 * 6e-8 of a sample, far below any physical resolution.
 *
 * Counts live in a padded array: bin k at index k + 2, with two guard bins on each side that take
 * the shares falling beyond the grid; `finishSoftCounts` then folds them into the end bins (a closed
 * range such as angles on [0°, 180°], or r ≥ 0 at the start) or drops them (r beyond r_max, where
 * the pairs fade out continuously).
 */

/** 2^28: adding and subtracting it rounds a number in [0, 1] to a multiple of 2⁻²⁴. */
const QUANTIZER = 268435456;

export function quantizeShare(share: number): number {
  return share + QUANTIZER - QUANTIZER;
}

/** Where a grid's samples go: precomputed constants of the soft binning. */
export interface SoftBinning {
  start: number;
  invStep: number;
  bins: number;
  /** spread / 2, in bins. */
  half: number;
  /** 1 / spread. */
  invSpread: number;
  /** Fold shares below the start into the first bin, and beyond the stop into the last. */
  foldStart: boolean;
  foldStop: boolean;
}

export function softBinning(grid: Pick<Grid, 'start' | 'step' | 'bins'>, spread: number, fold: { start: boolean; stop: boolean }): SoftBinning {
  if (!(spread > 0 && spread <= 1)) throw new InputError(`a soft-bin spread must lie in (0, 1] bins, got ${spread}`);
  return { start: grid.start, invStep: 1 / grid.step, bins: grid.bins, half: spread / 2, invSpread: 1 / spread, foldStart: fold.start, foldStop: fold.stop };
}

/** Length of the padded counts of a binning. */
export function paddedLength(b: SoftBinning): number {
  return b.bins + 4;
}

/**
 * Add one sample of weight 1 to padded counts (length bins + 4). Samples more than one bin outside
 * the grid are ignored (callers never send them: their search reaches stop + spread/2 bins).
 * Branch-free in the common case: the left and right shares are max(0, …), one of them is zero.
 */
export function softAdd(padded: Float64Array, b: SoftBinning, x: number): void {
  const u = (x - b.start) * b.invStep;
  const k = Math.floor(u);
  if (k < -1 || k > b.bins) return;
  const f = u - k;
  const left = quantizeShare(Math.max(0, (b.half - f) * b.invSpread));
  const right = quantizeShare(Math.max(0, (f - 1 + b.half) * b.invSpread));
  padded[k + 1] += left;
  padded[k + 2] += 1 - left - right;
  padded[k + 3] += right;
}

/** The bins of padded counts, guard shares folded or dropped, into `out` (length bins); returns `out`. */
export function finishSoftCounts(padded: Float64Array, b: SoftBinning, out: Float64Array): Float64Array {
  for (let k = 0; k < b.bins; k++) out[k] = padded[k + 2];
  if (b.foldStart) out[0] += padded[0] + padded[1];
  if (b.foldStop) out[b.bins - 1] += padded[b.bins + 2] + padded[b.bins + 3];
  return out;
}

/** A soft histogram on a grid, for the plain (one sample at a time) implementations. */
export class SoftHistogram {
  private readonly padded: Float64Array;
  private readonly binning: SoftBinning;

  constructor(grid: Grid, spread: number, fold: { start: boolean; stop: boolean }) {
    this.binning = softBinning(grid, spread, fold);
    this.padded = new Float64Array(paddedLength(this.binning));
  }

  add(x: number): void {
    softAdd(this.padded, this.binning, x);
  }

  /** How far beyond the grid's stop a sample still reaches it. */
  static reach(grid: Grid, spread: number): number {
    return (spread / 2) * grid.step;
  }

  counts(): Float64Array {
    return finishSoftCounts(this.padded, this.binning, new Float64Array(this.binning.bins));
  }
}
