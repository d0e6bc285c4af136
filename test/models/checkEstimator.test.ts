import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import '../../src/models/kinds.js';
import { estimatorKind, estimatorKinds, type Estimator } from '../../src/models/estimator.js';
import type { Matrix } from '../../src/util/matrix.js';
import { random, tempDir } from '../helpers.js';

/**
 * One suite over every registered model kind, like scikit-learn's check_estimator: the contract,
 * not the accuracy. A new kind gets these checks by being registered (and given small settings here).
 */
const SMALL_SETTINGS: Record<string, Record<string, unknown>> = {
  cnn: { network: 'thermal', channels: 1, epochs: 2, batchSize: 8, seed: 3 },
  krr: { kernel: 'rbf', gammaScale: 0.3, alpha: 0.01 },
  gbdt: { rounds: 12, maxDepth: 3, eta: 0.3, seed: 3 },
};

function data(rows: number, cols: number, outputs: number, seed: number): { x: Matrix; y: Matrix } {
  const rand = random(seed);
  const x = Float64Array.from({ length: rows * cols }, () => rand());
  const y = Float64Array.from({ length: rows * outputs }, (_, k) => {
    const r = Math.floor(k / outputs);
    return x[r * cols] + 0.5 * x[r * cols + 3] + (k % outputs);
  });
  return { x: { data: x, rows, cols }, y: { data: y, rows, cols: outputs } };
}

test('every registered model kind has small test settings here', () => {
  assert.deepEqual(estimatorKinds().sort(), Object.keys(SMALL_SETTINGS).sort());
});

for (const name of estimatorKinds()) {
  const kind = estimatorKind(name);
  const settings = SMALL_SETTINGS[name] ?? {};
  const fitted = (): { model: Estimator; x: Matrix; y: Matrix } => {
    const { x, y } = data(48, 20, 2, 1);
    return { model: kind.create(settings).fit(x, y), x, y };
  };

  test(`${name}: fit returns the model; predict gives rows × outputs of finite numbers`, () => {
    const { model, x } = fitted();
    const p = model.predict(x);
    assert.equal(p.rows, 48);
    assert.equal(p.cols, 2);
    assert.equal(p.data.length, 96);
    assert.ok(Array.from(p.data).every(Number.isFinite));
    assert.equal(model.kind, name);
  });

  test(`${name}: save and load give bit-identical predictions`, () => {
    const { model } = fitted();
    const dir = tempDir();
    const files = model.save(dir, 'check', { spramnet_task: 'check' }, ['check_a', 'check_b']);
    assert.ok(files.length >= 1 && files.every((f) => readdirSync(dir).includes(f)), `${files} written`);
    const again = kind.load(dir, files);
    const probe = data(9, 20, 2, 7).x;
    assert.deepEqual(Array.from(again.predict(probe).data), Array.from(model.predict(probe).data));
  });

  test(`${name}: the same seed and data give the same model`, () => {
    const probe = data(5, 20, 2, 9).x;
    assert.deepEqual(Array.from(fitted().model.predict(probe).data), Array.from(fitted().model.predict(probe).data));
  });

  test(`${name}: NaN, shape mismatches and an unfitted model are refused in words`, () => {
    const { x, y } = data(48, 20, 2, 1);
    const nanX = { ...x, data: Float64Array.from(x.data, (v, k) => (k === 25 ? NaN : v)) };
    assert.throws(() => kind.create(settings).fit(nanX, y), new RegExp(`${name}\\.fit: X\\[1, 5\\] = NaN; every value must be a finite number`));
    const infY = { ...y, data: Float64Array.from(y.data, (v, k) => (k === 3 ? Infinity : v)) };
    assert.throws(() => kind.create(settings).fit(x, infY), /Y\[1, 1\] = Infinity/);
    assert.throws(() => kind.create(settings).fit(x, { data: y.data.subarray(0, 40), rows: 20, cols: 2 }), /Y has 20 rows for 48 rows of X/);
    assert.throws(() => kind.create(settings).predict(x), new RegExp(`${name}\\.predict: the model is not fitted`));
    const { model } = fitted();
    assert.throws(() => model.predict({ data: new Float64Array(3 * 19), rows: 3, cols: 19 }), /X has 19 columns, the model was fitted on 20/);
    assert.throws(() => model.predict({ ...x, data: Float64Array.from(x.data, (v, k) => (k === 0 ? NaN : v)) }), /predict: X\[0, 0\] = NaN/);
  });
}

for (const name of estimatorKinds()) {
  test(`${name}: a misspelt setting is refused at fit, naming it and the known ones`, () => {
    const { x, y } = data(20, 20, 1, 2);
    assert.throws(() => estimatorKind(name).create({ ...SMALL_SETTINGS[name], lerningRate: 0.1 }).fit(x, y), new RegExp(`${name}: unknown setting "lerningRate" \\(known: `));
  });
}

test('an unknown model kind is refused with the known ones listed', () => {
  assert.throws(() => estimatorKind('svm'), /unknown model kind "svm" \(known: cnn, krr, gbdt\)/);
});
