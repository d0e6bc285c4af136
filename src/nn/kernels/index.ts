import { fastKernels } from './fast.js';
import { referenceKernels, type Kernels } from './plain.js';
import { wasmRuntime } from '../../wasm/runtime.js';

export type { Arr, Kernels } from './plain.js';
export { referenceKernels, gemmReference } from './plain.js';
export { wasmRuntime } from '../../wasm/runtime.js';

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
