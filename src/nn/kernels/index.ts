import { gemmReference, type Arr } from './reference.js';
import { gemmWasm, wasmKernels } from './wasm.js';

export type { Arr } from './reference.js';
export { im2col, col2im, gemmReference } from './reference.js';

export type Gemm = typeof gemmReference;

/** The fastest GEMM for an array type: WASM SIMD for float32 when built, else the reference. */
export function gemmFor(sample: Arr, preferReference = false): Gemm {
  if (!preferReference && sample instanceof Float32Array && wasmKernels() !== null) return gemmWasm;
  return gemmReference;
}
