import { InputError } from '../errors.js';
import { LINALG_WASM_BASE64 } from './linalgWasm.js';

/**
 * The float64 kernel module (assembly/linalg.ts, embedded in linalgWasm.ts) and fresh instances of
 * it: each on its own shared memory, so a helper thread can run the same kernels on the same arrays
 * (eigenHelper.ts) and the memory is freed with its last view.
 */

/** Exports of the module; pointers are byte offsets into the instance's memory. */
export interface LinalgKernels {
  symvRows(a: number, n: number, r0: number, r1: number, v: number, y: number): void;
  syr2kRows(a: number, n: number, s: number, x: number, yP: number, m: number, w2: number, r0: number, r1: number): void;
  panelRowUpdate(a: number, n: number, j: number, vPanel: number, wPanel: number, i: number): void;
  panelCorrectY(n: number, s: number, vPanel: number, wPanel: number, i: number, v: number, y: number): void;
  rotateRows(z: number, n: number, i: number, c: number, s: number): void;
  applyReflectors(a: number, n: number, tau: number, zt: number, z0: number, z1: number): void;
  chebyshevBlock(n: number, start: number, column: number, value: number, lanes: number, curr: number, prev: number, next: number, a2: number, b2: number, dots: number): void;
  chebyshevFilterBlock(n: number, start: number, column: number, value: number, lanes: number, curr: number, prev: number, next: number, a2: number, b2: number, c: number, out: number): void;
}

let wasmModule: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD (or shared memory) is not available. */
export function linalgModule(): WebAssembly.Module | null {
  if (wasmModule === undefined) {
    try {
      wasmModule = new WebAssembly.Module(Buffer.from(LINALG_WASM_BASE64, 'base64'));
    } catch {
      wasmModule = null;
    }
  }
  return wasmModule;
}

/**
 * A fresh shared memory laid out as `lengths` float64 arrays (16-byte aligned, after the first page,
 * which is left to the module) and the kernels instantiated on it; freed with its views.
 */
export function linalgInstance(module: WebAssembly.Module, lengths: number[]): { memory: WebAssembly.Memory; k: LinalgKernels; views: Float64Array[] } {
  const bytes = layoutBytes(lengths);
  const pages = Math.ceil(bytes / 65536);
  if (pages > 65536) throw tooLarge(bytes);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LinalgKernels;
  return { memory, k, views: layoutViews(memory, lengths) };
}

/** The first page is left to the module; each array starts 16-byte aligned. */
const LAYOUT_BASE = 65536;
const paddedBytes = (len: number): number => Math.ceil(len / 2) * 16;
const layoutBytes = (lengths: number[]): number => LAYOUT_BASE + lengths.reduce((t, len) => t + paddedBytes(len), 0);
const tooLarge = (bytes: number): InputError => new InputError(`${(bytes / 2 ** 30).toFixed(1)} GiB exceed the 4 GiB of WebAssembly memory; use kernels: "js"`);

/** `lengths` float64 arrays laid out in `memory` after its first page. */
function layoutViews(memory: WebAssembly.Memory, lengths: number[]): Float64Array[] {
  let offset = LAYOUT_BASE;
  return lengths.map((len) => {
    const view = new Float64Array(memory.buffer, offset, len);
    offset += paddedBytes(len);
    return view;
  });
}

let reusable: { module: WebAssembly.Module; memory: WebAssembly.Memory; k: LinalgKernels; bytes: number } | undefined;

/**
 * As linalgInstance, but the shared memory of the previous call is kept and used again (zeroed
 * views) while it is large enough, and replaced by a larger one otherwise. Why: a fresh shared
 * memory per call is native memory V8 frees only on a full collection, so predicting 4000
 * structures (an eigensolve each for the TB channel) grew the process to 2.5 GB. Only for callers
 * whose views die with the call and never run two at a time (the symmetric eigensolver).
 */
export function reusedLinalgInstance(module: WebAssembly.Module, lengths: number[]): { memory: WebAssembly.Memory; k: LinalgKernels; views: Float64Array[] } {
  const bytes = layoutBytes(lengths);
  if (reusable === undefined || reusable.module !== module || reusable.bytes < bytes) {
    // some headroom, so a run of slightly growing sizes does not allocate every time
    const pages = Math.min(65536, Math.ceil((1.25 * bytes) / 65536));
    if (pages * 65536 < bytes) throw tooLarge(bytes);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    reusable = { module, memory, k: new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LinalgKernels, bytes: pages * 65536 };
  }
  const views = layoutViews(reusable.memory, lengths);
  for (const view of views) view.fill(0);
  return { memory: reusable.memory, k: reusable.k, views };
}
