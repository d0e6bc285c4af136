// Element-wise and data-movement kernels of the CNN engine (see gemm.ts for why WebAssembly).
// Layouts match src/nn/kernels/reference.ts, the specification these are tested against.
// Pointers are byte offsets into the shared memory; f32 throughout.

@inline function f(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function set(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

// dst (cols × rows) = srcᵀ for src (rows × cols), in 32 × 32 tiles so both sides stay in cache.
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r0 = 0; r0 < rows; r0 += 32) {
    const r1 = min(rows, r0 + 32);
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const c1 = min(cols, c0 + 32);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) set(dst, c * rows + r, f(src, r * cols + c));
    }
  }
}

// Sum of n floats from p (SIMD lanes, then a scalar tail), in f64 for the caller to accumulate.
@inline function rowSum(p: usize, n: i32): f64 {
  let v = f32x4.splat(0);
  let t = 0;
  for (; t + 4 <= n; t += 4) v = f32x4.add(v, v128.load(p + (<usize>t << 2)));
  let s: f64 = <f64>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + <f64>(f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  for (; t < n; t++) s += <f64>load<f32>(p + (<usize>t << 2));
  return s;
}

// BatchNorm over (batch, channels, length): statistics per channel over batch and length, each
// row summed in SIMD lanes and the rows in f64; invStd holds 1/√(var + eps) for the backward pass.
export function bnForward(x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, invStd: usize, batch: i32, channels: i32, length: i32, eps: f64, momentum: f64, training: i32): void {
  const n = batch * length;
  for (let c = 0; c < channels; c++) {
    let mean: f64, variance: f64;
    if (training) {
      let s: f64 = 0;
      for (let b = 0; b < batch; b++) s += rowSum(x + (<usize>((b * channels + c) * length) << 2), length);
      mean = s / n;
      const m4 = f32x4.splat(<f32>mean);
      let v: f64 = 0;
      for (let b = 0; b < batch; b++) {
        const row = x + (<usize>((b * channels + c) * length) << 2);
        let acc = f32x4.splat(0);
        let t = 0;
        for (; t + 4 <= length; t += 4) {
          const d = f32x4.sub(v128.load(row + (<usize>t << 2)), m4);
          acc = f32x4.add(acc, f32x4.mul(d, d));
        }
        v += <f64>(f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + <f64>(f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; t < length; t++) {
          const d = <f64>load<f32>(row + (<usize>t << 2)) - mean;
          v += d * d;
        }
      }
      variance = v / n;
      set(runMean, c, <f32>((1 - momentum) * <f64>f(runMean, c) + momentum * mean));
      set(runVar, c, <f32>((1 - momentum) * <f64>f(runVar, c) + momentum * (n > 1 ? (variance * n) / (n - 1) : variance)));
    } else {
      mean = <f64>f(runMean, c);
      variance = <f64>f(runVar, c);
    }
    const inv = <f32>(1 / Math.sqrt(variance + eps));
    set(invStd, c, inv);
    const M = f32x4.splat(<f32>mean), I = f32x4.splat(inv), G = f32x4.splat(f(gamma, c)), B = f32x4.splat(f(beta, c));
    for (let b = 0; b < batch; b++) {
      const o = <usize>((b * channels + c) * length) << 2;
      let t = 0;
      for (; t + 4 <= length; t += 4) {
        const h = f32x4.mul(f32x4.sub(v128.load(x + o + (<usize>t << 2)), M), I);
        v128.store(xhat + o + (<usize>t << 2), h);
        v128.store(y + o + (<usize>t << 2), f32x4.add(f32x4.mul(G, h), B));
      }
      for (; t < length; t++) {
        const h = (load<f32>(x + o + (<usize>t << 2)) - <f32>mean) * inv;
        store<f32>(xhat + o + (<usize>t << 2), h);
        store<f32>(y + o + (<usize>t << 2), f(gamma, c) * h + f(beta, c));
      }
    }
  }
}

export function bnBackward(dy: usize, dx: usize, xhat: usize, gamma: usize, invStd: usize, dgamma: usize, dbeta: usize, batch: i32, channels: i32, length: i32, training: i32): void {
  const n = batch * length;
  for (let c = 0; c < channels; c++) {
    let sumDy: f64 = 0, sumDyXhat: f64 = 0;
    for (let b = 0; b < batch; b++) {
      const o = <usize>((b * channels + c) * length) << 2;
      let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
      let t = 0;
      for (; t + 4 <= length; t += 4) {
        const d = v128.load(dy + o + (<usize>t << 2));
        a1 = f32x4.add(a1, d);
        a2 = f32x4.add(a2, f32x4.mul(d, v128.load(xhat + o + (<usize>t << 2))));
      }
      sumDy += <f64>(f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a1, 1)) + <f64>(f32x4.extract_lane(a1, 2) + f32x4.extract_lane(a1, 3));
      sumDyXhat += <f64>(f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a2, 1)) + <f64>(f32x4.extract_lane(a2, 2) + f32x4.extract_lane(a2, 3));
      for (; t < length; t++) {
        const d = <f64>load<f32>(dy + o + (<usize>t << 2));
        sumDy += d;
        sumDyXhat += d * <f64>load<f32>(xhat + o + (<usize>t << 2));
      }
    }
    set(dgamma, c, <f32>(<f64>f(dgamma, c) + sumDyXhat));
    set(dbeta, c, <f32>(<f64>f(dbeta, c) + sumDy));
    const scale = f(gamma, c) * f(invStd, c);
    const S = f32x4.splat(scale);
    const MD = f32x4.splat(training ? <f32>(sumDy / n) : 0);
    const MX = f32x4.splat(training ? <f32>(sumDyXhat / n) : 0);
    for (let b = 0; b < batch; b++) {
      const o = <usize>((b * channels + c) * length) << 2;
      let t = 0;
      for (; t + 4 <= length; t += 4) {
        const q = <usize>t << 2;
        const d = f32x4.sub(f32x4.sub(v128.load(dy + o + q), MD), f32x4.mul(v128.load(xhat + o + q), MX));
        v128.store(dx + o + q, f32x4.mul(S, d));
      }
      for (; t < length; t++) {
        const q = <usize>t << 2;
        const md: f32 = training ? <f32>(sumDy / n) : 0;
        const mx: f32 = training ? <f32>(sumDyXhat / n) : 0;
        store<f32>(dx + o + q, scale * (load<f32>(dy + o + q) - md - load<f32>(xhat + o + q) * mx));
      }
    }
  }
}

export function relu(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(y + (<usize>k << 2), f32x4.max(v128.load(x + (<usize>k << 2)), zero));
  for (; k < n; k++) set(y, k, max<f32>(f(x, k), 0));
}

// dx = dy where y > 0, else 0
export function reluBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const mask = f32x4.gt(v128.load(y + (<usize>k << 2)), zero);
    v128.store(dx + (<usize>k << 2), v128.and(v128.load(dy + (<usize>k << 2)), mask));
  }
  for (; k < n; k++) set(dx, k, f(y, k) > 0 ? f(dy, k) : 0);
}

export function add(a: usize, b: usize, out: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(out + (<usize>k << 2), f32x4.add(v128.load(a + (<usize>k << 2)), v128.load(b + (<usize>k << 2))));
  for (; k < n; k++) set(out, k, f(a, k) + f(b, k));
}

export function maxpoolBackward(dy: usize, dx: usize, argmax: usize, outCount: i32, inCount: i32): void {
  memory.fill(dx, 0, <usize>inCount << 2);
  for (let k = 0; k < outCount; k++) {
    const i = load<i32>(argmax + (<usize>k << 2));
    set(dx, i, f(dx, i) + f(dy, k));
  }
}

// PyTorch's Adam/AdamW step on n parameters: m, v moments; c1 = 1 − β1^t, c2root = √(1 − β2^t).
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2root: f32, wd: f32, decoupled: i32): void {
  const stepSize = lr / c1;
  const B1 = f32x4.splat(b1), B2 = f32x4.splat(b2), A1 = f32x4.splat(1 - b1), A2 = f32x4.splat(1 - b2);
  const S = f32x4.splat(stepSize), E = f32x4.splat(eps), R = f32x4.splat(1 / c2root);
  const decay = f32x4.splat(decoupled ? 1 - lr * wd : 1);
  const l2 = f32x4.splat(decoupled ? 0 : wd);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    let pv = v128.load(p + o);
    const gv = f32x4.add(v128.load(g + o), f32x4.mul(l2, pv));
    pv = f32x4.mul(pv, decay);
    const mv = f32x4.add(f32x4.mul(B1, v128.load(m + o)), f32x4.mul(A1, gv));
    const vv = f32x4.add(f32x4.mul(B2, v128.load(v + o)), f32x4.mul(A2, f32x4.mul(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    v128.store(p + o, f32x4.sub(pv, f32x4.div(f32x4.mul(S, mv), f32x4.add(f32x4.mul(f32x4.sqrt(vv), R), E))));
  }
  for (; k < n; k++) {
    let pv = f(p, k);
    const gv = f(g, k) + (decoupled ? 0 : wd) * pv;
    if (decoupled) pv *= 1 - lr * wd;
    const mv = b1 * f(m, k) + (1 - b1) * gv;
    const vv = b2 * f(v, k) + (1 - b2) * gv * gv;
    set(m, k, mv);
    set(v, k, vv);
    set(p, k, pv - (stepSize * mv) / (Mathf.sqrt(vv) / c2root + eps));
  }
}

// Gradient histogram of gradient boosting: for every feature f and every row of a node, add the
// row's (gradient, hessian) pair to slot slotStart[f] + bin[f][row] of hist (f64 pairs). One f64x2
// read-modify-write per value. columns: u16 bins, column-major (feature f at f·rows); rowsOf: the
// node's rows (i32); gh: their interleaved gradient/hessian pairs (f64).
export function gbdtHistogram(columns: usize, rowsOf: usize, n: i32, gh: usize, hist: usize, slotStart: usize, cols: i32, rows: i32): void {
  memory.fill(hist, 0, <usize>(load<i32>(slotStart + (<usize>cols << 2))) << 4);
  for (let f = 0; f < cols; f++) {
    const base = hist + (<usize>load<i32>(slotStart + (<usize>f << 2)) << 4);
    const column = columns + (<usize>(f * rows) << 1);
    for (let k = 0; k < n; k++) {
      const r = load<i32>(rowsOf + (<usize>k << 2));
      const p = base + (<usize>load<u16>(column + (<usize>r << 1)) << 4);
      v128.store(p, f64x2.add(v128.load(p), v128.load(gh + (<usize>k << 4))));
    }
  }
}

// a[k] −= b[k] for n f64 values (the sibling histogram: parent − built child).
export function subtractF64(a: usize, b: usize, n: i32): void {
  let k = 0;
  for (; k + 2 <= n; k += 2) v128.store(a + (<usize>k << 3), f64x2.sub(v128.load(a + (<usize>k << 3)), v128.load(b + (<usize>k << 3))));
  for (; k < n; k++) store<f64>(a + (<usize>k << 3), load<f64>(a + (<usize>k << 3)) - load<f64>(b + (<usize>k << 3)));
}
