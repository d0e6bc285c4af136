// The CNN engine's GEMM, in the GotoBLAS manner: both operands are packed (per block of KC steps
// of the inner dimension) into the order the micro-kernel reads them, so the micro-kernel streams two
// contiguous arrays with constant offsets, and a transposed operand costs nothing extra (the packing
// reads it in its own order). Written by hand for the shapes of the paper's networks (see gemm.ts for
// why WebAssembly); src/nn/kernels/plain.ts's gemmReference is the specification it is tested against.
//
// Micro-kernel: MR × NR = 4 × 8 of C in eight v128 accumulators; a step is 8 multiply-adds on 2 + 4
// loads (the 4 values of A are load-and-splat, one vbroadcastss each). A larger tile makes V8 spill
// (it hoists every splat; 15 vector registers). This file is built twice: into kernels.wasm with
// plain SIMD (multiply, then add), and alone into cnn-fma.wasm with relaxed SIMD, where the
// multiply-add is one fused instruction on CPUs with FMA (the runtime uses it where Node can).

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;

// Floats of scratch cnnGemm needs for an M × N × K product (packed A, packed B, one edge tile).
export function cnnGemmWorkSize(M: i32, N: i32, K: i32): i32 {
  const kc = blockDepth(K);
  return roundUp(M, MR) * kc + roundUp(N, NR) * kc + MR * NR;
}

@inline function roundUp(n: i32, m: i32): i32 {
  return (n + m - 1) / m * m;
}

// The depth of each K block: K split into equal blocks of at most KC.
@inline function blockDepth(K: i32): i32 {
  const blocks = max(1, (K + KC - 1) / KC);
  return (K + blocks - 1) / blocks;
}

// C (ldc) (+)= op(A)·op(B), op(A) M × K, op(B) K × N. A is stored M × K (lda ≥ K), or K × M when
// transA (lda ≥ M); B is stored K × N (ldb ≥ N), or N × K when transB (ldb ≥ K). Pointers are byte
// offsets, leading dimensions in floats; work holds cnnGemmWorkSize(M, N, K) floats.
export function cnnGemm(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32, work: usize): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>N << 2);
    return;
  }
  const kcMax = blockDepth(K);
  const Mp = roundUp(M, MR);
  const Np = roundUp(N, NR);
  const packA = work;
  const packB = packA + (<usize>(Mp * kcMax) << 2);
  const tile = packB + (<usize>(Np * kcMax) << 2);
  const rowC = <usize>ldc << 2;
  for (let k0 = 0; k0 < K; k0 += kcMax) {
    const kc = min(kcMax, K - k0);
    const acc = accumulate != 0 || k0 > 0;
    if (transA) packATransposed(a, lda, M, k0, kc, packA);
    else packARows(a, lda, M, k0, kc, packA);
    if (transB) packBTransposed(b, ldb, N, k0, kc, packB);
    else packBRows(b, ldb, N, k0, kc, packB);
    const panelA = <usize>(kc * MR) << 2;
    const panelB = <usize>(kc * NR) << 2;
    for (let j = 0; j < Np; j += NR) {
      const pb = packB + <usize>(j / NR) * panelB;
      const cols = min(NR, N - j);
      for (let i = 0; i < Mp; i += MR) {
        const pa = packA + <usize>(i / MR) * panelA;
        const rows = min(MR, M - i);
        const cij = c + <usize>i * rowC + (<usize>j << 2);
        if (rows == MR && cols == NR) micro(pa, pb, kc, cij, rowC, acc);
        else {
          micro(pa, pb, kc, tile, <usize>NR << 2, false);
          for (let r = 0; r < rows; r++)
            for (let q = 0; q < cols; q++) {
              const p = cij + <usize>r * rowC + (<usize>q << 2);
              const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
              store<f32>(p, acc ? load<f32>(p) + v : v);
            }
        }
      }
    }
  }
}

// acc + x·b: fused (one rounding) in the relaxed-SIMD build on CPUs with FMA, else multiply then add
@inline function madd(x: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, b, acc);
  return f32x4.add(acc, f32x4.mul(x, b));
}

// C tile (4 × 8, rows rowC bytes apart) (+)= packed A panel (kc × 4) · packed B panel (kc × 8).
@inline function micro(pa: usize, pb: usize, kc: i32, c: usize, rowC: usize, acc: bool): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
  let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    s00 = madd(x, b0, s00);
    s01 = madd(x, b1, s01);
    x = v128.load32_splat(pa, 4);
    s10 = madd(x, b0, s10);
    s11 = madd(x, b1, s11);
    x = v128.load32_splat(pa, 8);
    s20 = madd(x, b0, s20);
    s21 = madd(x, b1, s21);
    x = v128.load32_splat(pa, 12);
    s30 = madd(x, b0, s30);
    s31 = madd(x, b1, s31);
    pa += 16;
    pb += 32;
  }
  if (acc) {
    s00 = f32x4.add(v128.load(c), s00); s01 = f32x4.add(v128.load(c, 16), s01);
    s10 = f32x4.add(v128.load(c + rowC), s10); s11 = f32x4.add(v128.load(c + rowC, 16), s11);
    s20 = f32x4.add(v128.load(c + 2 * rowC), s20); s21 = f32x4.add(v128.load(c + 2 * rowC, 16), s21);
    s30 = f32x4.add(v128.load(c + 3 * rowC), s30); s31 = f32x4.add(v128.load(c + 3 * rowC, 16), s31);
  }
  v128.store(c, s00); v128.store(c, s01, 16);
  v128.store(c + rowC, s10); v128.store(c + rowC, s11, 16);
  v128.store(c + 2 * rowC, s20); v128.store(c + 2 * rowC, s21, 16);
  v128.store(c + 3 * rowC, s30); v128.store(c + 3 * rowC, s31, 16);
}

// Packed A: panel p (rows 4p…4p+3) holds, for each k of the block, those 4 rows' values; rows past
// M are zero. From A stored row-major (M × K): 4 × 4 blocks transposed in registers.
function packARows(a: usize, lda: i32, M: i32, k0: i32, kc: i32, dst: usize): void {
  const row = <usize>lda << 2;
  for (let i = 0; i < M; i += MR) {
    const src = a + <usize>i * row + (<usize>k0 << 2);
    if (i + MR <= M) {
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        transpose4(v128.load(src + o), v128.load(src + row + o), v128.load(src + 2 * row + o), v128.load(src + 3 * row + o), dst);
        dst += 64;
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        store<f32>(dst, load<f32>(src + o));
        store<f32>(dst, load<f32>(src + row + o), 4);
        store<f32>(dst, load<f32>(src + 2 * row + o), 8);
        store<f32>(dst, load<f32>(src + 3 * row + o), 12);
        dst += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), i + r < M ? load<f32>(src + <usize>r * row + (<usize>k << 2)) : 0);
        dst += 16;
      }
    }
  }
}

// From A stored transposed (K × M): each step's 4 values are contiguous.
function packATransposed(a: usize, lda: i32, M: i32, k0: i32, kc: i32, dst: usize): void {
  const row = <usize>lda << 2;
  for (let i = 0; i < M; i += MR) {
    let src = a + <usize>k0 * row + (<usize>i << 2);
    if (i + MR <= M) {
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        src += row;
        dst += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), i + r < M ? load<f32>(src + (<usize>r << 2)) : 0);
        src += row;
        dst += 16;
      }
    }
  }
}

// Packed B: panel p (columns 8p…8p+7) holds, for each k of the block, those 8 columns' values;
// columns past N are zero. From B stored row-major (K × N): two contiguous vectors per step.
function packBRows(b: usize, ldb: i32, N: i32, k0: i32, kc: i32, dst: usize): void {
  const row = <usize>ldb << 2;
  for (let j = 0; j < N; j += NR) {
    let src = b + <usize>k0 * row + (<usize>j << 2);
    if (j + NR <= N) {
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += row;
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>q << 2), j + q < N ? load<f32>(src + (<usize>q << 2)) : 0);
        src += row;
        dst += 32;
      }
    }
  }
}

// From B stored transposed (N × K): 8 rows of B read 4 steps at a time, two 4 × 4 transposes.
function packBTransposed(b: usize, ldb: i32, N: i32, k0: i32, kc: i32, dst: usize): void {
  const row = <usize>ldb << 2;
  for (let j = 0; j < N; j += NR) {
    const src = b + <usize>j * row + (<usize>k0 << 2);
    if (j + NR <= N) {
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        const lo = src + o;
        const hi = src + 4 * row + o;
        transposeInto8(v128.load(lo), v128.load(lo + row), v128.load(lo + 2 * row), v128.load(lo + 3 * row), dst);
        transposeInto8(v128.load(hi), v128.load(hi + row), v128.load(hi + 2 * row), v128.load(hi + 3 * row), dst + 16);
        dst += 128;
      }
      for (; k < kc; k++) {
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>q << 2), load<f32>(src + <usize>q * row + (<usize>k << 2)));
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>q << 2), j + q < N ? load<f32>(src + <usize>q * row + (<usize>k << 2)) : 0);
        dst += 32;
      }
    }
  }
}

// Rows r0…r3 (4 steps each) → 4 vectors of one step each, stored 16 bytes apart.
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst, f32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
  v128.store(dst, f32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
  v128.store(dst, f32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
}

// The same, the 4 vectors stored 32 bytes apart (half of a packed-B step each).
@inline function transposeInto8(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst, f32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, f32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, f32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

// cnnGemm with its arguments read from 13 i32 at args (a, lda, b, ldb, c, ldc, M, N, K, transA,
// transB, accumulate, work): how the GEMM helper thread is handed its share of a product.
export function cnnGemmTask(args: usize): void {
  cnnGemm(
    <usize>load<i32>(args), load<i32>(args, 4), <usize>load<i32>(args, 8), load<i32>(args, 12), <usize>load<i32>(args, 16), load<i32>(args, 20),
    load<i32>(args, 24), load<i32>(args, 28), load<i32>(args, 32), load<i32>(args, 36), load<i32>(args, 40), load<i32>(args, 44), <usize>load<i32>(args, 48),
  );
}
