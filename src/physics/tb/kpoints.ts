import { InputError } from '../../errors.js';
import { inverse, type Mat3 } from '../../structure/cell.js';
import type { Pbc } from '../../structure/atoms.js';

/** k-points in fractional (reciprocal-lattice) and Cartesian (1/Å, including 2π) coordinates, weights summing to 1. */
export interface KPoints {
  readonly mesh: readonly [number, number, number];
  readonly gammaCentred: boolean;
  readonly fractional: Float64Array;
  readonly cartesian_invA: Float64Array;
  readonly weights: Float64Array;
  readonly count: number;
}

/**
 * A Monkhorst–Pack mesh (PRB 13, 5188 (1976)), Γ-centred or shifted, reduced by time reversal only:
 * H(−k) = H(k)*, so k and −k share eigenvalues and Kubo–Greenwood terms and one of them carries
 * both weights. No crystal symmetry is used (amorphous cells have none). Non-periodic axes get 1 point.
 * Even Γ-centred meshes contain only time-reversal-invariant points when the mesh is 2 in every
 * periodic direction: there H(k) is real and the cheaper real eigensolver is used.
 */
export function monkhorstPack(cell: Mat3, pbc: Pbc, mesh: readonly number[], gammaCentred = true): KPoints {
  if (mesh.length !== 3 || !mesh.every((m) => Number.isInteger(m) && m >= 1)) {
    throw new InputError(`k-point mesh must be three whole numbers ≥ 1, got ${JSON.stringify(mesh)}`);
  }
  const m = mesh.map((x, a) => (pbc[a] ? x : 1)) as [number, number, number];
  // integer coordinates on a grid of 2m per axis, so −k mod 1 compares exactly
  const coordinate = (a: number, i: number): number => (gammaCentred ? 2 * i : 2 * i - m[a] + 1);
  const wrap = (a: number, c: number): number => {
    const period = 2 * m[a];
    let x = ((c % period) + period) % period;
    if (x > m[a]) x -= period; // into (−½, ½]
    return x;
  };
  const seen = new Map<string, number>();
  const points: number[][] = [];
  const weights: number[] = [];
  for (let i0 = 0; i0 < m[0]; i0++)
    for (let i1 = 0; i1 < m[1]; i1++)
      for (let i2 = 0; i2 < m[2]; i2++) {
        const c = [wrap(0, coordinate(0, i0)), wrap(1, coordinate(1, i1)), wrap(2, coordinate(2, i2))];
        const minus = c.map((x, a) => wrap(a, -x));
        const key = c.join(',');
        const partner = seen.get(minus.join(','));
        if (partner !== undefined) {
          weights[partner]++;
          continue;
        }
        seen.set(key, points.length);
        points.push(c);
        weights.push(1);
      }
  const total = m[0] * m[1] * m[2];
  const count = points.length;
  const fractional = new Float64Array(3 * count);
  const cartesian = new Float64Array(3 * count);
  const inv = inverse(fullFrame(cell));
  for (let k = 0; k < count; k++) {
    for (let a = 0; a < 3; a++) fractional[3 * k + a] = points[k][a] / (2 * m[a]);
    // k = 2π Σ_a f_a b_a with b_a the columns of cell⁻¹ (rows of cell⁻ᵀ)
    for (let d = 0; d < 3; d++) {
      let s = 0;
      for (let a = 0; a < 3; a++) s += fractional[3 * k + a] * inv[3 * d + a];
      cartesian[3 * k + d] = 2 * Math.PI * s;
    }
  }
  return { mesh: m, gammaCentred, fractional, cartesian_invA: cartesian, weights: Float64Array.from(weights, (w) => w / total), count };
}

/** The cell with a unit normal in place of a missing vector, so the reciprocal vectors exist. */
function fullFrame(cell: Mat3): Mat3 {
  const f = Float64Array.from(cell);
  for (let a = 0; a < 3; a++) {
    if (Math.hypot(f[3 * a], f[3 * a + 1], f[3 * a + 2]) > 0) continue;
    f[3 * a + a] = 1;
  }
  return f;
}
