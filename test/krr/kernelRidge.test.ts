import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { KernelRidge } from '../../src/krr/kernelRidge.js';
import { readSafetensors } from '../../src/io/safetensors.js';
import { selectKernelRidge } from '../../src/krr/selectKernelRidge.js';
import { python, random, run, tempDir } from '../helpers.js';

/** Rows of float32-representable features (the model stores its support in float32) and two smooth targets. */
function problem(rows: number, cols: number, seed: number): { x: { data: Float64Array; rows: number; cols: number }; y: Float64Array } {
  const rand = random(seed);
  const data = Float64Array.from({ length: rows * cols }, () => Math.fround(rand() * 2));
  const y = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * cols, (r + 1) * cols);
    y[2 * r] = Math.sin(row[0] * 2) + row[1] ** 2;
    y[2 * r + 1] = Math.exp(-row[2]) + 0.1 * rand();
  }
  return { x: { data, rows, cols }, y };
}

const py = python(['sklearn', 'numpy']);

test('kernel ridge predicts what scikit-learn’s KernelRidge predicts with the same γ and α (rbf and laplacian, both engines, small and past the kernels’ block sizes)', { skip: py === undefined && 'python3-sklearn is not installed' }, () => {
  const work = tempDir();
  // 300 rows × 260 columns: past the WebAssembly kernels' 32-row leaves, 64-column blocks and 4 × 2 tiles
  for (const [rows, cols] of [[120, 6], [300, 260]]) {
    const { x, y } = problem(rows, cols, 3);
    const test_ = problem(30, cols, 4).x;
    writeNpy(join(work, 'x.npy'), { data: x.data, shape: [x.rows, x.cols] });
    writeNpy(join(work, 'y.npy'), { data: y, shape: [x.rows, 2] });
    writeNpy(join(work, 't.npy'), { data: test_.data, shape: [test_.rows, test_.cols] });
    const models = (['rbf', 'laplacian'] as const).map((kernel) => ({
      kernel,
      fast: new KernelRidge({ kernel, gammaScale: 0.7, alpha: 0.05, standardise: false }).fit(x, y, 2, 'fast'),
      reference: new KernelRidge({ kernel, gammaScale: 0.7, alpha: 0.05, standardise: false }).fit(x, y, 2, 'reference'),
    }));
    // one Python for both kernels; γ is the fast fit's (the reference's is the same to ~1e-16)
    const r = run(py as string, [
      '-c',
      `import numpy as np, sys
from sklearn.kernel_ridge import KernelRidge
x, y, t = (np.load(sys.argv[k]) for k in (1, 2, 3))
for kernel, gamma, out in zip(sys.argv[4::3], sys.argv[5::3], sys.argv[6::3]):
    m = KernelRidge(kernel=kernel, gamma=float(gamma), alpha=0.05).fit(x, y - y.mean(0))
    np.save(out, m.predict(t) + y.mean(0))`,
      join(work, 'x.npy'), join(work, 'y.npy'), join(work, 't.npy'),
      ...models.flatMap((m) => [m.kernel, String(m.fast.gamma), join(work, `${m.kernel}.npy`)]),
    ]);
    assert.equal(r.status, 0, r.stderr);
    for (const m of models) {
      const theirs = readNpy(join(work, `${m.kernel}.npy`)).data;
      for (const engine of ['fast', 'reference'] as const) {
        const ours = m[engine].predict(test_, engine);
        let worst = 0;
        ours.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - theirs[k]))));
        assert.ok(worst < 1e-8, `${m.kernel} ${engine} ${rows}×${cols}: max |Δ| ${worst}`);
      }
    }
  }
});

test('the WebAssembly engine fits and predicts what the TypeScript reference does (transform, standardising, block weights, both kernels), each row whatever its batch', () => {
  const { x, y } = problem(150, 40, 12);
  const fresh = problem(23, 40, 13).x;
  for (const kernel of ['rbf', 'laplacian'] as const) {
    const params = { kernel, gammaScale: 0.4, alpha: 0.01, standardise: true, inputTransform: 'log(x+1e-4)' as const, blockWeights: [{ start: 10, end: 25, weight: 2.5 }] };
    const fast = new KernelRidge(params).fit(x, y, 2, 'fast');
    const plain = new KernelRidge(params).fit(x, y, 2, 'reference');
    assert.ok(Math.abs(fast.gamma - plain.gamma) <= 1e-13 * plain.gamma, `${kernel}: γ ${fast.gamma} vs ${plain.gamma}`);
    const p = fast.predict(fresh);
    const q = plain.predict(fresh, 'reference');
    p.forEach((v, k) => assert.ok(Math.abs(v - q[k]) < 1e-10 * (1 + Math.abs(q[k])), `${kernel} [${k}]: ${v} vs ${q[k]}`));
    // the reference engine predicting from the fast fit, and one row at a time: the same numbers
    fast.predict(fresh, 'reference').forEach((v, k) => assert.ok(Math.abs(v - p[k]) < 1e-10 * (1 + Math.abs(p[k]))));
    for (const r of [0, 5, 22]) {
      const one = fast.predict({ data: fresh.data.subarray(r * 40, (r + 1) * 40), rows: 1, cols: 40 });
      assert.deepEqual(Array.from(one), Array.from(p.subarray(r * 2, r * 2 + 2)), `${kernel} row ${r} alone`);
    }
    // 7200 rows: past the first block of rows predict takes at a time (2²⁰ kernel values / 150 support rows)
    const many = { data: new Float64Array(7200 * 40), rows: 7200, cols: 40 };
    for (let r = 0; r < 7200; r++) many.data.set(fresh.data.subarray((r % 23) * 40, (r % 23 + 1) * 40), r * 40);
    const all = fast.predict(many);
    for (let r = 0; r < 7200; r += 7) assert.deepEqual(Array.from(all.subarray(r * 2, r * 2 + 2)), Array.from(p.subarray((r % 23) * 2, (r % 23) * 2 + 2)), `${kernel} row ${r} of 7200`);
  }
});

test('the fitted model solves (K + αI)(a) = y − ȳ: training residuals equal α times the dual weights, so a tiny α interpolates', () => {
  const { x, y } = problem(60, 4, 9);
  const exact = new KernelRidge({ gammaScale: 1, alpha: 1e-9, standardise: true, inputTransform: 'log(x+1e-4)' }).fit(x, y, 2);
  const p = exact.predict(x);
  p.forEach((v, k) => assert.ok(Math.abs(v - y[k]) < 1e-5, `row ${k >> 1}: ${v} vs ${y[k]}`));
  // a huge α shrinks every prediction to the training mean
  const flat = new KernelRidge({ gammaScale: 1, alpha: 1e9 }).fit(x, y, 2).predict(x);
  const mean = [0, 1].map((o) => y.filter((_, k) => k % 2 === o).reduce((s, v) => s + v, 0) / x.rows);
  flat.forEach((v, k) => assert.ok(Math.abs(v - mean[k % 2]) < 1e-6));
});

test('a saved kernel ridge model loads and predicts identically; foreign or newer files are clear errors', () => {
  const work = tempDir();
  const { x, y } = problem(50, 5, 1);
  const model = new KernelRidge({ kernel: 'laplacian', standardise: true }).fit(x, y, 2);
  model.attributes = { task: 'test' };
  const file = join(work, 'm.safetensors');
  model.save(file);
  const back = KernelRidge.load(file);
  assert.deepEqual(back.predict(x), model.predict(x));
  assert.equal(back.attributes.task, 'test');
  assert.throws(() => back.predict({ data: new Float64Array(4), rows: 1, cols: 4 }), /input has 4 features, the model was fitted on 5/);
  writeFileSync(join(work, 'bad.safetensors'), 'not a model');
  assert.throws(() => KernelRidge.load(join(work, 'bad.safetensors')), /bad\.safetensors/);
  assert.throws(() => new KernelRidge({ alpha: 0 }), /alpha must be > 0/);
});

test('selection on an inner hold-out picks the grid point with the lowest hold-out error and refits it on all rows', () => {
  const { x, y } = problem(100, 3, 5);
  const mse = (p: Float64Array, t: Float64Array) => p.reduce((s, v, k) => s + (v - t[k]) ** 2, 0) / p.length;
  const { model, scores } = selectKernelRidge(x, y, 2, { standardise: false }, { gammaScales: [0.01, 1, 100], alphas: [1e-3, 10] }, mse, 0);
  assert.equal(scores.length, 6);
  const best = scores.reduce((a, b) => (b.score < a.score ? b : a));
  assert.equal(model.params.gammaScale, best.gammaScale);
  assert.equal(model.params.alpha, best.alpha);
  assert.equal(model.rows, 100);
  // a smooth target: neither the flattest nor the most wiggly kernel wins
  assert.equal(best.gammaScale, 1);
});

test('with every column constant (no distances at all) both engines fit and predict the mean', () => {
  const x = { data: new Float64Array(12 * 3).fill(2), rows: 12, cols: 3 };
  const y = Float64Array.from({ length: 24 }, (_, k) => k % 5);
  for (const engine of ['fast', 'reference'] as const) {
    const p = new KernelRidge({ standardise: false }).fit(x, y, 2, engine).predict(x, engine);
    const mean = [0, 1].map((o) => y.filter((_, k) => k % 2 === o).reduce((a, b) => a + b, 0) / 12);
    p.forEach((v, k) => assert.ok(Math.abs(v - mean[k % 2]) < 1e-12, `${engine} [${k}]: ${v} vs ${mean[k % 2]}`));
  }
});

test('constant columns (g(r) below the first neighbour, padding) change nothing and are not stored', () => {
  const { x, y } = problem(40, 3, 8);
  const padded = { data: new Float64Array(40 * 5), rows: 40, cols: 5 };
  for (let r = 0; r < 40; r++) padded.data.set([0, ...x.data.subarray(r * 3, r * 3 + 3), 7], r * 5);
  for (const standardise of [true, false]) {
    const plain = new KernelRidge({ standardise }).fit(x, y, 2);
    const wide = new KernelRidge({ standardise }).fit(padded, y, 2);
    const p = plain.predict(x);
    wide.predict(padded).forEach((v, k) => assert.ok(Math.abs(v - p[k]) < 1e-12));
    const file = join(tempDir(), 'm.safetensors');
    wide.save(file);
    assert.deepEqual(Array.from(readSafetensors(file).tensors.get('active_columns')?.data ?? []), [1, 2, 3]);
  }
});
