import type { Matrix } from '../util/matrix.js';

/**
 * Histogram bins per feature, as XGBoost's `hist` method builds them: cut values are upper bounds
 * (a value x falls in the first bin whose cut is > x), float32 like XGBoost's, and the last cut of
 * each feature lies above its maximum. Missing values (NaN) get their own slot after the bins.
 */
export interface FeatureBins {
  /** cuts[ptr[f] … ptr[f+1]) are feature f's cut values, increasing. */
  cuts: Float32Array;
  ptr: Int32Array;
  /** Smallest value of each feature (XGBoost's min_vals), used as the split value "all non-missing right". */
  minValues: Float32Array;
}

/** Cut values from the data: every distinct value when there are at most maxBin, else quantiles. */
export function sketchBins(x: Matrix, maxBin: number): FeatureBins {
  const { rows, cols, data } = x;
  const cutLists: Float32Array[] = [];
  const minValues = new Float32Array(cols);
  const column = new Float32Array(rows);
  for (let f = 0; f < cols; f++) {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + f];
      if (!Number.isNaN(v)) column[n++] = v;
    }
    const values = column.subarray(0, n).sort();
    const distinct: number[] = [];
    for (let k = 0; k < n; k++) if (k === 0 || values[k] !== values[k - 1]) distinct.push(values[k]);
    const cuts: number[] = [];
    if (distinct.length <= maxBin) {
      for (let k = 1; k < distinct.length; k++) cuts.push(distinct[k]);
    } else {
      // equal-count quantiles over the sorted values, kept distinct and increasing
      for (let b = 1; b < maxBin; b++) {
        const v = values[Math.floor((b * n) / maxBin)];
        if (v > (cuts[cuts.length - 1] ?? values[0])) cuts.push(v);
      }
    }
    const last = n > 0 ? values[n - 1] : 0;
    cuts.push(Math.fround(last + Math.abs(last) + 1e-5));
    minValues[f] = n > 0 ? Math.fround(values[0] - (Math.abs(values[0]) + 1e-5)) : 0;
    cutLists.push(Float32Array.from(cuts));
  }
  const ptr = new Int32Array(cols + 1);
  cutLists.forEach((c, f) => (ptr[f + 1] = ptr[f] + c.length));
  const cuts = new Float32Array(ptr[cols]);
  cutLists.forEach((c, f) => cuts.set(c, ptr[f]));
  return { cuts, ptr, minValues };
}

/**
 * Local bin of every value, column-major (feature f's column is [f·rows, (f+1)·rows)): bins
 * 0…count−1, and count for a missing value. Column-major so that building a histogram walks one
 * small column and one feature's histogram (a few kB, in L1) at a time.
 */
export function binColumns(x: Matrix, bins: FeatureBins): Uint16Array {
  const { rows, cols, data } = x;
  const out = new Uint16Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const lo = bins.ptr[f];
    const hi = bins.ptr[f + 1];
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + f];
      let bin: number;
      if (Number.isNaN(v)) bin = hi - lo;
      else {
        // first cut > v (upper_bound), clamped to the last bin
        const x32 = Math.fround(v);
        let a = lo;
        let b = hi;
        while (a < b) {
          const m = (a + b) >>> 1;
          if (bins.cuts[m] > x32) b = m;
          else a = m + 1;
        }
        bin = Math.min(a, hi - 1) - lo;
      }
      out[f * rows + r] = bin;
    }
  }
  return out;
}
