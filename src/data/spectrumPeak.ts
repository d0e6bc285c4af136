/**
 * Where a spectrum peaks, and whether it peaks at all. The highest bin of a flat spectrum is an
 * accident of noise (a flat predicted ph-DoS once read "peak 4.5 THz"), so a peak counts only when
 * the maximum stands clear of the spectrum's mean over its occupied range (from the first to the
 * last bin above 1 % of the maximum). The public ph-DoS labels have this ratio 1.68–6.1 (median
 * 2.1, 900 spectra); a flat spectrum has 1.0, and 1.2 with 10 % noise per bin. No imports: the
 * web page uses it too.
 */
export const CLEAR_PEAK_RATIO = 1.4;

export interface SpectrumPeak {
  /** x of the highest bin (the first, on ties), or undefined when the spectrum has no clear peak. */
  at?: number;
  /** Maximum over the mean of the occupied range (1 for a flat spectrum; NaN when all is zero). */
  ratio: number;
}

export function spectrumPeak(xs: ArrayLike<number>, ys: ArrayLike<number>): SpectrumPeak {
  let best = 0;
  for (let k = 1; k < ys.length; k++) if (ys[k] > ys[best]) best = k;
  const max = ys[best];
  if (!(max > 0)) return { ratio: Number.NaN };
  let first = -1;
  let last = -1;
  for (let k = 0; k < ys.length; k++) {
    if (ys[k] > 0.01 * max) {
      if (first < 0) first = k;
      last = k;
    }
  }
  let sum = 0;
  for (let k = first; k <= last; k++) sum += ys[k];
  const ratio = max / (sum / (last - first + 1));
  return ratio >= CLEAR_PEAK_RATIO ? { at: xs[best], ratio } : { ratio };
}

/**
 * The index one past the last bin any of the spectra (or bands) reaches above `fraction` of their
 * common maximum: where a chart's axis can end. The full length when nothing is above.
 */
export function occupiedLength(spectra: ArrayLike<number>[], fraction = 1e-3): number {
  let max = 0;
  for (const s of spectra) for (let k = 0; k < s.length; k++) if (s[k] > max) max = s[k];
  const length = Math.max(0, ...spectra.map((s) => s.length));
  if (!(max > 0)) return length;
  let end = 0;
  for (const s of spectra) for (let k = s.length - 1; k >= end; k--) if (s[k] > fraction * max) { end = k + 1; break; }
  return end;
}
