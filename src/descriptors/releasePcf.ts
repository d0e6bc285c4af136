import type { Atoms } from '../structure/atoms.js';
import { Grid } from './grid.js';
import { sheetView } from './sheet.js';
import { sheetPairCounts } from './sheetPairs.js';

/**
 * The g(r) of the public release's thermal set, computed from a structure. The release does not
 * document its normalisation; it is
 *   g_k = (pairs at a distance in bin k, each pair counted once, per atom) / (0.9 · r_k),
 * r_k the bin's left edge (k · 0.1 Å), 100 bins of 0.1 Å from 0 Å, every periodic image counted,
 * values rounded to 0.001 as the release stores them. How it was established: on the most
 * crystalline public file (rdf_184.npy) graphene with the Lindsay–Broido bond (1.44 Å) predicts
 * 1.190, 1.389, 0.595 and 0.775 at its first four shells by this form, and the file holds 1.190,
 * 1.389, 0.595 and 0.774; dividing by the bin centre instead misses them by 3–10 %. At large r the
 * form levels off at (10/9)·π·ρ·Δr: the public level beyond 8 Å (0.1256) is a sheet of 0.36 Å⁻²,
 * where "0.40" would be read without the factor.
 *
 * That form (hard bins, rounded) is a step function of the positions: a pair crossing a bin edge,
 * or a value crossing a rounding step, jumps. Predict therefore computes the continuous form
 * (`THERMAL_PCF_FOR_PREDICT`): no rounding, and each distance spread over a window of 0.01 Å
 * (a tenth of a bin, softBins.ts), so it differs from the hard bins only for pairs within 0.005 Å
 * of an edge, and then only by sharing that pair between the two bins in proportion — the same
 * value on average, which is what the models trained on the release's files expect.
 */
export interface ReleasePcfGrid {
  bins: number;
  step_A: number;
  start_A: number;
}

export interface ReleasePcfOptions {
  /** Round to 0.001 as the release stores its files (default true). */
  round?: boolean;
  /** Spread each distance over this width, Å (0, the default: the release's hard bins). At most one bin. */
  softening_A?: number;
}

/** The continuous form predict computes from a structure. */
export const THERMAL_PCF_FOR_PREDICT: Readonly<Required<ReleasePcfOptions>> = Object.freeze({ round: false, softening_A: 0.01 });

export function releaseThermalPcf(atoms: Atoms, grid: ReleasePcfGrid, file = 'structure', options: ReleasePcfOptions = {}): Float64Array {
  const sheet = sheetView(atoms, file);
  const g = releaseGrid(grid);
  const counts = sheetPairCounts(sheet, { thermal: { grid: g, spread: (options.softening_A ?? 0) / grid.step_A } }).thermal as Float64Array;
  return releasePcfFromCounts(counts, grid, atoms.length, options.round ?? true);
}

const grids = new Map<string, Grid>();

/** The thermal grid as a Grid (cached per setting). */
export function releaseGrid(grid: ReleasePcfGrid): Grid {
  const key = `${grid.start_A}/${grid.step_A}/${grid.bins}`;
  let g = grids.get(key);
  if (g === undefined) grids.set(key, (g = new Grid(grid.start_A, grid.start_A + grid.bins * grid.step_A, grid.bins)));
  return g;
}

/** The release's normalisation of ordered-pair counts (each pair twice) per bin of `grid`. */
export function releasePcfFromCounts(counts: ArrayLike<number>, grid: ReleasePcfGrid, atomCount: number, round: boolean, out = new Float64Array(grid.bins)): Float64Array {
  for (let k = 0; k < grid.bins; k++) {
    const edge = grid.start_A + k * grid.step_A;
    // every pair is counted for both orders (i→j and j→i): halve for "each pair once"
    const g = edge > 0 ? counts[k] / 2 / atomCount / (0.9 * edge) : 0;
    out[k] = round ? Math.round(g * 1000) / 1000 : g;
  }
  return out;
}
