import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The WebAssembly side of the engine: one shared memory that every float32 tensor of the fast
 * path lives in (so kernels take pointers and nothing is copied), the compiled kernels
 * (assembly/, built into build/kernels.wasm by `npm run build`; the CNN's GEMM also into
 * build/cnn-fma.wasm with fused multiply-add), and a helper thread that computes half of each large
 * GEMM on the second core.
 *
 * Why hand-written WebAssembly: TensorFlow.js' CPU backend trains these networks ~100× slower
 * than PyTorch, its native backend downloads a binary at install time, and its WASM backend has no
 * convolution gradients. The packed 4×8 f32x4 GEMM (assembly/cnn.ts) runs the el-DoS network's
 * products at ~40 GFLOP/s on one core here with FMA (~27 without), plain JavaScript at ~1.
 */
export interface KernelExports {
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, accumulate: number): void;
  gemmNT(a: number, b: number, c: number, M: number, N: number, K: number, accumulate: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  bnForward(x: number, y: number, xhat: number, gamma: number, beta: number, runMean: number, runVar: number, invStd: number, batch: number, channels: number, length: number, eps: number, momentum: number, training: number): void;
  bnBackward(dy: number, dx: number, xhat: number, gamma: number, invStd: number, dgamma: number, dbeta: number, batch: number, channels: number, length: number, training: number): void;
  relu(x: number, y: number, n: number): void;
  reluBackward(y: number, dy: number, dx: number, n: number): void;
  add(a: number, b: number, out: number, n: number): void;
  maxpoolBackward(dy: number, dx: number, argmax: number, outCount: number, inCount: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2root: number, wd: number, decoupled: number): void;
  cnnGemm(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number, work: number): void;
  cnnGemmWorkSize(M: number, N: number, K: number): number;
  cnnGemmTask(args: number): void;
  cnnIm2col(x: number, cols: number, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number): void;
  cnnCol2im(cols: number, dx: number, batch: number, channels: number, length: number, kernel: number, stride: number, pad: number, outLength: number): void;
  cnnRowFill(values: number, y: number, rows: number, width: number): void;
  cnnRowSums(x: number, sums: number, rows: number, width: number): void;
  cnnSwapAxes(x: number, y: number, d0: number, d1: number, inner: number): void;
  cnnBnForward(x: number, y: number, xhat: number, gamma: number, beta: number, runMean: number, runVar: number, invStd: number, channels: number, width: number, eps: number, momentum: number, training: number): void;
  cnnBnBackward(dy: number, dx: number, xhat: number, gamma: number, invStd: number, dgamma: number, dbeta: number, channels: number, width: number, training: number): void;
  cnnZero(x: number, n: number): void;
  cnnIm2colStride2(x: number, cols: number, batch: number, channels: number, length: number, kernel: number, pad: number, outLength: number, tmp: number): void;
  cnnCol2imStride2(cols: number, dx: number, batch: number, channels: number, length: number, kernel: number, pad: number, outLength: number, tmp: number): void;
  cnnMaxpool(x: number, y: number, argmax: number, rows: number, length: number, kernel: number, stride: number, outLength: number): void;
  cnnWinogradFilter(w: number, u: number, outChannels: number, inChannels: number): void;
  cnnWinogradFilterGrad(du: number, dw: number, outChannels: number, inChannels: number): void;
  cnnWinogradInput(x: number, v: number, channels: number, batch: number, length: number, tmp: number): void;
  cnnWinogradInputGrad(dv: number, dx: number, channels: number, batch: number, length: number, tmp: number): void;
  cnnWinogradOutput(m: number, y: number, channels: number, batch: number, length: number, accumulate: number, tmp: number): void;
  cnnWinogradOutputGrad(dy: number, dm: number, channels: number, batch: number, length: number, tmp: number): void;
  cnnRepeatRow(v: number, y: number, rows: number, width: number): void;
  cnnColSums(x: number, sums: number, rows: number, width: number): void;
  gbdtHistogram(columns: number, rowsOf: number, n: number, gh: number, hist: number, slotStart: number, cols: number, rows: number): void;
  subtractF64(a: number, b: number, n: number): void;
  parseCoordinateLines(bytes: number, length: number, lines: number, out: number, lineStarts: number, pow10: number): number;
  sheetMinimumImagePairs(xs: number, ys: number, zs: number, n: number, a: number, b: number, rMax2: number, invStep: number, edges: number, bins: number, inPlane: number, full: number, bond2: number, bondPairs: number, bondVectors: number, bondCapacity: number): number;
}

/**
 * A private instance of the kernels with its own memory, for work whose buffers should be freed
 * when it ends (one gradient-boosting fit): bump allocation, dropped with the object.
 */
export class ScratchKernels {
  readonly memory: WebAssembly.Memory;
  readonly k: KernelExports;
  private top = 1024;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory, abort: () => { throw new Error('wasm kernel abort'); } } }).exports as unknown as KernelExports;
  }

  /** byte offset of a fresh 16-byte-aligned block */
  reserve(bytes: number): number {
    const start = this.top;
    this.top = (start + bytes + 15) & ~15;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    return start;
  }

  view<T extends Float64Array | Int32Array | Uint16Array>(Ctor: new (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number): T {
    const start = this.reserve(length * (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
    return new Ctor(this.memory.buffer, start, length);
  }
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels module, or null when build/kernels.wasm is missing. */
export function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = existsSync(WASM_PATH) ? new WebAssembly.Module(new Uint8Array(readFileSync(WASM_PATH))) : null;
  return compiled;
}

/** A scratch instance (no helper thread, its own memory), or null when the kernels are not built. */
export function scratchKernels(): ScratchKernels | null {
  const module = wasmModule();
  return module === null ? null : new ScratchKernels(module);
}

export const WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'build', 'kernels.wasm');
export const FMA_WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'build', 'cnn-fma.wasm');
/** The float64 kernel ridge kernels (assembly/krr.ts) built with relaxed SIMD, as cnn-fma.wasm. */
export const KRR_FMA_WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'build', 'krr-fma.wasm');

const fmaCompiled = new Map<string, WebAssembly.Module | null>();

/**
 * A kernel module built with relaxed SIMD (its multiply-add is one FMA instruction where the CPU
 * has it), or null: not built, SPRAMNET_FMA=0, or a Node that cannot run it. Relaxed SIMD is
 * standard WebAssembly and on by default from Node 22; Node 20 has it behind V8's
 * --experimental-wasm-relaxed-simd, which is switched on here, before the module is compiled (the
 * flag only admits the new instructions; nothing else changes).
 */
export function relaxedSimdModule(path: string): WebAssembly.Module | null {
  if (fmaCompiled.has(path)) return fmaCompiled.get(path) ?? null;
  let compiled: WebAssembly.Module | null = null;
  if (process.env.SPRAMNET_FMA !== '0' && existsSync(path)) {
    const bytes = new Uint8Array(readFileSync(path));
    if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  }
  fmaCompiled.set(path, compiled);
  return compiled;
}

/** The CNN GEMM built with relaxed SIMD (assembly/cnn.ts, 1.4× the plain kernel here), or null (relaxedSimdModule). */
export function fmaModule(): WebAssembly.Module | null {
  return relaxedSimdModule(FMA_WASM_PATH);
}

/** The packed-GEMM exports of assembly/cnn.ts. */
export type GemmExports = Pick<KernelExports, 'cnnGemm' | 'cnnGemmWorkSize' | 'cnnGemmTask'>;

/** The GEMM kernels on a memory: the fused build where it runs, else the plain one of `k`. */
export function gemmKernelsFor(memory: WebAssembly.Memory, k: KernelExports, fma: WebAssembly.Module | null): GemmExports {
  if (fma === null) return k;
  return new WebAssembly.Instance(fma, { env: { memory, abort: () => { throw new Error('wasm kernel abort'); } } }).exports as unknown as GemmExports;
}
const PAGE = 65536;
/**
 * Control block of the GEMM helper: [0] job sequence, [1] last job done, [2–8] a, b, c, M, N, K,
 * accumulate, [9] the generation of the worker that may run (others exit), [10] ready generation,
 * [11] the kernel: 0 = A·B, 1 = A·Bᵀ, 2 = the packed GEMM (cnnGemmTask) with its arguments at [2],
 * [12] who runs the job's second half: 0 open, 1 the helper, 2 the main thread (packed jobs only, see
 * gemmPacked); the helper claims a job before it reads it.
 */
const CONTROL_INTS = 16;

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly k: KernelExports;
  /** The packed GEMM: k's, or the fused-multiply-add build's on the same memory (fmaModule). */
  readonly gemmKernels: GemmExports;
  readonly fma: WebAssembly.Module | null;
  private top = 1024; // bytes below are never handed out (0 is the "no pointer" value)
  private readonly buffers = new Set<ArrayBufferLike>();
  private control: Int32Array;
  private worker: Worker | undefined;
  /** Scratch of the packed GEMM: one per thread, so the two halves of a product pack independently. */
  private readonly packWork: Float32Array[] = [];
  private readonly packArgs: Int32Array[] = [];
  threads = 1;

  constructor(module: WebAssembly.Module) {
    this.module = module;
    this.memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory, abort: () => { throw new Error('wasm kernel abort'); } } });
    this.k = instance.exports as unknown as KernelExports;
    this.fma = fmaModule();
    this.gemmKernels = gemmKernelsFor(this.memory, this.k, this.fma);
    this.control = this.allocateInt(CONTROL_INTS);
  }

  /** A 16-byte-aligned block of float32 that stays valid for the life of the process. */
  allocate(size: number): Float32Array {
    const start = this.reserve(size * 4);
    return new Float32Array(this.memory.buffer, start, size);
  }

  allocateInt(size: number): Int32Array {
    const start = this.reserve(size * 4);
    return new Int32Array(this.memory.buffer, start, size);
  }

  /** Bump allocation: tensors of the fast path are made once (layers cache them by size). */
  private reserve(bytes: number): number {
    const start = this.top;
    this.top = (start + bytes + 15) & ~15;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    // shared memory never detaches on growth, but each growth gives a new buffer object
    this.buffers.add(this.memory.buffer);
    return start;
  }

  /** True when a typed array lives in this memory (kernels can take its byteOffset as a pointer). */
  owns(x: ArrayBufferView): boolean {
    return this.buffers.has(x.buffer);
  }

  /** Use the second core for large GEMMs (n = 2), or not (n = 1). */
  setThreads(n: number): void {
    const want = Math.max(1, Math.min(2, Math.floor(n)));
    if (want === this.threads) return;
    const ctl = this.control;
    const generation = ctl[9] + 1;
    Atomics.store(ctl, 9, generation); // a running helper sees a foreign generation and exits
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    Atomics.store(ctl, 1, Atomics.load(ctl, 0));
    this.worker = undefined;
    if (want === 2) {
      // execArgv: [] so options of the parent (e.g. --input-type for `node -e`) do not stop the helper loading
      this.worker = new Worker(new URL('./gemmWorker.js', import.meta.url), {
        execArgv: [],
        workerData: { module: this.module, fma: this.fma, memory: this.memory, control: this.control.byteOffset, generation },
      });
      this.worker.unref();
      // wait until it has read the job sequence, so no job can be posted before it listens
      // a machine this loaded runs one thread: better than failing the whole computation
      const deadline = Date.now() + 10_000;
      while (Atomics.load(ctl, 10) !== generation) {
        if (Date.now() > deadline) {
          void this.worker.terminate();
          this.worker = undefined;
          this.threads = 1;
          return;
        }
        Atomics.wait(ctl, 10, Atomics.load(ctl, 10), 20);
      }
    }
    this.threads = want;
  }

  /**
   * C = A·B (or A·Bᵀ with transB, B stored N×K) on pointers; the helper thread takes the lower
   * rows of C when the product is large enough to pay for the hand-over (~10 µs).
   */
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, accumulate: boolean, transB = false): void {
    const acc = accumulate ? 1 : 0;
    const kernel = transB ? this.k.gemmNT : this.k.gemm;
    if (this.threads < 2 || M < 8 || 2 * M * N * K < 1_000_000) {
      kernel(a, b, c, M, N, K, acc);
      return;
    }
    const half = ((M >> 1) + 3) & ~3;
    const ctl = this.control;
    ctl[2] = a + half * K * 4;
    ctl[3] = b;
    ctl[4] = c + half * N * 4;
    ctl[5] = M - half;
    ctl[6] = N;
    ctl[7] = K;
    ctl[8] = acc;
    ctl[11] = transB ? 1 : 0;
    Atomics.store(ctl, 12, 0);
    const seq = (Atomics.load(ctl, 0) + 1) | 0;
    Atomics.store(ctl, 0, seq);
    Atomics.notify(ctl, 0);
    kernel(a, b, c, half, N, K, acc);
    while (Atomics.load(ctl, 1) !== seq) Atomics.wait(ctl, 1, Atomics.load(ctl, 1), 50);
  }

  /**
   * C (+)= op(A)·op(B) by the packed kernel (assembly/cnn.ts): op(A) M × K, stored K × M when
   * transA; op(B) K × N, stored N × K when transB; C row-major M × N. Pointers are byte offsets.
   * With two threads the helper takes the right-hand columns (the lower rows when N is narrow).
   */
  gemmPacked(transA: boolean, transB: boolean, M: number, N: number, K: number, a: number, b: number, c: number, accumulate: boolean): void {
    const lda = transA ? M : K;
    const ldb = transB ? K : N;
    const args = (part: number, a1: number, b1: number, c1: number, m: number, n: number): Int32Array => {
      const need = this.gemmKernels.cnnGemmWorkSize(m, n, K);
      if ((this.packWork[part]?.length ?? 0) < need) this.packWork[part] = this.allocate(Math.max(need, 2 * (this.packWork[part]?.length ?? 0)));
      const block = (this.packArgs[part] ??= this.allocateInt(13));
      block[0] = a1;
      block[1] = lda;
      block[2] = b1;
      block[3] = ldb;
      block[4] = c1;
      block[5] = N;
      block[6] = m;
      block[7] = n;
      block[8] = K;
      block[9] = transA ? 1 : 0;
      block[10] = transB ? 1 : 0;
      block[11] = accumulate ? 1 : 0;
      block[12] = this.packWork[part].byteOffset;
      return block;
    };
    if (this.threads < 2 || 2 * M * N * K < 1_000_000 || (N < 32 && M < 16)) {
      this.gemmKernels.cnnGemmTask(args(0, a, b, c, M, N).byteOffset);
      return;
    }
    let mine: Int32Array;
    let theirs: Int32Array;
    if (N >= 32) {
      const half = ((N >> 1) + 7) & ~7; // whole 8-column panels for the main thread
      mine = args(0, a, b, c, M, half);
      theirs = args(1, a, transB ? b + half * ldb * 4 : b + half * 4, c + half * 4, M, N - half);
    } else {
      const half = ((M >> 1) + 3) & ~3;
      mine = args(0, a, b, c, half, N);
      theirs = args(1, transA ? a + half * 4 : a + half * lda * 4, b, c + half * N * 4, M - half, N);
    }
    // The second half goes to whichever thread claims it first: on a loaded machine the helper may
    // not be scheduled before the main thread is done with its own half, and then waiting for it
    // would cost more than the half itself; the main thread takes it instead.
    const ctl = this.control;
    ctl[2] = theirs.byteOffset;
    ctl[11] = 2;
    Atomics.store(ctl, 12, 0);
    const seq = (Atomics.load(ctl, 0) + 1) | 0;
    Atomics.store(ctl, 0, seq);
    Atomics.notify(ctl, 0);
    this.gemmKernels.cnnGemmTask(mine.byteOffset);
    if (Atomics.compareExchange(ctl, 12, 0, 2) === 0) this.gemmKernels.cnnGemmTask(theirs.byteOffset);
    else while (Atomics.load(ctl, 1) !== seq) Atomics.wait(ctl, 1, Atomics.load(ctl, 1), 50);
  }
}

let runtime: WasmRuntime | null | undefined;

/** The runtime, or null when build/kernels.wasm is missing (the reference kernels serve then). */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  const module = wasmModule();
  if (module === null) return (runtime = null);
  runtime = new WasmRuntime(module);
  const env = Number(process.env.SPRAMNET_THREADS);
  runtime.setThreads(Number.isFinite(env) && env > 0 ? env : Math.min(2, availableParallelism()));
  return runtime;
}
