import { InputError } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { forEachMinimumImagePair } from '../structure/minimumImage.js';
import { neighborList } from '../structure/neighbors.js';
import { bondStatistics, unorderedBonds, type BondList } from './bondStatistics.js';
import { Grid, HistogramAccumulator } from './grid.js';
import { Scratch } from '../util/scratch.js';
import type { ImageConvention } from './pcf.js';

export interface AdfOptions {
  /** Bonds are pairs closer than this, Å (1.85 Å in SPRamNet: above C–C bonds, below second neighbours). */
  bondCutoff_A?: number;
  /** Degrees; default 90 bins of 2° over [0°, 180°]. */
  grid?: Grid;
  images?: ImageConvention;
  smearing_deg?: number;
  /** Soft angle bins: each angle spread over this many bin widths (0 < spread ≤ 1; softBins.ts). 0/absent: hard bins. */
  binSpread?: number;
  /** Average over bond cut-offs in [cutoff − window/2, cutoff + window/2], Å (bondStatistics.ts). 0/absent: the hard cut-off. */
  bondWindow_A?: number;
  file?: string;
}

export const DEFAULT_ADF_GRID = new Grid(0, 180, 90, 'deg');

/** Working arrays reused from structure to structure. */
const scratch = new Scratch();

/** Bonds of each atom as vectors r_j − r_i (3 per bond) in compressed rows. */
export interface Bonds {
  start: Int32Array;
  vectors: Float64Array;
}

/** Bonds shorter than the cutoff, under either image convention. */
export function bondVectors(atoms: Atoms, cutoff_A: number, images: ImageConvention = 'all', file = 'structure'): Bonds {
  const n = atoms.length;
  if (images === 'all') {
    const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, cutoff_A);
    return { start: list.start, vectors: list.vectors };
  }
  const start = new Int32Array(n + 1);
  const vectors: number[] = [];
  const cut2 = cutoff_A * cutoff_A;
  // pairs come in order of i, so the rows are contiguous
  forEachMinimumImagePair(atoms.positions, atoms.cell, false, file, (i, _j, dx, dy, dz) => {
    if (dx * dx + dy * dy + dz * dz < cut2) {
      vectors.push(dx, dy, dz);
      start[i + 1]++;
    }
  });
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  return { start, vectors: Float64Array.from(vectors) };
}

/** Each bond shorter than the cutoff once (i < j, as unorderedBonds), under either image convention. */
function unorderedBondVectors(atoms: Atoms, cutoff_A: number, images: ImageConvention, file = 'structure'): BondList {
  if (images === 'all') return unorderedBonds(neighborList(atoms.positions, atoms.cell, atoms.pbc, cutoff_A));
  const i: number[] = [];
  const j: number[] = [];
  const vectors: number[] = [];
  const lengths: number[] = [];
  const cut2 = cutoff_A * cutoff_A;
  forEachMinimumImagePair(atoms.positions, atoms.cell, false, file, (a, b, dx, dy, dz) => {
    const r2 = dx * dx + dy * dy + dz * dz;
    if (b > a && r2 < cut2) i.push(a), j.push(b), vectors.push(dx, dy, dz), lengths.push(Math.sqrt(r2));
  });
  return { count: i.length, i: Int32Array.from(i), j: Int32Array.from(j), vectors: Float64Array.from(vectors), lengths: Float64Array.from(lengths) };
}

/**
 * Bond-angle distribution: every angle j–i–k between two bonds of atom i, histogrammed in degrees
 * and divided by the number of angles (a distribution summing to 1; all zero with no angles).
 */
export function angularDistribution(atoms: Atoms, options: AdfOptions = {}): Float64Array {
  const cutoff = options.bondCutoff_A ?? 1.85;
  const grid = options.grid ?? DEFAULT_ADF_GRID;
  const spread = options.binSpread ?? 0;
  const window_A = options.bondWindow_A ?? 0;
  if (spread > 0 || window_A > 0) {
    if ((options.smearing_deg ?? 0) > 0) throw new InputError('an ADF takes either Gaussian smearing or soft bins and a cut-off window, not both');
    const bonds = unorderedBondVectors(atoms, cutoff + window_A / 2, options.images ?? 'all', options.file);
    return bondStatistics(atoms.length, bonds, atoms.positions, { cutoff_A: cutoff, window_A, adf: { grid, spread } }).adf as Float64Array;
  }
  const bonds = bondVectors(atoms, cutoff, options.images ?? 'all', options.file);
  return angleHistogram(bonds, atoms.length, grid, options.smearing_deg ?? 0);
}

/** Histogram of all angles between pairs of bonds of the same atom, divided by the number of angles. */
export function angleHistogram(bonds: Bonds, atomCount: number, grid: Grid, smearing_deg = 0): Float64Array {
  const hist = new HistogramAccumulator(grid, smearing_deg);
  const v = bonds.vectors;
  const degrees = 180 / Math.PI;
  // each bond's length once, not once per angle it takes part in
  const bondCount = bonds.start[atomCount];
  const lengths = scratch.floats('bondLengths', bondCount);
  for (let p = 0; p < bondCount; p++) lengths[p] = Math.sqrt(v[3 * p] * v[3 * p] + v[3 * p + 1] * v[3 * p + 1] + v[3 * p + 2] * v[3 * p + 2]);
  let angles = 0;
  for (let i = 0; i < atomCount; i++) {
    for (let p = bonds.start[i]; p < bonds.start[i + 1]; p++) {
      const ux = v[3 * p];
      const uy = v[3 * p + 1];
      const uz = v[3 * p + 2];
      const nu = lengths[p];
      for (let q = p + 1; q < bonds.start[i + 1]; q++) {
        const wx = v[3 * q];
        const wy = v[3 * q + 1];
        const wz = v[3 * q + 2];
        const nw = lengths[q];
        const c = (ux * wx + uy * wy + uz * wz) / nu / nw;
        hist.add(Math.acos(Math.min(1, Math.max(-1, c))) * degrees);
        angles++;
      }
    }
  }
  const out = hist.counts;
  const norm = Math.max(1, angles);
  for (let k = 0; k < out.length; k++) out[k] /= norm;
  return out;
}

/** Fraction of atoms with 0, 1, …, maxCoordination bonds (the last bin collects the rest). */
export function coordinationHistogram(atoms: Atoms, bondCutoff_A = 1.85, maxCoordination = 6, images: ImageConvention = 'all'): Float64Array {
  const bonds = bondVectors(atoms, bondCutoff_A, images);
  const out = new Float64Array(maxCoordination + 1);
  for (let i = 0; i < atoms.length; i++) out[Math.min(maxCoordination, bonds.start[i + 1] - bonds.start[i])]++;
  for (let k = 0; k < out.length; k++) out[k] /= Math.max(1, atoms.length);
  return out;
}
