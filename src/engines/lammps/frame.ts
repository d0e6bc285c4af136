import { Atoms } from '../../structure/atoms.js';
import { inverse, type Mat3 } from '../../structure/cell.js';
import { InputError } from '../../errors.js';

/**
 * LAMMPS wants a restricted triclinic box: a along x, b in the xy-plane, tilts |xy| ≤ lx/2,
 * |xz| ≤ lx/2, |yz| ≤ ly/2. `toLammpsCell` gives that box for any cell (first replacing b and c by
 * equivalent lattice vectors with small tilts, which changes no physics), and the orthogonal map Q
 * with cell_lammps = cell_reduced · Q, so a vector v (row) in LAMMPS' frame is v_L Qᵀ in ours.
 */
export interface LammpsCell {
  /** The lattice-equivalent cell, original orientation (rows a, b′, c′). */
  reduced: Mat3;
  /** The same box in LAMMPS' frame (rows). */
  lammps: Mat3;
  /** Orthogonal 3×3 (row-major) with lammps = reduced · Q. */
  q: Mat3;
}

const dot = (u: ArrayLike<number>, v: ArrayLike<number>): number => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];

function lammpsBox(m: Mat3): Mat3 {
  const a = m.subarray(0, 3);
  const b = m.subarray(3, 6);
  const c = m.subarray(6, 9);
  const ax = Math.sqrt(dot(a, a));
  const bx = dot(b, a) / ax;
  const by = Math.sqrt(Math.max(0, dot(b, b) - bx * bx));
  const cx = dot(c, a) / ax;
  const cy = (dot(b, c) - bx * cx) / by;
  const cz = Math.sqrt(Math.max(0, dot(c, c) - cx * cx - cy * cy));
  return Float64Array.from([ax, 0, 0, bx, by, 0, cx, cy, cz]);
}

export function toLammpsCell(cell: Mat3): LammpsCell {
  for (let r = 0; r < 3; r++) {
    if (!(Math.hypot(cell[3 * r], cell[3 * r + 1], cell[3 * r + 2]) > 0)) {
      throw new InputError(`LAMMPS needs three cell vectors; vector ${'abc'[r]} is zero (give the structure a cell, with vacuum on open axes)`);
    }
  }
  const m = Float64Array.from(cell);
  const sub = (row: number, from: number, k: number): void => {
    for (let d = 0; d < 3; d++) m[3 * row + d] -= k * m[3 * from + d];
  };
  let box = lammpsBox(m);
  sub(1, 0, Math.round(box[3] / box[0])); // xy
  box = lammpsBox(m);
  sub(2, 1, Math.round(box[7] / box[4])); // yz
  box = lammpsBox(m);
  sub(2, 0, Math.round(box[6] / box[0])); // xz
  box = lammpsBox(m);
  // A left-handed cell gets cz < 0 in LAMMPS' formulas; the positive cz makes Q a reflection,
  // which maps forces and positions alike, so results still come back right.
  const q = multiply(inverse(m), box);
  return { reduced: m, lammps: box, q };
}

export function multiply(a: Mat3, b: Mat3): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
  return out;
}

/** Atoms with the reduced cell (same positions and species). */
export function withCell(atoms: Atoms, cell: Mat3): Atoms {
  return new Atoms({ positions: atoms.positions, numbers: atoms.numbers, cell, pbc: atoms.pbc });
}

/** Rows v (3 per atom) from LAMMPS' frame back to ours: v Qᵀ. */
export function vectorsFromLammps(v: Float64Array, q: Mat3): Float64Array {
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k += 3) {
    for (let d = 0; d < 3; d++) out[k + d] = v[k] * q[3 * d] + v[k + 1] * q[3 * d + 1] + v[k + 2] * q[3 * d + 2];
  }
  return out;
}

/** A 3×3 tensor T (row-major) from LAMMPS' frame back to ours: Q T Qᵀ. */
export function tensorFromLammps(t: Mat3, q: Mat3): Mat3 {
  const qt = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) qt[3 * r + c] = q[3 * c + r];
  return multiply(multiply(q, t), qt);
}
