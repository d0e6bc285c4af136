import { fastKernels } from './fast.js';
import { referenceKernels, type Kernels } from './reference.js';
import { wasmRuntime } from './runtime.js';

export type { Arr, Kernels } from './reference.js';
export { referenceKernels, gemmReference } from './reference.js';
export { wasmRuntime } from './runtime.js';

let fast: Kernels | null | undefined;

/** The kernels for a number type: WebAssembly SIMD for float32 when built, else the reference. */
export function kernelsFor(dtype: 'float32' | 'float64', preferReference = false): Kernels {
  if (dtype === 'float32' && !preferReference) {
    if (fast === undefined) {
      const rt = wasmRuntime();
      fast = rt === null ? null : fastKernels(rt);
    }
    if (fast !== null) return fast;
  }
  return referenceKernels(dtype);
}
