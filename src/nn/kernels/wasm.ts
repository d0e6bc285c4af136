import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arr } from './reference.js';

/**
 * The WebAssembly SIMD GEMM (assembly/gemm.ts, built into build/kernels.wasm by `npm run build`).
 * Why hand-written: TensorFlow.js' CPU backend trains these networks ~100× slower than PyTorch, its
 * native backend downloads a binary at install, and its WASM backend has no convolution gradients;
 * a register-blocked f32x4 GEMM runs at ~30 GFLOP/s on one core here, plain JavaScript at ~1.
 * Operands are copied into linear memory (transposed on the way in where asked), which costs
 * O(MK + KN + MN) against the O(MNK) product.
 */
interface GemmExports {
  memory: WebAssembly.Memory;
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, accumulate: number): void;
}

const WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'build', 'kernels.wasm');

let exports: GemmExports | undefined | null;

/** The compiled kernels, or null when build/kernels.wasm is missing (the reference kernels serve then). */
export function wasmKernels(): GemmExports | null {
  if (exports !== undefined) return exports;
  if (!existsSync(WASM_PATH)) return (exports = null);
  const module = new WebAssembly.Module(readFileSync(WASM_PATH));
  const instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('wasm kernel abort'); } } });
  return (exports = instance.exports as unknown as GemmExports);
}

let view = new Float32Array(0);

function memoryFor(k: GemmExports, floats: number): Float32Array {
  const bytes = floats * 4;
  if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65536));
  if (view.buffer !== k.memory.buffer) view = new Float32Array(k.memory.buffer);
  return view;
}

/** Copy X (rows × cols after op) into mem at offset, transposing when X is stored transposed. */
function stage(mem: Float32Array, offset: number, X: Arr, rows: number, cols: number, transposed: boolean): void {
  if (!transposed) {
    mem.set(X.subarray(0, rows * cols), offset);
    return;
  }
  for (let c = 0; c < cols; c++) {
    const src = c * rows;
    for (let r = 0; r < rows; r++) mem[offset + r * cols + c] = X[src + r];
  }
}

export function gemmWasm(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Arr, B: Arr, C: Arr, accumulate: boolean): void {
  const k = wasmKernels() as GemmExports;
  const sizeA = M * K;
  const sizeB = K * N;
  const mem = memoryFor(k, sizeA + sizeB + M * N);
  stage(mem, 0, A, M, K, transA);
  stage(mem, sizeA, B, K, N, transB);
  const offC = sizeA + sizeB;
  if (accumulate) mem.set(C.subarray(0, M * N), offC);
  k.gemm(0, 4 * sizeA, 4 * offC, M, N, K, accumulate ? 1 : 0);
  C.set(mem.subarray(offC, offC + M * N));
}
