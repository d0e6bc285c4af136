// The CNN engine's layer kernels besides the GEMM (cnn.ts): data movement of the convolutions, batch
// norm, bias and layout changes, on channel-major activations. Written by hand for the same reason
// as the GEMM (see gemm.ts); src/nn/kernels/plain.ts is the specification they are tested against.
// Pointers are byte offsets into the shared memory; f32 throughout.

// ---- Data movement of the convolution layers. Activations are channel-major (channels, batch,
// length): one channel of all samples is one contiguous row, so the GEMM's output is the layer's
// output as it stands and a "same" convolution's im2col row is one shifted copy of a channel row.

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

// dst[j] = src[j + shift] for 0 ≤ j + shift < n, else 0 (j < n).
function shiftedCopy(src: usize, dst: usize, n: i32, shift: i32): void {
  const lo = max(0, -shift);
  const hi = min(n, n - shift);
  for (let j = 0; j < lo; j++) store<f32>(at(dst, j), 0);
  let j = lo;
  for (; j + 4 <= hi; j += 4) v128.store(at(dst, j), v128.load(at(src, j + shift)));
  for (; j < hi; j++) store<f32>(at(dst, j), load<f32>(at(src, j + shift)));
  for (j = max(hi, lo); j < n; j++) store<f32>(at(dst, j), 0);
}

// dst[j] += src[j + shift] for 0 ≤ j + shift < n (j < n).
function shiftedAdd(src: usize, dst: usize, n: i32, shift: i32): void {
  const lo = max(0, -shift);
  const hi = min(n, n - shift);
  let j = lo;
  for (; j + 4 <= hi; j += 4) v128.store(at(dst, j), f32x4.add(v128.load(at(dst, j)), v128.load(at(src, j + shift))));
  for (; j < hi; j++) store<f32>(at(dst, j), load<f32>(at(dst, j)) + load<f32>(at(src, j + shift)));
}

// In a row of `batch` segments of `length`, zero the positions o whose o + shift falls outside
// [0, length): the padding of a same-length convolution, or the values a shifted copy of the whole
// row carried across a sample boundary.
function zeroPadding(row: usize, batch: i32, length: i32, shift: i32): void {
  const lo = max(0, -shift);
  const hi = min(length, length - shift);
  for (let b = 0; b < batch; b++) {
    const seg = at(row, b * length);
    for (let o = 0; o < lo; o++) store<f32>(at(seg, o), 0);
    for (let o = max(hi, lo); o < length; o++) store<f32>(at(seg, o), 0);
  }
}

// cols[(c·k + t)·(B·L) + b·L + o] = x[c, b, o·stride + t − pad] (0 outside), x channel-major.
export function cnnIm2col(x: usize, cols: usize, batch: i32, channels: i32, length: i32, kernel: i32, stride: i32, pad: i32, outLength: i32): void {
  const width = batch * outLength;
  for (let c = 0; c < channels; c++) {
    const src = at(x, c * batch * length);
    for (let t = 0; t < kernel; t++) {
      const dst = at(cols, (c * kernel + t) * width);
      const shift = t - pad;
      if (stride == 1 && length == outLength) {
        shiftedCopy(src, dst, width, shift);
        if (shift != 0) zeroPadding(dst, batch, length, shift);
      } else if (stride == 1) {
        for (let b = 0; b < batch; b++) {
          const seg = at(dst, b * outLength);
          const lo = max(0, -shift);
          const hi = min(outLength, length - shift);
          const from = at(src, b * length + shift);
          for (let o = 0; o < outLength; o++) store<f32>(at(seg, o), o >= lo && o < hi ? load<f32>(at(from, o)) : 0);
        }
      } else {
        for (let b = 0; b < batch; b++) {
          const seg = at(dst, b * outLength);
          const from = at(src, b * length);
          for (let o = 0; o < outLength; o++) {
            const i = o * stride + shift;
            store<f32>(at(seg, o), i >= 0 && i < length ? load<f32>(at(from, i)) : 0);
          }
        }
      }
    }
  }
}

// The adjoint of cnnIm2col: dx (overwritten, channel-major) = scatter-add of cols. A same-length
// stride-1 convolution zeroes the padding entries of cols first (they are not gradients of any
// input) and then adds whole shifted rows.
export function cnnCol2im(cols: usize, dx: usize, batch: i32, channels: i32, length: i32, kernel: i32, stride: i32, pad: i32, outLength: i32): void {
  const width = batch * outLength;
  if (stride == 1 && length == outLength) {
    for (let c = 0; c < channels; c++) {
      const dst = at(dx, c * width);
      for (let t = 0; t < kernel; t++) {
        const src = at(cols, (c * kernel + t) * width);
        const shift = t - pad;
        if (shift != 0) zeroPadding(src, batch, length, shift);
        // dx[c, p] += cols[(c, t), p − shift]
        if (t == 0) shiftedCopy(src, dst, width, -shift);
        else shiftedAdd(src, dst, width, -shift);
      }
    }
    return;
  }
  memory.fill(dx, 0, <usize>(batch * channels * length) << 2);
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < kernel; t++) {
      const src = at(cols, (c * kernel + t) * width);
      const shift = t - pad;
      for (let b = 0; b < batch; b++) {
        const seg = at(src, b * outLength);
        const to = at(dx, (c * batch + b) * length);
        for (let o = 0; o < outLength; o++) {
          const i = o * stride + shift;
          if (i >= 0 && i < length) store<f32>(at(to, i), load<f32>(at(to, i)) + load<f32>(at(seg, o)));
        }
      }
    }
  }
}

// y[r, j] = values[r] (rows × width)
export function cnnRowFill(values: usize, y: usize, rows: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    const v = load<f32>(at(values, r));
    const V = f32x4.splat(v);
    const row = at(y, r * width);
    let j = 0;
    for (; j + 4 <= width; j += 4) v128.store(at(row, j), V);
    for (; j < width; j++) store<f32>(at(row, j), v);
  }
}

// sums[r] += Σ_j x[r, j]
export function cnnRowSums(x: usize, sums: usize, rows: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * width);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= width; j += 8) {
      s0 = f32x4.add(s0, v128.load(at(row, j)));
      s1 = f32x4.add(s1, v128.load(at(row, j), 16));
    }
    const s = f32x4.add(s0, s1);
    let sum: f64 = <f64>(f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + <f64>(f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    for (; j < width; j++) sum += <f64>load<f32>(at(row, j));
    store<f32>(at(sums, r), <f32>(<f64>load<f32>(at(sums, r)) + sum));
  }
}

// y[j, i, l] = x[i, j, l] for x of shape (d0, d1, inner)
export function cnnSwapAxes(x: usize, y: usize, d0: i32, d1: i32, inner: i32): void {
  for (let i = 0; i < d0; i++) {
    for (let j = 0; j < d1; j++) {
      const src = at(x, (i * d1 + j) * inner);
      const dst = at(y, (j * d0 + i) * inner);
      let l = 0;
      for (; l + 4 <= inner; l += 4) v128.store(at(dst, l), v128.load(at(src, l)));
      for (; l < inner; l++) store<f32>(at(dst, l), load<f32>(at(src, l)));
    }
  }
}

// ---- Batch norm over channel-major activations: channel c is the contiguous row c of `width`
// (= batch·length) values. Sums run in 4 × 4 f32 lanes per row (≤ width/16 terms each), then f64.

@inline function lanes(v: v128): f64 {
  return <f64>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + <f64>(f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

function rowTotal(row: usize, width: i32): f64 {
  let a = f32x4.splat(0), b = f32x4.splat(0), c = f32x4.splat(0), d = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= width; j += 16) {
    const p = at(row, j);
    a = f32x4.add(a, v128.load(p));
    b = f32x4.add(b, v128.load(p, 16));
    c = f32x4.add(c, v128.load(p, 32));
    d = f32x4.add(d, v128.load(p, 48));
  }
  let s = lanes(f32x4.add(f32x4.add(a, b), f32x4.add(c, d)));
  for (; j < width; j++) s += <f64>load<f32>(at(row, j));
  return s;
}

function rowSquares(row: usize, width: i32, mean: f32): f64 {
  const m = f32x4.splat(mean);
  let a = f32x4.splat(0), b = f32x4.splat(0), c = f32x4.splat(0), d = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= width; j += 16) {
    const p = at(row, j);
    const x0 = f32x4.sub(v128.load(p), m), x1 = f32x4.sub(v128.load(p, 16), m);
    const x2 = f32x4.sub(v128.load(p, 32), m), x3 = f32x4.sub(v128.load(p, 48), m);
    a = f32x4.add(a, f32x4.mul(x0, x0));
    b = f32x4.add(b, f32x4.mul(x1, x1));
    c = f32x4.add(c, f32x4.mul(x2, x2));
    d = f32x4.add(d, f32x4.mul(x3, x3));
  }
  let s = lanes(f32x4.add(f32x4.add(a, b), f32x4.add(c, d)));
  for (; j < width; j++) {
    const v = <f64>load<f32>(at(row, j)) - <f64>mean;
    s += v * v;
  }
  return s;
}

// bnForward of ops.ts for one sample of `width`-long rows (the channel-major batch).
export function cnnBnForward(x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, invStd: usize, channels: i32, width: i32, eps: f64, momentum: f64, training: i32): void {
  for (let c = 0; c < channels; c++) {
    const row = at(x, c * width);
    let mean: f64, variance: f64;
    if (training) {
      mean = rowTotal(row, width) / width;
      variance = rowSquares(row, width, <f32>mean) / width;
      store<f32>(at(runMean, c), <f32>((1 - momentum) * <f64>load<f32>(at(runMean, c)) + momentum * mean));
      store<f32>(at(runVar, c), <f32>((1 - momentum) * <f64>load<f32>(at(runVar, c)) + momentum * (width > 1 ? (variance * width) / (width - 1) : variance)));
    } else {
      mean = <f64>load<f32>(at(runMean, c));
      variance = <f64>load<f32>(at(runVar, c));
    }
    const inv = <f32>(1 / Math.sqrt(variance + eps));
    store<f32>(at(invStd, c), inv);
    const g = load<f32>(at(gamma, c)), be = load<f32>(at(beta, c)), mf = <f32>mean;
    const M = f32x4.splat(mf), I = f32x4.splat(inv), G = f32x4.splat(g), B = f32x4.splat(be);
    const out = at(y, c * width), hat = at(xhat, c * width);
    let j = 0;
    for (; j + 4 <= width; j += 4) {
      const h = f32x4.mul(f32x4.sub(v128.load(at(row, j)), M), I);
      v128.store(at(hat, j), h);
      v128.store(at(out, j), f32x4.add(f32x4.mul(G, h), B));
    }
    for (; j < width; j++) {
      const h = (load<f32>(at(row, j)) - mf) * inv;
      store<f32>(at(hat, j), h);
      store<f32>(at(out, j), g * h + be);
    }
  }
}

// bnBackward of ops.ts for one sample of `width`-long rows.
export function cnnBnBackward(dy: usize, dx: usize, xhat: usize, gamma: usize, invStd: usize, dgamma: usize, dbeta: usize, channels: i32, width: i32, training: i32): void {
  for (let c = 0; c < channels; c++) {
    const d = at(dy, c * width), h = at(xhat, c * width), out = at(dx, c * width);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= width; j += 8) {
      const d0 = v128.load(at(d, j)), d1 = v128.load(at(d, j), 16);
      a0 = f32x4.add(a0, d0);
      a1 = f32x4.add(a1, d1);
      b0 = f32x4.add(b0, f32x4.mul(d0, v128.load(at(h, j))));
      b1 = f32x4.add(b1, f32x4.mul(d1, v128.load(at(h, j), 16)));
    }
    let sumDy = lanes(f32x4.add(a0, a1)), sumDyXhat = lanes(f32x4.add(b0, b1));
    for (; j < width; j++) {
      const v = <f64>load<f32>(at(d, j));
      sumDy += v;
      sumDyXhat += v * <f64>load<f32>(at(h, j));
    }
    store<f32>(at(dgamma, c), <f32>(<f64>load<f32>(at(dgamma, c)) + sumDyXhat));
    store<f32>(at(dbeta, c), <f32>(<f64>load<f32>(at(dbeta, c)) + sumDy));
    const scale = load<f32>(at(gamma, c)) * load<f32>(at(invStd, c));
    const md: f32 = training ? <f32>(sumDy / width) : 0;
    const mx: f32 = training ? <f32>(sumDyXhat / width) : 0;
    const S = f32x4.splat(scale), MD = f32x4.splat(md), MX = f32x4.splat(mx);
    j = 0;
    for (; j + 4 <= width; j += 4) v128.store(at(out, j), f32x4.mul(S, f32x4.sub(f32x4.sub(v128.load(at(d, j)), MD), f32x4.mul(v128.load(at(h, j)), MX))));
    for (; j < width; j++) store<f32>(at(out, j), scale * (load<f32>(at(d, j)) - md - load<f32>(at(h, j)) * mx));
  }
}

// x[0…n) = 0
export function cnnZero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}

// y[r, :] = v (rows × width): a linear layer's bias before its GEMM accumulates onto it
export function cnnRepeatRow(v: usize, y: usize, rows: i32, width: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(at(y, r * width), v, <usize>width << 2);
}

// sums[j] += Σ_r x[r, j] (rows × width): a linear layer's bias gradient
export function cnnColSums(x: usize, sums: usize, rows: i32, width: i32): void {
  let j = 0;
  for (; j + 4 <= width; j += 4) {
    let s = v128.load(at(sums, j));
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(at(x, r * width + j)));
    v128.store(at(sums, j), s);
  }
  for (; j < width; j++) {
    let s = load<f32>(at(sums, j));
    for (let r = 0; r < rows; r++) s += load<f32>(at(x, r * width + j));
    store<f32>(at(sums, j), s);
  }
}

// ---- Winograd F(2, 3) transforms of a same-length convolution (kernel 3, stride 1, padding 1);
// the definitions are plain.ts's. A channel-major row r = (c, b) of L values has T = ⌈L/2⌉ tiles;
// transformed tensors are 4 matrices [ξ][c][b·T + τ] of n = channels·batch·T values each. Tiles go
// 4 to a vector: a row is first copied into `tmp` (2T + 16 floats, zero past the row), where tile
// τ's inputs are tmp[2τ … 2τ+3], so the even/odd samples of two loads give the four inputs of four
// tiles; a row's last vector may be partial (T is 5 or 10 here), read and written lane by lane.

@inline function evens(a: v128, b: v128): v128 {
  return f32x4.shuffle(a, b, 0, 2, 4, 6);
}

@inline function odds(a: v128, b: v128): v128 {
  return f32x4.shuffle(a, b, 1, 3, 5, 7);
}

// the first `count` floats at p (count < 4: the rest 0)
@inline function loadLanes(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// dst[0…n) = src[0…n)
@inline function copyRow(src: usize, dst: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(at(dst, j), v128.load(at(src, j)));
  for (; j < n; j++) store<f32>(at(dst, j), load<f32>(at(src, j)));
}

export function cnnWinogradFilter(w: usize, u: usize, outChannels: i32, inChannels: i32): void {
  const n = outChannels * inChannels;
  for (let q = 0; q < n; q++) {
    const g0 = load<f32>(at(w, 3 * q)), g1 = load<f32>(at(w, 3 * q + 1)), g2 = load<f32>(at(w, 3 * q + 2));
    store<f32>(at(u, q), g0);
    store<f32>(at(u, n + q), (g0 + g1 + g2) / 2);
    store<f32>(at(u, 2 * n + q), (g0 - g1 + g2) / 2);
    store<f32>(at(u, 3 * n + q), g2);
  }
}

export function cnnWinogradFilterGrad(du: usize, dw: usize, outChannels: i32, inChannels: i32): void {
  const n = outChannels * inChannels;
  for (let q = 0; q < n; q++) {
    const d1 = load<f32>(at(du, n + q)), d2 = load<f32>(at(du, 2 * n + q));
    const half = (d1 + d2) / 2;
    store<f32>(at(dw, 3 * q), load<f32>(at(dw, 3 * q)) + (load<f32>(at(du, q)) + half));
    store<f32>(at(dw, 3 * q + 1), load<f32>(at(dw, 3 * q + 1)) + (d1 - d2) / 2);
    store<f32>(at(dw, 3 * q + 2), load<f32>(at(dw, 3 * q + 2)) + (half + load<f32>(at(du, 3 * n + q))));
  }
}

export function cnnWinogradInput(x: usize, v: usize, channels: i32, batch: i32, length: i32, tmp: usize): void {
  const T = (length + 1) >> 1;
  const n = channels * batch * T;
  const nb = <usize>n << 2;
  memory.fill(tmp, 0, <usize>(2 * T + 16) << 2);
  for (let r = 0; r < channels * batch; r++) {
    copyRow(at(x, r * length), tmp + 4, length); // tmp[1 + i] = x[i]; tmp[0] and past the row stay 0
    const out = at(v, r * T);
    for (let t = 0; t < T; t += 4) {
      const p = at(tmp, 2 * t);
      const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 8), e = v128.load(p, 24);
      const d0 = evens(a, b), d1 = odds(a, b), d2 = evens(c, e), d3 = odds(c, e);
      const o = at(out, t), count = T - t;
      storeLanes(o, f32x4.sub(d0, d2), count);
      storeLanes(o + nb, f32x4.add(d1, d2), count);
      storeLanes(o + 2 * nb, f32x4.sub(d2, d1), count);
      storeLanes(o + 3 * nb, f32x4.sub(d1, d3), count);
    }
  }
}

export function cnnWinogradInputGrad(dv: usize, dx: usize, channels: i32, batch: i32, length: i32, tmp: usize): void {
  const T = (length + 1) >> 1;
  const n = channels * batch * T;
  const nb = <usize>n << 2;
  for (let r = 0; r < channels * batch; r++) {
    const src = at(dv, r * T);
    // tmp[2τ] = dd0(τ) + dd2(τ−1), tmp[2τ+1] = dd1(τ) + dd3(τ−1): padded position p is x[p − 1]
    let prev2 = f32x4.splat(0), prev3 = f32x4.splat(0);
    for (let t = 0; t < T; t += 4) {
      const q = at(src, t), count = T - t;
      const v0 = loadLanes(q, count), v1 = loadLanes(q + nb, count), v2 = loadLanes(q + 2 * nb, count), v3 = loadLanes(q + 3 * nb, count);
      const dd0 = v0, dd1 = f32x4.add(f32x4.sub(v1, v2), v3), dd2 = f32x4.sub(f32x4.add(v1, v2), v0), dd3 = f32x4.neg(v3);
      const even = f32x4.add(dd0, f32x4.shuffle(prev2, dd2, 3, 4, 5, 6));
      const odd = f32x4.add(dd1, f32x4.shuffle(prev3, dd3, 3, 4, 5, 6));
      const p = at(tmp, 2 * t);
      v128.store(p, f32x4.shuffle(even, odd, 0, 4, 1, 5));
      v128.store(p, f32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
      prev2 = dd2;
      prev3 = dd3;
    }
    if ((T & 3) == 0) {
      // the position pair after the last tile: only the last tile's dd2, dd3 reach it
      store<f32>(at(tmp, 2 * T), f32x4.extract_lane(prev2, 3));
      store<f32>(at(tmp, 2 * T + 1), f32x4.extract_lane(prev3, 3));
    }
    copyRow(tmp + 4, at(dx, r * length), length);
  }
}

export function cnnWinogradOutput(m: usize, y: usize, channels: i32, batch: i32, length: i32, accumulate: i32, tmp: usize): void {
  const T = (length + 1) >> 1;
  const n = channels * batch * T;
  const nb = <usize>n << 2;
  for (let r = 0; r < channels * batch; r++) {
    const src = at(m, r * T);
    for (let t = 0; t < T; t += 4) {
      const q = at(src, t), count = T - t;
      const m0 = loadLanes(q, count), m1 = loadLanes(q + nb, count), m2 = loadLanes(q + 2 * nb, count), m3 = loadLanes(q + 3 * nb, count);
      const y0 = f32x4.add(f32x4.add(m0, m1), m2), y1 = f32x4.sub(f32x4.sub(m1, m2), m3);
      const p = at(tmp, 2 * t);
      v128.store(p, f32x4.shuffle(y0, y1, 0, 4, 1, 5));
      v128.store(p, f32x4.shuffle(y0, y1, 2, 6, 3, 7), 16);
    }
    const out = at(y, r * length);
    if (accumulate) {
      let j = 0;
      for (; j + 4 <= length; j += 4) v128.store(at(out, j), f32x4.add(v128.load(at(out, j)), v128.load(at(tmp, j))));
      for (; j < length; j++) store<f32>(at(out, j), load<f32>(at(out, j)) + load<f32>(at(tmp, j)));
    } else copyRow(tmp, out, length);
  }
}

export function cnnWinogradOutputGrad(dy: usize, dm: usize, channels: i32, batch: i32, length: i32, tmp: usize): void {
  const T = (length + 1) >> 1;
  const n = channels * batch * T;
  const nb = <usize>n << 2;
  memory.fill(tmp, 0, <usize>(2 * T + 16) << 2);
  for (let r = 0; r < channels * batch; r++) {
    copyRow(at(dy, r * length), tmp, length); // an odd length's missing last output reads 0
    const out = at(dm, r * T);
    for (let t = 0; t < T; t += 4) {
      const p = at(tmp, 2 * t);
      const a = v128.load(p), b = v128.load(p, 16);
      const d0 = evens(a, b), d1 = odds(a, b);
      const o = at(out, t), count = T - t;
      storeLanes(o, d0, count);
      storeLanes(o + nb, f32x4.add(d0, d1), count);
      storeLanes(o + 2 * nb, f32x4.sub(d0, d1), count);
      storeLanes(o + 3 * nb, f32x4.neg(d1), count);
    }
  }
}

// ---- Stride 2 (the residual block's down-sampling convolutions and pooling): a row's even and odd
// samples are the two halves of a pair of loads, so four outputs come from two loads and a shuffle.

// im2col for stride 2: each row (c, b) copied into tmp after `pad` zeros (zeros past it too, tmp:
// length + 2·pad + 16 floats), where cols[(c, t), b, o] = tmp[2o + t], the even samples of tmp + t.
export function cnnIm2colStride2(x: usize, cols: usize, batch: i32, channels: i32, length: i32, kernel: i32, pad: i32, outLength: i32, tmp: usize): void {
  const width = batch * outLength;
  memory.fill(tmp, 0, <usize>(length + 2 * pad + 16) << 2);
  for (let c = 0; c < channels; c++) {
    for (let b = 0; b < batch; b++) {
      copyRow(at(x, (c * batch + b) * length), at(tmp, pad), length);
      for (let t = 0; t < kernel; t++) {
        const dst = at(cols, (c * kernel + t) * width + b * outLength);
        for (let o = 0; o < outLength; o += 4) {
          const p = at(tmp, 2 * o + t);
          storeLanes(at(dst, o), evens(v128.load(p), v128.load(p, 16)), outLength - o);
        }
      }
    }
  }
}

// Its adjoint: per row, the taps are summed into the even and odd positions of the padded row
// (even[m] = Σ over even t of cols[t][m − t/2], odd likewise), which are then interleaved and
// unpadded into dx (overwritten). tmp: 4·(outLength + kernel) + 32 floats.
export function cnnCol2imStride2(cols: usize, dx: usize, batch: i32, channels: i32, length: i32, kernel: i32, pad: i32, outLength: i32, tmp: usize): void {
  const width = batch * outLength;
  const half = outLength + kernel + 8; // floats in each of the even and odd sums
  const even = tmp, odd = at(tmp, half), row = at(tmp, 2 * half);
  for (let c = 0; c < channels; c++) {
    for (let b = 0; b < batch; b++) {
      memory.fill(tmp, 0, <usize>(2 * half) << 2);
      for (let t = 0; t < kernel; t++) {
        const src = at(cols, (c * kernel + t) * width + b * outLength);
        const sum = at(t & 1 ? odd : even, t >> 1);
        for (let o = 0; o < outLength; o += 4) {
          const q = at(sum, o);
          v128.store(q, f32x4.add(v128.load(q), loadLanes(at(src, o), outLength - o)));
        }
      }
      // padded position 2m is even[m], 2m + 1 is odd[m]; dx[i] = padded[i + pad]
      for (let m = 0; 2 * m < length + pad; m += 4) {
        const e = v128.load(at(even, m)), d = v128.load(at(odd, m));
        v128.store(at(row, 2 * m), f32x4.shuffle(e, d, 0, 4, 1, 5));
        v128.store(at(row, 2 * m), f32x4.shuffle(e, d, 2, 6, 3, 7), 16);
      }
      copyRow(at(row, pad), at(dx, (c * batch + b) * length), length);
    }
  }
}

// Max-pooling over rows of `length` (first maximum, argmax the input index: plain.ts), four outputs per
// vector for stride 2 and kernel 2 or 3 where the loads stay inside the row.
export function cnnMaxpool(x: usize, y: usize, argmax: usize, rows: i32, length: i32, kernel: i32, stride: i32, outLength: i32): void {
  const simd = stride == 2 && (kernel == 2 || kernel == 3);
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * length);
    let o = 0;
    if (simd) {
      for (; o + 4 <= outLength && 2 * o + 9 < length; o += 4) {
        const p = at(row, 2 * o);
        const a = v128.load(p), b = v128.load(p, 16);
        let best = evens(a, b);
        let index = i32x4.splat(0);
        const second = odds(a, b);
        let gt = f32x4.gt(second, best);
        best = v128.bitselect(second, best, gt);
        index = v128.bitselect(i32x4.splat(1), index, gt);
        if (kernel == 3) {
          const third = evens(v128.load(p, 8), v128.load(p, 24));
          gt = f32x4.gt(third, best);
          best = v128.bitselect(third, best, gt);
          index = v128.bitselect(i32x4.splat(2), index, gt);
        }
        v128.store(at(y, r * outLength + o), best);
        v128.store(argmax + (<usize>(r * outLength + o) << 2), i32x4.add(i32x4.add(i32x4.splat(r * length + 2 * o), i32x4(0, 2, 4, 6)), index));
      }
    }
    for (; o < outLength; o++) {
      const start = r * length + o * stride;
      let best = start;
      let value = load<f32>(at(x, start));
      for (let t = 1; t < kernel; t++) {
        const v = load<f32>(at(x, start + t));
        if (v > value) {
          value = v;
          best = start + t;
        }
      }
      store<i32>(argmax + (<usize>(r * outLength + o) << 2), best);
      store<f32>(at(y, r * outLength + o), value);
    }
  }
}
