import { InputError } from '../../errors.js';
import type { Arr, Kernels } from './plain.js';
import type { WasmRuntime } from '../../wasm/runtime.js';

/**
 * The WebAssembly kernels behind the Kernels interface: float32 tensors that live in the runtime's
 * memory are passed by pointer; the GEMM packs its operands (transposed or not) as it goes.
 */
export function fastKernels(rt: WasmRuntime): Kernels {
  const k = rt.k;
  const scratch = new Map<string, Float32Array>();
  const buffer = (key: string, size: number): Float32Array => {
    let b = scratch.get(key);
    if (b === undefined || b.length < size) scratch.set(key, (b = rt.allocate(Math.max(size, 1024))));
    return b;
  };
  const p = (x: ArrayBufferView | null): number => {
    if (x === null) return 0;
    if (!rt.owns(x)) throw new InputError('internal: a tensor of the fast path is outside WebAssembly memory');
    return x.byteOffset;
  };
  return {
    name: 'wasm-simd',
    gemm: (transA, transB, M, N, K, A, B, C, accumulate) => rt.gemmPacked(transA, transB, M, N, K, p(A), p(B), p(C), accumulate),
    // stride 2 by even/odd shuffles, with a padded copy of one row as scratch (sizes: assembly/cnnOps.ts)
    im2col: (x, batch, channels, length, kernel, stride, pad, outLength, cols) =>
      stride === 2
        ? k.cnnIm2colStride2(p(x), p(cols), batch, channels, length, kernel, pad, outLength, buffer('row', length + 2 * pad + 16).byteOffset)
        : k.cnnIm2col(p(x), p(cols), batch, channels, length, kernel, stride, pad, outLength),
    col2im: (cols, batch, channels, length, kernel, stride, pad, outLength, dx) =>
      stride === 2
        ? k.cnnCol2imStride2(p(cols), p(dx), batch, channels, length, kernel, pad, outLength, buffer('row', 4 * (outLength + kernel) + 32).byteOffset)
        : k.cnnCol2im(p(cols), p(dx), batch, channels, length, kernel, stride, pad, outLength),
    rowFill: (values, y, rows, width) => k.cnnRowFill(p(values), p(y), rows, width),
    rowSums: (x, sums, rows, width) => k.cnnRowSums(p(x), p(sums), rows, width),
    winogradFilter: (w, u, outChannels, inChannels) => k.cnnWinogradFilter(p(w), p(u), outChannels, inChannels),
    winogradFilterGrad: (du, dw, outChannels, inChannels) => k.cnnWinogradFilterGrad(p(du), p(dw), outChannels, inChannels),
    // tmp: one row of tiles, 2T + 16 floats (see assembly/cnnOps.ts)
    winogradInput: (x, v, channels, batch, length) => k.cnnWinogradInput(p(x), p(v), channels, batch, length, buffer('winograd', length + 17).byteOffset),
    winogradInputGrad: (dv, dx, channels, batch, length) => k.cnnWinogradInputGrad(p(dv), p(dx), channels, batch, length, buffer('winograd', length + 17).byteOffset),
    winogradOutput: (m, y, channels, batch, length, accumulate) => k.cnnWinogradOutput(p(m), p(y), channels, batch, length, accumulate ? 1 : 0, buffer('winograd', length + 17).byteOffset),
    winogradOutputGrad: (dy, dm, channels, batch, length) => k.cnnWinogradOutputGrad(p(dy), p(dm), channels, batch, length, buffer('winograd', length + 17).byteOffset),
    repeatRow: (v, y, rows, width) => k.cnnRepeatRow(p(v), p(y), rows, width),
    colSums: (x, sums, rows, width) => k.cnnColSums(p(x), p(sums), rows, width),
    zero: (x, n) => k.cnnZero(p(x), n),
    swapAxes: (x, y, d0, d1, inner) => k.cnnSwapAxes(p(x), p(y), d0, d1, inner),
    // one sample: the layers' channel-major rows (long and contiguous); else (batch, channels) features
    bnForward: (x, y, xhat, gamma, beta, rm, rv, invStd, batch, channels, length, eps, momentum, training) =>
      batch === 1
        ? k.cnnBnForward(p(x), p(y), p(xhat), p(gamma), p(beta), p(rm), p(rv), p(invStd), channels, length, eps, momentum, training ? 1 : 0)
        : k.bnForward(p(x), p(y), p(xhat), p(gamma), p(beta), p(rm), p(rv), p(invStd), batch, channels, length, eps, momentum, training ? 1 : 0),
    bnBackward: (dy, dx, xhat, gamma, invStd, dgamma, dbeta, batch, channels, length, training) =>
      batch === 1
        ? k.cnnBnBackward(p(dy), p(dx), p(xhat), p(gamma), p(invStd), p(dgamma), p(dbeta), channels, length, training ? 1 : 0)
        : k.bnBackward(p(dy), p(dx), p(xhat), p(gamma), p(invStd), p(dgamma), p(dbeta), batch, channels, length, training ? 1 : 0),
    relu: (x, y, n) => k.relu(p(x), p(y), n),
    reluBackward: (y, dy, dx, n) => k.reluBackward(p(y), p(dy), p(dx), n),
    add: (a, b, out, n) => k.add(p(a), p(b), p(out), n),
    maxpool: (x, y, argmax, rows, length, kernel, stride, outLength) => k.cnnMaxpool(p(x), p(y), p(argmax), rows, length, kernel, stride, outLength),
    maxpoolBackward: (dy, dx, argmax, outCount, inCount) => k.maxpoolBackward(p(dy), p(dx), p(argmax), outCount, inCount),
    adam: (pp, g, m, v, n, lr, b1, b2, eps, c1, c2root, wd, decoupled) => k.adam(p(pp), p(g), p(m), p(v), n, lr, b1, b2, eps, c1, c2root, wd, decoupled ? 1 : 0),
    allocate: (size) => rt.allocate(size),
    allocateInt: (size) => rt.allocateInt(size),
    adopt(x: Arr, key: string): Arr {
      if (x instanceof Float32Array && rt.owns(x)) return x;
      const b = buffer(`adopt:${key}`, x.length).subarray(0, x.length);
      b.set(x);
      return b;
    },
  };
}
