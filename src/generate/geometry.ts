import { MAX_DEGREE, type BondNetwork } from './network.js';

const A = new Float64Array(3);
const B = new Float64Array(3);
const C = new Float64Array(3);

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** Whether bonds a–b and c–e cross in the xy projection (shared atoms do not count as crossing). */
export function bondsCross2d(net: BondNetwork, a: number, b: number, c: number, e: number): boolean {
  if (a === c || a === e || b === c || b === e) return false;
  net.vector(a, b, A);
  net.vector(a, c, B);
  if (B[0] * B[0] + B[1] * B[1] > 36) return false; // farther than any two bonds can reach
  net.vector(c, e, C);
  const p1x = 0, p1y = 0, p2x = A[0], p2y = A[1];
  const q1x = B[0], q1y = B[1], q2x = B[0] + C[0], q2y = B[1] + C[1];
  const d1 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
  const d2 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
  const d3 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
  const d4 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/** The longest bond the crossing test must see: two bonds that cross lie within 2·this of each other's first atoms. */
const REACH_A = 6;

/**
 * The atoms within `margin_A` of some atom of `atoms` (a superset: every atom within
 * max_t |r_t − r_0| + margin of atoms[0]). A trial switch moves only its region, so the checks
 * below look at this neighbourhood instead of the whole sheet: O(region + n) instead of
 * O(region · n) per trial, the same answers (the minimum image of an orthorhombic cell is a
 * metric, so the triangle inequality makes the superset safe).
 */
export function atomsNear(net: BondNetwork, atoms: ArrayLike<number>, margin_A: number): Int32Array {
  const centre = atoms[0];
  let radius = 0;
  for (let t = 1; t < atoms.length; t++) radius = Math.max(radius, net.distance(centre, atoms[t]));
  const limit = radius + margin_A;
  const out: number[] = [];
  for (let j = 0; j < net.n; j++) if (net.distance(centre, j) <= limit) out.push(j);
  return Int32Array.from(out);
}

/** Whether any bond with an end among `atoms` crosses another bond of the network in projection. */
export function anyCrossing(net: BondNetwork, atoms: ArrayLike<number>): boolean {
  // bonds that cross have ends within REACH_A of each other (bondsCross2d's own early exit)
  const near = atomsNear(net, atoms, REACH_A);
  for (let t = 0; t < atoms.length; t++) {
    const a = atoms[t];
    for (let m = 0; m < net.degree[a]; m++) {
      const b = net.neighbors[a * MAX_DEGREE + m];
      for (let q = 0; q < near.length; q++) {
        const c = near[q];
        for (let k = 0; k < net.degree[c]; k++) {
          const e = net.neighbors[c * MAX_DEGREE + k];
          if (e > c && bondsCross2d(net, a, b, c, e)) return true;
        }
      }
    }
  }
  return false;
}

/** Whether an atom of `atoms` is closer than `limit_A` to an atom it is not bonded to. */
export function nonBondedCloserThan(net: BondNetwork, atoms: ArrayLike<number>, limit_A: number): boolean {
  const near = atomsNear(net, atoms, limit_A);
  for (let t = 0; t < atoms.length; t++) {
    const i = atoms[t];
    for (let q = 0; q < near.length; q++) {
      const j = near[q];
      if (j === i || net.bonded(i, j)) continue;
      if (net.distance(i, j) < limit_A) return true;
    }
  }
  return false;
}
