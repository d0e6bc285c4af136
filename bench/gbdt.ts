/**
 * Fit and predict time of spramnet's gradient-boosted trees against ../shared/bench/reference.py
 * xgboost (XGBoost hist, same shapes: 3600 × 480, 100 trees, depth 4) in the same run.
 * Prints one JSON line. usage: node dist/bench/gbdt.js [threads]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GradientBoostedTrees } from '../src/gbdt/booster.js';
import { seededRandom } from '../src/util/random.js';
import { SHARED, findPython } from './shared.js';

const threads = Number(process.argv[2] ?? 1);
const rows = 3600;
const cols = 480;
const rand = seededRandom(0);
const data = new Float32Array(rows * cols);
for (let k = 0; k < data.length; k++) data[k] = rand();
const y = new Float64Array(rows);
for (let r = 0; r < rows; r++) {
  let s = 0;
  for (let f = 0; f < 20; f++) s += data[r * cols + f];
  y[r] = s + 0.1 * (rand() + rand() + rand() - 1.5);
}
const x = { data, rows, cols };
const params = { maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1, maxBin: 256 };
new GradientBoostedTrees({ ...params, rounds: 5 }).fit(x, y); // warm-up: JIT
let t = process.hrtime.bigint();
const model = new GradientBoostedTrees(params).fit(x, y);
const fitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
model.predict(x); // warm-up: JIT
t = process.hrtime.bigint();
model.predict(x);
const predictSeconds = Number(process.hrtime.bigint() - t) / 1e9;

const python = findPython(['xgboost', 'numpy']);
let reference: { fit_s: number; predict_s: number } | undefined;
if (python !== undefined) {
  const r = spawnSync(python, [join(SHARED, 'bench', 'reference.py'), 'xgboost', '1', String(threads)], { encoding: 'utf8' });
  if (r.status === 0) reference = JSON.parse(r.stdout.trim().split('\n').pop() as string);
  else console.error(r.stderr);
}
console.log(
  JSON.stringify({
    bench: 'gbdt',
    rows,
    features: cols,
    trees: 100,
    depth: 4,
    threads: 1,
    reference_threads: threads,
    fit_s: fitSeconds,
    predict_s: predictSeconds,
    xgboost_fit_s: reference?.fit_s ?? null,
    xgboost_predict_s: reference?.predict_s ?? null,
    fit_ratio: reference ? fitSeconds / reference.fit_s : null,
    predict_ratio: reference ? predictSeconds / reference.predict_s : null,
  }),
);
