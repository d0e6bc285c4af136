import type { Atoms } from '../structure/atoms.js';
import { inverse } from '../structure/cell.js';
import { neighborList, type NeighborList } from '../structure/neighbors.js';
import { sheetView } from '../descriptors/sheet.js';

/**
 * Ring statistics of a sheet: Franzblau's shortest-path rings (SP rings; Franzblau, PRB 44, 4925,
 * 1991): a closed path is an SP ring when, for every two of its atoms, no path through the network
 * is shorter than the shorter way round the ring. Found on the periodic sheet over (atom, image)
 * states, so a path that wraps around the cell never closes a ring. Bonds are pairs closer than
 * the cut-off (1.85 Å, the data's ADF convention).
 *
 * Search: from every atom i, a breadth-first tree to depth ⌊maxRing/2⌋; two shortest paths from i
 * that meet only at their ends (even ring) or end on two bonded atoms at equal depth (odd ring)
 * close a candidate. Both halves of an SP ring are shortest paths from each of its atoms, so an SP
 * ring is a candidate from all of its L atoms, and a ring that is a candidate from fewer has a
 * shortcut: a candidate is kept when L distinct atoms found it.
 */
export interface RingOptions {
  bondCutoff_A?: number;
  /** Largest ring searched; larger rings (open voids) are not counted. */
  maxRing?: number;
  /** Most tied shortest paths kept per neighbour pair. */
  maxPathsPerPair?: number;
  file?: string;
}

/** Size categories of the summaries: 3…11 and 12+ (sizes 12 to maxRing). */
export const RING_CATEGORIES: readonly string[] = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12+'];

export interface RingStatistics {
  atoms: number;
  /** Each ring once, as atom indices in ring order. */
  rings: Int32Array[];
  /** Rings per size category (RING_CATEGORIES order). */
  ringCounts: Float64Array;
  /** Per atom, rings through it per category: row i = entries 10·i … 10·i+9. */
  ringsPerAtom: Int32Array;
  /** Number of bonds of each atom. */
  coordination: Int32Array;
  /** Each bond once, Å. */
  bondLengths_A: Float64Array;
  /** Every angle between two bonds of one atom, degrees. */
  bondAngles_deg: Float64Array;
  /** Standard deviation of the heights z, Å. */
  heightStd_A: number;
}

const IMG = 16;
const SPAN = 2 * IMG + 1;

function categoryOf(size: number): number {
  return Math.min(size, 12) - 3;
}

export function ringStatistics(atoms: Atoms, options: RingOptions = {}): RingStatistics {
  const cutoff = options.bondCutoff_A ?? 1.85;
  const maxRing = options.maxRing ?? 20;
  const maxPaths = options.maxPathsPerPair ?? 64;
  const sheet = sheetView(atoms, options.file ?? 'structure');
  const n = atoms.length;
  const list = neighborList(sheet.positions, sheet.cell, sheet.pbc, cutoff);
  const { start, index, vectors, distances } = list;
  const inv = inverse(sheetFrame(sheet.cell));
  const pos = sheet.positions;
  // image (a, b) of the end of each bond entry, relative to its start atom in the home cell
  const imageA = new Int32Array(index.length);
  const imageB = new Int32Array(index.length);
  for (let i = 0; i < n; i++) {
    for (let e = start[i]; e < start[i + 1]; e++) {
      const j = index[e];
      const dx = pos[3 * i] + vectors[3 * e] - pos[3 * j];
      const dy = pos[3 * i + 1] + vectors[3 * e + 1] - pos[3 * j + 1];
      const dz = pos[3 * i + 2] + vectors[3 * e + 2] - pos[3 * j + 2];
      imageA[e] = Math.round(dx * inv[0] + dy * inv[3] + dz * inv[6]);
      imageB[e] = Math.round(dx * inv[1] + dy * inv[4] + dz * inv[7]);
    }
  }
  const search = new RingSearch(list, imageA, imageB, maxRing, maxPaths);
  const found = new Map<string, { ring: Int32Array; origins: number; last: number }>();
  for (let i = 0; i < n; i++) {
    search.candidates(i, (ring) => {
      const key = canonicalKey(ring);
      if (key === undefined) return;
      const entry = found.get(key);
      if (entry === undefined) found.set(key, { ring: Int32Array.from({ length: ring.length / 3 }, (_, t) => ring[3 * t]), origins: 1, last: i });
      else if (entry.last !== i) {
        entry.origins++;
        entry.last = i;
      }
    });
  }
  const rings: Int32Array[] = [];
  for (const { ring, origins } of found.values()) if (origins === ring.length) rings.push(ring);
  const ringCounts = new Float64Array(RING_CATEGORIES.length);
  const ringsPerAtom = new Int32Array(RING_CATEGORIES.length * n);
  for (const ring of rings.values()) {
    const c = categoryOf(ring.length);
    ringCounts[c]++;
    for (const atom of ring) ringsPerAtom[RING_CATEGORIES.length * atom + c]++;
  }
  const coordination = new Int32Array(n);
  for (let i = 0; i < n; i++) coordination[i] = start[i + 1] - start[i];
  const lengths: number[] = [];
  const angles: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let a = start[i]; a < start[i + 1]; a++) {
      if (index[a] > i || (index[a] === i && vectors[3 * a] + vectors[3 * a + 1] + vectors[3 * a + 2] > 0)) lengths.push(distances[a]);
      for (let b = a + 1; b < start[i + 1]; b++) {
        const dot = vectors[3 * a] * vectors[3 * b] + vectors[3 * a + 1] * vectors[3 * b + 1] + vectors[3 * a + 2] * vectors[3 * b + 2];
        angles.push((Math.acos(Math.max(-1, Math.min(1, dot / (distances[a] * distances[b])))) * 180) / Math.PI);
      }
    }
  }
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += pos[3 * i + 2] / n;
  let zVar = 0;
  for (let i = 0; i < n; i++) zVar += (pos[3 * i + 2] - zMean) ** 2 / n;
  return {
    atoms: n,
    rings,
    ringCounts,
    ringsPerAtom,
    coordination,
    bondLengths_A: Float64Array.from(lengths),
    bondAngles_deg: Float64Array.from(angles),
    heightStd_A: Math.sqrt(zVar),
  };
}

/** The sheet's cell with a unit normal as third row (sheetView drops z periodicity). */
function sheetFrame(cell: Float64Array): Float64Array {
  const f = Float64Array.from(cell);
  f[6] = 0;
  f[7] = 0;
  f[8] = 1;
  return f;
}

/**
 * A key that names a ring whatever atom and image it was found from: entries (atom, a, b) shifted
 * so the smallest atom sits in the home cell, sorted. Undefined when an atom repeats (a walk
 * through two images of one atom is not a ring of the sheet).
 */
function canonicalKey(ring: number[]): string | undefined {
  const m = ring.length / 3;
  let low = 0;
  for (let t = 1; t < m; t++) if (ring[3 * t] < ring[3 * low]) low = t;
  const a0 = ring[3 * low + 1];
  const b0 = ring[3 * low + 2];
  const entries: Array<[number, number, number]> = [];
  for (let t = 0; t < m; t++) entries.push([ring[3 * t], ring[3 * t + 1] - a0, ring[3 * t + 2] - b0]);
  entries.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  for (let t = 1; t < m; t++) if (entries[t][0] === entries[t - 1][0]) return undefined;
  return entries.map((e) => e.join(',')).join(';');
}

/** Breadth-first trees over (atom, image) states, reused from atom to atom. */
class RingSearch {
  private readonly states = new Map<number, number>();
  private atom: number[] = [];
  private imgA: number[] = [];
  private imgB: number[] = [];
  private depth: number[] = [];
  private parents: number[][] = [];
  private paths: Array<Int32Array[] | undefined> = [];
  private mark = new Int32Array(0);
  private stamp = 0;

  constructor(
    private readonly list: NeighborList,
    private readonly imageA: Int32Array,
    private readonly imageB: Int32Array,
    private readonly maxRing: number,
    private readonly maxPaths: number,
  ) {
    this.maxDepth = Math.floor(maxRing / 2);
  }

  private readonly maxDepth: number;

  private key(atom: number, a: number, b: number): number {
    return atom * SPAN * SPAN + (a + IMG) * SPAN + (b + IMG);
  }

  private add(atom: number, a: number, b: number, depth: number): number {
    const id = this.atom.length;
    this.states.set(this.key(atom, a, b), id);
    this.atom.push(atom);
    this.imgA.push(a);
    this.imgB.push(b);
    this.depth.push(depth);
    this.parents.push([]);
    this.paths.push(undefined);
    return id;
  }

  /** Shortest paths from the root to state s (state ids, root first), at most maxPaths. */
  private pathsTo(s: number): Int32Array[] {
    const memo = this.paths[s];
    if (memo !== undefined) return memo;
    let out: Int32Array[];
    if (this.depth[s] === 0) out = [Int32Array.of(s)];
    else {
      out = [];
      for (const p of this.parents[s]) {
        for (const head of this.pathsTo(p)) {
          if (out.length >= this.maxPaths) break;
          const path = new Int32Array(head.length + 1);
          path.set(head);
          path[head.length] = s;
          out.push(path);
        }
      }
    }
    this.paths[s] = out;
    return out;
  }

  /** Whether two root-first paths share no state besides the root (and `lastShared` at the end). */
  private disjoint(p: Int32Array, q: Int32Array, lastShared: boolean): boolean {
    if (this.mark.length < this.atom.length) this.mark = new Int32Array(2 * this.atom.length);
    const stamp = ++this.stamp;
    const endP = lastShared ? p.length - 1 : p.length;
    const endQ = lastShared ? q.length - 1 : q.length;
    for (let t = 1; t < endP; t++) this.mark[p[t]] = stamp;
    for (let t = 1; t < endQ; t++) if (this.mark[q[t]] === stamp) return false;
    return true;
  }

  /** Every candidate ring through atom i, as flat (atom, a, b) lists in ring order. */
  candidates(i: number, visit: (ring: number[]) => void): void {
    const { start, index } = this.list;
    this.states.clear();
    this.atom = [];
    this.imgA = [];
    this.imgB = [];
    this.depth = [];
    this.parents = [];
    this.paths = [];
    this.add(i, 0, 0, 0);
    let frontier = [0];
    for (let depth = 1; depth <= this.maxDepth && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const s of frontier) {
        const u = this.atom[s];
        for (let e = start[u]; e < start[u + 1]; e++) {
          const a = this.imgA[s] + this.imageA[e];
          const b = this.imgB[s] + this.imageB[e];
          if (Math.abs(a) > IMG || Math.abs(b) > IMG) continue;
          let t = this.states.get(this.key(index[e], a, b));
          if (t === undefined) {
            t = this.add(index[e], a, b, depth);
            next.push(t);
          }
          if (this.depth[t] === depth) this.parents[t].push(s);
        }
      }
      frontier = next;
    }
    const emit = (p: Int32Array, q: Int32Array, even: boolean): void => {
      const ring: number[] = [];
      for (let t = 0; t < p.length; t++) ring.push(this.atom[p[t]], this.imgA[p[t]], this.imgB[p[t]]);
      for (let t = q.length - (even ? 2 : 1); t >= 1; t--) ring.push(this.atom[q[t]], this.imgA[q[t]], this.imgB[q[t]]);
      visit(ring);
    };
    for (let m = 1; m < this.atom.length; m++) {
      const h = this.depth[m];
      // even rings: two paths meeting at m
      if (h >= 2 && this.parents[m].length >= 2) {
        const ps = this.pathsTo(m);
        for (let x = 0; x < ps.length; x++) for (let y = x + 1; y < ps.length; y++) if (this.disjoint(ps[x], ps[y], true)) emit(ps[x], ps[y], true);
      }
      // odd rings: paths to m and to a bonded state m2 > m at the same depth
      const u = this.atom[m];
      for (let e = start[u]; e < start[u + 1]; e++) {
        const m2 = this.states.get(this.key(index[e], this.imgA[m] + this.imageA[e], this.imgB[m] + this.imageB[e]));
        if (m2 === undefined || m2 <= m || this.depth[m2] !== h || 2 * h + 1 > this.maxRing) continue;
        const ps = this.pathsTo(m);
        const qs = this.pathsTo(m2);
        for (const p of ps) for (const q of qs) if (this.disjoint(p, q, false)) emit(p, q, false);
      }
    }
  }
}

export interface RingSummary {
  input: string;
  ring_fractions: Record<string, number>;
  coordination: Record<string, number>;
  bond_length_A: { mean: number; std: number };
}

/**
 * The `spramnet rings --json` record: ring fractions (rings of each size over all rings found),
 * coordination fractions ("2" counts ≤ 2 bonds, "4" counts ≥ 4, so they sum to 1), bond lengths.
 */
export function ringSummary(input: string, stats: RingStatistics): RingSummary {
  const total = stats.ringCounts.reduce((x, y) => x + y, 0);
  const ring_fractions: Record<string, number> = {};
  RING_CATEGORIES.forEach((c, k) => (ring_fractions[c] = total > 0 ? stats.ringCounts[k] / total : 0));
  const n = stats.atoms;
  const coord = [0, 0, 0];
  for (const c of stats.coordination) coord[Math.min(Math.max(c, 2), 4) - 2]++;
  for (let k = 0; k < 3; k++) coord[k] /= n;
  const b = stats.bondLengths_A;
  let mean = 0;
  for (const d of b) mean += d / b.length;
  let v = 0;
  for (const d of b) v += (d - mean) ** 2 / b.length;
  return {
    input,
    ring_fractions,
    coordination: { '2': coord[0], '3': coord[1], '4': coord[2] },
    bond_length_A: { mean: b.length > 0 ? mean : 0, std: b.length > 0 ? Math.sqrt(v) : 0 },
  };
}
