import { InputError } from '../errors.js';
import { inverse, perpendicularWidths, type Mat3 } from './cell.js';
import type { Pbc } from './atoms.js';

/**
 * All ordered pairs (i, j, image) with |r_j + image − r_i| < cutoff, in compressed rows: the
 * neighbours of atom i are entries start[i] … start[i+1]−1. Every image within the cutoff is
 * listed, so cells shorter than twice the cutoff (even shorter than the cutoff) are handled.
 */
export interface NeighborList {
  readonly cutoff_A: number;
  readonly start: Int32Array;
  readonly index: Int32Array;
  /** r_j + image − r_i, 3 per entry, Å. */
  readonly vectors: Float64Array;
  readonly distances: Float64Array;
}

class GrowableList {
  index = new Int32Array(1024);
  vectors = new Float64Array(3072);
  distances = new Float64Array(1024);
  size = 0;
  push(j: number, dx: number, dy: number, dz: number, r: number): void {
    if (this.size === this.index.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.index = grow(this.index);
      this.vectors = grow(this.vectors);
      this.distances = grow(this.distances);
    }
    const k = this.size++;
    this.index[k] = j;
    this.vectors[3 * k] = dx;
    this.vectors[3 * k + 1] = dy;
    this.vectors[3 * k + 2] = dz;
    this.distances[k] = r;
  }
}

/**
 * The frame the search bins in: the cell's vectors on periodic axes; on a non-periodic axis whose
 * vector is missing, a unit vector normal to the others, so molecules and slabs need no fake cell.
 */
export function searchFrame(cell: Mat3, pbc: Pbc): Mat3 {
  const frame = Float64Array.from(cell);
  const length = (r: number): number => Math.hypot(frame[3 * r], frame[3 * r + 1], frame[3 * r + 2]);
  for (let axis = 0; axis < 3; axis++) {
    if (pbc[axis] || length(axis) > 0) continue;
    const u = (axis + 1) % 3;
    const v = (axis + 2) % 3;
    let n = [
      frame[3 * u + 1] * frame[3 * v + 2] - frame[3 * u + 2] * frame[3 * v + 1],
      frame[3 * u + 2] * frame[3 * v] - frame[3 * u] * frame[3 * v + 2],
      frame[3 * u] * frame[3 * v + 1] - frame[3 * u + 1] * frame[3 * v],
    ];
    let norm = Math.hypot(n[0], n[1], n[2]);
    if (!(norm > 0)) {
      n = [0, 0, 0];
      n[axis] = 1;
      norm = 1;
    }
    for (let d = 0; d < 3; d++) frame[3 * axis + d] = n[d] / norm;
  }
  // Vectors still dependent (e.g. two given, parallel): fall back to the Cartesian axes where not periodic.
  try {
    inverse(frame);
  } catch {
    for (let axis = 0; axis < 3; axis++) if (!pbc[axis]) frame.fill(0, 3 * axis, 3 * axis + 3), (frame[4 * axis] = 1);
  }
  return frame;
}

/**
 * Fractional coordinates in `frame` (inverse `inv`), wrapped into [0, 1) on periodic axes, and the
 * Cartesian positions wrapped with them (into `frac`, `wrapped`, 3 per atom); the fractional range
 * per axis. Shared with the fused sheet pair pass (descriptors/sheetPairs.ts), which must compute
 * pair vectors with exactly this arithmetic.
 */
export function wrapIntoCell(positions: Float64Array, frame: Mat3, inv: Mat3, pbc: Pbc, frac: Float64Array, wrapped: Float64Array): { lo: number[]; hi: number[] } {
  const n = positions.length / 3;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i];
    const y = positions[3 * i + 1];
    const z = positions[3 * i + 2];
    let f0 = x * inv[0] + y * inv[3] + z * inv[6];
    let f1 = x * inv[1] + y * inv[4] + z * inv[7];
    let f2 = x * inv[2] + y * inv[5] + z * inv[8];
    let shift0 = 0;
    let shift1 = 0;
    let shift2 = 0;
    // −1e-17 − floor → 1.0 in floating point: such a point goes to 0 and the next image
    if (pbc[0]) {
      shift0 = Math.floor(f0);
      f0 -= shift0;
      if (f0 >= 1) (f0 = 0), shift0++;
    }
    if (pbc[1]) {
      shift1 = Math.floor(f1);
      f1 -= shift1;
      if (f1 >= 1) (f1 = 0), shift1++;
    }
    if (pbc[2]) {
      shift2 = Math.floor(f2);
      f2 -= shift2;
      if (f2 >= 1) (f2 = 0), shift2++;
    }
    frac[3 * i] = f0;
    frac[3 * i + 1] = f1;
    frac[3 * i + 2] = f2;
    if (f0 < lo[0]) lo[0] = f0;
    if (f0 > hi[0]) hi[0] = f0;
    if (f1 < lo[1]) lo[1] = f1;
    if (f1 > hi[1]) hi[1] = f1;
    if (f2 < lo[2]) lo[2] = f2;
    if (f2 > hi[2]) hi[2] = f2;
    for (let d = 0; d < 3; d++) {
      wrapped[3 * i + d] = positions[3 * i + d] - shift0 * frame[d] - shift1 * frame[3 + d] - shift2 * frame[6 + d];
    }
  }
  return { lo, hi };
}

/** Cell-list neighbour search, O(N) for a fixed density; periodic in any subset of axes. */
export function neighborList(positions: Float64Array, cell: Mat3, pbc: Pbc, cutoff_A: number): NeighborList {
  if (!(cutoff_A > 0) || !Number.isFinite(cutoff_A)) throw new InputError(`neighbour cutoff must be a positive number of Å, got ${cutoff_A}`);
  const n = positions.length / 3;
  const frame = searchFrame(cell, pbc);
  const inv = inverse(frame);
  const widths = perpendicularWidths(frame);
  const frac = new Float64Array(3 * n);
  const wrapped = new Float64Array(3 * n);
  const { lo, hi } = wrapIntoCell(positions, frame, inv, pbc, frac, wrapped);

  // Bins at least one cutoff wide (perpendicular), so neighbours sit in adjacent bins; `reach` bins
  // either side when a bin is narrower than the cutoff (cells shorter than the cutoff).
  const bins = [1, 1, 1];
  const reach = [1, 1, 1];
  const origin = [0, 0, 0];
  const span = [1, 1, 1];
  for (let a = 0; a < 3; a++) {
    if (!pbc[a]) {
      origin[a] = n > 0 ? lo[a] : 0;
      span[a] = n > 0 ? Math.max(hi[a] - lo[a], 0) * (1 + 1e-12) + 1e-300 : 1;
    }
    const extent_A = widths[a] * span[a];
    bins[a] = Math.max(1, Math.min(Math.floor(extent_A / cutoff_A), Math.ceil(Math.cbrt(n)) * 4 + 1));
    reach[a] = Math.max(1, Math.ceil(cutoff_A / (extent_A / bins[a])));
    if (!pbc[a]) reach[a] = Math.min(reach[a], bins[a]);
  }
  const binOf = new Int32Array(n);
  const counts = new Int32Array(bins[0] * bins[1] * bins[2] + 1);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let a = 0; a < 3; a++) {
      let b = Math.floor(((frac[3 * i + a] - origin[a]) / span[a]) * bins[a]);
      b = Math.min(bins[a] - 1, Math.max(0, b));
      key = key * bins[a] + b;
    }
    binOf[i] = key;
    counts[key + 1]++;
  }
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  const members = new Int32Array(n);
  const fill = counts.slice(0, -1);
  for (let i = 0; i < n; i++) members[fill[binOf[i]]++] = i;

  const out = new GrowableList();
  const start = new Int32Array(n + 1);
  const cut2 = cutoff_A * cutoff_A;
  for (let i = 0; i < n; i++) {
    start[i] = out.size;
    const key = binOf[i];
    const b2 = key % bins[2];
    const b1 = Math.floor(key / bins[2]) % bins[1];
    const b0 = Math.floor(key / (bins[1] * bins[2]));
    const xi = wrapped[3 * i];
    const yi = wrapped[3 * i + 1];
    const zi = wrapped[3 * i + 2];
    for (let o0 = -reach[0]; o0 <= reach[0]; o0++) {
      const c0 = b0 + o0;
      if (!pbc[0] && (c0 < 0 || c0 >= bins[0])) continue;
      const s0 = Math.floor(c0 / bins[0]);
      const w0 = c0 - s0 * bins[0];
      for (let o1 = -reach[1]; o1 <= reach[1]; o1++) {
        const c1 = b1 + o1;
        if (!pbc[1] && (c1 < 0 || c1 >= bins[1])) continue;
        const s1 = Math.floor(c1 / bins[1]);
        const w1 = c1 - s1 * bins[1];
        for (let o2 = -reach[2]; o2 <= reach[2]; o2++) {
          const c2 = b2 + o2;
          if (!pbc[2] && (c2 < 0 || c2 >= bins[2])) continue;
          const s2 = Math.floor(c2 / bins[2]);
          const w2 = c2 - s2 * bins[2];
          const sx = s0 * frame[0] + s1 * frame[3] + s2 * frame[6] - xi;
          const sy = s0 * frame[1] + s1 * frame[4] + s2 * frame[7] - yi;
          const sz = s0 * frame[2] + s1 * frame[5] + s2 * frame[8] - zi;
          const self = s0 === 0 && s1 === 0 && s2 === 0;
          const bin = (w0 * bins[1] + w1) * bins[2] + w2;
          for (let m = counts[bin]; m < counts[bin + 1]; m++) {
            const j = members[m];
            if (self && j === i) continue;
            const dx = wrapped[3 * j] + sx;
            const dy = wrapped[3 * j + 1] + sy;
            const dz = wrapped[3 * j + 2] + sz;
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < cut2) out.push(j, dx, dy, dz, Math.sqrt(r2));
          }
        }
      }
    }
  }
  start[n] = out.size;
  return {
    cutoff_A,
    start,
    index: out.index.slice(0, out.size),
    vectors: out.vectors.slice(0, 3 * out.size),
    distances: out.distances.slice(0, out.size),
  };
}

/** Number of neighbours of each atom within the list's cutoff (or a shorter one). */
export function coordinationNumbers(list: NeighborList, cutoff_A = list.cutoff_A): Int32Array {
  const n = list.start.length - 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let k = list.start[i]; k < list.start[i + 1]; k++) if (list.distances[k] < cutoff_A) out[i]++;
  return out;
}
