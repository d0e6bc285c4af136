/**
 * Plain TypeScript kernels: the specification of the fast ones (tested against each other) and
 * the float64 path used by the finite-difference tests. Row-major throughout.
 */
export type Arr = Float32Array | Float64Array;

/** C (M×N) = op(A)·op(B) (+ C when accumulate), op(X) = Xᵀ when its flag is set; A is M×K after op. */
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

/**
 * im2col for a 1D convolution over a batch: cols[(c·k + t)·(B·L) + b·L + o] = x[b, c, o·stride + t − pad]
 * (0 outside the input), so that one GEMM W(Cout × Cin·k) · cols gives every output position.
 */
export function im2col(x: Arr, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number, cols: Arr): void {
  const width = batch * outLength;
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < kernel; t++) {
      const row = (c * kernel + t) * width;
      for (let b = 0; b < batch; b++) {
        const xb = (b * channels + c) * length;
        const o0 = row + b * outLength;
        for (let o = 0; o < outLength; o++) {
          const i = o * stride + t - pad;
          cols[o0 + o] = i >= 0 && i < length ? x[xb + i] : 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: scatter-add cols back onto dx (dx is overwritten). */
export function col2im(cols: Arr, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number, dx: Arr): void {
  dx.fill(0, 0, batch * channels * length);
  const width = batch * outLength;
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < kernel; t++) {
      const row = (c * kernel + t) * width;
      for (let b = 0; b < batch; b++) {
        const xb = (b * channels + c) * length;
        const o0 = row + b * outLength;
        for (let o = 0; o < outLength; o++) {
          const i = o * stride + t - pad;
          if (i >= 0 && i < length) dx[xb + i] += cols[o0 + o];
        }
      }
    }
  }
}
