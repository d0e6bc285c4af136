// The pair loop of the reference descriptors (src/descriptors/sheetPairLoop.ts is the JavaScript
// twin it must match bit for bit): every unordered pair of a sheet in an orthorhombic cell under
// numpy's minimum image, counted into the in-plane and 3D distance histograms, bonds written out.
//
// Why WebAssembly: two pairs at a time (f64x2) through the minimum-image wrap and the r_max test,
// which ~60 % of pairs fail; the lanes are IEEE doubles, so each pair's numbers are the scalar ones.

const NEAR_HALF: f64 = 0.5 - 1e-9;

let bondCount = 0;
let bondLimit = 0;

// Bin of x ≤ stop on edges e_k (numpy.histogram: [e_k, e_{k+1}), the last bin closed): the guess
// from the step, corrected against the edges themselves.
@inline function binOf(x: f64, invStep: f64, edges: usize, bins: i32): i32 {
  let k = <i32>(x * invStep);
  if (k >= bins) k = bins - 1;
  if (x < load<f64>(edges + (<usize>k << 3))) k--;
  else if (k < bins - 1 && x >= load<f64>(edges + (<usize>(k + 1) << 3))) k++;
  return k;
}

@inline function increment(counts: usize, k: i32): void {
  const p = counts + (<usize>k << 2);
  store<i32>(p, load<i32>(p) + 1);
}

// One pair inside r_max in-plane (s2 ≤ rMax2): its bins and, if a bond, its record.
@inline function inside(i: i32, j: i32, dx: f64, dy: f64, s2: f64, dz: f64, rMax2: f64, invStep: f64, edges: usize, bins: i32, inPlane: usize, full: usize, bond2: f64, bondPairs: usize, bondVectors: usize): void {
  increment(inPlane, binOf(sqrt(s2), invStep, edges, bins));
  const r2 = s2 + dz * dz;
  if (r2 > rMax2) return;
  increment(full, binOf(sqrt(r2), invStep, edges, bins));
  if (r2 < bond2) {
    if (bondCount < bondLimit) {
      store<i32>(bondPairs + (<usize>bondCount << 3), i);
      store<i32>(bondPairs + (<usize>bondCount << 3) + 4, j);
      const v = bondVectors + <usize>bondCount * 24;
      store<f64>(v, dx);
      store<f64>(v + 8, dy);
      store<f64>(v + 16, dz);
    }
    bondCount++;
  }
}

// One pair the scalar way (the JavaScript loop's arithmetic): floor(q + ½) is numpy's round(d/L)
// except within ulps of a half-integer, where the division and round-half-even (f64.nearest) serve.
@inline function scalarPair(i: i32, j: i32, xs: usize, ys: usize, zs: usize, xi: f64, yi: f64, zi: f64, a: f64, b: f64, invA: f64, invB: f64, rMax2: f64, invStep: f64, edges: usize, bins: i32, inPlane: usize, full: usize, bond2: f64, bondPairs: usize, bondVectors: usize): void {
  let dx = load<f64>(xs + (<usize>j << 3)) - xi;
  let dy = load<f64>(ys + (<usize>j << 3)) - yi;
  const qx = dx * invA;
  const qy = dy * invB;
  const rx = floor(qx + 0.5);
  const ry = floor(qy + 0.5);
  if (abs(qx - rx) > NEAR_HALF || abs(qy - ry) > NEAR_HALF) {
    dx = dx - a * nearest(dx / a);
    dy = dy - b * nearest(dy / b);
  } else {
    dx -= a * rx;
    dy -= b * ry;
  }
  const s2 = dx * dx + dy * dy;
  if (s2 > rMax2) return;
  inside(i, j, dx, dy, s2, load<f64>(zs + (<usize>j << 3)) - zi, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
}

// xs, ys, zs: n f64 each. edges: bins + 1 f64. inPlane, full: bins i32 each, unordered pairs per
// bin. Bonds (3D distance within r_max and below the cut-off) go to bondPairs (i, j as i32 pairs)
// and bondVectors (r_j − r_i, 3 f64) in the scalar loop's order (i, then increasing j). Returns the
// number of bonds; only the first bondCapacity are written (call again with more room if fewer).
export function sheetMinimumImagePairs(
  xs: usize, ys: usize, zs: usize, n: i32,
  a: f64, b: f64,
  rMax2: f64, invStep: f64, edges: usize, bins: i32,
  inPlane: usize, full: usize,
  bond2: f64, bondPairs: usize, bondVectors: usize, bondCapacity: i32,
): i32 {
  memory.fill(inPlane, 0, <usize>bins << 2);
  memory.fill(full, 0, <usize>bins << 2);
  bondCount = 0;
  bondLimit = bondCapacity;
  const invA = 1 / a;
  const invB = 1 / b;
  const vInvA = f64x2.splat(invA);
  const vInvB = f64x2.splat(invB);
  const vA = f64x2.splat(a);
  const vB = f64x2.splat(b);
  const vHalf = f64x2.splat(0.5);
  const vNearHalf = f64x2.splat(NEAR_HALF);
  const vRMax2 = f64x2.splat(rMax2);
  for (let i = 0; i < n; i++) {
    const xi = load<f64>(xs + (<usize>i << 3));
    const yi = load<f64>(ys + (<usize>i << 3));
    const zi = load<f64>(zs + (<usize>i << 3));
    const vxi = f64x2.splat(xi);
    const vyi = f64x2.splat(yi);
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      let dx = f64x2.sub(v128.load(xs + (<usize>j << 3)), vxi);
      let dy = f64x2.sub(v128.load(ys + (<usize>j << 3)), vyi);
      const qx = f64x2.mul(dx, vInvA);
      const qy = f64x2.mul(dy, vInvB);
      const rx = f64x2.floor(f64x2.add(qx, vHalf));
      const ry = f64x2.floor(f64x2.add(qy, vHalf));
      const nearHalf = v128.or(f64x2.gt(f64x2.abs(f64x2.sub(qx, rx)), vNearHalf), f64x2.gt(f64x2.abs(f64x2.sub(qy, ry)), vNearHalf));
      if (v128.any_true(nearHalf)) {
        scalarPair(i, j, xs, ys, zs, xi, yi, zi, a, b, invA, invB, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
        scalarPair(i, j + 1, xs, ys, zs, xi, yi, zi, a, b, invA, invB, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
        continue;
      }
      dx = f64x2.sub(dx, f64x2.mul(vA, rx));
      dy = f64x2.sub(dy, f64x2.mul(vB, ry));
      const s2 = f64x2.add(f64x2.mul(dx, dx), f64x2.mul(dy, dy));
      const within = f64x2.le(s2, vRMax2);
      if (!v128.any_true(within)) continue;
      if (i64x2.extract_lane(within, 0) != 0) {
        inside(i, j, f64x2.extract_lane(dx, 0), f64x2.extract_lane(dy, 0), f64x2.extract_lane(s2, 0), load<f64>(zs + (<usize>j << 3)) - zi, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
      }
      if (i64x2.extract_lane(within, 1) != 0) {
        inside(i, j + 1, f64x2.extract_lane(dx, 1), f64x2.extract_lane(dy, 1), f64x2.extract_lane(s2, 1), load<f64>(zs + (<usize>(j + 1) << 3)) - zi, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
      }
    }
    if (j < n) scalarPair(i, j, xs, ys, zs, xi, yi, zi, a, b, invA, invB, rMax2, invStep, edges, bins, inPlane, full, bond2, bondPairs, bondVectors);
  }
  return bondCount;
}
