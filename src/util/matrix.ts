import { InputError } from '../errors.js';
import type { NdArray } from '../io/npy.js';

/** A dense row-major matrix; NaN marks a missing value. */
export interface Matrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** rows × cols from an array of rank ≥ 1; a rank > 2 array is flattened per row (e.g. channels × bins). */
export function asMatrix(array: NdArray, what = 'X'): Matrix {
  if (array.shape.length === 0) throw new InputError(`${what} must have at least one dimension`);
  const rows = array.shape[0];
  const cols = array.shape.length === 1 ? 1 : array.shape.slice(1).reduce((a, b) => a * b, 1);
  if (rows * cols !== array.data.length) throw new InputError(`${what}: shape (${array.shape.join(', ')}) does not match ${array.data.length} values`);
  return { data: array.data, rows, cols };
}

export function matrix(rows: number[][]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new InputError(`row ${r} has ${row.length} values, expected ${cols}`);
    data.set(row, r * cols);
  });
  return { data, rows: rows.length, cols };
}

/** Labels: a vector with one finite value per row. */
export function checkLabels(y: ArrayLike<number>, rows: number, what = 'y'): Float64Array {
  if (y.length !== rows) throw new InputError(`${what} has ${y.length} values for ${rows} rows of X`);
  const out = Float64Array.from(y);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InputError(`${what}[${bad}] = ${out[bad]}: labels must be finite numbers (drop the rows with missing labels)`);
  return out;
}
