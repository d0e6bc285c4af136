import { InputError } from '../errors.js';

/**
 * A uniform grid of `bins` bins over [start, stop]: the explicit object every descriptor is defined
 * on, so an array's meaning never hangs on its length. Edges follow numpy.linspace exactly
 * (edge k = start + k·step, the last edge = stop), so histograms match numpy's bin for bin.
 */
export class Grid {
  readonly start: number;
  readonly stop: number;
  readonly bins: number;
  readonly unit: string;
  readonly step: number;

  constructor(start: number, stop: number, bins: number, unit = 'Å') {
    if (!Number.isFinite(start) || !Number.isFinite(stop) || !(stop > start)) {
      throw new InputError(`grid needs start < stop, got [${start}, ${stop}] ${unit}`);
    }
    if (!Number.isInteger(bins) || bins < 1) throw new InputError(`grid needs a whole number of bins ≥ 1, got ${bins}`);
    this.start = start;
    this.stop = stop;
    this.bins = bins;
    this.unit = unit;
    this.step = (stop - start) / bins;
  }

  edge(k: number): number {
    return k === this.bins ? this.stop : this.start + k * this.step;
  }

  private cachedEdges: Float64Array | undefined;

  /** The bins + 1 edges; shared and cached, do not write to it. */
  edges(): Float64Array {
    if (this.cachedEdges === undefined) {
      const e = new Float64Array(this.bins + 1);
      for (let k = 0; k <= this.bins; k++) e[k] = this.edge(k);
      this.cachedEdges = e;
    }
    return this.cachedEdges;
  }

  /** Bin centres, (e_k + e_{k+1}) / 2 as numpy computes them. */
  centres(): Float64Array {
    return Float64Array.from({ length: this.bins }, (_, k) => 0.5 * (this.edge(k + 1) + this.edge(k)));
  }

  /**
   * Bin of x with numpy.histogram's rule: [e_k, e_{k+1}), the last bin closed; −1 outside.
   * The first guess from the step is corrected against the edges themselves.
   */
  binOf(x: number): number {
    if (!(x >= this.start && x <= this.stop)) return -1;
    let k = Math.floor((x - this.start) / this.step);
    if (k >= this.bins) k = this.bins - 1;
    if (x < this.edge(k)) k--;
    else if (k < this.bins - 1 && x >= this.edge(k + 1)) k++;
    return k;
  }

  equals(other: Grid): boolean {
    return this.start === other.start && this.stop === other.stop && this.bins === other.bins && this.unit === other.unit;
  }

  toJSON(): { start: number; stop: number; bins: number; unit: string } {
    return { start: this.start, stop: this.stop, bins: this.bins, unit: this.unit };
  }

  static fromJSON(value: { start: number; stop: number; bins: number; unit?: string }): Grid {
    return new Grid(value.start, value.stop, value.bins, value.unit);
  }
}

/**
 * Adds samples to a histogram on a grid: plain binning, or each sample spread as a unit-area
 * Gaussian of width sigma (the exact integral over each bin, so the total weight is kept).
 */
export class HistogramAccumulator {
  readonly counts: Float64Array;
  private readonly grid: Grid;
  private readonly sigma: number;
  private readonly edges: Float64Array;

  constructor(grid: Grid, sigma = 0) {
    if (!(sigma >= 0)) throw new InputError(`Gaussian smearing width must be ≥ 0, got ${sigma}`);
    this.grid = grid;
    this.sigma = sigma;
    this.counts = new Float64Array(grid.bins);
    this.edges = grid.edges();
  }

  add(x: number, weight = 1): void {
    if (this.sigma === 0) {
      const k = this.grid.binOf(x);
      if (k >= 0) this.counts[k] += weight;
      return;
    }
    const reach = 6 * this.sigma;
    const first = Math.max(0, Math.floor((x - reach - this.grid.start) / this.grid.step));
    const last = Math.min(this.grid.bins - 1, Math.floor((x + reach - this.grid.start) / this.grid.step));
    const scale = 1 / (Math.SQRT2 * this.sigma);
    let lower = erf((this.edges[first] - x) * scale);
    for (let k = first; k <= last; k++) {
      const upper = erf((this.edges[k + 1] - x) * scale);
      this.counts[k] += 0.5 * weight * (upper - lower);
      lower = upper;
    }
  }
}

/** Error function, |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit); enough for smearing weights. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}
