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

/**
 * One Chebyshev step in a single pass: next = 2(α·M·curr + β·curr) − prev, returning ⟨next, curr⟩
 * (the KPM doubling trick needs it); out of place, next must not alias curr or prev.
 */
export function chebyshevStep(m: CsrMatrix, curr: Float64Array, prev: Float64Array, next: Float64Array, alpha: number, beta: number): number {
  const { start, column, value } = m;
  const a2 = 2 * alpha;
  const b2 = 2 * beta;
  let dot = 0;
  for (let i = 0; i < m.n; i++) {
    let s = 0;
    for (let k = start[i]; k < start[i + 1]; k++) s += value[k] * curr[column[k]];
    const x = a2 * s + b2 * curr[i] - prev[i];
    next[i] = x;
    dot += x * curr[i];
  }
  return dot;
}

/**
 * chebyshevStep on a block of `lanes` real vectors stored interleaved, x[i·lanes + l], so one pass
 * over the matrix serves all of them: next = 2(α·M·curr + β·curr) − prev written as
 * a2·(M·curr) + b2·curr − prev. dots[0] += Σ_l ⟨next, curr⟩, dots[1] += Σ_l ⟨next, next⟩ (the KPM
 * moments only need the sums over the block). The plain reference of the WebAssembly kernel
 * (assembly/chebyshev.ts, chebyshevBlock.ts).
 */
export function chebyshevStepBlock(
  m: CsrMatrix, lanes: number, curr: Float64Array, prev: Float64Array, next: Float64Array, a2: number, b2: number, dots: Float64Array,
): void {
  const { start, column, value } = m;
  const s = new Float64Array(lanes);
  let dc = 0;
  let dn = 0;
  for (let i = 0; i < m.n; i++) {
    s.fill(0);
    for (let k = start[i]; k < start[i + 1]; k++) {
      const v = value[k];
      const o = column[k] * lanes;
      for (let l = 0; l < lanes; l++) s[l] += v * curr[o + l];
    }
    const o = i * lanes;
    for (let l = 0; l < lanes; l++) {
      const x = a2 * s[l] + b2 * curr[o + l] - prev[o + l];
      next[o + l] = x;
      dc += x * curr[o + l];
      dn += x * x;
    }
  }
  dots[0] += dc;
  dots[1] += dn;
}

/**
 * The step of a Chebyshev filter Σ_m c_m T_m(H̃) x on a block (layout as chebyshevStepBlock):
 * next = a2·(M·curr) + b2·curr − prev, then out += c·next. prev may be next (each row of prev is read
 * before that row of next is written); curr may not. Plain reference of assembly/chebyshev.ts.
 */
export function chebyshevFilterStepBlock(
  m: CsrMatrix, lanes: number, curr: Float64Array, prev: Float64Array, next: Float64Array, a2: number, b2: number, c: number, out: Float64Array,
): void {
  const { start, column, value } = m;
  const s = new Float64Array(lanes);
  for (let i = 0; i < m.n; i++) {
    s.fill(0);
    for (let k = start[i]; k < start[i + 1]; k++) {
      const v = value[k];
      const o = column[k] * lanes;
      for (let l = 0; l < lanes; l++) s[l] += v * curr[o + l];
    }
    const o = i * lanes;
    for (let l = 0; l < lanes; l++) {
      const x = a2 * s[l] + b2 * curr[o + l] - prev[o + l];
      next[o + l] = x;
      out[o + l] += c * x;
    }
  }
}
