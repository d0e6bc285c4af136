/**
 * Kernel ridge regression: spramnet's fit and predict against scikit-learn's KernelRidge (numpy /
 * LAPACK Cholesky) on the same data, γ and α, in the same script. Data of the el-DoS member's shape
 * (n rows × 400 features, 81 outputs); prints one JSON line with both timings, their ratio and the
 * largest difference between the two predictions.
 * usage: node dist/bench/krr.js [rows]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { KernelRidge } from '../src/krr/kernelRidge.js';
import { seededRandom } from '../src/util/random.js';
import { CACHE, findPython } from './shared.js';

const rows = Number(process.argv[2] ?? 2000);
const cols = 400;
const outputs = 81;
const testRows = 300;
const rand = seededRandom(1);
const make = (n: number) => Float64Array.from({ length: n * cols }, () => Math.fround(rand()));
const x = make(rows);
const t = make(testRows);
const y = Float64Array.from({ length: rows * outputs }, (_, k) => Math.sin(x[Math.floor(k / outputs) * cols + (k % 7)] * 3) + rand() * 0.1);

let started = performance.now();
const model = new KernelRidge({ kernel: 'rbf', gammaScale: 0.3, alpha: 0.1, standardise: false }).fit({ data: x, rows, cols }, y, outputs);
const oursFit = (performance.now() - started) / 1000;
started = performance.now();
const ours = model.predict({ data: t, rows: testRows, cols });
const oursPredict = (performance.now() - started) / 1000;

const py = findPython(['sklearn', 'numpy']);
if (py === undefined) {
  console.log(JSON.stringify({ rows, cols, outputs, spramnet_fit_s: oursFit, spramnet_predict_s: oursPredict, note: 'python3-sklearn not installed: no reference' }));
  process.exit(0);
}
const dir = join(CACHE, 'bench-krr');
mkdirSync(dir, { recursive: true });
writeNpy(join(dir, 'x.npy'), { data: x, shape: [rows, cols] });
writeNpy(join(dir, 'y.npy'), { data: y, shape: [rows, outputs] });
writeNpy(join(dir, 't.npy'), { data: t, shape: [testRows, cols] });
const script = `import json, sys, time, numpy as np
from sklearn.kernel_ridge import KernelRidge
x, y, t = (np.load(sys.argv[k]) for k in (1, 2, 3))
start = time.perf_counter(); m = KernelRidge(kernel='rbf', gamma=float(sys.argv[4]), alpha=0.1).fit(x, y - y.mean(0)); fit = time.perf_counter() - start
start = time.perf_counter(); p = m.predict(t) + y.mean(0); pred = time.perf_counter() - start
np.save(sys.argv[5], p); print(json.dumps(dict(fit_s=fit, predict_s=pred)))`;
const r = spawnSync(py, ['-c', script, join(dir, 'x.npy'), join(dir, 'y.npy'), join(dir, 't.npy'), String(model.gamma), join(dir, 'p.npy')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
if (r.status !== 0) throw new Error(r.stderr);
const ref = JSON.parse(r.stdout) as { fit_s: number; predict_s: number };
const theirs = readNpy(join(dir, 'p.npy')).data;
let maxDiff = 0;
ours.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - theirs[k]))));
console.log(
  JSON.stringify({
    rows,
    cols,
    outputs,
    spramnet_fit_s: oursFit,
    sklearn_fit_s_1thread: ref.fit_s,
    fit_ratio: oursFit / ref.fit_s,
    spramnet_predict_s: oursPredict,
    sklearn_predict_s_1thread: ref.predict_s,
    predict_ratio: oursPredict / ref.predict_s,
    max_abs_diff: maxDiff,
  }),
);
