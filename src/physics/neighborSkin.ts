import { InputError } from '../errors.js';
import type { AtomicSystem } from './forceField.js';
import { neighborList } from '../structure/neighbors.js';
import { determinant, inverse, perpendicularWidths } from '../structure/cell.js';

/**
 * A Verlet neighbour list: all ordered pairs (i, j, image) within cutoff + skin, rebuilt only when
 * some atom has moved more than skin/2 since the last build (then no pair can have crossed from
 * beyond cutoff + skin to inside cutoff), or when the cell, periodicity or atom count changed.
 * Each entry stores its image offset in Å, so r_ij = r_j + shift − r_i stays exact as atoms move.
 *
 * Builds: cells periodic on all axes and at least three list cut-offs wide use a binned search
 * with buffers kept between builds (the MD case); other cells (slabs without a c vector, cells
 * narrower than the cut-off where an atom meets several images of another) use neighborList.
 */
export class VerletList {
  readonly cutoff_A: number;
  readonly skin_A: number;
  /** Entries of atom i: start[i] … start[i+1]−1. */
  start: Int32Array = new Int32Array(1);
  index: Int32Array = new Int32Array(0);
  /** Image offset of each entry, 3 per entry, Å. */
  shift = new Float64Array(0);
  /** How many times the list was built (for tests and benchmarks). */
  builds = 0;
  private reference = new Float64Array(0);
  private cell = new Float64Array(9);
  private pbc: readonly boolean[] = [];
  private readonly method: 'auto' | 'general';
  // Buffers of the binned build.
  private frac = new Float64Array(0);
  private wrapped = new Float64Array(0);
  private wrap = new Int32Array(0);
  private binOf = new Int32Array(0);
  private binStart = new Int32Array(0);
  private binAtoms = new Int32Array(0);

  /** `method: 'general'` always uses neighborList (for tests of the binned path). */
  constructor(cutoff_A: number, skin_A: number, method: 'auto' | 'general' = 'auto') {
    this.method = method;
    if (!(cutoff_A > 0) || !Number.isFinite(cutoff_A)) throw new InputError(`cutoff must be a positive number of Å, got ${cutoff_A}`);
    if (!(skin_A >= 0) || !Number.isFinite(skin_A)) throw new InputError(`neighbour skin must be ≥ 0 Å, got ${skin_A}`);
    this.cutoff_A = cutoff_A;
    this.skin_A = skin_A;
  }

  /** Rebuild when needed; returns true when it did. */
  update(system: AtomicSystem): boolean {
    if (this.needsBuild(system)) {
      this.build(system);
      return true;
    }
    return false;
  }

  /** Drop the list so the next update rebuilds it. */
  invalidate(): void {
    this.reference = new Float64Array(0);
  }

  private needsBuild(system: AtomicSystem): boolean {
    const x = system.positions;
    if (x.length !== this.reference.length || this.builds === 0) return true;
    for (let k = 0; k < 9; k++) if (system.cell[k] !== this.cell[k]) return true;
    for (let a = 0; a < 3; a++) if (system.pbc[a] !== this.pbc[a]) return true;
    const limit2 = 0.25 * this.skin_A * this.skin_A;
    const ref = this.reference;
    for (let k = 0; k < x.length; k += 3) {
      const dx = x[k] - ref[k];
      const dy = x[k + 1] - ref[k + 1];
      const dz = x[k + 2] - ref[k + 2];
      if (dx * dx + dy * dy + dz * dz > limit2) return true;
    }
    return false;
  }

  private build(system: AtomicSystem): void {
    const x = system.positions;
    if (!(this.method === 'auto' && this.buildBinned(x, system))) {
      const list = neighborList(x, system.cell, system.pbc, this.cutoff_A + this.skin_A);
      const count = list.index.length;
      this.start = list.start;
      this.index = list.index;
      if (this.shift.length < 3 * count) this.shift = new Float64Array(3 * count);
      const n = x.length / 3;
      for (let i = 0; i < n; i++) {
        for (let e = list.start[i]; e < list.start[i + 1]; e++) {
          const j = list.index[e];
          for (let d = 0; d < 3; d++) this.shift[3 * e + d] = list.vectors[3 * e + d] - (x[3 * j + d] - x[3 * i + d]);
        }
      }
    }
    this.reference = Float64Array.from(x);
    this.cell.set(system.cell);
    this.pbc = [...system.pbc];
    this.builds++;
  }

  /** Binned search over 27 neighbouring bins; false when the cell does not allow it. */
  private buildBinned(x: Float64Array, system: AtomicSystem): boolean {
    const cell = system.cell;
    if (!system.pbc.every(Boolean) || !(Math.abs(determinant(cell)) > 1e-12)) return false;
    const rc = this.cutoff_A + this.skin_A;
    const n = x.length / 3;
    const widths = perpendicularWidths(cell);
    const limit = 2 * Math.ceil(Math.cbrt(Math.max(n, 1))) + 3; // no more bins than atoms need
    const nb = widths.map((w) => Math.min(Math.floor(w / rc), limit));
    if (nb[0] < 3 || nb[1] < 3 || nb[2] < 3) return false;
    const inv = inverse(cell);
    if (this.frac.length < 3 * n) {
      this.frac = new Float64Array(3 * n);
      this.wrapped = new Float64Array(3 * n);
      this.wrap = new Int32Array(3 * n);
      this.binOf = new Int32Array(n);
      this.binAtoms = new Int32Array(n);
    }
    const nbins = nb[0] * nb[1] * nb[2];
    if (this.binStart.length < nbins + 1) this.binStart = new Int32Array(nbins + 1);
    const { frac, wrapped, wrap, binOf, binAtoms } = this;
    const binStart = this.binStart;
    binStart.fill(0, 0, nbins + 1);
    for (let i = 0; i < n; i++) {
      const px = x[3 * i];
      const py = x[3 * i + 1];
      const pz = x[3 * i + 2];
      let key = 0;
      for (let a = 0; a < 3; a++) {
        let f = px * inv[a] + py * inv[3 + a] + pz * inv[6 + a];
        let k = Math.floor(f);
        f -= k;
        if (f >= 1) (f = 0), k++; // −1e-17 − floor → 1.0 in floating point
        frac[3 * i + a] = f;
        wrap[3 * i + a] = k;
        key = key * nb[a] + Math.min(nb[a] - 1, Math.floor(f * nb[a]));
      }
      for (let d = 0; d < 3; d++) {
        wrapped[3 * i + d] = x[3 * i + d] - wrap[3 * i] * cell[d] - wrap[3 * i + 1] * cell[3 + d] - wrap[3 * i + 2] * cell[6 + d];
      }
      binOf[i] = key;
      binStart[key + 1]++;
    }
    for (let b = 0; b < nbins; b++) binStart[b + 1] += binStart[b];
    for (let i = 0; i < n; i++) binAtoms[binStart[binOf[i]]++] = i;
    for (let b = nbins; b > 0; b--) binStart[b] = binStart[b - 1];
    binStart[0] = 0;

    if (this.start.length !== n + 1) this.start = new Int32Array(n + 1);
    const start = this.start;
    let index = this.index;
    let shift = this.shift;
    if (index.length < 16 * n) {
      index = new Int32Array(16 * n);
      shift = new Float64Array(48 * n);
    }
    const rc2 = rc * rc;
    let count = 0;
    for (let i = 0; i < n; i++) {
      start[i] = count;
      const key = binOf[i];
      const b2 = key % nb[2];
      const b1 = ((key - b2) / nb[2]) % nb[1];
      const b0 = (key - b2 - b1 * nb[2]) / (nb[1] * nb[2]);
      const xi = wrapped[3 * i];
      const yi = wrapped[3 * i + 1];
      const zi = wrapped[3 * i + 2];
      const wi0 = wrap[3 * i];
      const wi1 = wrap[3 * i + 1];
      const wi2 = wrap[3 * i + 2];
      for (let o0 = -1; o0 <= 1; o0++) {
        const c0 = b0 + o0;
        const t0 = c0 < 0 ? -1 : c0 >= nb[0] ? 1 : 0;
        const w0 = c0 - t0 * nb[0];
        for (let o1 = -1; o1 <= 1; o1++) {
          const c1 = b1 + o1;
          const t1 = c1 < 0 ? -1 : c1 >= nb[1] ? 1 : 0;
          const w1 = c1 - t1 * nb[1];
          for (let o2 = -1; o2 <= 1; o2++) {
            const c2 = b2 + o2;
            const t2 = c2 < 0 ? -1 : c2 >= nb[2] ? 1 : 0;
            const w2 = c2 - t2 * nb[2];
            const tx = t0 * cell[0] + t1 * cell[3] + t2 * cell[6] - xi;
            const ty = t0 * cell[1] + t1 * cell[4] + t2 * cell[7] - yi;
            const tz = t0 * cell[2] + t1 * cell[5] + t2 * cell[8] - zi;
            const self = t0 === 0 && t1 === 0 && t2 === 0;
            const bin = (w0 * nb[1] + w1) * nb[2] + w2;
            for (let m = binStart[bin]; m < binStart[bin + 1]; m++) {
              const j = binAtoms[m];
              if (self && j === i) continue;
              const dx = wrapped[3 * j] + tx;
              const dy = wrapped[3 * j + 1] + ty;
              const dz = wrapped[3 * j + 2] + tz;
              if (dx * dx + dy * dy + dz * dz >= rc2) continue;
              if (count === index.length) {
                const grownIndex = new Int32Array(2 * count);
                grownIndex.set(index);
                index = grownIndex;
                const grownShift = new Float64Array(6 * count);
                grownShift.set(shift);
                shift = grownShift;
              }
              index[count] = j;
              // Image offset as an exact lattice vector: r_j + shift − r_i is the distance just tested.
              const s0 = t0 + wi0 - wrap[3 * j];
              const s1 = t1 + wi1 - wrap[3 * j + 1];
              const s2 = t2 + wi2 - wrap[3 * j + 2];
              shift[3 * count] = s0 * cell[0] + s1 * cell[3] + s2 * cell[6];
              shift[3 * count + 1] = s0 * cell[1] + s1 * cell[4] + s2 * cell[7];
              shift[3 * count + 2] = s0 * cell[2] + s1 * cell[5] + s2 * cell[8];
              count++;
            }
          }
        }
      }
    }
    start[n] = count;
    this.index = index;
    this.shift = shift;
    return true;
  }
}
