import { InputError } from '../errors.js';
import type { Grid } from './grid.js';
import { Scratch } from '../util/scratch.js';
import type { NeighborList } from '../structure/neighbors.js';
import { finishSoftCounts, paddedLength, softAdd, softBinning } from './softBins.js';

/**
 * Everything computed from the bond network of a sheet: the bond-angle distribution (ADF) and the
 * local-environment statistics (faces of the network seen from above, coordination, bond lengths,
 * buckling), from one list of bonds.
 *
 * A bond is a pair closer than a cut-off (1.85 Å for carbon: above C–C bonds, below second
 * neighbours). The public structures have pairs at every distance between them (7955 pairs within
 * 0.1 Å of 1.85 Å over the 3600 electron cells, the closest 7e-5 Å away), so a hard cut-off makes
 * every bond statistic jump when such a pair crosses it. With a window W > 0 each statistic is
 * instead averaged over cut-offs c uniform in [cutoff − W/2, cutoff + W/2]:
 *   S̄ = (1/W) ∫ S(bonds shorter than c) dc,
 * a continuous function of the positions (a pair moving through the window moves the boundary
 * between two intervals of c, not a whole bond). The window bonds sorted by length cut the window
 * into intervals; inside each the bond set is fixed, so S̄ is a weighted sum over at most
 * (window bonds + 1) bond sets, visited by adding one bond at a time. Structures with no pair in
 * the window get exactly the hard cut-off's statistics. W = 0 is the hard cut-off.
 *
 * Faces: from bond u→v continue with the bond of v that comes just before v→u in increasing
 * in-plane angle; each orbit is one face, counted by its size (3…11, 12+; 1 and 2 are a lone bond,
 * no ring). Adding a bond only changes the faces through its two atoms, which are walked again.
 */

/** Unordered bonds, each once: i → j with vector r_j + image − r_i (i ≤ j; i = j: a bond to an own image). */
export interface BondList {
  count: number;
  i: Int32Array;
  j: Int32Array;
  /** 3 per bond, Å. */
  vectors: Float64Array;
  lengths: Float64Array;
}

export interface BondStatisticsOptions {
  cutoff_A: number;
  /** Width of the cut-off window, Å (0: the hard cut-off). */
  window_A: number;
  /** The ADF: its grid in degrees and its soft-bin spread in bins (0: hard bins). */
  adf?: { grid: Grid; spread: number };
  /** Compute the local-environment statistics (ENVIRONMENT_FEATURES order) into `environment`. */
  environment?: boolean;
}

export interface BondStatistics {
  adf?: Float64Array;
  environment?: Float64Array;
}

/** The local-environment statistics, in order. */
export const ENVIRONMENT_FEATURES: readonly string[] = [
  ...Array.from({ length: 9 }, (_, k) => `rings_${k + 3}_per_atom`),
  'rings_12plus_per_atom',
  ...Array.from({ length: 5 }, (_, k) => `coordination_${k}_fraction`),
  'coordination_5plus_fraction',
  'bond_length_mean_A',
  'bond_length_std_A',
  'height_std_A',
];

const RING_SIZES = 10;
const COORDINATIONS = 6;
/** Bond lengths are summed about this (Å) so the spread does not drown in cancellation. */
const LENGTH_REFERENCE_A = 1.42;

/**
 * The bond graph's darts (two per bond) in compressed rows per atom, canonical order within an
 * atom (partner index, then vector), so every statistic is computed in the same order whichever
 * search found the bonds.
 */
interface Darts {
  start: Int32Array;
  /** Per dart (CSR order): partner, bond index, vector, length, reverse dart, and the dart at each rotation slot. */
  partner: Int32Array;
  bond: Int32Array;
  vectors: Float64Array;
  lengths: Float64Array;
  reverse: Int32Array;
  /** Darts of atom i in increasing in-plane angle: rotation[start[i] + r]; slot of a dart: rank[dart]. */
  rotation: Int32Array;
  rank: Int32Array;
}

function compareDarts(partner: Int32Array, v: Float64Array, a: number, b: number): number {
  return partner[a] - partner[b] || v[3 * a] - v[3 * b] || v[3 * a + 1] - v[3 * b + 1] || v[3 * a + 2] - v[3 * b + 2];
}

function buildDarts(n: number, bonds: BondList, maxLength: number, s: Scratch): Darts {
  const start = s.ints('start', n + 1).fill(0, 0, n + 1);
  let kept = 0;
  for (let b = 0; b < bonds.count; b++) {
    if (!(bonds.lengths[b] < maxLength)) continue;
    start[bonds.i[b] + 1]++;
    start[bonds.j[b] + 1]++;
    kept++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const darts = 2 * kept;
  const fill = s.ints('fill', n);
  fill.set(start.subarray(0, n));
  const partner = s.ints('partner', darts);
  const bond = s.ints('bond', darts);
  const vectors = s.floats('vectors', 3 * darts);
  const lengths = s.floats('lengths', darts);
  const put = (slot: number, j: number, b: number, sign: number): void => {
    partner[slot] = j;
    bond[slot] = b;
    vectors[3 * slot] = sign * bonds.vectors[3 * b];
    vectors[3 * slot + 1] = sign * bonds.vectors[3 * b + 1];
    vectors[3 * slot + 2] = sign * bonds.vectors[3 * b + 2];
    lengths[slot] = bonds.lengths[b];
  };
  for (let b = 0; b < bonds.count; b++) {
    if (!(bonds.lengths[b] < maxLength)) continue;
    put(fill[bonds.i[b]]++, bonds.j[b], b, 1);
    put(fill[bonds.j[b]]++, bonds.i[b], b, -1);
  }
  // canonical order within each atom (insertion sort: a handful of bonds per atom)
  const tmpV = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let d = start[i] + 1; d < start[i + 1]; d++) {
      let e = d;
      while (e > start[i] && compareDarts(partner, vectors, e - 1, e) > 0) {
        swapInt(partner, e - 1, e);
        swapInt(bond, e - 1, e);
        for (let c = 0; c < 3; c++) (tmpV[c] = vectors[3 * e + c]), (vectors[3 * e + c] = vectors[3 * e - 3 + c]), (vectors[3 * e - 3 + c] = tmpV[c]);
        const l = lengths[e];
        lengths[e] = lengths[e - 1];
        lengths[e - 1] = l;
        e--;
      }
    }
  }
  // reverse darts: the two darts of a bond (first seen, second seen)
  const firstDart = s.ints('firstDart', bonds.count).fill(-1, 0, bonds.count);
  const reverse = s.ints('reverse', darts);
  for (let d = 0; d < darts; d++) {
    const b = bond[d];
    if (firstDart[b] < 0) firstDart[b] = d;
    else {
      reverse[d] = firstDart[b];
      reverse[firstDart[b]] = d;
    }
  }
  // rotation order by in-plane angle, ties in canonical order
  const angle = s.floats('angle', darts);
  for (let d = 0; d < darts; d++) angle[d] = Math.atan2(vectors[3 * d + 1], vectors[3 * d]);
  const rotation = s.ints('rotation', darts);
  const rank = s.ints('rank', darts);
  for (let i = 0; i < n; i++) {
    const lo = start[i];
    for (let d = lo; d < start[i + 1]; d++) {
      let e = d;
      rotation[e] = d;
      while (e > lo && angle[rotation[e - 1]] > angle[d]) {
        rotation[e] = rotation[e - 1];
        e--;
      }
      rotation[e] = d;
    }
    for (let r = lo; r < start[i + 1]; r++) rank[rotation[r]] = r - lo;
  }
  return { start, partner, bond, vectors, lengths, reverse, rotation, rank };
}

function swapInt(a: Int32Array, x: number, y: number): void {
  const t = a[x];
  a[x] = a[y];
  a[y] = t;
}

const defaultScratch = new Scratch();

/**
 * The ADF and/or the local-environment statistics of `n` atoms from their bonds (any bonds longer
 * than the window's top are ignored); `positions` (3 per atom, the sheet view) give the height
 * spread. Results go into `out.adf` / `out.environment` when given (the right lengths), else into
 * new arrays.
 */
export function bondStatistics(n: number, bonds: BondList, positions: Float64Array, options: BondStatisticsOptions, out: BondStatistics = {}, scratch: Scratch = defaultScratch): BondStatistics {
  const { cutoff_A, window_A } = options;
  if (!(window_A >= 0) || !(window_A < cutoff_A)) throw new InputError(`the bond cut-off window must lie in [0, ${cutoff_A}) Å, got ${window_A}`);
  const cLo = cutoff_A - window_A / 2;
  const cHi = cutoff_A + window_A / 2;
  const g = buildDarts(n, bonds, window_A > 0 ? cHi : cutoff_A, scratch);
  const darts = g.start[n];
  const active = scratch.bytes('active', darts).fill(0, 0, darts);
  const degree = scratch.ints('degree', n).fill(0, 0, n);

  // window bonds (one dart each: the first of its pair), sorted by length then dart index
  const windowDarts = scratch.ints('windowDarts', darts);
  let m = 0;
  for (let d = 0; d < darts; d++) {
    if (g.reverse[d] < d) continue;
    if (window_A > 0 && g.lengths[d] >= cLo) windowDarts[m++] = d;
  }
  sortByLength(windowDarts, m, g.lengths);

  // ADF state
  const adfBinning = options.adf && options.adf.spread > 0 ? softBinning(options.adf.grid, options.adf.spread, { start: true, stop: true }) : undefined;
  const adfGrid = options.adf?.grid;
  const angleCounts = options.adf ? scratch.floats('angleCounts', adfBinning ? paddedLength(adfBinning) : adfGrid!.bins) : undefined;
  angleCounts?.fill(0);
  let angles = 0;
  const adfOut = options.adf ? (out.adf = zeroed(out.adf, adfGrid!.bins)) : undefined;
  const adfBins = options.adf ? scratch.floats('adfBins', adfGrid!.bins) : undefined;
  const degrees = 180 / Math.PI;
  const addAngle = (p: number, q: number): void => {
    // canonical order of the two darts, so both searches compute the same number
    const a = p < q ? p : q;
    const b = p < q ? q : p;
    const v = g.vectors;
    const c = (v[3 * a] * v[3 * b] + v[3 * a + 1] * v[3 * b + 1] + v[3 * a + 2] * v[3 * b + 2]) / g.lengths[a] / g.lengths[b];
    const theta = Math.acos(Math.min(1, Math.max(-1, c))) * degrees;
    if (adfBinning) softAdd(angleCounts!, adfBinning, theta);
    else {
      const k = adfGrid!.binOf(theta);
      if (k >= 0) angleCounts![k]++;
    }
    angles++;
  };

  // environment state
  const env = options.environment;
  const rings = new Float64Array(RING_SIZES);
  const coordination = new Float64Array(COORDINATIONS);
  coordination[0] = n;
  let bondDarts = 0;
  let sum1 = 0;
  let sum2 = 0;
  const stamp = env ? scratch.ints('stamp', darts).fill(0, 0, darts) : undefined;
  let epoch = 0;
  const nextDart = (e: number): number => {
    // at the head v of e, the active dart just before v→(tail) in angle order
    const back = g.reverse[e];
    const v = g.partner[e];
    const lo = g.start[v];
    const deg = g.start[v + 1] - lo;
    let r = g.rank[back];
    for (let step = 0; step < deg; step++) {
      r = r === 0 ? deg - 1 : r - 1;
      const d = g.rotation[lo + r];
      if (active[d]) return d;
    }
    return back;
  };
  const faceSize = (e0: number): number => {
    let size = 0;
    let e = e0;
    do {
      stamp![e] = epoch;
      size++;
      e = nextDart(e);
    } while (e !== e0);
    return size;
  };
  /** Add (sign +1) or remove (−1) the faces through atom a (those not yet stamped in this epoch). */
  const facesThrough = (a: number, sign: number): void => {
    for (let d = g.start[a]; d < g.start[a + 1]; d++) {
      if (!active[d] || stamp![d] === epoch) continue;
      const size = faceSize(d);
      if (size >= 3) rings[Math.min(size, 12) - 3] += sign;
    }
  };
  const activate = (d: number): void => {
    // one dart of a bond, with its angles at its tail atom
    const i = g.partner[g.reverse[d]];
    if (options.adf) for (let e = g.start[i]; e < g.start[i + 1]; e++) if (active[e]) addAngle(e, d);
    active[d] = 1;
    if (env) {
      coordination[Math.min(degree[i], 5)]--;
      degree[i]++;
      coordination[Math.min(degree[i], 5)]++;
      const x = g.lengths[d] - LENGTH_REFERENCE_A;
      bondDarts++;
      sum1 += x;
      sum2 += x * x;
    }
  };

  // the base graph: bonds below the window (all bonds below the cut-off when there is no window)
  const baseTop = window_A > 0 ? cLo : cutoff_A;
  for (let d = 0; d < darts; d++) if (g.lengths[d] < baseTop) activate(d);
  if (env) {
    epoch++;
    for (let d = 0; d < darts; d++) {
      if (!active[d] || stamp![d] === epoch) continue;
      const size = faceSize(d);
      if (size >= 3) rings[Math.min(size, 12) - 3]++;
    }
  }

  const envOut = env ? (out.environment = zeroed(out.environment, ENVIRONMENT_FEATURES.length)) : undefined;
  const accumulate = (weight: number): void => {
    if (!(weight > 0)) return;
    if (adfOut) {
      const norm = Math.max(1, angles);
      if (adfBinning) finishSoftCounts(angleCounts!, adfBinning, adfBins!);
      else adfBins!.set(angleCounts!.subarray(0, adfOut.length));
      for (let k = 0; k < adfOut.length; k++) adfOut[k] += (weight * adfBins![k]) / norm;
    }
    if (envOut) {
      for (let s = 0; s < RING_SIZES; s++) envOut[s] += (weight * rings[s]) / n;
      for (let c = 0; c < COORDINATIONS; c++) envOut[RING_SIZES + c] += (weight * coordination[c]) / n;
      if (bondDarts > 0) {
        const mean = sum1 / bondDarts;
        envOut[16] += weight * (LENGTH_REFERENCE_A + mean);
        envOut[17] += weight * Math.sqrt(Math.max(0, sum2 / bondDarts - mean * mean));
      }
    }
  };

  if (window_A === 0) accumulate(1);
  else {
    let from = cLo;
    for (let k = 0; k <= m; k++) {
      const to = k < m ? Math.max(cLo, g.lengths[windowDarts[k]]) : cHi;
      accumulate((to - from) / window_A);
      from = to;
      if (k === m) break;
      const d = windowDarts[k];
      const u = g.partner[g.reverse[d]];
      const v = g.partner[d];
      if (env) {
        epoch++;
        facesThrough(u, -1);
        facesThrough(v, -1);
      }
      activate(d);
      activate(g.reverse[d]);
      if (env) {
        epoch++;
        facesThrough(u, 1);
        facesThrough(v, 1);
      }
    }
  }
  if (envOut) envOut[18] = heightSpread(positions, n);
  return out;
}

function zeroed(given: Float64Array | undefined, length: number): Float64Array {
  if (given === undefined) return new Float64Array(length);
  if (given.length !== length) throw new RangeError(`an output of ${length} values was expected, got ${given.length}`);
  return given.fill(0);
}

/** Standard deviation of the heights (z of 3-per-atom positions), two passes. */
export function heightSpread(positions: Float64Array, n: number): number {
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += positions[3 * i + 2] / n;
  let zVar = 0;
  for (let i = 0; i < n; i++) zVar += (positions[3 * i + 2] - zMean) ** 2 / n;
  return Math.sqrt(zVar);
}

/** Dart indices by length, ties by index: insertion sort for the usual few window bonds. */
function sortByLength(d: Int32Array, m: number, lengths: Float64Array): void {
  if (m > 32) {
    const sorted = Array.from(d.subarray(0, m)).sort((a, b) => lengths[a] - lengths[b] || a - b);
    d.set(sorted);
    return;
  }
  for (let a = 1; a < m; a++) {
    const x = d[a];
    let b = a;
    while (b > 0 && (lengths[d[b - 1]] > lengths[x] || (lengths[d[b - 1]] === lengths[x] && d[b - 1] > x))) {
      d[b] = d[b - 1];
      b--;
    }
    d[b] = x;
  }
}

/**
 * Each bond of a neighbour list once: the entry i → j with i < j, and for a bond to an atom's own
 * image the one of the two with the lexicographically positive vector.
 */
export function unorderedBonds(list: NeighborList): BondList {
  const n = list.start.length - 1;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      if (j > i || (j === i && positiveVector(list.vectors, e))) keep.push(e);
    }
  }
  const count = keep.length;
  const bonds: BondList = { count, i: new Int32Array(count), j: new Int32Array(count), vectors: new Float64Array(3 * count), lengths: new Float64Array(count) };
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (; e < count && keep[e] < list.start[i + 1]; e++) {
      const k = keep[e];
      bonds.i[e] = i;
      bonds.j[e] = list.index[k];
      bonds.vectors.set(list.vectors.subarray(3 * k, 3 * k + 3), 3 * e);
      bonds.lengths[e] = list.distances[k];
    }
  }
  return bonds;
}

function positiveVector(v: Float64Array, e: number): boolean {
  const x = v[3 * e];
  const y = v[3 * e + 1];
  return x > 0 || (x === 0 && (y > 0 || (y === 0 && v[3 * e + 2] > 0)));
}
