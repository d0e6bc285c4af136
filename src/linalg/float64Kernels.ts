import { InputError } from '../errors.js';
import { KRR_FMA_WASM_PATH, relaxedSimdModule, wasmModule } from '../wasm/runtime.js';
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.js';

/**
 * The float64 WebAssembly SIMD kernels of assembly/krr.ts (packed GEMM, L1 distances, recursive
 * Cholesky, blocked triangular solves, rbf distances and exp, apart or in one pass) and the memory
 * they work in. The plain TypeScript versions in cholesky.ts stay the reference; these are tested
 * against them and against LAPACK (test/linalg/float64Kernels.test.ts).
 */
export interface Float64KernelExports {
  krrWorkBytes(): number;
  krrGemm(kind: number, aT: number, bT: number, mode: number, lower: number, M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, work: number): void;
  krrPackedBytes(N: number, K: number): number;
  krrPackB(bT: number, N: number, K: number, b: number, ldb: number, out: number): void;
  krrGemmPackedB(kind: number, aT: number, mode: number, M: number, N: number, K: number, a: number, lda: number, packedB: number, c: number, ldc: number, work: number): void;
  krrCholesky(a: number, n: number, lda: number, work: number): number;
  krrCholeskySolve(l: number, n: number, ldl: number, y: number, m: number, ldy: number, work: number): void;
  krrRowNorms(z: number, rows: number, cols: number, out: number): void;
  krrDistances(p: number, rows: number, cols: number, ld: number, u: number, v: number, lower: number): void;
  krrExpNeg(p: number, rows: number, cols: number, ld: number, gamma: number, lower: number): void;
  krrRbfFromProducts(p: number, rows: number, cols: number, ld: number, u: number, v: number, gamma: number, lower: number): void;
}

/** How krrGemm writes C. */
export const GEMM_SET = 0;
export const GEMM_ADD = 1;
export const GEMM_SUB = 2;
/** What krrGemm sums: products (a GEMM) or absolute differences (L1 distances). */
export const GEMM_PRODUCT = 0;
export const GEMM_L1 = 1;

const PAGE = 65536;
/** Above this the workspace is dropped after a fit rather than kept for the life of the process. */
const KEEP_BYTES = 256 * 2 ** 20;

/**
 * One private instance of the kernels with its own memory, used as an arena: each computation calls
 * begin(), takes views with f64() and leaves them when it returns. The memory grows to the largest
 * computation and is reused, so a prediction allocates nothing in WebAssembly once warm. `owner`
 * names whose data sits at the start of the arena, so a model that predicts again (or predicts
 * right after its fit) finds its support rows already there and copies nothing.
 */
export class Float64Workspace {
  readonly memory: WebAssembly.Memory;
  readonly k: Float64KernelExports;
  /** Scratch of the GEMM (packed panels), fixed for the life of the workspace. */
  readonly work: number;
  private readonly base: number;
  private top: number;
  private owner: object | undefined;

  /** The kernels' module: krr-fma.wasm or kernels.wasm (float64Workspace). */
  constructor(readonly module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory, abort: () => { throw new Error('wasm kernel abort'); } } });
    this.k = instance.exports as unknown as Float64KernelExports;
    this.top = 1024; // below: the kernels' own static data
    this.work = this.reserve(this.k.krrWorkBytes());
    this.base = this.top;
  }

  /**
   * Start a computation: everything taken before is free again. True when `owner` was the last to
   * begin, so the views it takes in the same order as then still hold its values.
   */
  begin(owner?: object): boolean {
    const resident = owner !== undefined && owner === this.owner;
    this.owner = owner;
    this.top = this.base;
    return resident;
  }

  /** A fresh view of `length` float64 values, 64-byte aligned (a cache line). */
  f64(length: number): Float64Array {
    const start = this.reserve(length * 8); // before reading .buffer: reserving may grow the memory
    return new Float64Array(this.memory.buffer, start, length);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  private reserve(bytes: number): number {
    const start = (this.top + 63) & ~63;
    this.top = start + bytes;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    return start;
  }
}

let workspace: Float64Workspace | null | undefined;

/**
 * The shared workspace, or null when build/kernels.wasm is missing or predates these kernels
 * (callers use the reference then). The kernels are build/krr-fma.wasm's where it runs: fused
 * multiply-adds, ~1.8× the GEMM throughput of the plain build here, rounding once per product
 * (the results move by rounding only; SPRAMNET_FMA=0 keeps the plain build).
 */
export function float64Workspace(): Float64Workspace | null {
  if (workspace === undefined) {
    const module = hasKrrKernels(relaxedSimdModule(KRR_FMA_WASM_PATH)) ?? hasKrrKernels(wasmModule());
    workspace = module ? new Float64Workspace(module) : null;
  }
  return workspace;
}

const hasKrrKernels = (module: WebAssembly.Module | null): WebAssembly.Module | undefined =>
  module !== null && WebAssembly.Module.exports(module).some((e) => e.name === 'krrGemm') ? module : undefined;

/** Give a workspace that grew past KEEP_BYTES back to the garbage collector (a new one starts small). */
export function trimFloat64Workspace(): void {
  if (workspace && workspace.bytes > KEEP_BYTES) workspace = undefined;
}

/**
 * choleskyInPlace (cholesky.ts) through the WebAssembly kernels when built: the lower triangle of
 * the n × n matrix becomes L, the upper triangle is left as it was.
 */
export function choleskyInPlaceFast(a: Float64Array, n: number): void {
  const ws = float64Workspace();
  if (ws === null) return choleskyInPlace(a, n);
  if (a.length < n * n) throw new InputError(`cholesky: ${a.length} values cannot hold a ${n} × ${n} matrix`);
  ws.begin();
  const m = ws.f64(n * n);
  m.set(a.subarray(0, n * n));
  const failed = ws.k.krrCholesky(m.byteOffset, n, n, ws.work);
  if (failed >= 0) throw new InputError(`cholesky: the matrix is not positive definite (pivot ${failed})`);
  for (let i = 0; i < n; i++) a.set(m.subarray(i * n, i * n + i + 1), i * n);
}

/** choleskySolveInPlace (cholesky.ts) through the WebAssembly kernels when built: B (n × m) becomes X. */
export function choleskySolveInPlaceFast(l: Float64Array, n: number, b: Float64Array, m: number): void {
  const ws = float64Workspace();
  if (ws === null) return choleskySolveInPlace(l, n, b, m);
  if (b.length !== n * m) throw new InputError(`cholesky solve: right-hand side has ${b.length} values, expected ${n} × ${m}`);
  ws.begin();
  const factor = ws.f64(n * n);
  factor.set(l.subarray(0, n * n));
  const x = ws.f64(n * m);
  x.set(b);
  ws.k.krrCholeskySolve(factor.byteOffset, n, n, x.byteOffset, m, m, ws.work);
  b.set(x);
}
