import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { asMatrix } from '../../src/util/matrix.js';
import { loadXGBoostJson } from '../../src/gbdt/xgboostJson.js';
import { transformFeatures } from '../../src/models/featureTransforms.js';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { CLI, random, run, tempDir } from '../helpers.js';

function writeData(dir: string): void {
  const rand = random(12);
  const rows = 240;
  const x = new Float64Array(rows * 2 * 5); // (rows, 2, 5): flattened per row to 10 features
  const y = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < 10; k++) x[r * 10 + k] = rand();
    y[2 * r] = 10 * x[r * 10] + 1;
    y[2 * r + 1] = 5 * x[r * 10 + 3] + 2;
  }
  writeNpy(join(dir, 'X.npy'), { data: x, shape: [rows, 2, 5] });
  writeNpy(join(dir, 'y.npy'), { data: y, shape: [rows, 2] });
}

test('gbdt train → predict through the CLI, features flattened, log transform carried by the model', () => {
  const dir = tempDir();
  writeData(dir);
  const model = join(dir, 'm.json');
  const t = run(process.execPath, [CLI, 'gbdt', 'train', '--data', join(dir, 'X.npy'), '--label', join(dir, 'y.npy'), '--label-column', '1', '--log-features', '--max-depth', '3', '--rounds', '40', '--validation-fraction', '0.2', '--early-stopping', '5', '--out', model]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stderr, /wrote .*m\.json: \d+ trees \(train [\d.e-]+, validation [\d.e-]+\)/);
  const p = run(process.execPath, [CLI, 'gbdt', 'predict', '--model', model, '--data', join(dir, 'X.npy'), '--out', join(dir, 'p.npy')]);
  assert.equal(p.status, 0, p.stderr);
  const pred = readNpy(join(dir, 'p.npy')).data;
  const loaded = loadXGBoostJson(model);
  assert.equal(loaded.attributes.spramnet_feature_transform, 'log(x+1e-4)');
  const x = transformFeatures(asMatrix(readNpy(join(dir, 'X.npy'))), 'log(x+1e-4)');
  assert.deepEqual(Array.from(pred), Array.from(loaded.predict(x)));
  const y = readNpy(join(dir, 'y.npy')).data;
  let err = 0;
  for (let r = 0; r < pred.length; r++) err += Math.abs(pred[r] - y[2 * r + 1]) / pred.length;
  assert.ok(err < 0.3, `mean abs error ${err}`);
});

test('gbdt commands refuse bad input with a clear message and write nothing', () => {
  const dir = tempDir();
  writeData(dir);
  const out = join(dir, 'm.json');
  const noColumn = run(process.execPath, [CLI, 'gbdt', 'train', '--data', join(dir, 'X.npy'), '--label', join(dir, 'y.npy'), '--out', out]);
  assert.equal(noColumn.status, 2);
  assert.match(noColumn.stderr, /y\.npy has 2 values per row; choose one with --label-column 0…1/);
  writeNpy(join(dir, 'short.npy'), { data: new Float64Array(10), shape: [10] });
  const short = run(process.execPath, [CLI, 'gbdt', 'train', '--data', join(dir, 'X.npy'), '--label', join(dir, 'short.npy'), '--out', out]);
  assert.match(short.stderr, /short\.npy: 10 labels for 240 rows/);
  const nan = Float64Array.from({ length: 240 }, (_, i) => (i === 17 ? NaN : i));
  writeNpy(join(dir, 'nan.npy'), { data: nan, shape: [240] });
  const bad = run(process.execPath, [CLI, 'gbdt', 'train', '--data', join(dir, 'X.npy'), '--label', join(dir, 'nan.npy'), '--out', out]);
  assert.match(bad.stderr, /nan\.npy: label of row 17 is NaN/);
  assert.equal(existsSync(out), false);
  const missing = run(process.execPath, [CLI, 'gbdt', 'predict', '--model', join(dir, 'none.json'), '--data', join(dir, 'X.npy'), '--out', join(dir, 'p.npy')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /none\.json: cannot read: no such file \(ENOENT\)/);
});

test('gbdt cv ranks a grid by cross-validated error', () => {
  const dir = tempDir();
  writeData(dir);
  const r = run(process.execPath, [CLI, 'gbdt', 'cv', '--data', join(dir, 'X.npy'), '--label', join(dir, 'y.npy'), '--label-column', '0', '--rounds', '20', '--folds', '3', '--search', 'maxDepth=1,3', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout) as Array<{ params: { maxDepth: number }; mean: number; foldScores: number[] }>;
  assert.equal(results.length, 2);
  assert.equal(results[0].foldScores.length, 3);
  assert.ok(results[0].mean <= results[1].mean);
});
