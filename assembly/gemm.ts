// WebAssembly SIMD kernels of spramnet's CNN engine, in AssemblyScript (built by `npm run build:wasm`).
// Written by hand because no JavaScript library trains 1D CNNs at a useful speed here (see
// src/nn/kernels/wasm.ts); the plain TypeScript kernels in src/nn/kernels/reference.ts are the
// specification these are tested against.

// C[M×N] (+)= A[M×K] · B[K×N], row-major f32, pointers are byte offsets into this memory.
// Cache blocking: C is computed in column panels of PANEL columns, so the K × PANEL slice of B that
// every 4-row block streams through stays in L2 (B as a whole is several MB for the big convolutions).
const PANEL: i32 = 128;

export function gemm(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, accumulate: i32): void {
  for (let j0 = 0; j0 < N; j0 += PANEL) {
    const width = min(PANEL, N - j0);
    panel(a, b + (<usize>j0 << 2), c + (<usize>j0 << 2), M, width, K, N, accumulate);
  }
}

// One column panel: C[:, 0…N) of a matrix whose rows are `stride` floats apart (B and C alike).
// Register blocking: 4 rows × 8 columns of C live in eight v128 accumulators across the k loop.
function panel(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, stride: i32, accumulate: i32): void {
  const rowA = <usize>K << 2;
  const rowB = <usize>stride << 2;
  const rowC = <usize>stride << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + <usize>i * rowA;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const cj = c0 + (<usize>j << 2);
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      if (accumulate) {
        s00 = v128.load(cj); s01 = v128.load(cj, 16);
        s10 = v128.load(cj + rowC); s11 = v128.load(cj + rowC, 16);
        s20 = v128.load(cj + 2 * rowC); s21 = v128.load(cj + 2 * rowC, 16);
        s30 = v128.load(cj + 3 * rowC); s31 = v128.load(cj + 3 * rowC, 16);
      }
      let pb = b + (<usize>j << 2);
      let pa = a0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = f32x4.splat(load<f32>(pa));
        const x1 = f32x4.splat(load<f32>(pa + rowA));
        const x2 = f32x4.splat(load<f32>(pa + 2 * rowA));
        const x3 = f32x4.splat(load<f32>(pa + 3 * rowA));
        s00 = f32x4.add(s00, f32x4.mul(x0, b0)); s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0)); s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0)); s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0)); s31 = f32x4.add(s31, f32x4.mul(x3, b1));
        pb += rowB;
        pa += 4;
      }
      v128.store(cj, s00); v128.store(cj, s01, 16);
      v128.store(cj + rowC, s10); v128.store(cj + rowC, s11, 16);
      v128.store(cj + 2 * rowC, s20); v128.store(cj + 2 * rowC, s21, 16);
      v128.store(cj + 3 * rowC, s30); v128.store(cj + 3 * rowC, s31, 16);
    }
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) {
        let s: f32 = accumulate ? load<f32>(c0 + <usize>r * rowC + (<usize>j << 2)) : 0;
        for (let k = 0; k < K; k++) s += load<f32>(a0 + <usize>r * rowA + (<usize>k << 2)) * load<f32>(b + <usize>k * rowB + (<usize>j << 2));
        store<f32>(c0 + <usize>r * rowC + (<usize>j << 2), s);
      }
    }
  }
  // remaining rows, one at a time, 4 columns per vector
  for (; i < M; i++) {
    const a0 = a + <usize>i * rowA;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const cj = c0 + (<usize>j << 2);
      let s = accumulate ? v128.load(cj) : f32x4.splat(0);
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(a0 + (<usize>k << 2))), v128.load(pb)));
        pb += rowB;
      }
      v128.store(cj, s);
    }
    for (; j < N; j++) {
      let s: f32 = accumulate ? load<f32>(c0 + (<usize>j << 2)) : 0;
      for (let k = 0; k < K; k++) s += load<f32>(a0 + (<usize>k << 2)) * load<f32>(b + <usize>k * rowB + (<usize>j << 2));
      store<f32>(c0 + (<usize>j << 2), s);
    }
  }
}

// C[M×N] (+)= A[M×K] · B[N×K]ᵀ: every C[i, j] is a dot product of two contiguous rows, so no
// transpose is needed (this is the weight gradient of a convolution, dW = dY · colsᵀ).
// Blocks of 4 rows of A × 2 rows of B keep eight v128 partial sums, summed across lanes at the end.
export function gemmNT(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, accumulate: i32): void {
  const row = <usize>K << 2;
  const rowC = <usize>N << 2;
  const K4 = K & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + <usize>i * row;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = b + <usize>j * row;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(b0 + o), x1 = v128.load(b0 + row + o);
        const r0 = v128.load(a0 + o), r1 = v128.load(a0 + row + o), r2 = v128.load(a0 + 2 * row + o), r3 = v128.load(a0 + 3 * row + o);
        s00 = f32x4.add(s00, f32x4.mul(r0, x0)); s01 = f32x4.add(s01, f32x4.mul(r0, x1));
        s10 = f32x4.add(s10, f32x4.mul(r1, x0)); s11 = f32x4.add(s11, f32x4.mul(r1, x1));
        s20 = f32x4.add(s20, f32x4.mul(r2, x0)); s21 = f32x4.add(s21, f32x4.mul(r2, x1));
        s30 = f32x4.add(s30, f32x4.mul(r3, x0)); s31 = f32x4.add(s31, f32x4.mul(r3, x1));
      }
      ntStore(c, rowC, i, j, s00, a0, b0, K4, K, accumulate);
      ntStore(c, rowC, i, j + 1, s01, a0, b0 + row, K4, K, accumulate);
      ntStore(c, rowC, i + 1, j, s10, a0 + row, b0, K4, K, accumulate);
      ntStore(c, rowC, i + 1, j + 1, s11, a0 + row, b0 + row, K4, K, accumulate);
      ntStore(c, rowC, i + 2, j, s20, a0 + 2 * row, b0, K4, K, accumulate);
      ntStore(c, rowC, i + 2, j + 1, s21, a0 + 2 * row, b0 + row, K4, K, accumulate);
      ntStore(c, rowC, i + 3, j, s30, a0 + 3 * row, b0, K4, K, accumulate);
      ntStore(c, rowC, i + 3, j + 1, s31, a0 + 3 * row, b0 + row, K4, K, accumulate);
    }
    for (; j < N; j++) for (let r = 0; r < 4; r++) ntDot(a + <usize>(i + r) * row, b + <usize>j * row, c, rowC, i + r, j, K, accumulate);
  }
  for (; i < M; i++) for (let j = 0; j < N; j++) ntDot(a + <usize>i * row, b + <usize>j * row, c, rowC, i, j, K, accumulate);
}

// Lane sum of a partial dot product plus its scalar tail (k ≥ K4), stored into C[i, j].
@inline function ntStore(c: usize, rowC: usize, i: i32, j: i32, s: v128, ar: usize, br: usize, K4: i32, K: i32, accumulate: i32): void {
  let sum = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (let k = K4; k < K; k++) sum += load<f32>(ar + (<usize>k << 2)) * load<f32>(br + (<usize>k << 2));
  const p = c + <usize>i * rowC + (<usize>j << 2);
  store<f32>(p, accumulate ? load<f32>(p) + sum : sum);
}

function ntDot(ar: usize, br: usize, c: usize, rowC: usize, i: i32, j: i32, K: i32, accumulate: i32): void {
  let s = f32x4.splat(0);
  const K4 = K & ~3;
  for (let k = 0; k < K4; k += 4) s = f32x4.add(s, f32x4.mul(v128.load(ar + (<usize>k << 2)), v128.load(br + (<usize>k << 2))));
  ntStore(c, rowC, i, j, s, ar, br, K4, K, accumulate);
}
