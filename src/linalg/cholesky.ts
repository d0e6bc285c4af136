import { InputError } from '../errors.js';

/**
 * Dense symmetric positive-definite solves for kernel ridge regression, in float64 on flat
 * row-major arrays. Written here rather than taken from ml-matrix (tried first): its
 * CholeskyDecomposition works on arrays of rows with a column-oriented inner loop and took 19.8 s
 * for n = 3240 on this machine kind; the row-oriented (Cholesky–Banachiewicz) order below, in row
 * blocks with two rows per inner loop, took 3.7 s. No BLAS/LAPACK binding is both well kept and
 * free of native builds for Node; bench/krr.ts compares the whole fit with scikit-learn's LAPACK.
 */

/** Σ_k<len a[ao+k]·b[bo+k], four partial sums so the adds pipeline. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < len; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}

/** Σ_k<len a[ao+k]·b[bo+k] summed strictly in order, as each product of crossDots is. */
function orderedDot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[ao + k] * b[bo + k];
  return s;
}

/**
 * out[r·bCount + c] = a_r · b_c for rows a_0…a_{aCount−1} (at aOffset, `width` apart) and rows
 * b_0…b_{bCount−1}: two rows of each at a time, so every load feeds two products. Every product is
 * summed in the same order whatever rows it is paired with, so a prediction does not depend on the
 * other inputs of its batch.
 */
export function crossDots(a: Float64Array, aOffset: number, aCount: number, b: Float64Array, bOffset: number, bCount: number, width: number, out: Float64Array): void {
  let r = 0;
  for (; r + 1 < aCount; r += 2) {
    const a0 = aOffset + r * width;
    const a1 = a0 + width;
    let c = 0;
    for (; c + 1 < bCount; c += 2) {
      const b0 = bOffset + c * width;
      const b1 = b0 + width;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < width; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[r * bCount + c] = s00;
      out[r * bCount + c + 1] = s01;
      out[(r + 1) * bCount + c] = s10;
      out[(r + 1) * bCount + c + 1] = s11;
    }
    if (c < bCount) {
      out[r * bCount + c] = orderedDot(a, a0, b, bOffset + c * width, width);
      out[(r + 1) * bCount + c] = orderedDot(a, a1, b, bOffset + c * width, width);
    }
  }
  if (r < aCount) for (let c = 0; c < bCount; c++) out[r * bCount + c] = orderedDot(a, aOffset + r * width, b, bOffset + c * width, width);
}

/**
 * Overwrite the lower triangle of the n × n matrix `a` with L, a = L·Lᵀ (the upper triangle is
 * left as it was and never read). Throws when `a` is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  if (a.length < n * n) throw new InputError(`cholesky: ${a.length} values cannot hold a ${n} × ${n} matrix`);
  // Rows in blocks of ROW_BLOCK: each finished row j is streamed once per block rather than once per
  // row, which keeps the work compute-bound once the matrix outgrows the caches.
  for (let start = 0; start < n; start += ROW_BLOCK) {
    const end = Math.min(n, start + ROW_BLOCK);
    for (let j = 0; j < start; j++) {
      const rowJ = j * n;
      const pivot = a[rowJ + j];
      let i = start;
      // two rows at a time share the loads of row j
      for (; i + 1 < end; i += 2) {
        const r0 = i * n;
        const r1 = r0 + n;
        let s0 = 0;
        let s1 = 0;
        let t0 = 0;
        let t1 = 0;
        let k = 0;
        for (; k + 2 <= j; k += 2) {
          const b0 = a[rowJ + k];
          const b1 = a[rowJ + k + 1];
          s0 += a[r0 + k] * b0;
          t0 += a[r0 + k + 1] * b1;
          s1 += a[r1 + k] * b0;
          t1 += a[r1 + k + 1] * b1;
        }
        if (k < j) {
          s0 += a[r0 + k] * a[rowJ + k];
          s1 += a[r1 + k] * a[rowJ + k];
        }
        a[r0 + j] = (a[r0 + j] - s0 - t0) / pivot;
        a[r1 + j] = (a[r1 + j] - s1 - t1) / pivot;
      }
      if (i < end) a[i * n + j] = (a[i * n + j] - dot(a, i * n, a, rowJ, j)) / pivot;
    }
    for (let i = start; i < end; i++) {
      const rowI = i * n;
      for (let j = start; j < i; j++) a[rowI + j] = (a[rowI + j] - dot(a, rowI, a, j * n, j)) / a[j * n + j];
      const d = a[rowI + i] - dot(a, rowI, a, rowI, i);
      if (!(d > 0)) throw new InputError(`cholesky: the matrix is not positive definite (pivot ${i} is ${d})`);
      a[rowI + i] = Math.sqrt(d);
    }
  }
}

const ROW_BLOCK = 32;

/**
 * Solve L·Lᵀ·X = B for the factor from choleskyInPlace; B is n × m row-major and is overwritten by X.
 * Each right-hand side is worked on as a contiguous column copy so the inner products stay contiguous.
 */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  if (b.length !== n * m) throw new InputError(`cholesky solve: right-hand side has ${b.length} values, expected ${n} × ${m}`);
  const column = new Float64Array(n);
  // Lᵀ row-major = L column-major: the back substitution reads it contiguously
  const upper = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) upper[j * n + i] = l[i * n + j];
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) column[i] = b[i * m + c];
    // forward: L y = b
    for (let i = 0; i < n; i++) column[i] = (column[i] - dot(l, i * n, column, 0, i)) / l[i * n + i];
    // backward: Lᵀ x = y
    for (let i = n - 1; i >= 0; i--) column[i] = (column[i] - dot(upper, i * n + i + 1, column, i + 1, n - i - 1)) / upper[i * n + i];
    for (let i = 0; i < n; i++) b[i * m + c] = column[i];
  }
}
