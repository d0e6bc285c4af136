import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GradientBoostedTrees } from '../../src/gbdt/booster.js';
import { asMatrix } from '../../src/util/matrix.js';
import { loadXGBoostJson, saveXGBoostJson } from '../../src/gbdt/xgboostJson.js';
import { ParseError } from '../../src/errors.js';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { FIXTURES, python, run, tempDir } from '../helpers.js';

const dir = join(FIXTURES, 'xgboost');
const X = asMatrix(readNpy(join(dir, 'X.npy')));
const y = readNpy(join(dir, 'y.npy')).data;

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1e-6, Math.abs(b[i])));
  return m;
}

test('models saved by Python xgboost predict the same here (committed fixtures, NaNs included)', () => {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'version.json');
  assert.equal(names.length, 3);
  for (const name of names) {
    const model = loadXGBoostJson(join(dir, name));
    const expected = readNpy(join(dir, name.replace('.json', '.pred.npy'))).data;
    assert.ok(maxRel(model.predict(X), expected) <= 1e-6, name);
  }
});

test('trained like xgboost: same data and settings give the training error of the xgboost fixture', () => {
  const model = new GradientBoostedTrees({ objective: 'reg:squarederror', maxDepth: 4, eta: 0.1, alpha: 1, rounds: 30, baseScore: 0.5 }).fit(X, y);
  const rmse = (p: ArrayLike<number>): number => Math.sqrt(Array.from(y).reduce((s, v, i) => s + (p[i] - v) ** 2, 0) / y.length);
  const theirs = rmse(readNpy(join(dir, 'squared.pred.npy')).data);
  const ours = rmse(model.predict(X));
  assert.ok(Math.abs(ours - theirs) / theirs < 0.01, `rmse ${ours} vs xgboost ${theirs}`);
  // the first split is xgboost's: feature 0 at −0.547443569, default direction right
  const t = model.trees[0];
  assert.equal(t.splitIndex[0], 0);
  assert.ok(Math.abs(t.splitCondition[0] - -0.547443569) < 1e-6);
});

const py = python(['xgboost', 'numpy']);

test('a spramnet model loads in Python xgboost and predicts the same; regenerated fixtures load here', { skip: py === undefined && 'python3-xgboost is not installed' }, () => {
  const work = tempDir();
  for (const objective of ['reg:squarederror', 'reg:absoluteerror', 'reg:pseudohubererror'] as const) {
    const model = new GradientBoostedTrees({ objective, maxDepth: 5, eta: 0.2, rounds: 25, subsample: 0.8, colsampleBytree: 0.7, seed: 4 }).fit(X, y);
    const file = join(work, `${objective}.json`);
    saveXGBoostJson(model, file);
    writeNpy(join(work, 'X.npy'), { data: X.data as Float64Array, shape: [X.rows, X.cols] });
    const r = run(py as string, ['-c', `import xgboost as xgb, numpy as np, sys
b = xgb.Booster(); b.load_model(sys.argv[1])
np.save(sys.argv[2], b.predict(xgb.DMatrix(np.load(sys.argv[3]))).astype(np.float64))`, file, join(work, 'p.npy'), join(work, 'X.npy')]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(maxRel(model.predict(X), readNpy(join(work, 'p.npy')).data) <= 1e-6, objective);
  }
  const fresh = join(work, 'fixtures');
  const g = run(py as string, [join(FIXTURES, 'make_xgboost_fixtures.py'), fresh]);
  assert.equal(g.status, 0, g.stderr);
  const fx = asMatrix(readNpy(join(fresh, 'X.npy')));
  for (const name of ['squared', 'absolute', 'huber']) {
    assert.ok(maxRel(loadXGBoostJson(join(fresh, `${name}.json`)).predict(fx), readNpy(join(fresh, `${name}.pred.npy`)).data) <= 1e-6, name);
  }
});

test('truncated, foreign or malformed model files are clear errors', () => {
  const work = tempDir();
  const model = new GradientBoostedTrees({ rounds: 3, maxDepth: 2 }).fit(X, y);
  const file = join(work, 'm.json');
  saveXGBoostJson(model, file);
  const text = readFileSync(file, 'utf8');
  const cases: Array<[string, RegExp]> = [
    [text.slice(0, text.length / 2), /not valid JSON.*truncated/],
    ['{"name": "a package.json"}', /missing learner/],
    [text.replace('"gbtree"', '"gblinear"'), /booster "gblinear" is not supported/],
    [text.replace('"reg:squarederror"', '"binary:logistic"'), /objective "binary:logistic" is not supported/],
    [text.replace(/"left_children":\[[^\]]*\]/, '"left_children":[1]'), /left_children must be \d+ numbers/],
  ];
  for (const [content, pattern] of cases) {
    writeFileSync(file, content);
    assert.throws(() => loadXGBoostJson(file), (e: unknown) => e instanceof ParseError && e.file.startsWith(file) && pattern.test(e.message), String(pattern));
  }
});


test('a model in xgboost 2.x form (base_score written as "[v]") loads and predicts the same', () => {
  const text = readFileSync(join(dir, 'squared.json'), 'utf8');
  const json = JSON.parse(text);
  json.learner.learner_model_param.base_score = `[${json.learner.learner_model_param.base_score}]`;
  json.version = [2, 1, 0];
  const file = join(tempDir(), 'v2.json');
  writeFileSync(file, JSON.stringify(json));
  assert.ok(maxRel(loadXGBoostJson(file).predict(X), readNpy(join(dir, 'squared.pred.npy')).data) <= 1e-6);
});
