import { InputError } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { forEachMinimumImagePair } from '../structure/minimumImage.js';
import { atomicNumber } from '../structure/elements.js';
import { neighborList } from '../structure/neighbors.js';
import { Grid, HistogramAccumulator } from './grid.js';
import { SoftHistogram } from './softBins.js';
import { sheetView } from './sheet.js';

/**
 * Kinds of pair correlation function.
 * - `2d`: in-plane distances (x, y only), normalised per area: g = h / (N·ρ₂D·2πr·dr), ρ₂D = N/A.
 * - `3d`: 3D distances with the same per-area normalisation (the SPRamNet reference "g3d").
 *   For a buckled sheet it dips below 1 at small r, where pairs with |Δz| > r cannot reach.
 * - `quasi2d`: 3D distances, normalised by what an uncorrelated sheet with this structure's own
 *   height profile would give:  E_k = (1/A) Σ_i Σ_j π[(r_{k+1}² − Δz_ij²)₊ − (r_k² − Δz_ij²)₊].
 *   A pair at height difference Δz reaches 3D distances in [r_k, r_{k+1}) from the in-plane annulus
 *   of that area, so g → 1 at every r for a random buckled sheet, and equals `2d` for a flat one.
 *   This keeps the bond-length resolution of 3D distances without the buckling artefact of `3d`.
 * - `bulk`: 3D distances, per volume: g = h / (N·ρ·(4π/3)(r_{k+1}³ − r_k³)), ρ = N/V, for 3D solids.
 */
export type PcfKind = '2d' | '3d' | 'quasi2d' | 'bulk';
export const PCF_KINDS: readonly PcfKind[] = ['2d', '3d', 'quasi2d', 'bulk'];

/**
 * Which periodic images count. `all`: every image within r_max (correct for any cell, invariant
 * under supercell replication). `minimum`: only the nearest image in x and y, as the SPRamNet
 * reference featurizer does; it equals `all` for cells at least 2·r_max wide and truncates g(r)
 * beyond half the cell width otherwise. Needs an orthorhombic cell.
 */
export type ImageConvention = 'all' | 'minimum';

export interface PcfOptions {
  kind: PcfKind;
  grid: Grid;
  images?: ImageConvention;
  /** Width of a Gaussian each distance is spread with, Å (0: plain histogram). */
  smearing_A?: number;
  /**
   * Soft bins: each distance spread uniformly over this many bin widths (0 < spread ≤ 1; 1 shares
   * it linearly between the two nearest bin centres), so g(r) is continuous in the positions
   * (softBins.ts). 0 or absent: the hard histogram.
   */
  binSpread?: number;
  /** A partial g_ab(r): pairs with i of species a and j of species b, normalised by N_a·ρ_b. */
  species?: readonly [string, string];
  /** Name used in error messages. */
  file?: string;
}

/** The distances a kind uses: pairs (i, j) in ordered form, each image once, as a visitor. */
type PairVisitor = (i: number, j: number, r: number, dz: number) => void;

interface Geometry {
  positions: Float64Array;
  /** Area for sheet kinds, volume for bulk. */
  measure: number;
}

function geometry(atoms: Atoms, kind: PcfKind, file: string): Geometry & { pbc: readonly [boolean, boolean, boolean] } {
  if (kind === 'bulk') {
    if (!atoms.pbc.every(Boolean)) throw new InputError(`${file}: a bulk g(r) needs a cell periodic in all three axes`);
    return { positions: atoms.positions, measure: atoms.volume_A3, pbc: atoms.pbc };
  }
  const sheet = sheetView(atoms, file);
  return { positions: sheet.positions, measure: sheet.area_A2, pbc: sheet.pbc };
}

/** Visit every ordered pair within r_max with the kind's distance. */
function visitPairs(atoms: Atoms, kind: PcfKind, geo: Geometry & { pbc: readonly [boolean, boolean, boolean] }, rMax: number, images: ImageConvention, file: string, visit: PairVisitor): void {
  const inPlane = kind === '2d';
  const n = atoms.length;
  const pos = geo.positions;
  if (images === 'minimum') {
    forEachMinimumImagePair(pos, atoms.cell, kind === 'bulk', file, (i, j, dx, dy, dz) => {
      const r = inPlane ? Math.sqrt(dx * dx + dy * dy) : Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (r <= rMax) visit(i, j, r, dz);
    });
    return;
  }
  let searchPositions = pos;
  if (inPlane) {
    searchPositions = Float64Array.from(pos);
    for (let i = 0; i < n; i++) searchPositions[3 * i + 2] = 0;
  }
  // The grid's last edge is inclusive; search a hair beyond it.
  const list = neighborList(searchPositions, atoms.cell, geo.pbc, rMax * (1 + 1e-12) + 1e-12);
  for (let i = 0; i < n; i++) {
    for (let k = list.start[i]; k < list.start[i + 1]; k++) {
      const j = list.index[k];
      visit(i, j, list.distances[k], pos[3 * j + 2] - pos[3 * i + 2]);
    }
  }
}

/** g(r) of one structure on a grid; see PcfKind for the definitions. */
export function pairCorrelation(atoms: Atoms, options: PcfOptions): Float64Array {
  const { kind, grid } = options;
  const file = options.file ?? 'structure';
  const images = options.images ?? 'all';
  if (!PCF_KINDS.includes(kind)) throw new InputError(`unknown g(r) kind "${kind}" (expected one of ${PCF_KINDS.join(', ')})`);
  if (grid.start !== 0) throw new InputError(`a g(r) grid must start at 0 Å, got ${grid.start}`);
  const n = atoms.length;
  if (n === 0) throw new InputError(`${file}: no atoms`);
  const geo = geometry(atoms, kind, file);

  let isA: (i: number) => boolean = () => true;
  let isB: (j: number) => boolean = () => true;
  let countA = n;
  let countB = n;
  if (options.species !== undefined) {
    const [za, zb] = options.species.map((s) => {
      const z = atomicNumber(s);
      if (z === undefined) throw new InputError(`unknown chemical symbol "${s}" in a partial g(r)`);
      return z;
    });
    isA = (i) => atoms.numbers[i] === za;
    isB = (j) => atoms.numbers[j] === zb;
    countA = atoms.numbers.filter((z) => z === za).length;
    countB = atoms.numbers.filter((z) => z === zb).length;
    if (countA === 0 || countB === 0) return new Float64Array(grid.bins);
  }

  const spread = options.binSpread ?? 0;
  if (spread > 0 && (options.smearing_A ?? 0) > 0) throw new InputError('a g(r) takes either Gaussian smearing or soft bins, not both');
  const hist = spread > 0 ? new SoftHistogram(grid, spread, { start: true, stop: false }) : new HistogramAccumulator(grid, options.smearing_A ?? 0);
  const reach = spread > 0 ? SoftHistogram.reach(grid, spread) : 6 * (options.smearing_A ?? 0);
  const partial = options.species !== undefined;
  visitPairs(atoms, kind, geo, grid.stop + reach, images, file, (i, j, r) => {
    if (!partial || (isA(i) && isB(j))) hist.add(r);
  });

  const g = hist instanceof SoftHistogram ? hist.counts() : hist.counts;
  const density = countB / geo.measure;
  if (kind === 'quasi2d') {
    const expected = quasi2dExpectation(atoms, geo.positions, grid, isA, isB, geo.measure);
    for (let k = 0; k < grid.bins; k++) g[k] = expected[k] > 0 ? g[k] / expected[k] : 0;
    return g;
  }
  return normalizePairCounts(g, grid, kind === 'bulk' ? 'volume' : 'area', countA, density);
}

/**
 * Turn ordered-pair counts into g(r): divide by N_a · ρ_b · shell, where the shell is 2πr·dr per
 * area (sheets) or (4π/3)(r₁³ − r₀³) per volume (bulk). Works in place and returns `counts`.
 */
export function normalizePairCounts(counts: Float64Array, grid: Grid, per: 'area' | 'volume', countA: number, density: number): Float64Array {
  const dr = grid.edge(1) - grid.edge(0);
  for (let k = 0; k < grid.bins; k++) {
    let shell: number;
    if (per === 'volume') {
      const r0 = grid.edge(k);
      const r1 = grid.edge(k + 1);
      shell = (4 * Math.PI * (r1 * r1 * r1 - r0 * r0 * r0)) / 3;
    } else shell = 2 * Math.PI * (0.5 * (grid.edge(k + 1) + grid.edge(k))) * dr; // as the reference featurizer writes it
    counts[k] /= countA * density * shell;
  }
  return counts;
}

/** E_k of the quasi-2D normalisation, from all ordered pairs (i, j) including i = j. */
function quasi2dExpectation(
  atoms: Atoms,
  positions: Float64Array,
  grid: Grid,
  isA: (i: number) => boolean,
  isB: (j: number) => boolean,
  area: number,
): Float64Array {
  // S(R) = Σ (R² − Δz²)₊ = count(|Δz| < R)·R² − Σ_{|Δz|<R} Δz²; bucket each pair at the first edge above |Δz|.
  const edges = grid.edges();
  const count = new Float64Array(grid.bins + 2);
  const squares = new Float64Array(grid.bins + 2);
  const n = atoms.length;
  const add = (dz2: number, weight: number): void => {
    const dz = Math.sqrt(dz2);
    let k = Math.max(0, Math.floor(dz / grid.step));
    while (k <= grid.bins && edges[k] <= dz) k++;
    while (k > 0 && edges[k - 1] > dz) k--;
    count[k] += weight;
    squares[k] += weight * dz2;
  };
  for (let i = 0; i < n; i++) {
    if (!isA(i)) continue;
    const zi = positions[3 * i + 2];
    for (let j = 0; j < n; j++) {
      if (!isB(j)) continue;
      const dz = positions[3 * j + 2] - zi;
      add(dz * dz, 1);
    }
  }
  const s = new Float64Array(grid.bins + 1);
  let c = 0;
  let q = 0;
  for (let k = 0; k <= grid.bins; k++) {
    c += count[k];
    q += squares[k];
    s[k] = c * edges[k] * edges[k] - q;
  }
  const out = new Float64Array(grid.bins);
  for (let k = 0; k < grid.bins; k++) out[k] = (Math.PI * (s[k + 1] - s[k])) / area;
  return out;
}
