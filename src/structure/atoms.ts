import { InputError } from '../errors.js';
import { determinant, type Mat3 } from './cell.js';
import { MASSES_AMU, SYMBOLS, atomicNumber } from './elements.js';

export type Pbc = readonly [boolean, boolean, boolean];

/** An extra per-atom array (charges, forces, velocities…): `width` numbers per atom. */
export interface PerAtomArray {
  readonly data: Float64Array;
  readonly width: number;
}

export interface AtomsInit {
  /** Cartesian positions in Å, x0 y0 z0 x1 y1 z1 … */
  positions: ArrayLike<number>;
  /** Atomic numbers, or chemical symbols. */
  numbers?: ArrayLike<number>;
  symbols?: readonly string[];
  /** Rows a, b, c in Å. Missing (or all-zero on a non-periodic axis) is allowed. */
  cell?: ArrayLike<number>;
  pbc?: Pbc;
  info?: Record<string, string | number | boolean>;
}

/**
 * The central object, as ASE's Atoms: positions, species, cell and periodicity, validated once here
 * so everything downstream can trust it. Hot loops read the typed arrays directly.
 */
export class Atoms {
  readonly positions: Float64Array;
  readonly numbers: Uint8Array;
  readonly cell: Mat3;
  readonly pbc: Pbc;
  readonly info: Record<string, string | number | boolean>;
  private readonly extra = new Map<string, PerAtomArray>();

  constructor(init: AtomsInit) {
    const n = init.positions.length / 3;
    if (!Number.isInteger(n)) throw new RangeError(`positions must hold 3 numbers per atom, got ${init.positions.length}`);
    this.positions = Float64Array.from(init.positions);
    for (let k = 0; k < this.positions.length; k++) {
      if (!Number.isFinite(this.positions[k])) {
        throw new InputError(`position of atom ${Math.floor(k / 3) + 1} is not a finite number (${this.positions[k]})`);
      }
    }
    this.numbers = new Uint8Array(n);
    if (init.numbers !== undefined) {
      if (init.numbers.length !== n) throw new RangeError(`${init.numbers.length} atomic numbers for ${n} atoms`);
      for (let i = 0; i < n; i++) {
        const z = init.numbers[i];
        if (!Number.isInteger(z) || z < 1 || z >= SYMBOLS.length) {
          throw new InputError(`atom ${i + 1}: atomic number ${z} is not an element (expected 1…${SYMBOLS.length - 1})`);
        }
        this.numbers[i] = z;
      }
    } else if (init.symbols !== undefined) {
      if (init.symbols.length !== n) throw new RangeError(`${init.symbols.length} symbols for ${n} atoms`);
      for (let i = 0; i < n; i++) {
        const z = atomicNumber(init.symbols[i]);
        if (z === undefined) throw new InputError(`atom ${i + 1}: unknown chemical symbol "${init.symbols[i]}"`);
        this.numbers[i] = z;
      }
    } else if (n > 0) {
      throw new InputError('atoms need either numbers or symbols');
    }
    this.cell = init.cell === undefined ? new Float64Array(9) : Float64Array.from(init.cell);
    if (this.cell.length !== 9) throw new RangeError(`cell must have 9 numbers, got ${this.cell.length}`);
    if (!this.cell.every(Number.isFinite)) throw new InputError('cell contains a non-finite number');
    this.pbc = init.pbc ?? [false, false, false];
    for (let axis = 0; axis < 3; axis++) {
      const length = Math.hypot(this.cell[3 * axis], this.cell[3 * axis + 1], this.cell[3 * axis + 2]);
      if (this.pbc[axis] && !(length > 0)) {
        throw new InputError(`axis ${'abc'[axis]} is periodic but its cell vector has zero length`);
      }
    }
    if (this.pbc.some(Boolean) && this.pbc.every(Boolean) && Math.abs(determinant(this.cell)) < 1e-12) {
      throw new InputError('the cell is periodic in 3D but its vectors are linearly dependent (zero volume)');
    }
    this.info = { ...(init.info ?? {}) };
  }

  get length(): number {
    return this.numbers.length;
  }

  get symbols(): string[] {
    return Array.from(this.numbers, (z) => SYMBOLS[z]);
  }

  /** Volume |det(cell)| in Å³ (0 for a cell that is not 3D). */
  get volume_A3(): number {
    return Math.abs(determinant(this.cell));
  }

  /** Standard atomic masses of the atoms. */
  masses_amu(): Float64Array {
    return Float64Array.from(this.numbers, (z) => MASSES_AMU[z]);
  }

  /** Hill formula: C and H first, then alphabetical (C210, CH4, …). */
  formula(): string {
    const counts = new Map<string, number>();
    for (const s of this.symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
    const keys = [...counts.keys()].sort();
    const ordered = counts.has('C')
      ? ['C', ...(counts.has('H') ? ['H'] : []), ...keys.filter((k) => k !== 'C' && k !== 'H')]
      : keys;
    return ordered.map((k) => `${k}${counts.get(k) === 1 ? '' : counts.get(k)}`).join('');
  }

  /** Store a per-atom array under a name; the one place such arrays are validated. */
  setArray(name: string, data: ArrayLike<number>, width: number): void {
    if (data.length !== width * this.length) {
      throw new RangeError(`array "${name}" needs ${width * this.length} numbers (${width} per atom), got ${data.length}`);
    }
    this.extra.set(name, { data: Float64Array.from(data), width });
  }

  getArray(name: string): PerAtomArray | undefined {
    return this.extra.get(name);
  }

  arrayNames(): string[] {
    return [...this.extra.keys()];
  }

  /** Supercell n0 × n1 × n2 (each ≥ 1), atoms ordered by image then by original index. */
  repeat(n0: number, n1: number, n2: number): Atoms {
    const reps = [n0, n1, n2];
    if (!reps.every((k) => Number.isInteger(k) && k >= 1)) throw new RangeError(`repeat counts must be integers ≥ 1, got ${reps}`);
    const n = this.length;
    const total = n0 * n1 * n2;
    const positions = new Float64Array(3 * n * total);
    const numbers = new Uint8Array(n * total);
    let image = 0;
    for (let i0 = 0; i0 < n0; i0++)
      for (let i1 = 0; i1 < n1; i1++)
        for (let i2 = 0; i2 < n2; i2++, image++) {
          for (let d = 0; d < 3; d++) {
            const shift = i0 * this.cell[d] + i1 * this.cell[3 + d] + i2 * this.cell[6 + d];
            for (let a = 0; a < n; a++) positions[3 * (image * n + a) + d] = this.positions[3 * a + d] + shift;
          }
          numbers.set(this.numbers, image * n);
        }
    const cell = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let d = 0; d < 3; d++) cell[3 * r + d] = this.cell[3 * r + d] * reps[r];
    return new Atoms({ positions, numbers, cell, pbc: this.pbc, info: this.info });
  }
}
