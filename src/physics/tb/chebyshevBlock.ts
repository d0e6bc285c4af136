import { InputError } from '../../errors.js';
import { linalgInstance, linalgModule } from '../../linalg/linalgKernels.js';
import { chebyshevFilterStepBlock, chebyshevStepBlock, type CsrMatrix } from './sparse.js';

/**
 * The Chebyshev recursion of KPM on a block of real vectors (interleaved, x[i·lanes + l]) with one
 * matrix: three block buffers and a fused step (mat-vec, recursion and the moments' dot products in
 * one pass). 'wasm' runs the f64x2 kernel of assembly/chebyshev.ts on copies of the matrix and the
 * buffers in a private WebAssembly memory (freed with the engine); 'js' runs chebyshevStepBlock, the
 * plain specification. Why WebAssembly: the step is bound by gathers of neighbour entries, which f64x2
 * loads of interleaved lanes halve or quarter; V8's scalar code ran the CSR product ~3× slower than
 * scipy's.
 */
export interface ChebyshevBlockEngine {
  readonly lanes: number;
  /** Four n·lanes buffers: prev, curr, next (rotate them) and a filter's sum; the steps take only these. */
  readonly buffers: [Float64Array, Float64Array, Float64Array, Float64Array];
  /** next = a2·(H·curr) + b2·curr − prev; dots[0] += Σ⟨next, curr⟩, dots[1] += Σ⟨next, next⟩. */
  step(curr: Float64Array, prev: Float64Array, next: Float64Array, a2: number, b2: number, dots: Float64Array): void;
  /** next = a2·(H·curr) + b2·curr − prev, out += c·next (prev may be next). */
  filterStep(curr: Float64Array, prev: Float64Array, next: Float64Array, a2: number, b2: number, c: number, out: Float64Array): void;
}

export type ChebyshevKernels = 'wasm' | 'js';

export function chebyshevBlockEngine(m: CsrMatrix, lanes: number, kernels?: ChebyshevKernels): ChebyshevBlockEngine {
  if (kernels !== undefined && kernels !== 'wasm' && kernels !== 'js') throw new InputError(`kernels "${kernels}"; expected "wasm" or "js"`);
  if (lanes !== 2 && lanes !== 4) throw new InputError(`a Chebyshev block holds 2 or 4 vectors, not ${lanes}`);
  const module = kernels === 'js' ? null : linalgModule();
  if (module === null) {
    if (kernels === 'wasm') throw new InputError('the WebAssembly SIMD kernels cannot run here; use kernels: "js"');
    const size = m.n * lanes;
    return {
      lanes,
      buffers: [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)],
      step: (curr, prev, next, a2, b2, dots) => chebyshevStepBlock(m, lanes, curr, prev, next, a2, b2, dots),
      filterStep: (curr, prev, next, a2, b2, c, out) => chebyshevFilterStepBlock(m, lanes, curr, prev, next, a2, b2, c, out),
    };
  }
  const nnz = m.start[m.n];
  const size = m.n * lanes;
  // Int32 arrays in float64 slots (half as many); the last slot holds the step's two dot products.
  const { k, views } = linalgInstance(module, [Math.ceil((m.n + 1) / 2), Math.ceil(nnz / 2), nnz, size, size, size, size, 2]);
  const [startSlots, columnSlots, value, b0, b1, b2, b3, dotsBuf] = views;
  new Int32Array(startSlots.buffer, startSlots.byteOffset, m.n + 1).set(m.start.subarray(0, m.n + 1));
  new Int32Array(columnSlots.buffer, columnSlots.byteOffset, nnz).set(m.column.subarray(0, nnz));
  value.set(m.value.subarray(0, nnz));
  const buffers: [Float64Array, Float64Array, Float64Array, Float64Array] = [b0, b1, b2, b3];
  const own = (...xs: Float64Array[]): void => {
    for (const x of xs) if (!buffers.includes(x)) throw new Error('chebyshevBlockEngine steps take the engine\'s own buffers');
  };
  return {
    lanes,
    buffers,
    step: (curr, prev, next, a2, b2Scale, dots) => {
      own(curr, prev, next);
      dotsBuf[0] = 0;
      dotsBuf[1] = 0;
      k.chebyshevBlock(m.n, startSlots.byteOffset, columnSlots.byteOffset, value.byteOffset, lanes, curr.byteOffset, prev.byteOffset, next.byteOffset, a2, b2Scale, dotsBuf.byteOffset);
      dots[0] += dotsBuf[0];
      dots[1] += dotsBuf[1];
    },
    filterStep: (curr, prev, next, a2, b2Scale, c, out) => {
      own(curr, prev, next, out);
      k.chebyshevFilterBlock(m.n, startSlots.byteOffset, columnSlots.byteOffset, value.byteOffset, lanes, curr.byteOffset, prev.byteOffset, next.byteOffset, a2, b2Scale, c, out.byteOffset);
    },
  };
}
