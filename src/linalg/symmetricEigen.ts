import { availableParallelism } from 'node:os';
import { InputError } from '../errors.js';
import { linalgModule, reusedLinalgInstance } from './linalgKernels.js';
import { eigenHelper, OP, triangleChunks, type EigenHelper } from './eigenHelper.js';

/**
 * Dense real symmetric eigenproblem in float64 on flat row-major arrays (no BLAS/LAPACK binding for
 * Node is both well kept and free of native builds). Two stages, as LAPACK's dsyevd/dsterf:
 *
 * 1. Householder reduction to tridiagonal form, blocked as LAPACK's dsytrd: a panel of `blockSize`
 *    reflectors is built with matrix–vector products on the not-yet-updated trailing matrix plus
 *    the panel's pending rank-2 corrections (dlatrd), then the trailing matrix takes all of them in
 *    one rank-2k update written as row-by-row dot products (every A element is read and written once
 *    per panel, the packed panel rows stay in cache).
 * 2. Implicit QL with Wilkinson-type shifts on the tridiagonal matrix (EISPACK tql1/tql2), O(n²)
 *    for values, O(n³) when eigenvectors are rotated along.
 *
 * With the WebAssembly kernels and two threads, a helper thread (eigenHelper.ts) shares the row
 * chunks of every large matrix–vector product, trailing update and back-transformation on the shared
 * memory.
 *
 * Only the upper triangle (c ≥ r) of the input is read; the input is not modified. Deflation uses
 * |e| ≤ ε·max(|d|+|e|), so eigenvalues are accurate to a few ε·‖A‖ (absolute, as LAPACK's).
 */

export interface EigenOptions {
  /** Reflectors per panel of the blocked reduction (1 = unblocked, the reference path). */
  blockSize?: number;
  /**
   * Kernels of the reduction: 'wasm' (default where WebAssembly SIMD runs), float64 SIMD from
   * assembly/linalg.ts; 'js', the plain TypeScript below (the specification the others are tested against).
   */
  kernels?: 'wasm' | 'js';
  /**
   * Threads of the WebAssembly kernels: 2 shares each O(n³) kernel with a helper thread.
   * Default: SPRAMNET_THREADS when set, else 2 where the machine has two cores or more; matrices
   * below PARALLEL_MIN_N run on one (the hand-overs would cost more than they save).
   */
  threads?: number;
}

export interface SymmetricEigenResult {
  /** Ascending eigenvalues. */
  values: Float64Array;
  /** n×n row-major with eigenvector i in column i (numpy.linalg.eigh's layout): A·V = V·diag(values). */
  vectors: Float64Array;
}

const DEFAULT_BLOCK = 32;
const EPS = 2 ** -52;
/** Smallest order whose reduction uses the helper thread. */
export const PARALLEL_MIN_N = 400;
/** Smallest trailing block whose matrix–vector product / rank-2k update is split between threads. */
const SYMV_SPLIT_MIN = 160;
const SYR2K_SPLIT_MIN = 64;
/** Chunks of equal work per split kernel call, claimed by whichever thread is free. */
const CHUNKS = 8;

function checkInput(a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new InputError(`matrix order n = ${n}; expected a non-negative integer`);
  if (a.length !== n * n) throw new InputError(`matrix has ${a.length} elements; expected n² = ${n * n}`);
  for (let r = 0; r < n; r++) {
    for (let c = r; c < n; c++) {
      if (!Number.isFinite(a[r * n + c])) throw new InputError(`matrix element (${r}, ${c}) is ${a[r * n + c]}; expected a finite number`);
    }
  }
}

/** Eigenvalues of the symmetric n×n matrix `a` (row-major, upper triangle read), ascending. */
export function symmetricEigenvalues(a: Float64Array, n: number, options: EigenOptions = {}): Float64Array {
  checkInput(a, n);
  const nb = blockSizeOf(options);
  const ws = workspace(a, n, nb, options, false);
  let tri: Tridiagonal;
  try {
    tri = tridiagonalize(ws, n, nb, false);
  } finally {
    ws.release();
  }
  tridiagonalQL(tri.d, tri.e, n, null);
  return tri.d.sort();
}

/** Eigenvalues (ascending) and orthonormal eigenvectors (columns) of the symmetric n×n matrix `a`. */
export function symmetricEigen(a: Float64Array, n: number, options: EigenOptions = {}): SymmetricEigenResult {
  checkInput(a, n);
  const nb = blockSizeOf(options);
  const ws = workspace(a, n, nb, options, true);
  const zt = ws.zt;
  let d: Float64Array;
  try {
    const tri = tridiagonalize(ws, n, nb, true);
    d = tri.d;
    // Eigenvectors of T as rows of zt (row i = vector i), so QL's plane rotations touch contiguous rows.
    for (let i = 0; i < n; i++) zt[i * n + i] = 1;
    tridiagonalQL(d, tri.e, n, ws.rotate);
    ws.backTransform(tri.tau);
  } finally {
    ws.release();
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    const src = order[col];
    values[col] = d[src];
    const zo = src * n;
    for (let r = 0; r < n; r++) vectors[r * n + col] = zt[zo + r];
  }
  return { values, vectors };
}

interface Tridiagonal {
  /** Diagonal of T. */
  d: Float64Array;
  /** e[k] = T[k, k+1]; e[n−1] = 0. */
  e: Float64Array;
  /** Reflector scalars: H_k = I − tau_k v_k v_kᵀ, v_k stored in row k of the work matrix from column k+1 (v_k[k+1] = 1). */
  tau: Float64Array;
}

/**
 * A = Q T Qᵀ with Q = H_0 H_1 … H_{n−3}. Row k's reflector annihilates A[k, k+2…]; the work matrix
 * is overwritten (upper triangle; the lower holds scratch).
 */
function tridiagonalize(ws: Workspace, n: number, nb: number, keepReflectors: boolean): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  const { a, vPanel, wPanel, y } = ws;
  let k0 = 0;
  while (k0 < n - 2) {
    const kb = Math.min(nb, n - 2 - k0);
    for (let i = 0; i < kb; i++) {
      const j = k0 + i;
      const rj = j * n;
      // Row j still lacks this panel's earlier rank-2 updates.
      ws.rowUpdate(n, j, i);
      d[j] = a[rj + j];
      const vo = i * n;
      vPanel.fill(0, vo, vo + n);
      wPanel.fill(0, vo, vo + n);
      const alpha = a[rj + j + 1];
      let xnorm2 = 0;
      for (let c = j + 2; c < n; c++) xnorm2 += a[rj + c] * a[rj + c];
      if (xnorm2 === 0) {
        // Already tridiagonal in this row: H = I (tau = 0), v and w stay zero.
        e[j] = alpha;
        tau[j] = 0;
        continue;
      }
      const beta = (alpha >= 0 ? -1 : 1) * Math.sqrt(alpha * alpha + xnorm2);
      const t = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      vPanel[vo + j + 1] = 1;
      for (let c = j + 2; c < n; c++) vPanel[vo + c] = a[rj + c] * scale;
      e[j] = beta;
      tau[j] = t;
      if (keepReflectors) for (let c = j + 1; c < n; c++) a[rj + c] = vPanel[vo + c];
      // y = A_current[j+1:, j+1:] v, A_current = stored A − Σ_q<i (v_q w_qᵀ + w_q v_qᵀ).
      ws.symv(n, j + 1, vo);
      ws.correctY(n, j + 1, i, vo);
      // w = τ y − (τ²/2)(yᵀv) v, so that H A H = A − v wᵀ − w vᵀ.
      let yv = 0;
      for (let c = j + 1; c < n; c++) yv += y[c] * vPanel[vo + c];
      const half = 0.5 * t * t * yv;
      for (let c = j + 1; c < n; c++) wPanel[vo + c] = t * y[c] - half * vPanel[vo + c];
    }
    ws.trailingUpdate(n, k0 + kb, kb);
    k0 += kb;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1];
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 2) * n + n - 1];
  }
  return { d, e, tau };
}

/** Row j of A (c ≥ j) takes the panel's first i rank-2 updates: A[j, c] −= V_q[j] W_q[c] + W_q[j] V_q[c]. */
function panelRowUpdate(a: Float64Array, n: number, j: number, vPanel: Float64Array, wPanel: Float64Array, i: number): void {
  const rj = j * n;
  for (let q = 0; q < i; q++) {
    const qo = q * n;
    const vj = vPanel[qo + j];
    const wj = wPanel[qo + j];
    for (let c = j; c < n; c++) a[rj + c] -= vj * wPanel[qo + c] + wj * vPanel[qo + c];
  }
}

/** y[c] −= Σ_q<i V_q[c] (W_q·v) + W_q[c] (V_q·v) over c ≥ s: the pending updates in A·v. */
function panelCorrectY(n: number, s: number, vPanel: Float64Array, wPanel: Float64Array, i: number, vo: number, y: Float64Array): void {
  for (let q = 0; q < i; q++) {
    const qo = q * n;
    let wv = 0;
    let vv = 0;
    for (let c = s; c < n; c++) {
      wv += wPanel[qo + c] * vPanel[vo + c];
      vv += vPanel[qo + c] * vPanel[vo + c];
    }
    for (let c = s; c < n; c++) y[c] -= vPanel[qo + c] * wv + wPanel[qo + c] * vv;
  }
}

/**
 * y[s…n−1] = A[s:, s:] · v[vo + s …] from the upper triangle, four rows per pass so each v and y
 * element is loaded (and y stored) once for four rows: the reduction's matrix–vector half, as
 * LAPACK's dsymv (four rows measured 1.7× faster than two in V8).
 */
function symvUpper(a: Float64Array, n: number, s: number, v: Float64Array, vo: number, y: Float64Array): void {
  y.fill(0, s, n);
  let r = s;
  for (; r + 3 < n; r += 4) {
    const r0 = r * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const v0 = v[vo + r];
    const v1 = v[vo + r + 1];
    const v2 = v[vo + r + 2];
    const v3 = v[vo + r + 3];
    // The 4×4 diagonal block, element by element.
    for (let i = 0; i < 4; i++) {
      const ro = r0 + i * n;
      const vi = v[vo + r + i];
      let acc = a[ro + r + i] * vi;
      for (let j = i + 1; j < 4; j++) {
        const x = a[ro + r + j];
        acc += x * v[vo + r + j];
        y[r + j] += x * vi;
      }
      y[r + i] += acc;
    }
    let acc0 = 0;
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    for (let c = r + 4; c < n; c++) {
      const x0 = a[r0 + c];
      const x1 = a[r1 + c];
      const x2 = a[r2 + c];
      const x3 = a[r3 + c];
      const vc = v[vo + c];
      acc0 += x0 * vc;
      acc1 += x1 * vc;
      acc2 += x2 * vc;
      acc3 += x3 * vc;
      y[c] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
    }
    y[r] += acc0;
    y[r + 1] += acc1;
    y[r + 2] += acc2;
    y[r + 3] += acc3;
  }
  for (; r < n; r++) {
    const ro = r * n;
    const vr = v[vo + r];
    let acc = a[ro + r] * vr;
    for (let c = r + 1; c < n; c++) {
      acc += a[ro + c] * v[vo + c];
      y[c] += a[ro + c] * vr;
    }
    y[r] += acc;
  }
}

/** Packs the panel row-wise for the rank-2k update: x_r = [V_·r, W_·r], y_c = [W_·c, V_·c]. */
function packPanel(vPanel: Float64Array, wPanel: Float64Array, x: Float64Array, yy: Float64Array, n: number, s: number, kb: number): void {
  const w2 = 2 * kb;
  for (let r = 0; r < n - s; r++) {
    const ro = r * w2;
    for (let q = 0; q < kb; q++) {
      const vq = vPanel[q * n + s + r];
      const wq = wPanel[q * n + s + r];
      x[ro + q] = vq;
      x[ro + kb + q] = wq;
      yy[ro + q] = wq;
      yy[ro + kb + q] = vq;
    }
  }
}

/**
 * A[s:, s:] −= V Wᵀ + W Vᵀ over the upper triangle, with V, W the panel's kb vectors packed by
 * packPanel, so each element is one dot product of length 2kb; 3×3 blocks of elements share their loads (9 accumulators fit the registers; measured
 * 5 GFlop/s against 2.5 for 2×2 blocks in V8).
 */
function syr2kUpper(a: Float64Array, n: number, s: number, x: Float64Array, yy: Float64Array, kb: number): void {
  const m = n - s;
  if (m <= 0) return;
  const w2 = 2 * kb;
  let r = 0;
  for (; r + 2 < m; r += 3) {
    const x0 = r * w2;
    const x1 = x0 + w2;
    const x2 = x1 + w2;
    const a0 = (s + r) * n + s;
    const a1 = a0 + n;
    const a2 = a1 + n;
    // Blocks start on the diagonal: their few elements below it land in the unused lower triangle.
    let c = r;
    for (; c + 2 < m; c += 3) {
      const y0 = c * w2;
      const y1 = y0 + w2;
      const y2 = y1 + w2;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      for (let k = 0; k < w2; k++) {
        const q0 = yy[y0 + k];
        const q1 = yy[y1 + k];
        const q2 = yy[y2 + k];
        let p = x[x0 + k];
        s00 += p * q0;
        s01 += p * q1;
        s02 += p * q2;
        p = x[x1 + k];
        s10 += p * q0;
        s11 += p * q1;
        s12 += p * q2;
        p = x[x2 + k];
        s20 += p * q0;
        s21 += p * q1;
        s22 += p * q2;
      }
      a[a0 + c] -= s00;
      a[a0 + c + 1] -= s01;
      a[a0 + c + 2] -= s02;
      a[a1 + c] -= s10;
      a[a1 + c + 1] -= s11;
      a[a1 + c + 2] -= s12;
      a[a2 + c] -= s20;
      a[a2 + c + 1] -= s21;
      a[a2 + c + 2] -= s22;
    }
    for (; c < m; c++) {
      const y0 = c * w2;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < w2; k++) {
        const q = yy[y0 + k];
        s0 += x[x0 + k] * q;
        s1 += x[x1 + k] * q;
        s2 += x[x2 + k] * q;
      }
      a[a0 + c] -= s0;
      a[a1 + c] -= s1;
      a[a2 + c] -= s2;
    }
  }
  for (; r < m; r++) {
    const x0 = r * w2;
    const a0 = (s + r) * n + s;
    for (let c = r; c < m; c++) {
      const y0 = c * w2;
      let s0 = 0;
      for (let k = 0; k < w2; k++) s0 += x[x0 + k] * yy[y0 + k];
      a[a0 + c] -= s0;
    }
  }
}


/** The reduction's arrays and its two kernels, in plain memory or in the WebAssembly module's. */
interface Workspace {
  a: Float64Array;
  vPanel: Float64Array;
  wPanel: Float64Array;
  y: Float64Array;
  /** y[s…] = A[s:, s:] · vPanel[vo + s …]. */
  symv(n: number, s: number, vo: number): void;
  /** A[s:, s:] −= V Wᵀ + W Vᵀ (upper triangle) with the panel's first kb vectors. */
  trailingUpdate(n: number, s: number, kb: number): void;
  /** panelRowUpdate on row j with the panel's first i vectors. */
  rowUpdate(n: number, j: number, i: number): void;
  /** panelCorrectY from column s with the panel's first i vectors, v = vPanel row at vo. */
  correctY(n: number, s: number, i: number, vo: number): void;
  /** n×n eigenvector rows (empty when values only). */
  zt: Float64Array;
  rotate(i: number, c: number, s: number): void;
  backTransform(tau: Float64Array): void;
  /** Lets go of the helper thread (the workspace is not used after). */
  release(): void;
}

function blockSizeOf(options: EigenOptions): number {
  return Math.max(1, Math.floor(options.blockSize ?? DEFAULT_BLOCK));
}

function jsWorkspace(a: Float64Array, n: number, nb: number, vectors: boolean): Workspace {
  const x = new Float64Array(Math.max(1, n * 2 * nb));
  const yy = new Float64Array(Math.max(1, n * 2 * nb));
  const ws: Workspace = {
    a: Float64Array.from(a),
    vPanel: new Float64Array(nb * n),
    wPanel: new Float64Array(nb * n),
    y: new Float64Array(n),
    symv: (m, s, vo) => symvUpper(ws.a, m, s, ws.vPanel, vo, ws.y),
    trailingUpdate: (m, s, kb) => {
      packPanel(ws.vPanel, ws.wPanel, x, yy, m, s, kb);
      syr2kUpper(ws.a, m, s, x, yy, kb);
    },
    rowUpdate: (m, j, i) => panelRowUpdate(ws.a, m, j, ws.vPanel, ws.wPanel, i),
    correctY: (m, s, i, vo) => panelCorrectY(m, s, ws.vPanel, ws.wPanel, i, vo, ws.y),
    zt: new Float64Array(vectors ? n * n : 0),
    rotate: (i, c, s) => rotateRows(ws.zt, n, i, c, s),
    backTransform: (tau) => applyReflectors(ws.a, n, tau, ws.zt),
    release: () => undefined,
  };
  return ws;
}

/**
 * The panel in the WebAssembly kernel's layout: x_r = [V_·r, W_·r] row-major (m × 2kb), and
 * y_c = [W_·c, V_·c] in panels of four columns, yP[(c >> 2)·8kb + 4q + (c & 3)], zero past m.
 */
function packPanelWasm(vPanel: Float64Array, wPanel: Float64Array, x: Float64Array, yP: Float64Array, n: number, s: number, kb: number): void {
  const w2 = 2 * kb;
  const m = n - s;
  for (let r = 0; r < m; r++) {
    const ro = r * w2;
    const po = (r >> 2) * 4 * w2 + (r & 3);
    for (let q = 0; q < kb; q++) {
      const vq = vPanel[q * n + s + r];
      const wq = wPanel[q * n + s + r];
      x[ro + q] = vq;
      x[ro + kb + q] = wq;
      yP[po + 4 * q] = wq;
      yP[po + 4 * (kb + q)] = vq;
    }
  }
  for (let r = m; r < ((m + 3) & ~3); r++) {
    const po = (r >> 2) * 4 * w2 + (r & 3);
    for (let q = 0; q < w2; q++) yP[po + 4 * q] = 0;
  }
}

/**
 * Arrays in the eigensolver's shared WebAssembly memory (reused from call to call); with a helper, each large kernel call is cut into
 * row chunks of equal work that both threads take from (eigenHelper.ts).
 */
function wasmWorkspace(a: Float64Array, n: number, nb: number, vectors: boolean, module: WebAssembly.Module, helper: EigenHelper | null): Workspace {
  const packLength = Math.max(1, (n + 4) * 2 * nb);
  const { memory, k, views } = reusedLinalgInstance(module, [n * n, nb * n, nb * n, n, helper ? CHUNKS * n : 0, packLength, packLength, vectors ? n * n : 0, n]);
  const [wa, vPanel, wPanel, y, chunkY, x, yP, zt, tauBuf] = views;
  wa.set(a);
  const A = wa.byteOffset;
  if (helper !== null) helper.attach(memory);
  return {
    a: wa,
    vPanel,
    wPanel,
    y,
    symv: (m, s, vo) => {
      const v = vPanel.byteOffset + 8 * vo;
      y.fill(0, s, m);
      if (helper === null || m - s < SYMV_SPLIT_MIN) {
        k.symvRows(A, m, s, m, v, y.byteOffset);
        return;
      }
      // the helper writes each of its chunks into its own buffer, added here once it is done
      helper.runSpeculative(
        OP.symv,
        [A, m, v, chunkY.byteOffset, 8 * n],
        triangleChunks(s, m, CHUNKS),
        (_, r0, r1) => k.symvRows(A, m, r0, r1, v, y.byteOffset),
        (i, r0) => {
          const o = i * n;
          for (let c = r0; c < m; c++) y[c] += chunkY[o + c];
        },
      );
    },
    trailingUpdate: (m, s, kb) => {
      packPanelWasm(vPanel, wPanel, x, yP, m, s, kb);
      const rows = m - s;
      const w2 = 2 * kb;
      if (helper === null || rows < SYR2K_SPLIT_MIN) {
        k.syr2kRows(A, m, s, x.byteOffset, yP.byteOffset, rows, w2, 0, rows);
        return;
      }
      helper.run(OP.syr2k, [A, m, s, x.byteOffset, yP.byteOffset, rows, w2], triangleChunks(0, rows, CHUNKS, 4), (r0, r1) =>
        k.syr2kRows(A, m, s, x.byteOffset, yP.byteOffset, rows, w2, r0, r1),
      );
    },
    rowUpdate: (m, j, i) => k.panelRowUpdate(A, m, j, vPanel.byteOffset, wPanel.byteOffset, i),
    correctY: (m, s, i, vo) => k.panelCorrectY(m, s, vPanel.byteOffset, wPanel.byteOffset, i, vPanel.byteOffset + 8 * vo, y.byteOffset),
    zt,
    rotate: (i, c, s) => k.rotateRows(zt.byteOffset, n, i, c, s),
    backTransform: (tau) => {
      tauBuf.set(tau);
      if (helper === null) {
        k.applyReflectors(A, n, tauBuf.byteOffset, zt.byteOffset, 0, n);
        return;
      }
      // rows of Zᵀ cost alike: equal chunks of four rows
      const bounds = Array.from({ length: CHUNKS + 1 }, (_, i) => Math.min(n, 4 * Math.ceil((i * n) / (4 * CHUNKS))));
      helper.run(OP.reflect, [A, n, tauBuf.byteOffset, zt.byteOffset], bounds, (r0, r1) => k.applyReflectors(A, n, tauBuf.byteOffset, zt.byteOffset, r0, r1));
    },
    release: () => helper?.release(),
  };
}

/** SPRAMNET_THREADS when set (as for the CNN engine), else 2 where there are two cores or more. */
function defaultThreads(): number {
  const env = Number(process.env.SPRAMNET_THREADS);
  return Number.isFinite(env) && env > 0 ? env : Math.min(2, availableParallelism());
}

function workspace(a: Float64Array, n: number, nb: number, options: EigenOptions, vectors: boolean): Workspace {
  const kernels = options.kernels;
  if (kernels !== undefined && kernels !== 'wasm' && kernels !== 'js') throw new InputError(`kernels "${kernels}"; expected "wasm" or "js"`);
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`threads ${threads}; expected a positive integer`);
  const module = kernels === 'js' ? null : linalgModule();
  if (module === null) {
    if (kernels === 'wasm') throw new InputError('the WebAssembly SIMD kernels cannot run here; use kernels: "js"');
    return jsWorkspace(a, n, nb, vectors);
  }
  const helper = threads >= 2 && n >= PARALLEL_MIN_N ? eigenHelper(module) : null;
  return wasmWorkspace(a, n, nb, vectors, module, helper);
}

/** √(p² + q²) without overflow for the magnitudes that occur. */
function hypot(p: number, q: number): number {
  const ap = Math.abs(p);
  const aq = Math.abs(q);
  const big = ap > aq ? ap : aq;
  if (big < 1e150 && big > 1e-150) return Math.sqrt(p * p + q * q);
  return Math.hypot(p, q);
}

/**
 * Implicit QL on T (d diagonal, e[k] = T[k, k+1]) as EISPACK's tql2: d receives the eigenvalues
 * (unsorted); when `rotate` is given it applies each plane rotation (i, i+1) to the rows of Zᵀ
 * (initially an orthonormal basis), so row i ends as the eigenvector of d[i] in that basis.
 */
function tridiagonalQL(d: Float64Array, e: Float64Array, n: number, rotate: ((i: number, c: number, s: number) => void) | null): void {
  if (n === 0) return;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error(`tridiagonal QL did not converge for eigenvalue ${l} of ${n}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (rotate !== null) rotate(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Rows i and i+1 of Zᵀ: z_{i+1} ← s z_i + c z_{i+1}, z_i ← c z_i − s z_{i+1}. */
function rotateRows(zt: Float64Array, n: number, i: number, c: number, s: number): void {
  const o0 = i * n;
  const o1 = o0 + n;
  for (let k = 0; k < n; k++) {
    const z1 = zt[o1 + k];
    const z0 = zt[o0 + k];
    zt[o1 + k] = s * z0 + c * z1;
    zt[o0 + k] = c * z0 - s * z1;
  }
}

/** z ← Q z = H_0 (H_1 (… H_{n−3} z)) for every row z of zt; reflectors from the work matrix rows. */
function applyReflectors(a: Float64Array, n: number, tau: Float64Array, zt: Float64Array): void {
  // Four vectors per pass over the reflectors, so each reflector row is loaded once for four.
  let z = 0;
  for (; z < n; z += 4) {
    const count = Math.min(4, n - z);
    for (let j = n - 3; j >= 0; j--) {
      const t = tau[j];
      if (t === 0) continue;
      const rj = j * n;
      for (let q = 0; q < count; q++) {
        const zo = (z + q) * n;
        let dotv = 0;
        for (let c = j + 1; c < n; c++) dotv += a[rj + c] * zt[zo + c];
        dotv *= t;
        for (let c = j + 1; c < n; c++) zt[zo + c] -= dotv * a[rj + c];
      }
    }
  }
}
