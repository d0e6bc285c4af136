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

/** Whether any bond with an end among `atoms` crosses another bond of the network in projection. */
export function anyCrossing(net: BondNetwork, atoms: ArrayLike<number>): boolean {
  const bonds = net.bonds();
  for (let t = 0; t < atoms.length; t++) {
    const a = atoms[t];
    for (let m = 0; m < net.degree[a]; m++) {
      const b = net.neighbors[a * MAX_DEGREE + m];
      for (let q = 0; q < bonds.length; q += 2) if (bondsCross2d(net, a, b, bonds[q], bonds[q + 1])) return true;
    }
  }
  return false;
}

/** Smallest distance between an atom of `atoms` and any atom it is not bonded to, Å. */
export function closestNonBonded(net: BondNetwork, atoms: ArrayLike<number>): number {
  let best = Infinity;
  for (let t = 0; t < atoms.length; t++) {
    const i = atoms[t];
    for (let j = 0; j < net.n; j++) {
      if (j === i || net.bonded(i, j)) continue;
      const d = net.distance(i, j);
      if (d < best) best = d;
    }
  }
  return best;
}
