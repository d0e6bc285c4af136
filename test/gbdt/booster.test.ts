import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { GradientBoostedTrees } from '../../src/gbdt/booster.js';
import { crossValidate, gridCandidates, randomCandidates } from '../../src/gbdt/crossValidation.js';
import { complement, kFold } from '../../src/data/splits.js';
import { nodeGain, leafWeight } from '../../src/gbdt/grow.js';
import { type Matrix } from '../../src/util/matrix.js';
import { objective, OBJECTIVES } from '../../src/gbdt/objectives.js';
import { stringifyXGBoostJson, toXGBoostJson } from '../../src/gbdt/xgboostJson.js';
import { random } from '../helpers.js';

function dataset(rows: number, cols: number, seed: number, missing = 0): { x: Matrix; y: Float64Array } {
  const rand = random(seed);
  const data = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < cols; f++) data[r * cols + f] = rand() * 2 - 1;
    y[r] = 3 * data[r * cols] + Math.sin(4 * data[r * cols + 1]) + 0.05 * (rand() - 0.5);
    for (let f = 0; f < cols; f++) if (rand() < missing) data[r * cols + f] = NaN;
  }
  return { x: { data, rows, cols }, y };
}

test('objective gradients and hessians match finite differences of their losses', () => {
  const losses: Record<string, (p: number, y: number) => number> = {
    'reg:squarederror': (p, y) => 0.5 * (p - y) ** 2,
    'reg:absoluteerror': (p, y) => Math.abs(p - y),
    'reg:pseudohubererror': (p, y) => 0.7 ** 2 * (Math.sqrt(1 + ((p - y) / 0.7) ** 2) - 1),
  };
  for (const name of OBJECTIVES) {
    const obj = objective(name, 0.7);
    const pred = Float64Array.from([-1.3, 0.2, 2.5, 0.9]);
    const y = Float64Array.from([0.4, -0.7, 2.0, 3.1]);
    const g = new Float64Array(4);
    const h = new Float64Array(4);
    obj.gradients(pred, y, g, h);
    const eps = 1e-5;
    for (let i = 0; i < 4; i++) {
      const loss = losses[name];
      const fd = (loss(pred[i] + eps, y[i]) - loss(pred[i] - eps, y[i])) / (2 * eps);
      assert.ok(Math.abs(g[i] - fd) < 1e-6, `${name} gradient ${i}`);
      if (name !== 'reg:absoluteerror') {
        const fd2 = (loss(pred[i] + eps, y[i]) - 2 * loss(pred[i], y[i]) + loss(pred[i] - eps, y[i])) / eps ** 2;
        assert.ok(Math.abs(h[i] - fd2) < 1e-4, `${name} hessian ${i}`);
      }
    }
  }
});

test('leaf weight minimises the regularised second-order objective (λ, α, max_delta_step)', () => {
  const p = { maxDepth: 1, eta: 1, lambda: 2, alpha: 0.5, gamma: 0, minChildWeight: 0, maxDeltaStep: 0 };
  const G = 7;
  const H = 3;
  const objectiveAt = (w: number): number => G * w + 0.5 * (H + p.lambda) * w * w + p.alpha * Math.abs(w);
  const w = leafWeight(p, G, H);
  for (const d of [-1e-3, 1e-3]) assert.ok(objectiveAt(w) <= objectiveAt(w + d));
  // the structure score is −2 × the minimum of that objective
  assert.ok(Math.abs(nodeGain(p, G, H) + 2 * objectiveAt(w)) < 1e-12);
  assert.equal(leafWeight({ ...p, maxDeltaStep: 0.3 }, G, H), -0.3);
});

test('boosting fits: training error falls round by round; gain ranks the informative features first', () => {
  const { x, y } = dataset(600, 6, 1);
  const model = new GradientBoostedTrees({ rounds: 60, maxDepth: 4, eta: 0.2 }).fit(x, y);
  const errors = model.history.map((h) => h.train);
  for (let k = 1; k < errors.length; k++) assert.ok(errors[k] <= errors[k - 1] + 1e-9);
  assert.ok(errors[errors.length - 1] < 0.1 * errors[0]);
  const gain = model.featureImportance('total_gain');
  const order = Array.from(gain.keys()).sort((a, b) => gain[b] - gain[a]);
  assert.deepEqual(order.slice(0, 2).sort(), [0, 1]);
  assert.equal(model.featureImportance('weight').reduce((a, b) => a + b, 0), model.trees.reduce((s, t) => s + t.left.filter((l) => l !== -1).length, 0));
});

test('missing values follow the learned default direction', () => {
  // y is high exactly when feature 0 is missing: the trees must send NaN to the high side
  const rand = random(3);
  const rows = 400;
  const data = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    data[2 * r] = rand() < 0.3 ? NaN : rand();
    data[2 * r + 1] = rand();
    y[r] = Number.isNaN(data[2 * r]) ? 5 : data[2 * r];
  }
  const model = new GradientBoostedTrees({ rounds: 40, maxDepth: 3, eta: 0.3 }).fit({ data, rows, cols: 2 }, y);
  const p = model.predict({ data: Float64Array.from([NaN, 0.5, 0.2, 0.5]), rows: 2, cols: 2 });
  assert.ok(Math.abs(p[0] - 5) < 0.1, `NaN row predicted ${p[0]}`);
  assert.ok(Math.abs(p[1] - 0.2) < 0.1, `0.2 row predicted ${p[1]}`);
});

test('gamma and max_delta_step constrain the trees as documented', () => {
  const { x, y } = dataset(300, 4, 2);
  const stumps = new GradientBoostedTrees({ rounds: 5, gamma: 1e9 }).fit(x, y);
  assert.ok(stumps.trees.every((t) => t.left.length === 1));
  const clipped = new GradientBoostedTrees({ rounds: 5, eta: 0.5, maxDeltaStep: 0.1, maxDepth: 3 }).fit(x, y);
  for (const t of clipped.trees) for (let n = 0; n < t.left.length; n++) if (t.left[n] === -1) assert.ok(Math.abs(t.splitCondition[n]) <= 0.05 + 1e-7);
  const absolute = new GradientBoostedTrees({ rounds: 30, objective: 'reg:absoluteerror', maxDepth: 3 }).fit(x, y);
  const sorted = Float64Array.from(y).sort();
  assert.equal(absolute.baseScore, Math.fround(0.5 * (sorted[149] + sorted[150])));
  assert.ok(absolute.history[29].train < 0.3 * absolute.history[0].train);
});

test('early stopping keeps the best round; the seed fixes the model bit for bit', () => {
  const { x, y } = dataset(400, 5, 5);
  const val = dataset(200, 5, 6);
  for (let r = 0; r < val.y.length; r++) val.y[r] += 3 * Math.sin(17 * r); // noisy validation: it overfits soon
  const model = new GradientBoostedTrees({ rounds: 200, eta: 0.5, maxDepth: 6, earlyStoppingRounds: 5 }).fit(x, y, { validation: val });
  assert.ok(model.history.length < 200);
  const best = model.bestIteration as number;
  assert.equal(model.trees.length, best + 1);
  assert.ok(model.history.every((h) => (h.validation as number) >= (model.history[best].validation as number)));
  const a = new GradientBoostedTrees({ rounds: 10, subsample: 0.7, colsampleBytree: 0.6, seed: 9 }).fit(x, y);
  const b = new GradientBoostedTrees({ rounds: 10, subsample: 0.7, colsampleBytree: 0.6, seed: 9 }).fit(x, y);
  const c = new GradientBoostedTrees({ rounds: 10, subsample: 0.7, colsampleBytree: 0.6, seed: 10 }).fit(x, y);
  assert.equal(stringifyXGBoostJson(toXGBoostJson(a)), stringifyXGBoostJson(toXGBoostJson(b)));
  assert.notEqual(stringifyXGBoostJson(toXGBoostJson(a)), stringifyXGBoostJson(toXGBoostJson(c)));
});

test('bad input: shapes, NaN labels, parameters outside their range', () => {
  const { x, y } = dataset(50, 3, 7);
  assert.throws(() => new GradientBoostedTrees().fit(x, y.subarray(0, 49)), (e: unknown) => e instanceof InputError && /49 values for 50 rows/.test(e.message));
  const nan = Float64Array.from(y);
  nan[7] = NaN;
  assert.throws(() => new GradientBoostedTrees().fit(x, nan), (e: unknown) => e instanceof InputError && /y\[7\] = NaN/.test(e.message));
  assert.throws(() => new GradientBoostedTrees({ eta: 0 }).fit(x, y), (e: unknown) => e instanceof InputError && /eta = 0: expected in \(0, 1\]/.test(e.message));
  assert.throws(() => new GradientBoostedTrees({ maxDepth: 2.5 }).fit(x, y), /maxDepth = 2.5/);
  assert.throws(() => new GradientBoostedTrees({ max_depth: 3 } as never).fit(x, y), /unknown parameter "max_depth"/);
  const model = new GradientBoostedTrees({ rounds: 2 }).fit(x, y);
  assert.throws(() => model.predict({ data: new Float64Array(8), rows: 2, cols: 4 }), /X has 4 features, the model expects 3/);
});

test('k-fold splits partition the rows; grid and random search enumerate the space', () => {
  const folds = kFold(103, 5, 1);
  const seen = new Uint8Array(103);
  for (const f of folds) for (const r of f) seen[r]++;
  assert.ok(seen.every((c) => c === 1));
  assert.equal(complement(103, folds[0]).length + folds[0].length, 103);
  const grid = gridCandidates({ maxDepth: [2, 3, 4], eta: [0.1, 0.3] });
  assert.equal(grid.length, 6);
  assert.equal(new Set(randomCandidates({ maxDepth: [2, 3, 4], eta: [0.1, 0.3] }, 4, 2).map((c) => JSON.stringify(c))).size, 4);
  const { x, y } = dataset(200, 3, 8);
  const shallow = crossValidate(x, y, { rounds: 20, maxDepth: 1 }, 4);
  const deep = crossValidate(x, y, { rounds: 20, maxDepth: 4 }, 4);
  assert.equal(shallow.foldScores.length, 4);
  assert.ok(deep.mean < shallow.mean);
});

test('the WebAssembly histogram kernel grows the same trees as the plain TypeScript one, bit for bit', () => {
  const { x, y } = dataset(500, 7, 21, 0.1);
  const params = { rounds: 15, maxDepth: 5, subsample: 0.8, colsampleBytree: 0.7, seed: 2 };
  const fast = new GradientBoostedTrees(params).fit(x, y);
  const plain = new GradientBoostedTrees(params).fit(x, y, { referenceKernels: true });
  assert.equal(stringifyXGBoostJson(toXGBoostJson(fast)), stringifyXGBoostJson(toXGBoostJson(plain)));
});
