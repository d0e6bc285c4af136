// Float64 WebAssembly SIMD kernels of kernel ridge regression (src/krr/, src/linalg/float64Kernels.ts):
// a packed GEMM (and its L1-distance twin for the Laplacian kernel), a recursive Cholesky factorisation
// and the triangular solves built on it, the rbf distances from inner products and a vector exp.
// Written by hand because no BLAS/LAPACK for Node is both kept up and free of native builds (see
// src/linalg/cholesky.ts, whose plain TypeScript versions are the specification these are tested
// against). Pointers are byte offsets into the shared memory; matrices are row-major f64 with a row
// stride (ld, in elements) so sub-blocks can be addressed in place. Nothing here allocates: scratch
// space comes in as `work` (krrWorkBytes() bytes). Built twice: into kernels.wasm with plain SIMD and
// alone into krr-fma.wasm with relaxed SIMD, whose multiply-adds are fused (madd below).

// Register tile 4 × 2: C[i…i+4, j…j+2] as eight f64x2 partial sums running along k (even k in one
// lane, odd k in the other). Both operands are packed first, k-pair by k-pair: a group of 4 rows of
// A gives 64 bytes per pair of k (row 0's two values, row 1's, …), a group of 2 columns of B 32
// bytes, so the kernel's loads are contiguous with constant offsets whatever the storage of A and
// B. This form ran at ~16 GFLOP/s here (one core, best of many runs) against ~8 for the
// outer-product form, whose splat loads V8 handles poorly; ~21 with fused multiply-adds (the loop's
// eight independent sums cover the FMA latency on two ports). K is taken in equal chunks of at most
// KC, so one packed block of B (NC columns × KC, 512 kB) stays in L2 while each group of A (16 kB,
// in L1) runs across it (64 columns did a few per cent worse: A is packed again for each block).
const MR: i32 = 4;
const KC: i32 = 512;
const NC: i32 = 128;
// Rows of A krrGemmPackedB packs at once (2 MB at KC: the A of a whole prediction block).
const MC: i32 = 512;

// Modes of writing the product into C.
const SET: i32 = 0;
const ADD: i32 = 1;
const SUB: i32 = 2;

/** Bytes of scratch space krrGemm (and everything built on it) needs at `work`. */
export function krrWorkBytes(): i32 {
  return (max(KC * NC + KC * MR, KC * MC) + 16) << 3;
}

// Pack `count` (≤ lines) lines of the k-range [k0, k0 + kc) as a group of `lines` (2 or 4): for each
// pair of k, each line's two values in turn (16 bytes a line); missing lines and an odd last k are 0.
// strided = 1: value (line t, k) is src[(first + t)·ld + k] (rows of a row-major matrix);
// strided = 0: value (line t, k) is src[k·ld + first + t] (its columns).
function packGroup(src: usize, ld: i32, strided: i32, k0: i32, kc: i32, first: i32, count: i32, lines: i32, dst: usize): void {
  const ldBytes = <usize>ld << 3;
  const pairs = kc >> 1;
  const step = <usize>lines << 4;
  if (kc & 1 || count < lines) memory.fill(dst, 0, <usize>((kc + 1) >> 1) * step);
  if (strided) {
    for (let t = 0; t < count; t++) {
      const s = src + <usize>(first + t) * ldBytes + (<usize>k0 << 3);
      const d = dst + (<usize>t << 4);
      for (let p = 0; p < pairs; p++) v128.store(d + <usize>p * step, v128.load(s + (<usize>p << 4)));
      if (kc & 1) store<f64>(d + <usize>pairs * step, load<f64>(s + (<usize>(kc - 1) << 3)));
    }
    return;
  }
  // columns: two lines at a time from one 16-byte load per row of src
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    let s = src + <usize>k0 * ldBytes + (<usize>(first + t) << 3);
    const d = dst + (<usize>t << 4);
    for (let p = 0; p < pairs; p++) {
      const u = v128.load(s);
      const v = v128.load(s + ldBytes);
      v128.store(d + <usize>p * step, v128.shuffle<f64>(u, v, 0, 2));
      v128.store(d + <usize>p * step, v128.shuffle<f64>(u, v, 1, 3), 16);
      s += ldBytes << 1;
    }
    if (kc & 1) {
      store<f64>(d + <usize>pairs * step, load<f64>(s));
      store<f64>(d + <usize>pairs * step, load<f64>(s, 8), 16);
    }
  }
  for (; t < count; t++) {
    const s = src + <usize>k0 * ldBytes + (<usize>(first + t) << 3);
    const d = dst + (<usize>t << 4);
    for (let k = 0; k < kc; k++) store<f64>(d + <usize>(k >> 1) * step + (<usize>(k & 1) << 3), load<f64>(s + <usize>k * ldBytes));
  }
}

// acc + x·y: one fused instruction (one rounding) in the relaxed-SIMD build (krr-fma.wasm) on CPUs with
// FMA, which doubles the floating-point throughput of the GEMM loop (mul + add is two instructions on
// the same two ports); else multiply, then add.
@inline function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(x, y, acc);
  return f64x2.add(acc, f64x2.mul(x, y));
}

// acc − x·y, fused or not as madd.
@inline function nmadd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(x, y, acc);
  return f64x2.sub(acc, f64x2.mul(x, y));
}

// The two lane sums of s0 and s1 as one vector: [Σ s0, Σ s1].
@inline function pairSums(s0: v128, s1: v128): v128 {
  return f64x2.add(v128.shuffle<f64>(s0, s1, 0, 2), v128.shuffle<f64>(s0, s1, 1, 3));
}

@inline function writePair(p: usize, v: v128, mode: i32): void {
  if (mode == SET) v128.store(p, v);
  else if (mode == ADD) v128.store(p, f64x2.add(v128.load(p), v));
  else v128.store(p, f64x2.sub(v128.load(p), v));
}

// Write one 4 × 2 tile into C (rows ldc bytes apart): all of it, or its top-left mr × nr when the
// tile hangs over the edge of C.
@inline function writeTile(c: usize, ldc: usize, mr: i32, nr: i32, mode: i32, tmp: usize,
  s00: v128, s01: v128, s10: v128, s11: v128, s20: v128, s21: v128, s30: v128, s31: v128): void {
  const r0 = pairSums(s00, s01);
  const r1 = pairSums(s10, s11);
  const r2 = pairSums(s20, s21);
  const r3 = pairSums(s30, s31);
  if (mr == 4 && nr == 2) {
    writePair(c, r0, mode);
    writePair(c + ldc, r1, mode);
    writePair(c + 2 * ldc, r2, mode);
    writePair(c + 3 * ldc, r3, mode);
    return;
  }
  v128.store(tmp, r0);
  v128.store(tmp, r1, 16);
  v128.store(tmp, r2, 32);
  v128.store(tmp, r3, 48);
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      const p = c + <usize>r * ldc + (<usize>j << 3);
      const v = load<f64>(tmp + (<usize>(r * 2 + j) << 3));
      store<f64>(p, mode == SET ? v : mode == ADD ? load<f64>(p) + v : load<f64>(p) - v);
    }
  }
}

// One 4 × 2 tile of Σ_k a_ik·b_jk from packed groups (`pairs` pairs of k). Every entry is summed in
// the same order whatever tile it sits in, so a result does not depend on its neighbours in a batch.
function tileProduct(ap: usize, bp: usize, pairs: i32, c: usize, ldc: usize, mr: i32, nr: i32, mode: i32, tmp: usize): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  const end = ap + (<usize>pairs << 6);
  while (ap < end) {
    const a0 = v128.load(ap), a1 = v128.load(ap, 16), a2 = v128.load(ap, 32), a3 = v128.load(ap, 48);
    const x0 = v128.load(bp), x1 = v128.load(bp, 16);
    s00 = madd(a0, x0, s00); s01 = madd(a0, x1, s01);
    s10 = madd(a1, x0, s10); s11 = madd(a1, x1, s11);
    s20 = madd(a2, x0, s20); s21 = madd(a2, x1, s21);
    s30 = madd(a3, x0, s30); s31 = madd(a3, x1, s31);
    ap += 64;
    bp += 32;
  }
  writeTile(c, ldc, mr, nr, mode, tmp, s00, s01, s10, s11, s20, s21, s30, s31);
}

// The same tile of Σ_k |a_ik − b_jk| (L1 distances, the Laplacian kernel's), which no GEMM computes.
function tileL1(ap: usize, bp: usize, pairs: i32, c: usize, ldc: usize, mr: i32, nr: i32, mode: i32, tmp: usize): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  const end = ap + (<usize>pairs << 6);
  while (ap < end) {
    const a0 = v128.load(ap), a1 = v128.load(ap, 16), a2 = v128.load(ap, 32), a3 = v128.load(ap, 48);
    const x0 = v128.load(bp), x1 = v128.load(bp, 16);
    s00 = f64x2.add(s00, f64x2.abs(f64x2.sub(a0, x0))); s01 = f64x2.add(s01, f64x2.abs(f64x2.sub(a0, x1)));
    s10 = f64x2.add(s10, f64x2.abs(f64x2.sub(a1, x0))); s11 = f64x2.add(s11, f64x2.abs(f64x2.sub(a1, x1)));
    s20 = f64x2.add(s20, f64x2.abs(f64x2.sub(a2, x0))); s21 = f64x2.add(s21, f64x2.abs(f64x2.sub(a2, x1)));
    s30 = f64x2.add(s30, f64x2.abs(f64x2.sub(a3, x0))); s31 = f64x2.add(s31, f64x2.abs(f64x2.sub(a3, x1)));
    ap += 64;
    bp += 32;
  }
  writeTile(c, ldc, mr, nr, mode, tmp, s00, s01, s10, s11, s20, s21, s30, s31);
}

// The K chunk krrGemm takes (K > 0): equal chunks of at most KC (400 = one chunk of 400, not 384 + 16),
// even so pairs of k never straddle two.
@inline function chunkOf(K: i32): i32 {
  const chunks = (K + KC - 1) / KC;
  return (((K + chunks - 1) / chunks) + 1) & ~1;
}

/** C (M × N) = 0 when the mode sets it: what a product over K = 0 terms leaves. */
@inline function clearWhenSet(mode: i32, M: i32, N: i32, c: usize, ldcBytes: usize): void {
  if (mode == SET) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>N << 3);
}

/**
 * C (M × N, row stride ldc) = / += / −= (mode 0 / 1 / 2) op(A)·op(B), with op(A) M × K stored as
 * A[i·lda + k] (aT = 0) or A[k·lda + i] (aT = 1), and op(B) K × N stored as B[k·ldb + j] (bT = 0) or
 * B[j·ldb + k] (bT = 1). kind = 1 replaces the products by L1 distances Σ_k |a_ik − b_kj|. lower = 1
 * computes only the 4 × 2 tiles that touch the lower triangle (j ≤ i) of a square C, as a symmetric
 * rank-K update needs; entries above the diagonal inside those tiles are written too.
 */
export function krrGemm(kind: i32, aT: i32, bT: i32, mode: i32, lower: i32, M: i32, N: i32, K: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize): void {
  if (M <= 0 || N <= 0) return;
  const ldcBytes = <usize>ldc << 3;
  if (K <= 0) {
    clearWhenSet(mode, M, N, c, ldcBytes); // an empty sum: C = 0, or C unchanged
    return;
  }
  const bp = work;
  const ap = work + (<usize>(KC * NC) << 3);
  const tmp = ap + (<usize>(KC * MR) << 3);
  const chunk = chunkOf(K);
  for (let k0 = 0; k0 < K; k0 += chunk) {
    const kc = min(chunk, K - k0);
    const pairs = (kc + 1) >> 1;
    const m = k0 == 0 || mode != SET ? mode : ADD;
    for (let j0 = 0; j0 < N; j0 += NC) {
      if (lower && j0 >= M) break;
      const nc = min(NC, N - j0);
      for (let q = 0; q < nc; q += 2) packGroup(b, ldb, bT, k0, kc, j0 + q, min(2, nc - q), 2, bp + (<usize>(q * pairs) << 4));
      for (let i0 = lower ? j0 & ~3 : 0; i0 < M; i0 += MR) {
        const mr = min(MR, M - i0);
        packGroup(a, lda, 1 - aT, k0, kc, i0, mr, MR, ap);
        const jEnd = lower ? min(j0 + nc, i0 + MR) : j0 + nc;
        const crow = c + <usize>i0 * ldcBytes;
        for (let j = j0; j < jEnd; j += 2) {
          const panel = bp + (<usize>((j - j0) * pairs) << 4);
          const nr = min(2, N - j);
          if (kind == 0) tileProduct(ap, panel, pairs, crow + (<usize>j << 3), ldcBytes, mr, nr, m, tmp);
          else tileL1(ap, panel, pairs, crow + (<usize>j << 3), ldcBytes, mr, nr, m, tmp);
        }
      }
    }
  }
}

/** Bytes krrPackB writes for an op(B) of K × N. */
export function krrPackedBytes(N: i32, K: i32): i32 {
  if (N <= 0 || K <= 0) return 0;
  const chunk = chunkOf(K);
  let bytes = 0;
  for (let k0 = 0; k0 < K; k0 += chunk) bytes += ((N + 1) >> 1) * (((min(chunk, K - k0) + 1) >> 1) << 5);
  return bytes;
}

/**
 * op(B) (K × N, stored as krrGemm's b, ldb, bT) packed whole, chunk after chunk of K, each as
 * krrGemm packs its blocks of B: for a B that is multiplied many times (a model's support rows and
 * dual weights, at every prediction), so krrGemmPackedB need not pack it again.
 */
export function krrPackB(bT: i32, N: i32, K: i32, b: usize, ldb: i32, out: usize): void {
  if (N <= 0 || K <= 0) return;
  const chunk = chunkOf(K);
  for (let k0 = 0; k0 < K; k0 += chunk) {
    const kc = min(chunk, K - k0);
    const pairs = (kc + 1) >> 1;
    for (let q = 0; q < N; q += 2) packGroup(b, ldb, bT, k0, kc, q, min(2, N - q), 2, out + (<usize>(q * pairs) << 4));
    out += <usize>((N + 1) >> 1) * (<usize>pairs << 5);
  }
}

/**
 * krrGemm (not lower) with op(B) packed beforehand by krrPackB, the same sums in the same order (so
 * the same values). A is packed once per chunk of K, MC rows at a time, instead of once per block
 * of B: with nothing of B to pack, repacking A was most of the packing left.
 */
export function krrGemmPackedB(kind: i32, aT: i32, mode: i32, M: i32, N: i32, K: i32, a: usize, lda: i32, packedB: usize, c: usize, ldc: i32, work: usize): void {
  if (M <= 0 || N <= 0) return;
  const ldcBytes = <usize>ldc << 3;
  if (K <= 0) {
    clearWhenSet(mode, M, N, c, ldcBytes); // an empty sum: C = 0, or C unchanged
    return;
  }
  const ap = work;
  const tmp = ap + (<usize>(KC * MC) << 3);
  const chunk = chunkOf(K);
  let bChunk = packedB;
  for (let k0 = 0; k0 < K; k0 += chunk) {
    const kc = min(chunk, K - k0);
    const pairs = (kc + 1) >> 1;
    const groupBytes = <usize>pairs << 6;
    const m = k0 == 0 || mode != SET ? mode : ADD;
    for (let ic = 0; ic < M; ic += MC) {
      const iEnd = min(M, ic + MC);
      for (let i0 = ic; i0 < iEnd; i0 += MR) packGroup(a, lda, 1 - aT, k0, kc, i0, min(MR, M - i0), MR, ap + <usize>((i0 - ic) >> 2) * groupBytes);
      for (let j0 = 0; j0 < N; j0 += NC) {
        const jEnd = min(N, j0 + NC);
        for (let i0 = ic; i0 < iEnd; i0 += MR) {
          const mr = min(MR, M - i0);
          const group = ap + <usize>((i0 - ic) >> 2) * groupBytes;
          const crow = c + <usize>i0 * ldcBytes;
          for (let j = j0; j < jEnd; j += 2) {
            const panel = bChunk + (<usize>(j * pairs) << 4);
            const nr = min(2, N - j);
            if (kind == 0) tileProduct(group, panel, pairs, crow + (<usize>j << 3), ldcBytes, mr, nr, m, tmp);
            else tileL1(group, panel, pairs, crow + (<usize>j << 3), ldcBytes, mr, nr, m, tmp);
          }
        }
      }
    }
    bChunk += <usize>((N + 1) >> 1) * (<usize>pairs << 5);
  }
}

// Σ_k<len p[k]·q[k], two lanes at a time.
@inline function dot(p: usize, q: usize, len: i32): f64 {
  let s = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= len; k += 2) s = madd(v128.load(p + (<usize>k << 3)), v128.load(q + (<usize>k << 3)), s);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k < len) r += load<f64>(p + (<usize>k << 3)) * load<f64>(q + (<usize>k << 3));
  return r;
}

// y[0…m) −= s·x[0…m)
@inline function axpyNeg(y: usize, x: usize, s: f64, m: i32): void {
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= m; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, nmadd(sv, v128.load(x + o), v128.load(y + o)));
  }
  if (k < m) store<f64>(y + (<usize>k << 3), load<f64>(y + (<usize>k << 3)) - s * load<f64>(x + (<usize>k << 3)));
}

// y[0…m) /= d
@inline function scaleRow(y: usize, d: f64, m: i32): void {
  const dv = f64x2.splat(d);
  let k = 0;
  for (; k + 2 <= m; k += 2) v128.store(y + (<usize>k << 3), f64x2.div(v128.load(y + (<usize>k << 3)), dv));
  if (k < m) store<f64>(y + (<usize>k << 3), load<f64>(y + (<usize>k << 3)) / d);
}

// Below this size the recursions stop and work row by row: the blocks are in L1 and the products short.
const LEAF: i32 = 32;

// Split point of a recursion: about half, a multiple of 4 so the tiles of the halves line up.
@inline function half(n: i32): i32 {
  return ((n >> 1) + 3) & ~3;
}

// Cholesky–Banachiewicz on a block small enough for L1.
function choleskyLeaf(a: usize, n: i32, lda: usize): i32 {
  for (let i = 0; i < n; i++) {
    const ri = a + <usize>i * lda;
    for (let j = 0; j < i; j++) {
      const rj = a + <usize>j * lda;
      store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
    }
    const d = load<f64>(ri + (<usize>i << 3)) - dot(ri, ri, i);
    if (!(d > 0)) return i;
    store<f64>(ri + (<usize>i << 3), Math.sqrt(d));
  }
  return -1;
}

// The leaf of solveRightLowerT on four rows at once, each entry as there (the same dot, in the same
// order, then the division): one row alone is a chain of dependent dots and divisions that leaves
// the core idle (~15 % of the Cholesky); four independent chains overlap and share the loads of L.
function solveRowsRightLowerT4(b: usize, ldbBytes: usize, n: i32, l: usize, ldlBytes: usize): void {
  const r0 = b, r1 = b + ldbBytes, r2 = b + 2 * ldbBytes, r3 = b + 3 * ldbBytes;
  for (let j = 0; j < n; j++) {
    const lj = l + <usize>j * ldlBytes;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let k = 0;
    for (; k + 2 <= j; k += 2) {
      const o = <usize>k << 3;
      const x = v128.load(lj + o);
      s0 = madd(v128.load(r0 + o), x, s0);
      s1 = madd(v128.load(r1 + o), x, s1);
      s2 = madd(v128.load(r2 + o), x, s2);
      s3 = madd(v128.load(r3 + o), x, s3);
    }
    let d0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let d1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let d2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let d3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    const o = <usize>k << 3;
    if (k < j) {
      const x = load<f64>(lj + o);
      d0 += load<f64>(r0 + o) * x;
      d1 += load<f64>(r1 + o) * x;
      d2 += load<f64>(r2 + o) * x;
      d3 += load<f64>(r3 + o) * x;
    }
    const jo = <usize>j << 3;
    const pivot = load<f64>(lj + jo);
    store<f64>(r0 + jo, (load<f64>(r0 + jo) - d0) / pivot);
    store<f64>(r1 + jo, (load<f64>(r1 + jo) - d1) / pivot);
    store<f64>(r2 + jo, (load<f64>(r2 + jo) - d2) / pivot);
    store<f64>(r3 + jo, (load<f64>(r3 + jo) - d3) / pivot);
  }
}

// X·Lᵀ = B for X, in place of B (m × n), with L n × n lower triangular: the panel below a factored
// diagonal block. Recursive on n, so the bulk is one GEMM per level.
function solveRightLowerT(b: usize, m: i32, n: i32, ldb: i32, l: usize, ldl: i32, work: usize): void {
  const ldlBytes = <usize>ldl << 3;
  if (n <= LEAF) {
    const ldbBytes = <usize>ldb << 3;
    let r = 0;
    for (; r + 4 <= m; r += 4) solveRowsRightLowerT4(b + <usize>r * ldbBytes, ldbBytes, n, l, ldlBytes);
    for (; r < m; r++) {
      const row = b + <usize>r * ldbBytes;
      for (let j = 0; j < n; j++) {
        const lj = l + <usize>j * ldlBytes;
        store<f64>(row + (<usize>j << 3), (load<f64>(row + (<usize>j << 3)) - dot(row, lj, j)) / load<f64>(lj + (<usize>j << 3)));
      }
    }
    return;
  }
  const n1 = half(n);
  solveRightLowerT(b, m, n1, ldb, l, ldl, work);
  const l21 = l + <usize>n1 * ldlBytes;
  krrGemm(0, 0, 1, SUB, 0, m, n - n1, n1, b, ldb, l21, ldl, b + (<usize>n1 << 3), ldb, work);
  solveRightLowerT(b + (<usize>n1 << 3), m, n - n1, ldb, l21 + (<usize>n1 << 3), ldl, work);
}

// Recursive Cholesky (A11 = L11·L11ᵀ, L21 = A21·L11⁻ᵀ, A22 −= L21·L21ᵀ, recurse): the lower triangle of
// the n × n matrix at a becomes L; the strict upper triangle is not read (but is scratch: the GEMM on
// diagonal tiles writes into it). Returns −1, or the first pivot that is not positive.
function choleskyRecursive(a: usize, n: i32, lda: i32, work: usize): i32 {
  const ldaBytes = <usize>lda << 3;
  if (n <= LEAF) return choleskyLeaf(a, n, ldaBytes);
  const n1 = half(n);
  const n2 = n - n1;
  let failed = choleskyRecursive(a, n1, lda, work);
  if (failed >= 0) return failed;
  const a21 = a + <usize>n1 * ldaBytes;
  const a22 = a21 + (<usize>n1 << 3);
  solveRightLowerT(a21, n2, n1, lda, a, lda, work);
  krrGemm(0, 0, 1, SUB, 1, n2, n2, n1, a21, lda, a21, lda, a22, lda, work);
  failed = choleskyRecursive(a22, n2, lda, work);
  return failed >= 0 ? failed + n1 : -1;
}

/** A = L·Lᵀ in place (lower triangle, row stride lda); −1, or the index of the first bad pivot. */
export function krrCholesky(a: usize, n: i32, lda: i32, work: usize): i32 {
  return choleskyRecursive(a, n, lda, work);
}

// L·Y = B in place of B (n × m), L lower.
function solveLeftLower(l: usize, n: i32, ldl: i32, y: usize, m: i32, ldy: i32, work: usize): void {
  const ldlBytes = <usize>ldl << 3;
  const ldyBytes = <usize>ldy << 3;
  if (n <= LEAF) {
    for (let i = 0; i < n; i++) {
      const li = l + <usize>i * ldlBytes;
      const yi = y + <usize>i * ldyBytes;
      for (let p = 0; p < i; p++) axpyNeg(yi, y + <usize>p * ldyBytes, load<f64>(li + (<usize>p << 3)), m);
      scaleRow(yi, load<f64>(li + (<usize>i << 3)), m);
    }
    return;
  }
  const n1 = half(n);
  solveLeftLower(l, n1, ldl, y, m, ldy, work);
  const l21 = l + <usize>n1 * ldlBytes;
  const y2 = y + <usize>n1 * ldyBytes;
  krrGemm(0, 0, 0, SUB, 0, n - n1, m, n1, l21, ldl, y, ldy, y2, ldy, work);
  solveLeftLower(l21 + (<usize>n1 << 3), n - n1, ldl, y2, m, ldy, work);
}

// Lᵀ·X = Y in place of Y (n × m), L lower.
function solveLeftLowerT(l: usize, n: i32, ldl: i32, y: usize, m: i32, ldy: i32, work: usize): void {
  const ldlBytes = <usize>ldl << 3;
  const ldyBytes = <usize>ldy << 3;
  if (n <= LEAF) {
    for (let i = n - 1; i >= 0; i--) {
      const li = l + <usize>i * ldlBytes;
      const yi = y + <usize>i * ldyBytes;
      scaleRow(yi, load<f64>(li + (<usize>i << 3)), m);
      for (let p = 0; p < i; p++) axpyNeg(y + <usize>p * ldyBytes, yi, load<f64>(li + (<usize>p << 3)), m);
    }
    return;
  }
  const n1 = half(n);
  const l21 = l + <usize>n1 * ldlBytes;
  const y2 = y + <usize>n1 * ldyBytes;
  solveLeftLowerT(l21 + (<usize>n1 << 3), n - n1, ldl, y2, m, ldy, work);
  // Y1 −= L21ᵀ·X2: L21 is (n − n1) × n1, so op(A) = L21ᵀ is read transposed
  krrGemm(0, 1, 0, SUB, 0, n1, m, n - n1, l21, ldl, y2, ldy, y, ldy, work);
  solveLeftLowerT(l, n1, ldl, y, m, ldy, work);
}

/** L·Lᵀ·X = B in place of B (n × m, row stride ldy) for the factor of krrCholesky. */
export function krrCholeskySolve(l: usize, n: i32, ldl: i32, y: usize, m: i32, ldy: i32, work: usize): void {
  solveLeftLower(l, n, ldl, y, m, ldy, work);
  solveLeftLowerT(l, n, ldl, y, m, ldy, work);
}

/** |row|² of each row of z (rows × cols) into out. */
export function krrRowNorms(z: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = z + (<usize>(r * cols) << 3);
    store<f64>(out + (<usize>r << 3), dot(p, p, cols));
  }
}

/**
 * Squared distances from inner products, in place: p_ij ← max(0, u_i + v_j − 2·p_ij) (|a − b|² =
 * |a|² + |b|² − 2a·b, clipped at 0 against rounding). lower = 1: only j < i of a square block.
 */
export function krrDistances(p: usize, rows: i32, cols: i32, ld: i32, u: usize, v: usize, lower: i32): void {
  const zero = f64x2.splat(0);
  const two = f64x2.splat(2);
  for (let i = 0; i < rows; i++) {
    const row = p + (<usize>i * <usize>ld << 3);
    const end = lower ? min(i, cols) : cols;
    const ui = load<f64>(u + (<usize>i << 3));
    const us = f64x2.splat(ui);
    let j = 0;
    for (; j + 2 <= end; j += 2) {
      const o = <usize>j << 3;
      v128.store(row + o, f64x2.max(zero, f64x2.sub(f64x2.add(us, v128.load(v + o)), f64x2.mul(two, v128.load(row + o)))));
    }
    for (; j < end; j++) {
      const o = <usize>j << 3;
      store<f64>(row + o, max(0, ui + load<f64>(v + o) - 2 * load<f64>(row + o)));
    }
  }
}

// exp(x) for x ≤ 0, two at a time (fused multiply-adds in the relaxed build: ~1.4× faster, the plain
// build's arithmetic as before): x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r¹³
// (truncation below 2⁻⁵⁵ relative) evaluated in Estrin's order (a dependency chain of ~5 multiply-adds
// instead of Horner's 13, so successive vectors overlap: ~1.3× faster here), 2^k put into the
// exponent bits. Below −708 (where doubles turn subnormal) the result is 0: a kernel weight under
// 1e-307 changes no prediction.
@inline function expNonPositive(x: v128): v128 {
  const t = madd(x, f64x2.splat(1.4426950408889634), f64x2.splat(6755399441055744.0)); // 1.5·2⁵²: rounds to an integer in the low bits
  const k = f64x2.sub(t, f64x2.splat(6755399441055744.0));
  const r = nmadd(k, f64x2.splat(1.90821492927058770002e-10), nmadd(k, f64x2.splat(6.93147180369123816490e-01), x));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  // e^r = 1 + (r + r²·P(r)), P = Σ r^(n−2)/n! for n = 2…13 by pairs c_n + c_n+1·r; the sums near 1
  // come last, so they round once
  const p0 = madd(f64x2.splat(1.0 / 6.0), r, f64x2.splat(0.5));
  const p1 = madd(f64x2.splat(1.0 / 120.0), r, f64x2.splat(1.0 / 24.0));
  const p2 = madd(f64x2.splat(1.0 / 5040.0), r, f64x2.splat(1.0 / 720.0));
  const p3 = madd(f64x2.splat(1.0 / 362880.0), r, f64x2.splat(1.0 / 40320.0));
  const p4 = madd(f64x2.splat(1.0 / 39916800.0), r, f64x2.splat(1.0 / 3628800.0));
  const p5 = madd(f64x2.splat(1.0 / 6227020800.0), r, f64x2.splat(1.0 / 479001600.0));
  const s0 = madd(p1, r2, p0);
  const s1 = madd(p3, r2, p2);
  const s2 = madd(p5, r2, p4);
  const big = madd(s2, r8, madd(s1, r4, s0));
  const q = f64x2.add(f64x2.splat(1.0), madd(r2, big, r));
  // the integer k sits in the low mantissa bits of t: 2^k has exponent field k + 1023
  const kBits = i64x2.sub(t, f64x2.splat(6755399441055744.0));
  const scale = i64x2.shl(i64x2.add(kBits, i64x2.splat(1023)), 52);
  const y = f64x2.mul(q, scale);
  return v128.bitselect(f64x2.splat(0), y, f64x2.lt(x, f64x2.splat(-708.0))); // NaN stays NaN
}

/** p_ij ← exp(−γ·p_ij) for p_ij ≥ 0 (distances → kernel values); lower = 1: only j < i. */
export function krrExpNeg(p: usize, rows: i32, cols: i32, ld: i32, gamma: f64, lower: i32): void {
  const g = f64x2.splat(-gamma);
  for (let i = 0; i < rows; i++) {
    const row = p + (<usize>i * <usize>ld << 3);
    const end = lower ? min(i, cols) : cols;
    let j = 0;
    for (; j + 2 <= end; j += 2) {
      const o = <usize>j << 3;
      v128.store(row + o, expNonPositive(f64x2.mul(g, v128.load(row + o))));
    }
    if (j < end) {
      const o = <usize>j << 3;
      store<f64>(row + o, f64x2.extract_lane(expNonPositive(f64x2.splat(-gamma * load<f64>(row + o))), 0));
    }
  }
}

/**
 * krrDistances then krrExpNeg in one pass over p (the same arithmetic, so the same values): rbf
 * kernel values exp(−γ·max(0, u_i + v_j − 2·p_ij)) from inner products, the matrix read and written
 * once instead of twice. lower = 1: only j < i.
 */
export function krrRbfFromProducts(p: usize, rows: i32, cols: i32, ld: i32, u: usize, v: usize, gamma: f64, lower: i32): void {
  const zero = f64x2.splat(0);
  const two = f64x2.splat(2);
  const g = f64x2.splat(-gamma);
  for (let i = 0; i < rows; i++) {
    const row = p + (<usize>i * <usize>ld << 3);
    const end = lower ? min(i, cols) : cols;
    const ui = load<f64>(u + (<usize>i << 3));
    const us = f64x2.splat(ui);
    let j = 0;
    for (; j + 2 <= end; j += 2) {
      const o = <usize>j << 3;
      const d = f64x2.max(zero, f64x2.sub(f64x2.add(us, v128.load(v + o)), f64x2.mul(two, v128.load(row + o))));
      v128.store(row + o, expNonPositive(f64x2.mul(g, d)));
    }
    if (j < end) {
      const o = <usize>j << 3;
      const d = max(0, ui + load<f64>(v + o) - 2 * load<f64>(row + o));
      store<f64>(row + o, f64x2.extract_lane(expNonPositive(f64x2.splat(-gamma * d)), 0));
    }
  }
}
