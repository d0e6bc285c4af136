import type { Grid } from './grid.js';
import { roundHalfEven } from '../structure/minimumImage.js';
import { Scratch } from '../util/scratch.js';
import { sheetPairKernel } from './sheetPairWasm.js';

/**
 * Fused fast path for the reference descriptors of a sheet in an orthorhombic cell under the
 * minimum-image convention: one pass over unordered pairs fills the in-plane and 3D distance
 * histograms (each pair counted for both orders) and collects the bonds for the ADF.
 * pairCorrelation/bondVectors are the plain implementations; tests hold this one to them exactly.
 * The pass runs in WebAssembly where it is built (sheetPairWasm.ts), else in JavaScript
 * (sheetMinimumImagePairsJs); the two agree bit for bit.
 */
export interface SheetPairs {
  /** Ordered-pair counts per bin: in-plane distances, 3D distances. */
  inPlane: Float64Array;
  full: Float64Array;
  /** Bonds of each atom (compressed rows), vectors r_j − r_i, in increasing j. */
  bondStart: Int32Array;
  bondVectors: Float64Array;
}

const NEAR_HALF = 0.5 - 1e-9;

/** Working arrays reused from structure to structure. */
const scratch = new Scratch();

/** numpy's d − L·round(d/L), division and half-to-even rounding as numpy does them. */
function wrapExact(d: number, length: number): number {
  return d - length * roundHalfEven(d / length);
}

export function sheetMinimumImagePairs(positions: Float64Array, a_A: number, b_A: number, grid: Grid, bondCutoff_A: number): SheetPairs {
  const kernel = sheetPairKernel();
  if (kernel === null) return sheetMinimumImagePairsJs(positions, a_A, b_A, grid, bondCutoff_A);
  const counts = kernel.run(positions, a_A, b_A, grid, bondCutoff_A);
  const inPlane = new Float64Array(grid.bins);
  const full = new Float64Array(grid.bins);
  for (let k = 0; k < grid.bins; k++) {
    inPlane[k] = 2 * counts.inPlane[k];
    full[k] = 2 * counts.full[k];
  }
  return { inPlane, full, ...bondRows(positions.length / 3, counts.bondCount, counts.bondPairs, counts.bondVectors) };
}

/** The JavaScript pass: the specification of the WebAssembly one, and what runs without it. */
export function sheetMinimumImagePairsJs(positions: Float64Array, a_A: number, b_A: number, grid: Grid, bondCutoff_A: number): SheetPairs {
  const n = positions.length / 3;
  const bins = grid.bins;
  const edges = grid.edges();
  const invStep = 1 / grid.step;
  const rMax2 = grid.stop * grid.stop;
  const bond2 = bondCutoff_A * bondCutoff_A;
  const invA = 1 / a_A;
  const invB = 1 / b_A;
  const inPlane = new Float64Array(bins);
  const full = new Float64Array(bins);
  const xs = scratch.floats('xs', n);
  const ys = scratch.floats('ys', n);
  const zs = scratch.floats('zs', n);
  for (let i = 0; i < n; i++) {
    xs[i] = positions[3 * i];
    ys[i] = positions[3 * i + 1];
    zs[i] = positions[3 * i + 2];
  }
  // Bonds are few (≤ ~6 per carbon atom): each unordered one once, in loop order.
  let bondCount = 0;
  let bondPairs = scratch.ints('bondPairs', 8 * n + 16);
  let bondD = scratch.floats('bondD', 3 * (4 * n + 8));

  for (let i = 0; i < n; i++) {
    const xi = xs[i];
    const yi = ys[i];
    const zi = zs[i];
    for (let j = i + 1; j < n; j++) {
      // Math.floor compiles to one rounding instruction, so this wrap has no data-dependent branch
      // (the shift's sign is a coin toss per pair and a branch on it mispredicts half the time).
      // floor(q + ½) is numpy's round(d/L) except within ulps of a half-integer: those go to wrapExact.
      let dx = xs[j] - xi;
      let dy = ys[j] - yi;
      const qx = dx * invA;
      const qy = dy * invB;
      const rx = Math.floor(qx + 0.5);
      const ry = Math.floor(qy + 0.5);
      if (Math.abs(qx - rx) > NEAR_HALF || Math.abs(qy - ry) > NEAR_HALF) {
        dx = wrapExact(dx, a_A);
        dy = wrapExact(dy, b_A);
      } else {
        dx -= a_A * rx;
        dy -= b_A * ry;
      }
      const s2 = dx * dx + dy * dy;
      if (s2 > rMax2) continue; // the 3D distance is at least the in-plane one
      const dz = zs[j] - zi;
      const r2 = s2 + dz * dz;
      const s = Math.sqrt(s2);
      let k = (s * invStep) | 0;
      if (k >= bins) k = bins - 1;
      if (s < edges[k]) k--;
      else if (k < bins - 1 && s >= edges[k + 1]) k++;
      inPlane[k] += 2;
      if (r2 <= rMax2) {
        const r = Math.sqrt(r2);
        let m = (r * invStep) | 0;
        if (m >= bins) m = bins - 1;
        if (r < edges[m]) m--;
        else if (m < bins - 1 && r >= edges[m + 1]) m++;
        full[m] += 2;
        if (r2 < bond2) {
          if (2 * bondCount + 2 > bondPairs.length) {
            bondPairs = grow(bondPairs);
            bondD = grow(bondD);
          }
          bondPairs[2 * bondCount] = i;
          bondPairs[2 * bondCount + 1] = j;
          bondD[3 * bondCount] = dx;
          bondD[3 * bondCount + 1] = dy;
          bondD[3 * bondCount + 2] = dz;
          bondCount++;
        }
      }
    }
  }
  return { inPlane, full, ...bondRows(n, bondCount, bondPairs, bondD) };
}

/**
 * Compressed bond rows from the unordered bonds in loop order (i < j, i then j increasing): each
 * bond joins row i as r_j − r_i and row j as its negative. A stable counting sort in loop order
 * gives every row its partners in increasing index (those below the atom come from earlier rows).
 */
function bondRows(n: number, count: number, pairs: Int32Array, vectors: Float64Array): Pick<SheetPairs, 'bondStart' | 'bondVectors'> {
  const bondStart = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) {
    bondStart[pairs[2 * k] + 1]++;
    bondStart[pairs[2 * k + 1] + 1]++;
  }
  for (let i = 0; i < n; i++) bondStart[i + 1] += bondStart[i];
  const fill = bondStart.slice(0, n);
  const bondVectors = new Float64Array(3 * bondStart[n]);
  for (let k = 0; k < count; k++) {
    const out = fill[pairs[2 * k]]++;
    const back = fill[pairs[2 * k + 1]]++;
    for (let d = 0; d < 3; d++) {
      bondVectors[3 * out + d] = vectors[3 * k + d];
      bondVectors[3 * back + d] = -vectors[3 * k + d];
    }
  }
  return { bondStart, bondVectors };
}

function grow<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(2 * a.length);
  b.set(a);
  return b;
}
