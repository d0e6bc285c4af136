import type { ExtepKnot } from './params.js';
import { MAX_KNOT } from './params.js';

/**
 * ExTeP's coordination correction of a bond i–j: F_c = f_env(N^t_ij, N^t_ji) · F_XY(N^d_ij, N^d_ji)
 * (Los et al., PRB 96, 184108, 2017), evaluated as LAMMPS' `pair_style extep` does:
 *
 * - F_XY is a piecewise bicubic of the hetero-neighbour counts, one patch per unit square
 *   [a, a+1) × [b, b+1) with a, b ∈ 0…3, built from the value and first derivatives at its four
 *   corners (the knots of the file) in the form of Los & Fasolino, PRB 68, 024107 (2003), which
 *   LAMMPS took from its LCBOP F_conj. The file's cross derivative is not used. Counts ≥ 4 give 0.
 * - f_env switches F_c off for crowded atoms: 1 up to 3 other neighbours, a smoothstep to 0 between 3
 *   and 4, and 1 − (1 − x)²(1 − y)² when both atoms have fewer than one other neighbour.
 */

/** Knots per axis (N = 0…4). */
const K = MAX_KNOT + 1;
/** Patches per axis (unit squares between knots). */
const P = MAX_KNOT;
/** Coefficients per patch: f00 f01 f10 f11, fx00 fx01 fx10 fx11, fy00 fy01 fy10 fy11. */
const C = 12;

/**
 * Knot values and derivatives for ordered element pairs: (value, dF/dx, dF/dy) at (a, b), 3 numbers
 * at ((ti·nel + tj)·K + a)·K + b. Each knot is stored for (I, J) and mirrored for (J, I) with the
 * derivatives swapped, in file order, so a later line overwrites an earlier one as in LAMMPS.
 */
export function knotTable(elements: readonly string[], knots: readonly ExtepKnot[]): Float64Array {
  const nel = elements.length;
  const table = new Float64Array(nel * nel * K * K * 3);
  const put = (ti: number, tj: number, a: number, b: number, v: number, dx: number, dy: number): void => {
    const o = (((ti * nel + tj) * K + a) * K + b) * 3;
    table[o] = v;
    table[o + 1] = dx;
    table[o + 2] = dy;
  };
  for (const k of knots) {
    const ti = elements.indexOf(k.elements[0]);
    const tj = elements.indexOf(k.elements[1]);
    put(ti, tj, k.n[0], k.n[1], k.value, k.dx, k.dy);
    put(tj, ti, k.n[1], k.n[0], k.value, k.dy, k.dx);
  }
  return table;
}

/** Patch coefficients (12 per patch, at ((ti·nel + tj)·P + a)·P + b) from the knot table. */
export function patchTable(nel: number, knots: Float64Array): Float64Array {
  const out = new Float64Array(nel * nel * P * P * C);
  const at = (ti: number, tj: number, a: number, b: number, c: number): number => knots[(((ti * nel + tj) * K + a) * K + b) * 3 + c];
  for (let ti = 0; ti < nel; ti++)
    for (let tj = 0; tj < nel; tj++)
      for (let a = 0; a < P; a++)
        for (let b = 0; b < P; b++) {
          const o = (((ti * nel + tj) * P + a) * P + b) * C;
          const f00 = at(ti, tj, a, b, 0);
          const f01 = at(ti, tj, a, b + 1, 0);
          const f10 = at(ti, tj, a + 1, b, 0);
          const f11 = at(ti, tj, a + 1, b + 1, 0);
          out[o] = f00;
          out[o + 1] = f01;
          out[o + 2] = f10;
          out[o + 3] = f11;
          // "f tilde": each corner's derivative minus the patch's chord along that axis
          out[o + 4] = at(ti, tj, a, b, 1) - f10 + f00;
          out[o + 5] = at(ti, tj, a, b + 1, 1) - f11 + f01;
          out[o + 6] = -(at(ti, tj, a + 1, b, 1) - f10 + f00);
          out[o + 7] = -(at(ti, tj, a + 1, b + 1, 1) - f11 + f01);
          out[o + 8] = at(ti, tj, a, b, 2) - f01 + f00;
          out[o + 9] = -(at(ti, tj, a, b + 1, 2) - f01 + f00);
          out[o + 10] = at(ti, tj, a + 1, b, 2) - f11 + f10;
          out[o + 11] = -(at(ti, tj, a + 1, b + 1, 2) - f11 + f10);
        }
  return out;
}

/**
 * F_XY(x, y) of the ordered pair (ti, tj) for hetero-neighbour counts x, y ≥ 0; its partial
 * derivatives go to d[0] (∂/∂x) and d[1] (∂/∂y). Zero from a count of 4 on.
 */
export function correctionXY(patches: Float64Array, nel: number, ti: number, tj: number, x: number, y: number, d: Float64Array): number {
  const a = Math.floor(x);
  const b = Math.floor(y);
  if (!(a < P && b < P)) {
    d[0] = 0;
    d[1] = 0;
    return 0;
  }
  const u = x - a;
  const v = y - b;
  const o = (((ti * nel + tj) * P + a) * P + b) * C;
  const f00 = patches[o], f01 = patches[o + 1], f10 = patches[o + 2], f11 = patches[o + 3]; // prettier-ignore
  const fx00 = patches[o + 4], fx01 = patches[o + 5], fx10 = patches[o + 6], fx11 = patches[o + 7]; // prettier-ignore
  const fy00 = patches[o + 8], fy01 = patches[o + 9], fy10 = patches[o + 10], fy11 = patches[o + 11]; // prettier-ignore
  const cu = 1 - u;
  const cv = 1 - v;
  // Four corner terms: bilinear weight w times a corner value with quadratic corrections r.
  const w00 = cv * cu, r00 = f00 + u * u * fx10 + v * v * fy01; // prettier-ignore
  const w10 = cv * u, r10 = f10 + cu * cu * fx00 + v * v * fy11; // prettier-ignore
  const w01 = v * cu, r01 = f01 + u * u * fx11 + cv * cv * fy00; // prettier-ignore
  const w11 = v * u, r11 = f11 + cu * cu * fx01 + cv * cv * fy10; // prettier-ignore
  d[0] = -cv * r00 + w00 * 2 * u * fx10 + cv * r10 - w10 * 2 * cu * fx00 - v * r01 + w01 * 2 * u * fx11 + v * r11 - w11 * 2 * cu * fx01;
  d[1] = -cu * r00 + w00 * 2 * v * fy01 - u * r10 + w10 * 2 * v * fy11 + cu * r01 - w01 * 2 * cv * fy00 + u * r11 - w11 * 2 * cv * fy10;
  return w00 * r00 + w10 * r10 + w01 * r01 + w11 * r11;
}

/**
 * f_env(x, y) for total-neighbour counts x = N^t_ij, y = N^t_ji (each without the bond itself);
 * returns the value and puts ∂f_env/∂x in d[0]. (LAMMPS needs only ∂/∂x: the ∂/∂y part is the
 * mirror bond's ∂/∂x.)
 */
export function envelope(x: number, y: number, d: Float64Array): number {
  let fxy = 1;
  let dfxy = 0;
  if (x < 1 && y < 1) {
    const gx = 1 - x;
    const gy = 1 - y;
    fxy = 1 - gx * gx * gy * gy;
    dfxy = 2 * gx * gy * gy;
  }
  // smoothstep from 1 (≤ 3 other neighbours) to 0 (≥ 4): (3 − 2t)t², t = 4 − n
  let fx = 1;
  let dfx = 0;
  if (x >= 4) fx = 0;
  else if (x > 3) {
    const t = 4 - x;
    fx = (3 - 2 * t) * t * t;
    dfx = -6 * t * (1 - t);
  }
  let fy = 1;
  if (y >= 4) fy = 0;
  else if (y > 3) {
    const t = 4 - y;
    fy = (3 - 2 * t) * t * t;
  }
  d[0] = dfxy * fx * fy + fxy * dfx * fy;
  return fxy * fx * fy;
}
