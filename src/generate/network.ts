import { InputError } from '../errors.js';

/** Most bonds an atom may carry in a generated network (sp³-like sites at most). */
export const MAX_DEGREE = 6;

/**
 * A bonded network on an orthorhombic sheet periodic in x and y: positions plus an explicit bond
 * list (adjacency rows of fixed width). Bond vectors use the minimum image in x and y, which is
 * unambiguous because generated cells are many bond lengths wide (checked at construction).
 */
export class BondNetwork {
  readonly n: number;
  readonly positions: Float64Array;
  readonly lx_A: number;
  readonly ly_A: number;
  readonly neighbors: Int32Array;
  readonly degree: Int32Array;

  constructor(positions: Float64Array, lx_A: number, ly_A: number) {
    if (!(lx_A >= 6 && ly_A >= 6)) throw new InputError(`sheet cell must be at least 6 Å wide in x and y, got ${lx_A} × ${ly_A} Å`);
    this.n = positions.length / 3;
    this.positions = positions;
    this.lx_A = lx_A;
    this.ly_A = ly_A;
    this.neighbors = new Int32Array(this.n * MAX_DEGREE).fill(-1);
    this.degree = new Int32Array(this.n);
  }

  /** Minimum-image vector r_j − r_i into out[offset…offset+2]. */
  vector(i: number, j: number, out: Float64Array, offset = 0): void {
    const p = this.positions;
    let dx = p[3 * j] - p[3 * i];
    let dy = p[3 * j + 1] - p[3 * i + 1];
    dx -= this.lx_A * Math.round(dx / this.lx_A);
    dy -= this.ly_A * Math.round(dy / this.ly_A);
    out[offset] = dx;
    out[offset + 1] = dy;
    out[offset + 2] = p[3 * j + 2] - p[3 * i + 2];
  }

  distance(i: number, j: number): number {
    const v = SCRATCH;
    this.vector(i, j, v);
    return Math.hypot(v[0], v[1], v[2]);
  }

  bonded(i: number, j: number): boolean {
    const row = i * MAX_DEGREE;
    for (let k = 0; k < this.degree[i]; k++) if (this.neighbors[row + k] === j) return true;
    return false;
  }

  neighbor(i: number, k: number): number {
    return this.neighbors[i * MAX_DEGREE + k];
  }

  addBond(i: number, j: number): void {
    if (i === j || this.bonded(i, j)) throw new RangeError(`bond ${i}–${j} cannot be added`);
    if (this.degree[i] >= MAX_DEGREE || this.degree[j] >= MAX_DEGREE) throw new RangeError(`atom ${i} or ${j} already has ${MAX_DEGREE} bonds`);
    this.neighbors[i * MAX_DEGREE + this.degree[i]++] = j;
    this.neighbors[j * MAX_DEGREE + this.degree[j]++] = i;
  }

  removeBond(i: number, j: number): void {
    this.dropHalf(i, j);
    this.dropHalf(j, i);
  }

  private dropHalf(i: number, j: number): void {
    const row = i * MAX_DEGREE;
    const d = this.degree[i];
    for (let k = 0; k < d; k++) {
      if (this.neighbors[row + k] === j) {
        // keep the order of the others: rings and switches then do not depend on removal history
        for (let m = k; m < d - 1; m++) this.neighbors[row + m] = this.neighbors[row + m + 1];
        this.neighbors[row + d - 1] = -1;
        this.degree[i]--;
        return;
      }
    }
    throw new RangeError(`atoms ${i} and ${j} are not bonded`);
  }

  bondCount(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.degree[i];
    return s / 2;
  }

  /** Each bond once, i < j. */
  bonds(): Int32Array {
    const out = new Int32Array(2 * this.bondCount());
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      for (let m = 0; m < this.degree[i]; m++) {
        const j = this.neighbors[i * MAX_DEGREE + m];
        if (j > i) {
          out[k++] = i;
          out[k++] = j;
        }
      }
    }
    return out;
  }

  /** A new network with the atoms whose keep flag is set, bonds among them kept, indices renumbered. */
  subset(keep: Uint8Array): BondNetwork {
    const map = new Int32Array(this.n).fill(-1);
    let m = 0;
    for (let i = 0; i < this.n; i++) if (keep[i]) map[i] = m++;
    const pos = new Float64Array(3 * m);
    for (let i = 0; i < this.n; i++) if (map[i] >= 0) pos.set(this.positions.subarray(3 * i, 3 * i + 3), 3 * map[i]);
    const out = new BondNetwork(pos, this.lx_A, this.ly_A);
    for (let i = 0; i < this.n; i++) {
      if (map[i] < 0) continue;
      for (let k = 0; k < this.degree[i]; k++) {
        const j = this.neighbors[i * MAX_DEGREE + k];
        if (j > i && map[j] >= 0) out.addBond(map[i], map[j]);
      }
    }
    return out;
  }

  clone(): BondNetwork {
    const out = new BondNetwork(Float64Array.from(this.positions), this.lx_A, this.ly_A);
    out.neighbors.set(this.neighbors);
    out.degree.set(this.degree);
    return out;
  }

  /** Bonds from distances: every pair closer than cutoff (minimum image in x, y). O(N²), for building only. */
  static fromDistances(positions: Float64Array, lx_A: number, ly_A: number, cutoff_A: number): BondNetwork {
    const net = new BondNetwork(positions, lx_A, ly_A);
    for (let i = 0; i < net.n; i++) for (let j = i + 1; j < net.n; j++) if (net.distance(i, j) < cutoff_A && net.degree[i] < MAX_DEGREE && net.degree[j] < MAX_DEGREE) net.addBond(i, j);
    return net;
  }
}

const SCRATCH = new Float64Array(3);
