import { InputError } from '../errors.js';
import type { AtomicSystem } from './forceField.js';
import { neighborList } from '../structure/neighbors.js';

/**
 * A Verlet neighbour list: all ordered pairs (i, j, image) within cutoff + skin, rebuilt only when
 * some atom has moved more than skin/2 since the last build (then no pair can have crossed from
 * beyond cutoff + skin to inside cutoff), or when the cell, periodicity or atom count changed.
 * Each entry stores its image offset in Å, so r_ij = r_j + shift − r_i stays exact as atoms move.
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

  constructor(cutoff_A: number, skin_A: number) {
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
    const list = neighborList(x, system.cell, system.pbc, this.cutoff_A + this.skin_A);
    const count = list.index.length;
    this.start = list.start;
    this.index = list.index;
    if (this.shift.length !== 3 * count) this.shift = new Float64Array(3 * count);
    const n = x.length / 3;
    for (let i = 0; i < n; i++) {
      for (let e = list.start[i]; e < list.start[i + 1]; e++) {
        const j = list.index[e];
        for (let d = 0; d < 3; d++) this.shift[3 * e + d] = list.vectors[3 * e + d] - (x[3 * j + d] - x[3 * i + d]);
      }
    }
    this.reference = Float64Array.from(x);
    this.cell.set(system.cell);
    this.pbc = [...system.pbc];
    this.builds++;
  }
}
