/**
 * Kernel ridge regression: spramnet's fit and predict against scikit-learn's KernelRidge (numpy /
 * LAPACK Cholesky) on the same data, γ and α, in the same script. Data of the el-DoS member's shape
 * (n rows × 400 features, 81 outputs, 300 rows to predict); prints one JSON line with both timings,
 * their ratio and the largest difference between the two predictions.
 *
 * Both sides are warmed up (one untimed fit and predict: JIT, WebAssembly instantiation, the first
 * growth of memory, BLAS start-up) and then timed `repeats` times; each figure is the best of those,
 * the usual estimate on a shared machine, whose load average is printed with it. CPU seconds (best
 * of the same runs) are printed beside the wall-clock ones: on a loaded machine they move less, as
 * they leave out the time spent waiting for a core. scikit-learn runs
 * on one BLAS thread with the machine's OpenBLAS tuning variables unset for its command only, and
 * spramnet on one thread.
 * usage: node dist/bench/krr.js [rows] [repeats] [kernel]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { KernelRidge, type KernelName } from '../src/krr/kernelRidge.js';
import { seededRandom } from '../src/util/random.js';
import { CACHE, findPython } from './shared.js';

const rows = Number(process.argv[2] ?? 2000);
const repeats = Math.max(1, Number(process.argv[3] ?? 3));
const kernel = (process.argv[4] ?? 'rbf') as KernelName;
const cols = 400;
const outputs = 81;
const testRows = 300;
const rand = seededRandom(1);
const make = (n: number) => Float64Array.from({ length: n * cols }, () => Math.fround(rand()));
const x = make(rows);
const t = make(testRows);
const y = Float64Array.from({ length: rows * outputs }, (_, k) => Math.sin(x[Math.floor(k / outputs) * cols + (k % 7)] * 3) + rand() * 0.1);

const load = loadavg()[0];
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let oursFit = Infinity;
let oursPredict = Infinity;
let oursFitCpu = Infinity;
let oursPredictCpu = Infinity;
let model: KernelRidge | undefined;
let ours: Float64Array = new Float64Array(0);
for (let run = 0; run <= repeats; run++) {
  let started = performance.now();
  let startedCpu = cpu();
  model = new KernelRidge({ kernel, gammaScale: 0.3, alpha: 0.1, standardise: false }).fit({ data: x, rows, cols }, y, outputs);
  const fitSeconds = (performance.now() - started) / 1000;
  const fitCpu = cpu() - startedCpu;
  started = performance.now();
  startedCpu = cpu();
  ours = model.predict({ data: t, rows: testRows, cols });
  const predictSeconds = (performance.now() - started) / 1000;
  const predictCpu = cpu() - startedCpu;
  if (run === 0) continue; // warm-up
  oursFit = Math.min(oursFit, fitSeconds);
  oursPredict = Math.min(oursPredict, predictSeconds);
  oursFitCpu = Math.min(oursFitCpu, fitCpu);
  oursPredictCpu = Math.min(oursPredictCpu, predictCpu);
}
const gamma = (model as KernelRidge).gamma;

const py = findPython(['sklearn', 'numpy']);
if (py === undefined) {
  console.log(JSON.stringify({ rows, cols, outputs, spramnet_fit_s: oursFit, spramnet_predict_s: oursPredict, kernel, repeats, load_average: load, note: 'python3-sklearn not installed: no reference' }));
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
kernel, gamma, repeats = sys.argv[4], float(sys.argv[5]), int(sys.argv[7])
fit = pred = fit_cpu = pred_cpu = float('inf')
for run in range(repeats + 1):
    start, cpu = time.perf_counter(), time.process_time(); m = KernelRidge(kernel=kernel, gamma=gamma, alpha=0.1).fit(x, y - y.mean(0)); f, fc = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time(); p = m.predict(t) + y.mean(0); q, qc = time.perf_counter() - start, time.process_time() - cpu
    if run > 0: fit, pred, fit_cpu, pred_cpu = min(fit, f), min(pred, q), min(fit_cpu, fc), min(pred_cpu, qc)
np.save(sys.argv[6], p); print(json.dumps(dict(fit_s=fit, predict_s=pred, fit_cpu_s=fit_cpu, predict_cpu_s=pred_cpu)))`;
// the machine's OpenBLAS tuning variables are dropped for this command only; one BLAS thread
const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const r = spawnSync(py, ['-c', script, join(dir, 'x.npy'), join(dir, 'y.npy'), join(dir, 't.npy'), kernel, String(gamma), join(dir, 'p.npy'), String(repeats)], { encoding: 'utf8', env });
if (r.status !== 0) throw new Error(r.stderr);
const ref = JSON.parse(r.stdout) as { fit_s: number; predict_s: number; fit_cpu_s: number; predict_cpu_s: number };
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
    kernel,
    repeats,
    load_average: load,
    fit_cpu_ratio: oursFitCpu / ref.fit_cpu_s,
    predict_cpu_ratio: oursPredictCpu / ref.predict_cpu_s,
    spramnet_fit_cpu_s: oursFitCpu,
    sklearn_fit_cpu_s: ref.fit_cpu_s,
    spramnet_predict_cpu_s: oursPredictCpu,
    sklearn_predict_cpu_s: ref.predict_cpu_s,
  }),
);
