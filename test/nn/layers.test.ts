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
