/**
 * Plain TypeScript kernels: the specification of the WebAssembly ones (tested against each other)
 * and the float64 path of the finite-difference tests. Row-major throughout; layouts: activations
 * with channels (convolution, batch norm, pooling) channel-major (channels, batch, length), so a
 * channel is one contiguous row of batch·length values; im2col columns (channels·kernel, batch·outLength).
 */
export type Arr = Float32Array | Float64Array;

export interface Kernels {
  readonly name: string;
  /** C (M×N) = op(A)·op(B) (+ C when accumulate), op(X) = Xᵀ when its flag is set; op(A) is M×K. */
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, accumulate: boolean): void;
  /** cols[(c·k + t)·(B·L) + b·L + o] = x[c, b, o·stride + t − pad] (0 outside the input), x channel-major. */
  im2col(x: Arr, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number, cols: Arr): void;
  /** The adjoint of im2col: dx (overwritten, channel-major) = scatter-add of cols; cols may be overwritten. */
  col2im(cols: Arr, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number, dx: Arr): void;
  /** y[r, j] = values[r] for the rows × width matrix y (a bias before a GEMM accumulates onto it). */
  rowFill(values: Arr, y: Arr, rows: number, width: number): void;
  /** sums[r] += Σ_j x[r, j] (the bias gradient). */
  rowSums(x: Arr, sums: Arr, rows: number, width: number): void;
  /**
   * Winograd F(2, 3) of a same-length convolution (kernel 3, stride 1, padding 1): 4 products per
   * 2 outputs instead of 6. Tile τ of a sample covers outputs 2τ, 2τ+1 (T = ⌈L/2⌉ tiles) and reads
   * inputs d = x[2τ−1 … 2τ+2]; a transformed tensor is 4 matrices, [ξ][channel][b·T + τ].
   * Filter: u = G·w per (out, in) pair, G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
   */
  winogradFilter(w: Arr, u: Arr, outChannels: number, inChannels: number): void;
  /** dw += Gᵀ·du (the adjoint of winogradFilter, accumulated like every parameter gradient). */
  winogradFilterGrad(du: Arr, dw: Arr, outChannels: number, inChannels: number): void;
  /** v = Bᵀ·d per tile, Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], x channel-major (0 outside). */
  winogradInput(x: Arr, v: Arr, channels: number, batch: number, length: number): void;
  /** dx (overwritten) = the adjoint of winogradInput applied to dv. */
  winogradInputGrad(dv: Arr, dx: Arr, channels: number, batch: number, length: number): void;
  /** y (+)= Aᵀ·m per tile, Aᵀ = [1 1 1 0; 0 1 −1 −1] (an odd length drops the last tile's second output). */
  winogradOutput(m: Arr, y: Arr, channels: number, batch: number, length: number, accumulate: boolean): void;
  /** dm = A·dy per tile (the adjoint of winogradOutput). */
  winogradOutputGrad(dy: Arr, dm: Arr, channels: number, batch: number, length: number): void;
  /** y[r, :] = v for the rows × width matrix y (a linear layer's bias before its GEMM accumulates). */
  repeatRow(v: Arr, y: Arr, rows: number, width: number): void;
  /** sums[j] += Σ_r x[r, j] (a linear layer's bias gradient). */
  colSums(x: Arr, sums: Arr, rows: number, width: number): void;
  /** x[0…n) = 0 */
  zero(x: Arr, n: number): void;
  /** y[j, i, l] = x[i, j, l] for x of shape (d0, d1, inner): batch-major ↔ channel-major. */
  swapAxes(x: Arr, y: Arr, d0: number, d1: number, inner: number): void;
  bnForward(x: Arr, y: Arr, xhat: Arr, gamma: Arr, beta: Arr, runMean: Arr, runVar: Arr, invStd: Arr, batch: number, channels: number, length: number, eps: number, momentum: number, training: boolean): void;
  bnBackward(dy: Arr, dx: Arr, xhat: Arr, gamma: Arr, invStd: Arr, dgamma: Arr, dbeta: Arr, batch: number, channels: number, length: number, training: boolean): void;
  relu(x: Arr, y: Arr, n: number): void;
  reluBackward(y: Arr, dy: Arr, dx: Arr, n: number): void;
  add(a: Arr, b: Arr, out: Arr, n: number): void;
  maxpool(x: Arr, y: Arr, argmax: Int32Array, rows: number, length: number, kernel: number, stride: number, outLength: number): void;
  maxpoolBackward(dy: Arr, dx: Arr, argmax: Int32Array, outCount: number, inCount: number): void;
  /** PyTorch's Adam (decoupled = AdamW) on n values; c1 = 1 − β1^t, c2root = √(1 − β2^t). */
  adam(p: Arr, g: Arr, m: Arr, v: Arr, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2root: number, wd: number, decoupled: boolean): void;
  /** Storage the kernels can work on directly (WebAssembly memory for the fast ones). */
  allocate(size: number): Arr;
  allocateInt(size: number): Int32Array;
  /** x itself when the kernels can work on it, else a copy in a buffer kept under `key`. */
  adopt(x: Arr, key: string): Arr;
}

export function gemmReference(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, accumulate: boolean): void {
  if (!accumulate) C.fill(0, 0, M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const a = transA ? A[k * M + i] : A[i * K + k];
      if (a === 0) continue;
      const c0 = i * N;
      if (transB) for (let j = 0; j < N; j++) C[c0 + j] += a * B[j * K + k];
      else {
        const b0 = k * N;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[b0 + j];
      }
    }
  }
}

export function referenceKernels(dtype: 'float32' | 'float64'): Kernels {
  const make = (size: number): Arr => (dtype === 'float32' ? new Float32Array(size) : new Float64Array(size));
  return {
    name: `reference-${dtype}`,
    gemm: gemmReference,
    im2col(x, batch, channels, length, kernel, stride, pad, outLength, cols) {
      const width = batch * outLength;
      for (let c = 0; c < channels; c++)
        for (let t = 0; t < kernel; t++) {
          const row = (c * kernel + t) * width;
          for (let b = 0; b < batch; b++) {
            const xb = (c * batch + b) * length;
            const o0 = row + b * outLength;
            for (let o = 0; o < outLength; o++) {
              const i = o * stride + t - pad;
              cols[o0 + o] = i >= 0 && i < length ? x[xb + i] : 0;
            }
          }
        }
    },
    col2im(cols, batch, channels, length, kernel, stride, pad, outLength, dx) {
      dx.fill(0, 0, batch * channels * length);
      const width = batch * outLength;
      for (let c = 0; c < channels; c++)
        for (let t = 0; t < kernel; t++) {
          const row = (c * kernel + t) * width;
          for (let b = 0; b < batch; b++) {
            const xb = (c * batch + b) * length;
            const o0 = row + b * outLength;
            for (let o = 0; o < outLength; o++) {
              const i = o * stride + t - pad;
              if (i >= 0 && i < length) dx[xb + i] += cols[o0 + o];
            }
          }
        }
    },
    rowFill(values, y, rows, width) {
      for (let r = 0; r < rows; r++) y.fill(values[r], r * width, (r + 1) * width);
    },
    rowSums(x, sums, rows, width) {
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = r * width; j < (r + 1) * width; j++) s += x[j];
        sums[r] += s;
      }
    },
    winogradFilter(w, u, outChannels, inChannels) {
      const n = outChannels * inChannels;
      for (let q = 0; q < n; q++) {
        const g0 = w[3 * q];
        const g1 = w[3 * q + 1];
        const g2 = w[3 * q + 2];
        u[q] = g0;
        u[n + q] = (g0 + g1 + g2) / 2;
        u[2 * n + q] = (g0 - g1 + g2) / 2;
        u[3 * n + q] = g2;
      }
    },
    winogradFilterGrad(du, dw, outChannels, inChannels) {
      const n = outChannels * inChannels;
      for (let q = 0; q < n; q++) {
        const half = (du[n + q] + du[2 * n + q]) / 2;
        dw[3 * q] += du[q] + half;
        dw[3 * q + 1] += (du[n + q] - du[2 * n + q]) / 2;
        dw[3 * q + 2] += half + du[3 * n + q];
      }
    },
    winogradInput(x, v, channels, batch, length) {
      const T = (length + 1) >> 1;
      const n = channels * batch * T;
      for (let r = 0; r < channels * batch; r++) {
        const at = (i: number): number => (i >= 0 && i < length ? x[r * length + i] : 0);
        for (let t = 0; t < T; t++) {
          const [d0, d1, d2, d3] = [at(2 * t - 1), at(2 * t), at(2 * t + 1), at(2 * t + 2)];
          const q = r * T + t;
          v[q] = d0 - d2;
          v[n + q] = d1 + d2;
          v[2 * n + q] = d2 - d1;
          v[3 * n + q] = d1 - d3;
        }
      }
    },
    winogradInputGrad(dv, dx, channels, batch, length) {
      const T = (length + 1) >> 1;
      const n = channels * batch * T;
      dx.fill(0, 0, channels * batch * length);
      for (let r = 0; r < channels * batch; r++)
        for (let t = 0; t < T; t++) {
          const q = r * T + t;
          const [v0, v1, v2, v3] = [dv[q], dv[n + q], dv[2 * n + q], dv[3 * n + q]];
          const dd = [v0, v1 - v2 + v3, -v0 + v1 + v2, -v3];
          for (let i = 0; i < 4; i++) {
            const p = 2 * t - 1 + i;
            if (p >= 0 && p < length) dx[r * length + p] += dd[i];
          }
        }
    },
    winogradOutput(m, y, channels, batch, length, accumulate) {
      const T = (length + 1) >> 1;
      const n = channels * batch * T;
      for (let r = 0; r < channels * batch; r++)
        for (let t = 0; t < T; t++) {
          const q = r * T + t;
          const [m0, m1, m2, m3] = [m[q], m[n + q], m[2 * n + q], m[3 * n + q]];
          const o = r * length + 2 * t;
          y[o] = (accumulate ? y[o] : 0) + (m0 + m1 + m2);
          if (2 * t + 1 < length) y[o + 1] = (accumulate ? y[o + 1] : 0) + (m1 - m2 - m3);
        }
    },
    winogradOutputGrad(dy, dm, channels, batch, length) {
      const T = (length + 1) >> 1;
      const n = channels * batch * T;
      for (let r = 0; r < channels * batch; r++)
        for (let t = 0; t < T; t++) {
          const q = r * T + t;
          const d0 = dy[r * length + 2 * t];
          const d1 = 2 * t + 1 < length ? dy[r * length + 2 * t + 1] : 0;
          dm[q] = d0;
          dm[n + q] = d0 + d1;
          dm[2 * n + q] = d0 - d1;
          dm[3 * n + q] = -d1;
        }
    },
    repeatRow(v, y, rows, width) {
      for (let r = 0; r < rows; r++) y.set(v.subarray(0, width), r * width);
    },
    colSums(x, sums, rows, width) {
      for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) sums[j] += x[r * width + j];
    },
    zero(x, n) {
      x.fill(0, 0, n);
    },
    swapAxes(x, y, d0, d1, inner) {
      for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let l = 0; l < inner; l++) y[(j * d0 + i) * inner + l] = x[(i * d1 + j) * inner + l];
    },
    bnForward(x, y, xhat, gamma, beta, runMean, runVar, invStd, batch, channels, length, eps, momentum, training) {
      const n = batch * length;
      for (let c = 0; c < channels; c++) {
        let mean: number;
        let variance: number;
        if (training) {
          let s = 0;
          for (let b = 0; b < batch; b++) for (let t = 0, o = (b * channels + c) * length; t < length; t++) s += x[o + t];
          mean = s / n;
          let v = 0;
          for (let b = 0; b < batch; b++) for (let t = 0, o = (b * channels + c) * length; t < length; t++) v += (x[o + t] - mean) ** 2;
          variance = v / n;
          runMean[c] = (1 - momentum) * runMean[c] + momentum * mean;
          runVar[c] = (1 - momentum) * runVar[c] + momentum * (n > 1 ? (variance * n) / (n - 1) : variance);
        } else {
          mean = runMean[c];
          variance = runVar[c];
        }
        const inv = 1 / Math.sqrt(variance + eps);
        invStd[c] = inv;
        for (let b = 0; b < batch; b++)
          for (let t = 0, o = (b * channels + c) * length; t < length; t++) {
            const h = (x[o + t] - mean) * inv;
            xhat[o + t] = h;
            y[o + t] = gamma[c] * h + beta[c];
          }
      }
    },
    bnBackward(dy, dx, xhat, gamma, invStd, dgamma, dbeta, batch, channels, length, training) {
      const n = batch * length;
      for (let c = 0; c < channels; c++) {
        let sumDy = 0;
        let sumDyXhat = 0;
        for (let b = 0; b < batch; b++)
          for (let t = 0, o = (b * channels + c) * length; t < length; t++) {
            sumDy += dy[o + t];
            sumDyXhat += dy[o + t] * xhat[o + t];
          }
        dgamma[c] += sumDyXhat;
        dbeta[c] += sumDy;
        const scale = gamma[c] * invStd[c];
        for (let b = 0; b < batch; b++)
          for (let t = 0, o = (b * channels + c) * length; t < length; t++) {
            dx[o + t] = training ? scale * (dy[o + t] - sumDy / n - (xhat[o + t] * sumDyXhat) / n) : scale * dy[o + t];
          }
      }
    },
    relu(x, y, n) {
      for (let k = 0; k < n; k++) y[k] = x[k] > 0 ? x[k] : 0;
    },
    reluBackward(y, dy, dx, n) {
      for (let k = 0; k < n; k++) dx[k] = y[k] > 0 ? dy[k] : 0;
    },
    add(a, b, out, n) {
      for (let k = 0; k < n; k++) out[k] = a[k] + b[k];
    },
    maxpool(x, y, argmax, rows, length, kernel, stride, outLength) {
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < outLength; o++) {
          const start = r * length + o * stride;
          let best = start; // the first maximum, as PyTorch picks it
          for (let t = 1; t < kernel; t++) if (x[start + t] > x[best]) best = start + t;
          argmax[r * outLength + o] = best;
          y[r * outLength + o] = x[best];
        }
    },
    maxpoolBackward(dy, dx, argmax, outCount, inCount) {
      dx.fill(0, 0, inCount);
      for (let k = 0; k < outCount; k++) dx[argmax[k]] += dy[k];
    },
    adam(p, g, m, v, n, lr, b1, b2, eps, c1, c2root, wd, decoupled) {
      const stepSize = lr / c1;
      for (let k = 0; k < n; k++) {
        let grad = g[k];
        if (decoupled) p[k] *= 1 - lr * wd;
        else if (wd !== 0) grad += wd * p[k];
        m[k] = b1 * m[k] + (1 - b1) * grad;
        v[k] = b2 * v[k] + (1 - b2) * grad * grad;
        p[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / c2root + eps);
      }
    },
    allocate: make,
    allocateInt: (size) => new Int32Array(size),
    adopt: (x) => x,
  };
}
