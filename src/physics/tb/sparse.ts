import type { HoppingList } from './model.js';

/**
 * The Γ-point Hamiltonian of a (super)cell in compressed rows: H_ij = Σ_images t_ij. Duplicate
 * (i, j) entries from different images stay separate (a mat-vec sums them). `velocity(axis)` gives
 * A_α with ħv_α = i·A_α, A_ij = t_ij·d_ij,α (real antisymmetric), on the same pattern.
 */
export interface CsrMatrix {
  readonly n: number;
  readonly start: Int32Array;
  readonly column: Int32Array;
  readonly value: Float64Array;
}

export function csrHamiltonian(h: HoppingList): CsrMatrix {
  return { n: h.n, start: h.start, column: h.j, value: h.t_eV };
}

export function csrVelocity(h: HoppingList, axis: 0 | 1 | 2): CsrMatrix {
  const value = new Float64Array(h.t_eV.length);
  for (let e = 0; e < value.length; e++) value[e] = h.t_eV[e] * h.d_A[3 * e + axis];
  return { n: h.n, start: h.start, column: h.j, value };
}

/** out = α·(M x) + β·y (out may alias y, not x). */
export function csrMultiply(m: CsrMatrix, x: Float64Array, out: Float64Array, alpha = 1, beta = 0, y?: Float64Array): void {
  const { start, column, value } = m;
  for (let i = 0; i < m.n; i++) {
    let s = 0;
    for (let k = start[i]; k < start[i + 1]; k++) s += value[k] * x[column[k]];
    out[i] = beta === 0 ? alpha * s : alpha * s + beta * y![i];
  }
}

/** Gershgorin bounds [min, max] of the spectrum of a symmetric CSR matrix. */
export function gershgorinBounds(m: CsrMatrix): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.n; i++) {
    let diagonal = 0;
    let radius = 0;
    for (let k = m.start[i]; k < m.start[i + 1]; k++) {
      if (m.column[k] === i) diagonal += m.value[k];
      else radius += Math.abs(m.value[k]);
    }
    // an entry to itself through an image is off-diagonal in the operator sense, but lies on the diagonal of H
    lo = Math.min(lo, diagonal - radius);
    hi = Math.max(hi, diagonal + radius);
  }
  return [lo, hi];
}
