import { InputError } from '../errors.js';
import type { Mat3 } from './cell.js';
import { isOrthorhombic } from './cell.js';

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Every ordered pair (i ≠ j) under the minimum-image convention of an orthorhombic cell, as the
 * SPRamNet reference featurizer computes it: d = r_j − r_i, then d −= L·round(d/L) (numpy's
 * rounding) along x and y, and along z too when wrapZ. The plain implementation behind the
 * reference descriptors' g(r) and bonds (the fused kernel in descriptors/sheetKernel.ts is tested
 * against it).
 */
export function forEachMinimumImagePair(positions: Float64Array, cell: Mat3, wrapZ: boolean, file: string, visit: (i: number, j: number, dx: number, dy: number, dz: number) => void): void {
  if (!isOrthorhombic(cell)) throw new InputError(`${file}: the minimum-image convention needs an orthorhombic cell`);
  const [a, b, c] = [cell[0], cell[4], cell[8]];
  const n = positions.length / 3;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dx = positions[3 * j] - positions[3 * i];
      let dy = positions[3 * j + 1] - positions[3 * i + 1];
      let dz = positions[3 * j + 2] - positions[3 * i + 2];
      dx -= a * roundHalfEven(dx / a);
      dy -= b * roundHalfEven(dy / b);
      if (wrapZ) dz -= c * roundHalfEven(dz / c);
      visit(i, j, dx, dy, dz);
    }
  }
}
