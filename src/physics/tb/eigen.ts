import { symmetricEigen, symmetricEigenvalues } from '../../linalg/symmetricEigen.js';
import { isReal, type ComplexMatrix } from './bloch.js';

/**
 * Eigenpairs of a complex Hermitian H = A + iB through the real symmetric embedding
 * [[A, −B], [B, A]] (2n×2n): every eigenvalue of H appears twice, with eigenvectors [x; y] and
 * [−y; x] of the complex vector x + iy. Nothing downstream needs the pairs split: a DoS counts every
 * embedded level with weight ½, and a Kubo–Greenwood sum over all embedded pairs is twice the
 * complex sum (shown in kubo.ts), so degenerate levels need no care. Real H (time-reversal-invariant
 * k) is diagonalised directly at n×n.
 */
export interface HermitianEigen {
  /** n (real path) or 2n (embedded). */
  readonly dim: number;
  readonly embedded: boolean;
  /** Ascending. */
  readonly values: Float64Array;
  /** dim×dim row-major, column k = eigenvector k (present when asked for). */
  readonly vectors?: Float64Array;
  /** Weight of one listed level: 1, or ½ when embedded. */
  readonly levelWeight: number;
}

/** Threshold below which imaginary parts are rounding (sin(π) ≈ 1e−16 at zone-boundary points). */
export const REAL_TOLERANCE = 1e-10;

export function embed(m: ComplexMatrix): Float64Array {
  const n = m.n;
  const d = 2 * n;
  const out = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = m.re[i * n + j];
      const b = m.im[i * n + j];
      out[i * d + j] = a;
      out[(i + n) * d + j + n] = a;
      out[i * d + j + n] = -b;
      out[(i + n) * d + j] = b;
    }
  return out;
}

export function hermitianEigen(h: ComplexMatrix, withVectors: boolean): HermitianEigen {
  const real = isReal(h, REAL_TOLERANCE);
  const matrix = real ? h.re : embed(h);
  const dim = real ? h.n : 2 * h.n;
  if (!withVectors) return { dim, embedded: !real, values: symmetricEigenvalues(matrix, dim), levelWeight: real ? 1 : 0.5 };
  const { values, vectors } = symmetricEigen(matrix, dim);
  return { dim, embedded: !real, values, vectors, levelWeight: real ? 1 : 0.5 };
}
