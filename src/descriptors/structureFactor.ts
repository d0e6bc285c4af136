import { InputError } from '../errors.js';
import { Grid } from './grid.js';

/** Bessel J0 (Abramowitz & Stegun 9.4.1 and 9.4.3), |error| < 5e-8 for all x. */
export function besselJ0(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 3) {
    const y = (ax / 3) ** 2;
    return 1 + y * (-2.2499997 + y * (1.2656208 + y * (-0.3163866 + y * (0.0444479 + y * (-0.0039444 + y * 0.00021)))));
  }
  const y = 3 / ax;
  const f0 = 0.79788456 + y * (-0.00000077 + y * (-0.0055274 + y * (-0.00009512 + y * (0.00137237 + y * (-0.00072805 + y * 0.00014476)))));
  const theta = ax - 0.78539816 + y * (-0.04166397 + y * (-0.00003954 + y * (0.00262573 + y * (-0.00054125 + y * (-0.00029333 + y * 0.00013558)))));
  return (f0 * Math.cos(theta)) / Math.sqrt(ax);
}

export interface StructureFactorOptions {
  /** 2: a sheet, S(q) = 1 + 2πρ∫ r (g−1) J0(qr) dr with ρ per Å²; 3: S(q) = 1 + 4πρ∫ r² (g−1) sin(qr)/(qr) dr, ρ per Å³. */
  dimension: 2 | 3;
  /** Number density, Å⁻² (dimension 2) or Å⁻³ (dimension 3). */
  density: number;
  /** q grid in Å⁻¹; S is evaluated at its bin centres. */
  qGrid: Grid;
  /**
   * Lorch window sin(πr/R)/(πr/R): damps the ripples that cutting g(r) at R adds to S(q), at the cost
   * of a little resolution; the usual choice for a finite r range.
   */
  lorch?: boolean;
}

/** S(q) from g(r) given at the centres of an r grid (midpoint rule over the bins). */
export function structureFactor(g: ArrayLike<number>, rGrid: Grid, options: StructureFactorOptions): Float64Array {
  if (g.length !== rGrid.bins) throw new RangeError(`g has ${g.length} values, the r grid ${rGrid.bins} bins`);
  if (!(options.density > 0)) throw new InputError(`number density must be positive, got ${options.density}`);
  const r = rGrid.centres();
  const q = options.qGrid.centres();
  const dr = rGrid.step;
  const rMax = rGrid.stop;
  const weight = new Float64Array(r.length);
  for (let k = 0; k < r.length; k++) {
    const window = options.lorch ? lorch(r[k], rMax) : 1;
    weight[k] = (g[k] - 1) * window * dr * (options.dimension === 2 ? r[k] : r[k] * r[k]);
  }
  const prefactor = (options.dimension === 2 ? 2 : 4) * Math.PI * options.density;
  const out = new Float64Array(q.length);
  for (let m = 0; m < q.length; m++) {
    let sum = 0;
    for (let k = 0; k < r.length; k++) {
      const x = q[m] * r[k];
      sum += weight[k] * (options.dimension === 2 ? besselJ0(x) : x === 0 ? 1 : Math.sin(x) / x);
    }
    out[m] = 1 + prefactor * sum;
  }
  return out;
}

function lorch(r: number, rMax: number): number {
  const x = (Math.PI * r) / rMax;
  return x === 0 ? 1 : Math.sin(x) / x;
}
