/**
 * σ with gradient-boosted trees: spramnet's against Python xgboost on the same seeded validation
 * split of the shared electron data (reference descriptors of data.md, log(x + 1e-4), depth 4,
 * eta 0.1, 100 trees, α = λ = 1). Prints one JSON line per component.
 * usage: node dist/bench/sigma.js [seed]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSigma } from '../src/data/labels.js';
import { describe, REFERENCE_SPEC } from '../src/descriptors/featurize.js';
import { GradientBoostedTrees } from '../src/gbdt/booster.js';
import { takeRows, takeValues } from '../src/gbdt/crossValidation.js';
import { complement, kFold } from '../src/data/splits.js';
import { transformFeatures } from '../src/models/featureTransforms.js';
import { writeNpy } from '../src/io/npy.js';
import { scalarMetrics } from '../src/tasks/metrics.js';
import { readPoscar } from '../src/structure/io/poscar.js';
import { CACHE, findPython, unpackShared } from './shared.js';

const seed = Number(process.argv[2] ?? 0);
const poscars = unpackShared('electron', 'raw_dataset_electron/POSCAR');
const imag = unpackShared('electron', 'raw_dataset_electron/imag');
const ids = readdirSync(poscars).map((f) => f.replace('POSCAR_', '')).sort();
const rows: number[][] = [];
const sigma: Array<[number, number]> = [];
for (const id of ids) {
  const s = parseSigma(readFileSync(join(imag, `imag_${id}.dat`), 'utf8'), `imag_${id}.dat`);
  if (s === undefined) continue;
  const file = join(poscars, `POSCAR_${id}`);
  rows.push(Array.from(describe(readPoscar(readFileSync(file, 'utf8'), file), REFERENCE_SPEC, file)));
  sigma.push([s.xx, s.yy]);
}
const n = rows.length;
const x = transformFeatures({ data: Float64Array.from(rows.flat()), rows: n, cols: 480 }, 'log(x+1e-4)');
const validation = kFold(n, 10, seed)[0];
const train = complement(n, validation);

function metrics(pred: ArrayLike<number>, y: ArrayLike<number>): { rmse: number; within25: number; r2: number } {
  const m = scalarMetrics(pred, y);
  return { rmse: m.rmse, within25: m.within25, r2: m.r2 };
}

const python = findPython(['xgboost', 'numpy']);
if (python !== undefined) {
  writeNpy(join(CACHE, 'sigma_X.npy'), { data: x.data as Float64Array, shape: [n, 480] });
  writeNpy(join(CACHE, 'sigma_y.npy'), { data: Float64Array.from(sigma.flat()), shape: [n, 2] });
  writeNpy(join(CACHE, 'sigma_val.npy'), { data: Float64Array.from(validation), shape: [validation.length] });
}
for (const [component, c] of [['xx', 0], ['yy', 1]] as const) {
  const y = Float64Array.from(sigma, (s) => s[c]);
  const t = process.hrtime.bigint();
  const model = new GradientBoostedTrees({ maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1 }).fit(takeRows(x, train), takeValues(y, train));
  const fitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const ours = metrics(model.predict(takeRows(x, validation)), takeValues(y, validation));
  let theirs: { rmse: number; within25: number; r2: number; fit_s: number } | undefined;
  if (python !== undefined) {
    const script = `import json, sys, time, numpy as np, xgboost as xgb
X = np.load(sys.argv[1]); y = np.load(sys.argv[2])[:, int(sys.argv[4])]; val = np.load(sys.argv[3]).astype(int)
tr = np.setdiff1d(np.arange(len(y)), val)
t = time.perf_counter()
b = xgb.train(dict(max_depth=4, eta=0.1, alpha=1, tree_method='hist', max_bin=256, nthread=1, objective='reg:squarederror'), xgb.DMatrix(X[tr], label=y[tr]), 100)
fit = time.perf_counter() - t
p = b.predict(xgb.DMatrix(X[val])); yv = y[val]
print(json.dumps(dict(rmse=float(np.sqrt(np.mean((p - yv) ** 2))), within25=float(np.mean(np.abs(p - yv) / np.abs(yv) < 0.25)), r2=float(1 - np.sum((p - yv) ** 2) / np.sum((yv - yv.mean()) ** 2)), fit_s=fit)))`;
    const r = spawnSync(python, ['-c', script, join(CACHE, 'sigma_X.npy'), join(CACHE, 'sigma_y.npy'), join(CACHE, 'sigma_val.npy'), String(c)], { encoding: 'utf8' });
    if (r.status === 0) theirs = JSON.parse(r.stdout);
    else console.error(r.stderr);
  }
  console.log(JSON.stringify({ bench: 'sigma', component, seed, n_train: train.length, n_validation: validation.length, spramnet: { ...ours, fit_s: fitSeconds }, xgboost: theirs ?? null }));
}
