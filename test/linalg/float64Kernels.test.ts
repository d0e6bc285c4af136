import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { choleskyInPlace, choleskySolveInPlace } from '../../src/linalg/cholesky.js';
import { choleskyInPlaceFast, choleskySolveInPlaceFast, float64Workspace, Float64Workspace, GEMM_ADD, GEMM_L1, GEMM_PRODUCT, GEMM_SET, GEMM_SUB } from '../../src/linalg/float64Kernels.js';
import { KRR_FMA_WASM_PATH, relaxedSimdModule, wasmModule } from '../../src/wasm/runtime.js';
import { python, random, run, skipOutsideCi, tempDir } from '../helpers.js';

const ws = float64Workspace();
const skip = skipOutsideCi(ws === null, 'the WebAssembly kernels are not built (npm run build:wasm)');
const py = python(['scipy', 'numpy']);

/** A view in the workspace holding f(0), f(1), … (TypedArray map would make a copy outside it). */
function filled(k: Float64Workspace, length: number, f: (q: number) => number): Float64Array {
  const v = k.f64(length);
  for (let q = 0; q < length; q++) v[q] = f(q);
  return v;
}

/** A = G Gᵀ + n·I for a random G: symmetric positive definite. */
function spd(n: number, seed: number): Float64Array {
  const rand = random(seed);
  const g = Float64Array.from({ length: n * n }, () => rand() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
    a[i * n + j] = a[j * n + i] = s;
  }
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

test('krrGemm: products and L1 distances, every storage and write mode, across the 4 × 2 tile, 128-column block and K-chunk edges', { skip }, () => {
  const k = ws as Float64Workspace;
  const rand = random(7);
  // M not a multiple of 4, N odd and past two column blocks, K odd and (1031) in three chunks, the last odd
  for (const [M, N, K] of [[7, 5, 3], [13, 259, 301], [6, 9, 1031], [2, 1, 1]]) {
    for (const kind of [GEMM_PRODUCT, GEMM_L1]) for (const aT of [0, 1]) for (const bT of [0, 1]) for (const mode of [GEMM_SET, GEMM_ADD, GEMM_SUB]) {
      k.begin();
      const lda = (aT ? M : K) + 3;
      const ldb = (bT ? K : N) + 1;
      const ldc = N + 2;
      const a = filled(k, (aT ? K : M) * lda, () => rand() - 0.5);
      const b = filled(k, (bT ? N : K) * ldb, () => rand() - 0.5);
      const c = filled(k, M * ldc, () => rand() - 0.5);
      const before = Float64Array.from(c);
      k.k.krrGemm(kind, aT, bT, mode, 0, M, N, K, a.byteOffset, lda, b.byteOffset, ldb, c.byteOffset, ldc, k.work);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < ldc; j++) {
          let s = 0;
          for (let q = 0; q < K && j < N; q++) {
            const x = aT ? a[q * lda + i] : a[i * lda + q];
            const y = bT ? b[j * ldb + q] : b[q * ldb + j];
            s += kind === GEMM_L1 ? Math.abs(x - y) : x * y;
          }
          const old = before[i * ldc + j];
          const want = j >= N ? old : mode === GEMM_SET ? s : mode === GEMM_ADD ? old + s : old - s;
          assert.ok(Math.abs(c[i * ldc + j] - want) < 1e-12, `${M}×${N}×${K} kind ${kind} aT ${aT} bT ${bT} mode ${mode} at (${i}, ${j}): ${c[i * ldc + j]} vs ${want}`);
        }
      }
    }
  }
});

test('krrGemmPackedB with op(B) packed by krrPackB gives what krrGemm gives, bit for bit (both kinds, storages and modes; past the 512-row block of A, the column blocks and K chunks)', { skip }, () => {
  const k = ws as Float64Workspace;
  const rand = random(17);
  for (const [M, N, K] of [[7, 5, 3], [517, 131, 301], [6, 259, 1031], [2, 1, 1], [3, 4, 0]]) {
    for (const kind of [GEMM_PRODUCT, GEMM_L1]) for (const aT of [0, 1]) for (const bT of [0, 1]) for (const mode of [GEMM_SET, GEMM_ADD, GEMM_SUB]) {
      if (M > 100 && (kind === GEMM_L1 || mode === GEMM_ADD)) continue; // the large case once per storage
      k.begin();
      const lda = (aT ? M : K) + 3;
      const ldb = (bT ? K : N) + 1;
      const ldc = N + 2;
      const a = filled(k, (aT ? K : M) * lda, () => rand() - 0.5);
      const b = filled(k, (bT ? N : K) * ldb, () => rand() - 0.5);
      const c = filled(k, M * ldc, () => rand() - 0.5);
      const viaGemm = filled(k, M * ldc, (q) => c[q]);
      const packed = k.f64(k.k.krrPackedBytes(N, K) / 8);
      k.k.krrPackB(bT, N, K, b.byteOffset, ldb, packed.byteOffset);
      k.k.krrGemmPackedB(kind, aT, mode, M, N, K, a.byteOffset, lda, packed.byteOffset, c.byteOffset, ldc, k.work);
      k.k.krrGemm(kind, aT, bT, mode, 0, M, N, K, a.byteOffset, lda, b.byteOffset, ldb, viaGemm.byteOffset, ldc, k.work);
      assert.deepEqual(Array.from(c), Array.from(viaGemm), `${M}×${N}×${K} kind ${kind} aT ${aT} bT ${bT} mode ${mode}`);
    }
  }
});

test('krrGemm with lower = 1 fills the lower triangle (and diagonal) of A·Aᵀ and nothing more than the diagonal tiles above it', { skip }, () => {
  const k = ws as Float64Workspace;
  const rand = random(8);
  for (const n of [1, 6, 141]) {
    k.begin();
    const width = 37;
    const z = filled(k, n * width, () => rand());
    const c = k.f64(n * n).fill(Number.NaN);
    k.k.krrGemm(GEMM_PRODUCT, 0, 1, GEMM_SET, 1, n, n, width, z.byteOffset, width, z.byteOffset, width, c.byteOffset, n, k.work);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) {
          // above the diagonal: untouched outside the 4 × 2 tiles that hold diagonal entries
          if (j > (i | 3)) assert.ok(Number.isNaN(c[i * n + j]), `(${i}, ${j}) written`);
          continue;
        }
        let s = 0;
        for (let q = 0; q < width; q++) s += z[i * width + q] * z[j * width + q];
        assert.ok(Math.abs(c[i * n + j] - s) < 1e-12, `n ${n} (${i}, ${j})`);
      }
    }
  }
});

test('the WebAssembly Cholesky and solve match the TypeScript reference across the recursion leaves (n = 1 … 203), and refuse an indefinite matrix', { skip }, () => {
  for (const n of [1, 2, 31, 33, 70, 203]) {
    const a = spd(n, n);
    const fast = Float64Array.from(a);
    const plain = Float64Array.from(a);
    choleskyInPlaceFast(fast, n);
    choleskyInPlace(plain, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // lower triangle: L to rounding; upper: left as it was
        if (j <= i) assert.ok(Math.abs(fast[i * n + j] - plain[i * n + j]) < 1e-13 * Math.sqrt(n), `n ${n} L(${i}, ${j})`);
        else assert.equal(fast[i * n + j], a[i * n + j]);
      }
    }
    const rand = random(50 + n);
    for (const m of [1, 3, 81]) {
      const b = Float64Array.from({ length: n * m }, () => rand() - 0.5);
      const xFast = Float64Array.from(b);
      const xPlain = Float64Array.from(b);
      choleskySolveInPlaceFast(fast, n, xFast, m);
      choleskySolveInPlace(plain, n, xPlain, m);
      xFast.forEach((v, q) => assert.ok(Math.abs(v - xPlain[q]) < 1e-13, `n ${n} m ${m} x[${q}]: ${v} vs ${xPlain[q]}`));
      // and A·X = B
      for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) {
        let s = 0;
        for (let q = 0; q < n; q++) s += a[i * n + q] * xFast[q * m + c];
        assert.ok(Math.abs(s - b[i * m + c]) < 1e-10, `n ${n} residual row ${i}`);
      }
    }
  }
  const bad = spd(40, 1);
  bad[37 * 40 + 37] = -1e4;
  assert.throws(() => choleskyInPlaceFast(bad, 40), /not positive definite \(pivot 37\)/);
});

test('the WebAssembly Cholesky and solve agree with scipy (LAPACK potrf / potrs) on a 300 × 300 kernel-like matrix', { skip: skip || (py === undefined && 'python3-scipy is not installed') }, () => {
  const n = 300;
  const m = 81;
  const rand = random(11);
  const x = Float64Array.from({ length: n * 20 }, () => rand());
  // an rbf kernel matrix with a small ridge: the conditioning kernel ridge regression meets
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let d = 0;
    for (let q = 0; q < 20; q++) d += (x[i * 20 + q] - x[j * 20 + q]) ** 2;
    a[i * n + j] = Math.exp(-0.3 * d) + (i === j ? 1e-3 : 0);
  }
  const b = Float64Array.from({ length: n * m }, () => rand() - 0.5);
  const work = tempDir();
  writeNpy(join(work, 'a.npy'), { data: a, shape: [n, n] });
  writeNpy(join(work, 'b.npy'), { data: b, shape: [n, m] });
  const r = run(py as string, ['-c', `import sys, numpy as np, scipy.linalg as sl
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
c = sl.cho_factor(a, lower=True)
np.save(sys.argv[3], np.ascontiguousarray(np.tril(c[0]))); np.save(sys.argv[4], np.ascontiguousarray(sl.cho_solve(c, b)))`, join(work, 'a.npy'), join(work, 'b.npy'), join(work, 'l.npy'), join(work, 'x.npy')]);
  assert.equal(r.status, 0, r.stderr);
  const lTheirs = readNpy(join(work, 'l.npy')).data;
  const xTheirs = readNpy(join(work, 'x.npy')).data;
  const l = Float64Array.from(a);
  choleskyInPlaceFast(l, n);
  const xOurs = Float64Array.from(b);
  choleskySolveInPlaceFast(l, n, xOurs, m);
  let worstL = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) worstL = Math.max(worstL, Math.abs(l[i * n + j] - lTheirs[i * n + j]));
  assert.ok(worstL < 1e-12, `L: max |Δ| ${worstL}`);
  let worstX = 0;
  let scale = 0;
  xOurs.forEach((v, q) => {
    worstX = Math.max(worstX, Math.abs(v - xTheirs[q]));
    scale = Math.max(scale, Math.abs(xTheirs[q]));
  });
  assert.ok(worstX < 1e-10 * scale, `X: max |Δ| ${worstX} of ${scale}`);
});

test('krrExpNeg is exp(−γ·d) to 2 ulp over the range of kernel arguments, 0 below e⁻⁷⁰⁸, NaN kept; krrDistances is |a|² + |b|² − 2a·b clipped at 0', { skip }, () => {
  const k = ws as Float64Workspace;
  k.begin();
  const rand = random(3);
  const n = 4001;
  const d = k.f64(n);
  for (let i = 0; i < n; i++) d[i] = i < 1000 ? rand() * 1e-3 : i < 3000 ? rand() * 50 : rand() * 720;
  d[0] = 0;
  d[1] = Number.NaN;
  const before = Float64Array.from(d);
  k.k.krrExpNeg(d.byteOffset, 1, n, n, 1.7, 0);
  for (let i = 0; i < n; i++) {
    const want = Math.exp(-1.7 * before[i]);
    if (i === 1) assert.ok(Number.isNaN(d[i]));
    else if (1.7 * before[i] >= 708) assert.equal(d[i], 0);
    else assert.ok(Math.abs(d[i] - want) <= 4.5e-16 * want, `exp(${-1.7 * before[i]}): ${d[i]} vs ${want}`);
  }
  assert.equal(d[0], 1);
  // lower = 1 leaves the diagonal and above alone
  const sq = k.f64(9).fill(2);
  k.k.krrExpNeg(sq.byteOffset, 3, 3, 3, 1, 1);
  const e = Math.exp(-2);
  assert.deepEqual(Array.from(sq, (v) => (v === 2 ? 2 : Math.abs(v - e) < 1e-16 ? 'e' : v)), [2, 2, 2, 'e', 2, 2, 'e', 'e', 2]);
  const u = k.f64(2);
  const v = k.f64(3);
  u.set([1, 4]);
  v.set([2, 0, 9]);
  const p = k.f64(6);
  p.set([1, 0, 5, 3, 1, 0]);
  k.k.krrDistances(p.byteOffset, 2, 3, 3, u.byteOffset, v.byteOffset, 0);
  assert.deepEqual(Array.from(p), [1, 1, 0, 0, 2, 13]);
});

test('krrRbfFromProducts gives what krrDistances then krrExpNeg give, bit for bit (full and lower, odd widths)', { skip }, () => {
  const k = ws as Float64Workspace;
  for (const [rows, cols, lower] of [[5, 7, 0], [9, 9, 1], [1, 1, 0]]) {
    k.begin();
    const rand = random(rows * 31 + cols);
    const u = filled(k, rows, () => 5 + rand());
    const v = filled(k, cols, () => 5 + rand());
    const ld = cols + 3;
    const twoPass = filled(k, rows * ld, () => 2.5 + rand() * 4); // some products past (u + v)/2: distances clipped at 0
    const onePass = filled(k, rows * ld, (q) => twoPass[q]);
    k.k.krrDistances(twoPass.byteOffset, rows, cols, ld, u.byteOffset, v.byteOffset, lower);
    k.k.krrExpNeg(twoPass.byteOffset, rows, cols, ld, 0.37, lower);
    k.k.krrRbfFromProducts(onePass.byteOffset, rows, cols, ld, u.byteOffset, v.byteOffset, 0.37, lower);
    assert.deepEqual(Array.from(onePass), Array.from(twoPass), `${rows} × ${cols} lower ${lower}`);
  }
});

test('the workspace hands back a resident owner’s views with their values, and anyone else’s begin() clears them', { skip }, () => {
  const k = ws as Float64Workspace;
  const owner = {};
  assert.equal(k.begin(owner), false);
  const first = k.f64(5);
  first.set([1, 2, 3, 4, 5]);
  assert.equal(k.begin(owner), true);
  const again = k.f64(5);
  assert.equal(again.byteOffset, first.byteOffset);
  assert.deepEqual(Array.from(again), [1, 2, 3, 4, 5]);
  assert.equal(k.begin({}), false);
  assert.equal(k.begin(owner), false);
  // a view larger than the memory grows it
  const big = k.f64(5_000_000);
  big[big.length - 1] = 7;
  assert.equal(big[big.length - 1], 7);
});

test('the fused-multiply-add build (krr-fma.wasm) and the plain one agree to rounding on a kernel ridge solve, and the workspace uses the fused one where it runs', { skip }, () => {
  const fused = relaxedSimdModule(KRR_FMA_WASM_PATH);
  const plain = wasmModule();
  if (fused === null || plain === null) return; // SPRAMNET_FMA=0, or a Node without relaxed SIMD: the plain build is the one tested above
  assert.equal(float64Workspace()?.module, fused);
  const solve = (module: WebAssembly.Module): Float64Array => {
    const k = new Float64Workspace(module);
    k.begin();
    const n = 150;
    const m = 9;
    const a = k.f64(n * n);
    a.set(spd(n, 11));
    const b = filled(k, n * m, (q) => Math.sin(q));
    assert.equal(k.k.krrCholesky(a.byteOffset, n, n, k.work), -1);
    k.k.krrCholeskySolve(a.byteOffset, n, n, b.byteOffset, m, m, k.work);
    return Float64Array.from(b);
  };
  const x = solve(fused);
  const y = solve(plain);
  const scale = Math.max(...y.map(Math.abs));
  x.forEach((v, q) => assert.ok(Math.abs(v - y[q]) < 1e-14 * scale, `x[${q}]: ${v} vs ${y[q]}`));
});
