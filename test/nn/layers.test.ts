import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { kernelsFor, referenceKernels, wasmRuntime } from '../../src/nn/kernels/index.js';
import type { LayerSpec } from '../../src/nn/layers.js';
import { lossAndGradient, type LossName } from '../../src/nn/losses.js';
import { Network } from '../../src/nn/network.js';
import { Rng } from '../../src/util/random.js';

/**
 * Central finite differences of L = Σ w·f(x) for a one-layer network (float64, reference kernels):
 * dL/dx from backward against (L(x+h) − L(x−h)) / 2h, and likewise every parameter.
 */
function checkGradients(layer: LayerSpec, inputShape: number[], batch: number, training: boolean, tolerance = 1e-6): void {
  const net = new Network({ inputShape, layers: [layer] }, { dtype: 'float64', seed: 3, referenceKernels: true });
  const rng = new Rng(11);
  const x = Float64Array.from({ length: batch * net.inputSize }, () => rng.normal());
  const w = Float64Array.from({ length: batch * net.outputSize }, () => rng.normal());
  const loss = (): number => {
    const y = net.forward(x, batch, training);
    let s = 0;
    for (let k = 0; k < w.length; k++) s += w[k] * y[k];
    return s;
  };
  net.zeroGrad();
  net.forward(x, batch, training);
  const dx = Float64Array.from(net.backward(w, batch));
  const h = 1e-6;
  const probe = (values: Float64Array, analytic: ArrayLike<number>, what: string): void => {
    const picks = Math.min(values.length, 40);
    for (let p = 0; p < picks; p++) {
      const k = Math.floor((p * values.length) / picks);
      const keep = values[k];
      values[k] = keep + h;
      const up = loss();
      values[k] = keep - h;
      const down = loss();
      values[k] = keep;
      const numeric = (up - down) / (2 * h);
      assert.ok(Math.abs(numeric - analytic[k]) <= tolerance * Math.max(1, Math.abs(numeric)), `${layer.kind} ${what}[${k}]: backward ${analytic[k]}, finite difference ${numeric}`);
    }
  };
  probe(x, dx, 'x');
  for (const p of net.params()) probe(p.value as Float64Array, Float64Array.from(p.grad), p.name);
}

test('every layer: backward = central finite differences (float64)', () => {
  checkGradients({ kind: 'conv1d', name: 'c', inChannels: 3, outChannels: 4, kernel: 5, stride: 2, padding: 2, bias: true }, [3, 17], 2, true);
  checkGradients({ kind: 'conv1d', name: 'c', inChannels: 2, outChannels: 3, kernel: 1, stride: 3, padding: 0, bias: false }, [2, 10], 3, true);
  checkGradients({ kind: 'batchnorm1d', name: 'b', channels: 3, eps: 1e-5, momentum: 0.1 }, [3, 7], 4, true, 1e-5);
  checkGradients({ kind: 'batchnorm1d', name: 'b', channels: 3, eps: 1e-5, momentum: 0.1 }, [3, 7], 4, false);
  checkGradients({ kind: 'relu', name: 'r' }, [2, 9], 3, true);
  checkGradients({ kind: 'maxpool1d', name: 'p', kernel: 3, stride: 2 }, [2, 11], 2, true);
  checkGradients({ kind: 'linear', name: 'f', inFeatures: 12, outFeatures: 5, bias: true }, [3, 4], 3, true);
  checkGradients({ kind: 'dropout', name: 'd', p: 0.5 }, [2, 8], 2, false);
  checkGradients({ kind: 'flatten', name: 'fl' }, [2, 8], 2, true);
  checkGradients({ kind: 'residual', name: 'r', inChannels: 3, outChannels: 5, stride: 2 }, [3, 12], 3, true, 1e-5);
  checkGradients({ kind: 'residual', name: 'r', inChannels: 4, outChannels: 4, stride: 1 }, [4, 9], 2, true, 1e-5);
});

test('dropout in training zeroes about p of the values and rescales the rest by 1/(1−p)', () => {
  const net = new Network({ inputShape: [1, 10000], layers: [{ kind: 'dropout', name: 'd', p: 0.3 }] }, { dtype: 'float64', seed: 1 });
  const y = net.forward(new Float64Array(10000).fill(1), 1, true);
  const zeros = y.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / 10000 - 0.3) < 0.02);
  assert.ok(y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-12));
});

test('losses: gradients = finite differences', () => {
  const pred = Float64Array.from([0.3, -1.7, 2.2, 0.05]);
  const target = [0.1, 0.4, 0.2, -2];
  for (const name of ['mse', 'mae', 'huber'] as LossName[]) {
    const g = new Float64Array(4);
    lossAndGradient(name, pred, target, 4, g);
    for (let k = 0; k < 4; k++) {
      const h = 1e-6;
      const p = Float64Array.from(pred);
      p[k] += h;
      const up = lossAndGradient(name, p, target, 4, new Float64Array(4));
      p[k] -= 2 * h;
      const down = lossAndGradient(name, p, target, 4, new Float64Array(4));
      assert.ok(Math.abs((up - down) / (2 * h) - g[k]) < 1e-6, `${name}[${k}]`);
    }
  }
});

const fast = kernelsFor('float32');
const slow = referenceKernels('float64');

test('WASM SIMD GEMM = reference GEMM for every transpose, odd sizes, one and two threads', { skip: wasmRuntime() === null && 'build/kernels.wasm is not built' }, () => {
  const rt = wasmRuntime()!;
  for (const threads of [1, 2]) {
    rt.setThreads(threads);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 90 }), fc.boolean(), fc.boolean(), fc.boolean(), (M, N, K, ta, tb, acc) => {
        const rng = new Rng(M * 1000 + N * 10 + K);
        const filled = (n: number): Float32Array => {
          const a = fast.allocate(n) as Float32Array; // in WebAssembly memory (map() would copy it out)
          for (let k = 0; k < n; k++) a[k] = rng.normal();
          return a;
        };
        const A = filled(M * K);
        const B = filled(K * N);
        const C = filled(M * N);
        const ref = Float64Array.from(C);
        slow.gemm(ta, tb, M, N, K, Float64Array.from(A), Float64Array.from(B), ref, acc);
        fast.gemm(ta, tb, M, N, K, A, B, C, acc);
        for (let k = 0; k < M * N; k++) assert.ok(Math.abs(C[k] - ref[k]) <= 1e-5 * (K + 1) * Math.max(1, Math.abs(ref[k])));
      }),
      { numRuns: 150, seed: threads },
    );
  }
  rt.setThreads(2);
});

test('the fast (WASM, float32) network equals the plain float64 one: outputs and every gradient', { skip: wasmRuntime() === null && 'build/kernels.wasm is not built' }, async () => {
  const { eldosNet } = await import('../../src/nn/networks.js');
  const spec = eldosNet();
  spec.layers = spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, p: 0 } : l));
  const a = new Network(spec, { dtype: 'float32', seed: 5 });
  const b = new Network(spec, { dtype: 'float64', seed: 5, referenceKernels: true });
  const rng = new Rng(2);
  const x = Float64Array.from({ length: 8 * 480 }, () => rng.normal());
  const target = Float64Array.from({ length: 8 * 81 }, () => rng.uniform());
  for (const net of [a, b]) {
    net.zeroGrad();
    const pred = net.forward(net.dtype === 'float32' ? Float32Array.from(x) : x, 8, true);
    const g = net.dtype === 'float32' ? new Float32Array(pred.length) : new Float64Array(pred.length);
    lossAndGradient('mse', pred, target, pred.length, g);
    net.backward(g, 8);
  }
  const pa = a.params();
  b.params().forEach((p, i) => {
    if (p.name === 'c1.bias') return; // feeds BatchNorm: its gradient is rounding noise
    let m = 0;
    let d = 0;
    for (let k = 0; k < p.grad.length; k++) {
      d = Math.max(d, Math.abs(p.grad[k] - pa[i].grad[k]));
      m = Math.max(m, Math.abs(p.grad[k]));
    }
    assert.ok(d <= 1e-4 * m, `${p.name}: gradient differs by ${d} (largest ${m})`);
  });
  const ya = a.forward(Float32Array.from(x), 8, false);
  const yb = b.forward(x, 8, false);
  for (let k = 0; k < yb.length; k++) assert.ok(Math.abs(ya[k] - yb[k]) < 1e-4 * Math.max(1, Math.abs(yb[k])));
});

test('WASM Adam/AdamW step = reference step', { skip: wasmRuntime() === null && 'build/kernels.wasm is not built' }, () => {
  const rng = new Rng(8);
  for (const decoupled of [false, true]) {
    const n = 1001;
    const arrays = [0, 1, 2, 3].map((j) => {
      const a = fast.allocate(n) as Float32Array;
      for (let k = 0; k < n; k++) a[k] = j === 3 ? rng.uniform() * 0.01 : rng.normal();
      return a;
    });
    const ref = arrays.map((a) => Float64Array.from(a));
    fast.adam(arrays[0], arrays[1], arrays[2], arrays[3], n, 1e-3, 0.9, 0.999, 1e-8, 1 - 0.9 ** 3, Math.sqrt(1 - 0.999 ** 3), 0.01, decoupled);
    slow.adam(ref[0], ref[1], ref[2], ref[3], n, 1e-3, 0.9, 0.999, 1e-8, 1 - 0.9 ** 3, Math.sqrt(1 - 0.999 ** 3), 0.01, decoupled);
    for (const j of [0, 2, 3]) for (let k = 0; k < n; k++) assert.ok(Math.abs(arrays[j][k] - ref[j][k]) <= 1e-6 * Math.max(1, Math.abs(ref[j][k])), `array ${j}[${k}]`);
  }
});

test('packed GEMM: the plain and the fused multiply-add builds, K in several blocks, the product split by columns and by rows across threads', { skip: wasmRuntime() === null && 'build/kernels.wasm is not built' }, () => {
  const rt = wasmRuntime()!;
  const rng = new Rng(21);
  const filled = (n: number): Float32Array => {
    const a = rt.allocate(n);
    for (let k = 0; k < n; k++) a[k] = rng.normal();
    return a;
  };
  // [M, N, K]: K > 256 runs in blocks; N ≥ 32 splits by columns, narrow N by rows (2 threads, ≥ 1e6 flops)
  const shapes = [[37, 45, 600], [9, 200, 530], [130, 20, 300], [64, 24, 700], [5, 3, 1]];
  for (const threads of [1, 2]) {
    rt.setThreads(threads);
    for (const [M, N, K] of shapes)
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const A = filled(M * K);
        const B = filled(K * N);
        const C0 = filled(M * N);
        const ref = Float64Array.from(C0);
        slow.gemm(ta, tb, M, N, K, Float64Array.from(A), Float64Array.from(B), ref, true);
        const check = (C: Float32Array, what: string): void => {
          for (let k = 0; k < M * N; k++) assert.ok(Math.abs(C[k] - ref[k]) <= 1e-5 * (K + 1) * Math.max(1, Math.abs(ref[k])), `${what} ${M}×${N}×${K} ${ta} ${tb}: ${C[k]} vs ${ref[k]}`);
        };
        const C = rt.allocate(M * N);
        C.set(C0);
        rt.gemmPacked(ta, tb, M, N, K, A.byteOffset, B.byteOffset, C.byteOffset, true);
        check(C, `${threads} thread(s)`);
        // the plain build directly (the runtime prefers the fused one where Node runs it)
        const P = rt.allocate(M * N);
        P.set(C0);
        const work = rt.allocate(rt.k.cnnGemmWorkSize(M, N, K));
        rt.k.cnnGemm(A.byteOffset, ta ? M : K, B.byteOffset, tb ? K : N, P.byteOffset, N, M, N, K, ta ? 1 : 0, tb ? 1 : 0, 1, work.byteOffset);
        check(P, 'plain build');
      }
  }
  rt.setThreads(2);
});

test('WASM layer kernels = reference kernels: im2col/col2im, Winograd transforms, layout swaps, bias sums, channel-major batch norm', { skip: wasmRuntime() === null && 'build/kernels.wasm is not built' }, () => {
  const rng = new Rng(33);
  const both = (n: number): [Float32Array, Float64Array] => {
    const a = fast.allocate(n) as Float32Array;
    for (let k = 0; k < n; k++) a[k] = rng.normal();
    return [a, Float64Array.from(a)];
  };
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, n: number, what: string, tol = 1e-5): void => {
    for (let k = 0; k < n; k++) assert.ok(Math.abs(a[k] - b[k]) <= tol * Math.max(1, Math.abs(b[k])), `${what}[${k}]: ${a[k]} vs ${b[k]}`);
  };
  // convolutions: same-length (whole shifted rows), strided, stride 1 but shorter (no padding)
  for (const [batch, channels, length, kernel, stride, pad] of [[3, 2, 19, 3, 1, 1], [2, 3, 40, 11, 4, 2], [4, 2, 19, 3, 2, 1], [2, 2, 12, 3, 1, 0], [3, 1, 9, 5, 1, 2], [2, 2, 7, 1, 2, 0]]) {
    const outLength = Math.floor((length + 2 * pad - kernel) / stride) + 1;
    const what = `conv ${batch}×${channels}×${length} k${kernel} s${stride} p${pad}`;
    const [x, x64] = both(batch * channels * length);
    const cols = fast.allocate(channels * kernel * batch * outLength);
    const cols64 = new Float64Array(cols.length);
    fast.im2col(x, batch, channels, length, kernel, stride, pad, outLength, cols);
    slow.im2col(x64, batch, channels, length, kernel, stride, pad, outLength, cols64);
    close(cols, cols64, cols.length, `${what} im2col`, 0);
    const [d, d64] = both(cols.length);
    const dx = fast.allocate(x.length);
    const dx64 = new Float64Array(x.length);
    fast.col2im(d, batch, channels, length, kernel, stride, pad, outLength, dx);
    slow.col2im(d64, batch, channels, length, kernel, stride, pad, outLength, dx64);
    close(dx, dx64, dx.length, `${what} col2im`);
  }
  // Winograd: odd and even lengths, 1…13 tiles (every remainder of the 4-tile vectors)
  for (const [batch, channels, length] of [[2, 3, 19], [3, 2, 10], [2, 2, 8], [1, 3, 1], [2, 1, 2], [3, 2, 25], [2, 2, 16], [1, 2, 14]]) {
    const what = `winograd ${batch}×${channels}×${length}`;
    const tiles = batch * ((length + 1) >> 1);
    const [x, x64] = both(batch * channels * length);
    const v = fast.allocate(4 * channels * tiles);
    const v64 = new Float64Array(v.length);
    fast.winogradInput(x, v, channels, batch, length);
    slow.winogradInput(x64, v64, channels, batch, length);
    close(v, v64, v.length, `${what} input`);
    const [dv, dv64] = both(v.length);
    const dx = fast.allocate(x.length);
    const dx64 = new Float64Array(x.length);
    fast.winogradInputGrad(dv, dx, channels, batch, length);
    slow.winogradInputGrad(dv64, dx64, channels, batch, length);
    close(dx, dx64, dx.length, `${what} input adjoint`);
    for (const accumulate of [false, true]) {
      const [y, y64] = both(x.length);
      fast.winogradOutput(dv, y, channels, batch, length, accumulate);
      slow.winogradOutput(dv64, y64, channels, batch, length, accumulate);
      close(y, y64, y.length, `${what} output (accumulate ${accumulate})`);
    }
    const dm = fast.allocate(v.length);
    const dm64 = new Float64Array(v.length);
    fast.winogradOutputGrad(x, dm, channels, batch, length);
    slow.winogradOutputGrad(x64, dm64, channels, batch, length);
    close(dm, dm64, dm.length, `${what} output adjoint`, 1e-6);
  }
  const [w, w64] = both(5 * 4 * 3);
  const u = fast.allocate(4 * 5 * 4);
  const u64 = new Float64Array(u.length);
  fast.winogradFilter(w, u, 5, 4);
  slow.winogradFilter(w64, u64, 5, 4);
  close(u, u64, u.length, 'winograd filter');
  fast.winogradFilterGrad(u, w, 5, 4);
  slow.winogradFilterGrad(u64, w64, 5, 4);
  close(w, w64, w.length, 'winograd filter adjoint');
  // layout swaps, bias fills and sums
  const [s, s64] = both(3 * 5 * 7);
  const t = fast.allocate(s.length);
  const t64 = new Float64Array(s.length);
  fast.swapAxes(s, t, 3, 5, 7);
  slow.swapAxes(s64, t64, 3, 5, 7);
  close(t, t64, t.length, 'swapAxes', 0);
  const [bias, bias64] = both(7);
  const [sums, sums64] = both(7);
  fast.rowFill(bias, t, 7, 15);
  slow.rowFill(bias64, t64, 7, 15);
  close(t, t64, 105, 'rowFill', 0);
  fast.rowSums(s, sums, 7, 15);
  slow.rowSums(s64, sums64, 7, 15);
  close(sums, sums64, 7, 'rowSums');
  fast.repeatRow(bias, t, 15, 7);
  slow.repeatRow(bias64, t64, 15, 7);
  close(t, t64, 105, 'repeatRow', 0);
  fast.colSums(s, sums, 15, 7);
  slow.colSums(s64, sums64, 15, 7);
  close(sums, sums64, 7, 'colSums');
  // max-pooling: the stride-2 vectors and the scalar rest; ties (rounded values) keep the first maximum
  for (const [rows, length, kernel, stride] of [[5, 39, 3, 2], [4, 100, 2, 2], [3, 9, 3, 2], [3, 11, 3, 1], [2, 30, 4, 3]]) {
    const outLength = Math.floor((length - kernel) / stride) + 1;
    const [x, x64] = both(rows * length);
    for (let k = 0; k < x.length; k++) x64[k] = x[k] = Math.round(x[k] * 2) / 2;
    const y = fast.allocate(rows * outLength);
    const y64 = new Float64Array(y.length);
    const arg = fast.allocateInt(y.length);
    const arg64 = new Int32Array(y.length);
    fast.maxpool(x, y, arg, rows, length, kernel, stride, outLength);
    slow.maxpool(x64, y64, arg64, rows, length, kernel, stride, outLength);
    close(y, y64, y.length, `maxpool ${length} k${kernel} s${stride}`, 0);
    close(arg, arg64, arg.length, `maxpool argmax ${length} k${kernel} s${stride}`, 0);
  }
  // batch norm over channel-major rows (one "sample" of rows of width batch·length), both modes
  for (const training of [true, false]) {
    const [C, W] = [3, 77];
    const [x, x64] = both(C * W);
    const [g, g64] = both(C);
    const [b, b64] = both(C);
    const stats = [0, 1, 2, 3, 4, 5, 6].map(() => both(C));
    stats[1][0].fill(1);
    stats[1][1].fill(1);
    const [y, y64] = both(C * W);
    const [h, h64] = both(C * W);
    fast.bnForward(x, y, h, g, b, stats[0][0], stats[1][0], stats[2][0], 1, C, W, 1e-5, 0.1, training);
    slow.bnForward(x64, y64, h64, g64, b64, stats[0][1], stats[1][1], stats[2][1], 1, C, W, 1e-5, 0.1, training);
    close(y, y64, y.length, `bn forward (training ${training})`, 1e-5);
    for (const k of [0, 1, 2]) close(stats[k][0], stats[k][1], C, `bn statistics ${k}`);
    const [dy, dy64] = both(C * W);
    const [dx, dx64] = both(C * W);
    fast.bnBackward(dy, dx, h, g, stats[2][0], stats[3][0], stats[4][0], 1, C, W, training);
    slow.bnBackward(dy64, dx64, h64, g64, stats[2][1], stats[3][1], stats[4][1], 1, C, W, training);
    close(dx, dx64, dx.length, `bn backward (training ${training})`, 1e-4);
    close(stats[3][0], stats[3][1], C, 'bn dgamma', 1e-4);
    close(stats[4][0], stats[4][1], C, 'bn dbeta', 1e-4);
  }
});
