import type { HoppingList } from './model.js';

/** A dense complex Hermitian matrix, n×n row-major, as real and imaginary parts. */
export interface ComplexMatrix {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * H(k)_ij = Σ_images t_ij·exp(i k·R) with R the image's lattice vector (the "periodic" gauge: basis
 * functions Σ_R e^{ik·R} φ(r − r_i − R)). It is real at time-reversal-invariant k, where the real
 * eigensolver applies. Eigenvalues do not depend on the gauge; the velocity below is written in the
 * same gauge, so matrix elements between its eigenvectors are the physical ones.
 */
export function blochHamiltonian(h: HoppingList, k: ArrayLike<number>, out?: ComplexMatrix): ComplexMatrix {
  const n = h.n;
  const re = out?.re ?? new Float64Array(n * n);
  const im = out?.im ?? new Float64Array(n * n);
  re.fill(0);
  im.fill(0);
  for (let e = 0; e < h.i.length; e++) {
    const phase = k[0] * h.lattice_A[3 * e] + k[1] * h.lattice_A[3 * e + 1] + k[2] * h.lattice_A[3 * e + 2];
    const at = h.i[e] * n + h.j[e];
    re[at] += h.t_eV[e] * Math.cos(phase);
    im[at] += h.t_eV[e] * Math.sin(phase);
  }
  return { n, re, im };
}

/**
 * ħ·v_α(k) in eV·Å: (i/ħ)[H, r_α] from hoppings × bond vectors, in the gauge of blochHamiltonian:
 * ħ v_ij = Σ_images i·d_α·t_ij·exp(i k·R), d = r_j + R − r_i the bond vector. (This equals ∂H/∂k_α in
 * the gauge with phases exp(i k·d).) At time-reversal-invariant k it is purely imaginary.
 */
export function velocityMatrix(h: HoppingList, k: ArrayLike<number>, axis: 0 | 1 | 2, out?: ComplexMatrix): ComplexMatrix {
  const n = h.n;
  const re = out?.re ?? new Float64Array(n * n);
  const im = out?.im ?? new Float64Array(n * n);
  re.fill(0);
  im.fill(0);
  for (let e = 0; e < h.i.length; e++) {
    const phase = k[0] * h.lattice_A[3 * e] + k[1] * h.lattice_A[3 * e + 1] + k[2] * h.lattice_A[3 * e + 2];
    const at = h.i[e] * n + h.j[e];
    const td = h.t_eV[e] * h.d_A[3 * e + axis];
    re[at] -= td * Math.sin(phase);
    im[at] += td * Math.cos(phase);
  }
  return { n, re, im };
}

/** True when every imaginary part is exactly zero (a real symmetric problem). */
export function isReal(m: ComplexMatrix, tolerance = 0): boolean {
  for (let k = 0; k < m.im.length; k++) if (Math.abs(m.im[k]) > tolerance) return false;
  return true;
}

/** Largest |A_ij − conj(A_ji)|: zero for a Hermitian matrix. */
export function hermiticityError(m: ComplexMatrix): number {
  let worst = 0;
  const n = m.n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      worst = Math.max(worst, Math.abs(m.re[i * n + j] - m.re[j * n + i]), Math.abs(m.im[i * n + j] + m.im[j * n + i]));
    }
  return worst;
}
