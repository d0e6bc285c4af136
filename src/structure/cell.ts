/**
 * 3×3 cell matrices, rows are the lattice vectors a, b, c in Å (ASE's convention).
 * Pure functions on Float64Array(9); no classes, so they are cheap in hot loops.
 */
export type Mat3 = Float64Array;

export function mat3(rows: ArrayLike<number>): Mat3 {
  if (rows.length !== 9) throw new RangeError(`a 3×3 cell needs 9 numbers, got ${rows.length}`);
  return Float64Array.from(rows);
}

export function determinant(m: Mat3): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Inverse of a 3×3 matrix; throws RangeError when it is singular. */
export function inverse(m: Mat3): Mat3 {
  const det = determinant(m);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError(`cell matrix is singular (det = ${det})`);
  const r = new Float64Array(9);
  r[0] = (m[4] * m[8] - m[5] * m[7]) / det;
  r[1] = (m[2] * m[7] - m[1] * m[8]) / det;
  r[2] = (m[1] * m[5] - m[2] * m[4]) / det;
  r[3] = (m[5] * m[6] - m[3] * m[8]) / det;
  r[4] = (m[0] * m[8] - m[2] * m[6]) / det;
  r[5] = (m[2] * m[3] - m[0] * m[5]) / det;
  r[6] = (m[3] * m[7] - m[4] * m[6]) / det;
  r[7] = (m[1] * m[6] - m[0] * m[7]) / det;
  r[8] = (m[0] * m[4] - m[1] * m[3]) / det;
  return r;
}

export function vectorLength(m: Mat3, row: number): number {
  return Math.hypot(m[3 * row], m[3 * row + 1], m[3 * row + 2]);
}

/**
 * Distances between opposite faces of the cell (the "heights"), one per axis. A sphere of radius r
 * fits in the cell without touching itself only when r < height/2; the neighbour search uses these.
 */
export function perpendicularWidths(m: Mat3): [number, number, number] {
  const volume = Math.abs(determinant(m));
  const cross = (i: number, j: number): number => {
    const a = 3 * i;
    const b = 3 * j;
    return Math.hypot(
      m[a + 1] * m[b + 2] - m[a + 2] * m[b + 1],
      m[a + 2] * m[b] - m[a] * m[b + 2],
      m[a] * m[b + 1] - m[a + 1] * m[b],
    );
  };
  return [volume / cross(1, 2), volume / cross(2, 0), volume / cross(0, 1)];
}

/** In-plane area |a × b| of the first two cell vectors. */
export function inPlaneArea(m: Mat3): number {
  return Math.hypot(m[1] * m[5] - m[2] * m[4], m[2] * m[3] - m[0] * m[5], m[0] * m[4] - m[1] * m[3]);
}

/** True when the off-diagonal entries vanish (to a relative tolerance). */
export function isOrthorhombic(m: Mat3, tolerance = 1e-10): boolean {
  const scale = Math.max(Math.abs(m[0]), Math.abs(m[4]), Math.abs(m[8]), 1);
  return [1, 2, 3, 5, 6, 7].every((k) => Math.abs(m[k]) <= tolerance * scale);
}

/** Fractional → Cartesian for one point: x = f · M. */
export function toCartesian(m: Mat3, f0: number, f1: number, f2: number, out: Float64Array, offset: number): void {
  out[offset] = f0 * m[0] + f1 * m[3] + f2 * m[6];
  out[offset + 1] = f0 * m[1] + f1 * m[4] + f2 * m[7];
  out[offset + 2] = f0 * m[2] + f1 * m[5] + f2 * m[8];
}
