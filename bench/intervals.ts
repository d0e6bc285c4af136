// Issue 19 (trust, second round): how wide and how well covered are the 90 % intervals?
//   node dist/bench/intervals.js dump TASK amc.db OUTDIR [SEED]
//     fits the task's default recipe exactly as `spramnet train` does (seed 0 or SEED, validation tenth,
//     inner hold-out tenth) and writes, as .npy, everything a calibration needs: model inputs and
//     fit-space labels of all rows, the split, every member's hold-out and validation predictions
//     and the weights — to compare calibrations offline on the same fits.
//   node dist/bench/intervals.js pointwise TASK DUMP…
//     per-point coverage of a spectrum's intervals, recalibrated from the dumps' hold-out
//     predictions as `spramnet train` does and measured on their validation rows, all dumps (several
//     seeds' splits) pooled; one JSON line with and one without the histogram rule (zero_below).
//   node dist/bench/intervals.js measure MODELS amc.db [TASK,…] [--legacy]
//     for each task of a trained folder: its card's validation rows predicted through predict's
//     path (TaskModel.predictWithIntervals, finished), and one JSON line per task with coverage,
//     median interval width (κ: log10; σ: log10 of high/low; spectra: per point), how many bounds
//     are negative or leave the prediction outside, and κ's figures for in-domain rows apart.
//     --legacy: bounds as before issue 19 (around the unfinished mean, no clipping).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { splitRows } from '../src/data/splits.js';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { checkDomain } from '../src/tasks/domain.js';
import { loadTaskModel } from '../src/tasks/ensemble.js';
import { cardSplit, readCard } from '../src/tasks/modelFolder.js';
import { loadTaskData } from '../src/tasks/taskData.js';
import { recipeOf, taskSpec } from '../src/tasks/taskSpec.js';
import '../src/tasks/allTasks.js';
import { fitEnsemble, innerSplit, modelInputFor, splitTaskData } from '../src/tasks/train.js';
import { calibrateConformal, conformalBounds, memberSpread, spreadIn, withHistogramRule } from '../src/tasks/uncertainty.js';
import { gatherRows } from '../src/util/rows.js';

const [command, ...args] = process.argv.slice(2);

const median = (v: number[]): number => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (command === 'dump') {
  const [task, db, out, seedText] = args;
  const seed = Number(seedText ?? 0);
  const spec = taskSpec(task);
  const { recipe } = recipeOf(spec, undefined);
  const input = modelInputFor(spec, spec.input === 'structure' ? (recipe.descriptor ?? 'pcf') : undefined);
  const data = loadTaskData(db, spec, input);
  const rows = innerSplit(splitTaskData(data, seed, 0.1), seed);
  const started = Date.now();
  const fit = fitEnsemble(data, recipe.members(input, seed), rows, (stage, done, total) => {
    if (done === total || done % 100 === 0) console.error(`${stage} ${done}/${total}`);
  });
  mkdirSync(out, { recursive: true });
  const width = data.channels * data.length;
  const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
  writeNpy(join(out, 'x.npy'), { data: data.x, shape: [data.count, width] });
  writeNpy(join(out, 'y.npy'), { data: data.y, shape: [data.count, data.outputs] });
  if (data.scales) writeNpy(join(out, 'scales.npy'), { data: data.scales, shape: [data.count] });
  writeNpy(join(out, 'train.npy'), { data: f64(rows.train), shape: [rows.train.length] });
  writeNpy(join(out, 'validation.npy'), { data: f64(rows.validation), shape: [rows.validation.length] });
  writeNpy(join(out, 'holdout.npy'), { data: f64(Array.from(rows.holdOut!, (k) => rows.train[k])), shape: [rows.holdOut!.length] });
  writeNpy(join(out, 'weights.npy'), { data: f64(fit.weights), shape: [fit.weights.length] });
  fit.members.forEach((m, j) => {
    writeNpy(join(out, `holdout_pred_${j}.npy`), { data: m.holdOutPred!, shape: [rows.holdOut!.length, data.outputs] });
    writeNpy(join(out, `validation_pred_${j}.npy`), { data: m.pred, shape: [rows.validation.length, data.outputs] });
  });
  console.log(JSON.stringify({ task, seed, members: fit.members.map((m) => m.member.kind), weights: fit.weights, calibration: fit.calibration, seconds: (Date.now() - started) / 1000 }));
} else if (command === 'pointwise') {
  const [task, ...dumps] = args;
  const spec = taskSpec(task);
  const finish = spec.finish ?? ((p: Float64Array) => p);
  const loaded = dumps.map((dir) => {
    const y = readNpy(join(dir, 'y.npy'));
    const index = (name: string) => Int32Array.from(readNpy(join(dir, name)).data);
    const weights = Array.from(readNpy(join(dir, 'weights.npy')).data);
    const preds = (kind: string) => weights.map((_, j) => Float64Array.from(readNpy(join(dir, `${kind}_pred_${j}.npy`)).data));
    return { outputs: y.shape[1], y: Float64Array.from(y.data), train: index('train.npy'), holdout: index('holdout.npy'), validation: index('validation.npy'), weights, hold: preds('holdout'), val: preds('validation') };
  });
  for (const histogram of [false, true]) {
    const outputs = loaded[0].outputs;
    const inside = new Float64Array(outputs);
    let rows = 0;
    const widths: number[] = [];
    for (const d of loaded) {
      const rule = { ...(spec.intervals ?? {}), histogram };
      const calibration = withHistogramRule(calibrateConformal(gatherRows(d.y, outputs, d.holdout), finish(memberSpread(d.hold, d.weights).mean), spreadIn(rule.space, d.hold, d.weights), outputs, 0.9, rule), rule, gatherRows(d.y, outputs, d.train));
      const { low, high } = conformalBounds(calibration, finish(memberSpread(d.val, d.weights).mean), spreadIn(rule.space, d.val, d.weights), rule.nonNegative);
      const truth = gatherRows(d.y, outputs, d.validation);
      for (let k = 0; k < truth.length; k++) {
        if (truth[k] >= low[k] && truth[k] <= high[k]) inside[k % outputs]++;
        widths.push(high[k] - low[k]);
      }
      rows += d.validation.length;
    }
    const perPoint = Array.from(inside, (v) => v / rows);
    const order = perPoint.map((c, k) => [c, k] as const).sort((a, b) => a[0] - b[0]);
    console.log(JSON.stringify({ task, histogram_rule: histogram, splits: loaded.length, rows, coverage: perPoint.reduce((a, b) => a + b, 0) / outputs, per_point_min: order[0][0], per_point_max: order[outputs - 1][0], lowest_points: order.slice(0, 5).map(([c, k]) => ({ point: k, coverage: c })), points_below_85: perPoint.filter((c) => c < 0.85).length, points_above_97: perPoint.filter((c) => c > 0.97).length, median_width: median(widths), mean_width: widths.reduce((a, b) => a + b, 0) / widths.length }));
  }
} else if (command === 'measure') {
  const legacy = args.includes('--legacy');
  const [models, db, only] = args.filter((a) => a !== '--legacy');
  for (const name of only ? only.split(',') : ['el-dos', 'sigma', 'ph-dos', 'kappa']) {
    const spec = taskSpec(name);
    const model = loadTaskModel(models, legacy ? { ...spec, finish: undefined, intervals: undefined } : spec);
    const card = readCard(models, name);
    if (!model || !card) continue;
    const data = loadTaskData(db, spec, model.input);
    const { seed, fraction } = cardSplit(models, name);
    const validation = splitRows(data.count, seed, fraction).validation;
    const width = data.channels * data.length;
    const x = gatherRows(data.x, width, validation);
    const { mean, low, high } = model.predictWithIntervals(x, validation.length);
    if (!low || !high) continue;
    // before issue 19 the el-DoS had no finish (negative values stayed)
    const finish = legacy && name === 'el-dos' ? undefined : spec.finish;
    const y = finish ? finish(mean) : mean;
    const truth = gatherRows(data.y, data.outputs, validation);
    const n = validation.length;
    const o = data.outputs;
    const inside = (k: number) => truth[k] >= low[k] && truth[k] <= high[k];
    const perOutput = Array.from({ length: o }, (_, c) => Array.from({ length: n }, (_, r) => inside(r * o + c)).filter(Boolean).length / n);
    const all = Array.from(truth, (_, k) => inside(k)).filter(Boolean).length / truth.length;
    let negative = 0;
    let outside = 0;
    for (let k = 0; k < y.length; k++) {
      if (low[k] < 0 && name !== 'kappa') negative++;
      if (y[k] < low[k] - 1e-12 || y[k] > high[k] + 1e-12) outside++;
    }
    const line: Record<string, unknown> = { task: name, models, legacy, rows: n, calibration: model.manifest.uncertainty?.method, coverage: all, negative_bounds: negative, prediction_outside: outside };
    if (name === 'kappa') {
      const w = Array.from({ length: n }, (_, r) => high[r] - low[r]);
      const inDomain = Array.from({ length: n }, (_, r) => (model.domain ? checkDomain(model.domain, x.subarray(r * width, (r + 1) * width)).in_domain : true));
      const pick = <T>(v: T[], m: boolean) => v.filter((_, r) => inDomain[r] === m);
      const covered = Array.from({ length: n }, (_, r) => inside(r));
      Object.assign(line, {
        median_width_log10: median(w),
        in_domain: { rows: pick(w, true).length, median_width_log10: median(pick(w, true)), coverage: pick(covered, true).filter(Boolean).length / pick(covered, true).length },
        out_of_domain: { rows: pick(w, false).length, median_width_log10: median(pick(w, false)) },
        log10_mae: Array.from({ length: n }, (_, r) => Math.abs(y[r] - truth[r])).reduce((a, b) => a + b, 0) / n,
      });
    } else if (name === 'sigma') {
      // label × c in fit space: width as log10(high/low) where both are positive, and in label units
      Object.assign(line, {
        coverage_per_output: perOutput,
        median_width_log10: ['xx', 'yy'].map((_, c) => median(Array.from({ length: n }, (_, r) => (low[r * o + c] > 0 ? Math.log10(high[r * o + c] / low[r * o + c]) : Number.POSITIVE_INFINITY)))),
        median_width_relative: ['xx', 'yy'].map((_, c) => median(Array.from({ length: n }, (_, r) => (high[r * o + c] - low[r * o + c]) / y[r * o + c]))),
      });
    } else {
      Object.assign(line, { median_width: median(Array.from(high, (h, k) => h - low[k])), coverage_per_point_min: Math.min(...perOutput), coverage_per_point_max: Math.max(...perOutput), mean_width: Array.from(high, (h, k) => h - low[k]).reduce((a, b) => a + b, 0) / high.length });
    }
    console.log(JSON.stringify(line));
  }
} else {
  console.error('usage: node dist/bench/intervals.js dump TASK amc.db OUTDIR [SEED] | pointwise TASK DUMP… | measure MODELS amc.db [TASK,…]');
  process.exitCode = 2;
}
