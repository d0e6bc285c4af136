import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { GradientBoostedTrees, type GbdtParams } from '../gbdt/booster.js';
import { gridCandidates, randomCandidates, searchParams, takeRows, takeValues, type SearchSpace } from '../gbdt/crossValidation.js';
import { complement, kFold } from '../data/splits.js';
import { transformFeatures } from '../models/featureTransforms.js';
import { asMatrix, type Matrix } from '../util/matrix.js';
import { loadXGBoostJson, saveXGBoostJson } from '../gbdt/xgboostJson.js';
import { readNpy, writeNpy } from '../io/npy.js';
import type { ObjectiveName } from '../gbdt/objectives.js';
import { integerOption, numberOption } from './common.js';
import { progressBar } from './progress.js';

interface ParamFlags {
  maxDepth?: number;
  eta?: number;
  rounds?: number;
  alpha?: number;
  lambda?: number;
  gamma?: number;
  minChildWeight?: number;
  maxDeltaStep?: number;
  subsample?: number;
  colsampleBytree?: number;
  maxBin?: number;
  objective?: string;
  huberSlope?: number;
  baseScore?: number;
  seed?: number;
}

function withParamOptions(cmd: Command): Command {
  return cmd
    .option('--max-depth <n>', 'tree depth', integerOption('--max-depth'))
    .option('--eta <x>', 'learning rate', numberOption('--eta'))
    .option('--rounds <n>', 'number of trees', integerOption('--rounds'))
    .option('--alpha <x>', 'L1 regularisation of leaf weights', numberOption('--alpha'))
    .option('--lambda <x>', 'L2 regularisation of leaf weights', numberOption('--lambda'))
    .option('--gamma <x>', 'minimum loss reduction of a split', numberOption('--gamma'))
    .option('--min-child-weight <x>', 'minimum hessian sum of a child', numberOption('--min-child-weight'))
    .option('--max-delta-step <x>', 'largest leaf weight step (0: none)', numberOption('--max-delta-step'))
    .option('--subsample <x>', 'fraction of rows per tree', numberOption('--subsample'))
    .option('--colsample-bytree <x>', 'fraction of features per tree', numberOption('--colsample-bytree'))
    .option('--max-bin <n>', 'histogram bins per feature', integerOption('--max-bin'))
    .option('--objective <name>', 'reg:squarederror, reg:absoluteerror or reg:pseudohubererror')
    .option('--huber-slope <x>', 'slope of reg:pseudohubererror', numberOption('--huber-slope'))
    .option('--base-score <x>', 'starting prediction (default: mean or median of the labels)', numberOption('--base-score'))
    .option('--seed <n>', 'random seed', integerOption('--seed'));
}

function paramsFrom(flags: ParamFlags): Partial<GbdtParams> {
  const out: Partial<GbdtParams> = {};
  for (const key of ['maxDepth', 'eta', 'rounds', 'alpha', 'lambda', 'gamma', 'minChildWeight', 'maxDeltaStep', 'subsample', 'colsampleBytree', 'maxBin', 'huberSlope', 'baseScore', 'seed'] as const) {
    if (flags[key] !== undefined) (out as Record<string, number>)[key] = flags[key] as number;
  }
  if (flags.objective !== undefined) out.objective = flags.objective as ObjectiveName;
  return out;
}

/** X (rank ≥ 2 flattened per row) and one label column. */
function loadData(dataFile: string, labelFile: string | undefined, column: number | undefined): { x: Matrix; y?: Float64Array } {
  const x = asMatrix(readNpy(dataFile), dataFile);
  if (labelFile === undefined) return { x };
  const labels = readNpy(labelFile);
  const rows = labels.shape[0] ?? 0;
  const width = labels.shape.length === 1 ? 1 : labels.shape.slice(1).reduce((a, b) => a * b, 1);
  if (rows !== x.rows) throw new InputError(`${labelFile}: ${rows} labels for ${x.rows} rows of ${dataFile}`);
  if (width > 1 && column === undefined) throw new InputError(`${labelFile} has ${width} values per row; choose one with --label-column 0…${width - 1}`);
  const c = column ?? 0;
  if (c < 0 || c >= width) throw new InputError(`--label-column ${c} is outside 0…${width - 1}`);
  const y = Float64Array.from({ length: rows }, (_, r) => labels.data[r * width + c]);
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InputError(`${labelFile}: label of row ${bad} is ${y[bad]}; labels must be finite (drop rows with missing labels)`);
  return { x, y };
}

export function registerGbdt(program: Command): void {
  const gbdt = program.command('gbdt').description('gradient-boosted trees (XGBoost hist, XGBoost JSON model files)');

  withParamOptions(
    gbdt
      .command('train')
      .description('fit a model to X.npy and y.npy; writes an XGBoost JSON model')
      .requiredOption('--data <X.npy>', 'features, rows × … (flattened per row)')
      .requiredOption('--label <y.npy>', 'labels, one per row (or pick a column)')
      .requiredOption('--out <model.json>', 'model file (XGBoost JSON)')
      .option('--label-column <k>', 'column of a 2-D label array', integerOption('--label-column'))
      .option('--log-features', "train on log(x + 1e-4), as SPRamNet does; the model applies it when predicting")
      .option('--validation-fraction <f>', 'hold out this fraction of rows (seeded) and report its metric', numberOption('--validation-fraction'))
      .option('--early-stopping <n>', 'stop when the validation metric has not improved for n rounds', integerOption('--early-stopping')),
  ).action((flags: ParamFlags & { data: string; label: string; out: string; labelColumn?: number; logFeatures?: boolean; validationFraction?: number; earlyStopping?: number }) => {
    const { x: raw, y } = loadData(flags.data, flags.label, flags.labelColumn);
    const transform = flags.logFeatures ? 'log(x+1e-4)' : 'none';
    const x = transformFeatures(raw, transform);
    const params = paramsFrom(flags);
    if (flags.earlyStopping !== undefined) params.earlyStoppingRounds = flags.earlyStopping;
    let train = { x, y: y as Float64Array };
    let validation: { x: Matrix; y: Float64Array } | undefined;
    if (flags.validationFraction !== undefined) {
      const f = flags.validationFraction;
      if (!(f > 0 && f < 1)) throw new InputError(`--validation-fraction must be in (0, 1), got ${f}`);
      const [fold] = kFold(x.rows, Math.max(2, Math.round(1 / f)), params.seed ?? 0);
      const rest = complement(x.rows, fold);
      validation = { x: takeRows(x, fold), y: takeValues(y as Float64Array, fold) };
      train = { x: takeRows(x, rest), y: takeValues(y as Float64Array, rest) };
    } else if (flags.earlyStopping !== undefined) throw new InputError('--early-stopping needs --validation-fraction');
    const rounds = params.rounds ?? 100;
    const bar = progressBar(rounds, 'boosting');
    const start = Date.now();
    const model = new GradientBoostedTrees(params).fit(train.x, train.y, { validation, onRound: (r) => bar.update(r.round + 1) });
    bar.stop();
    model.attributes.spramnet_feature_transform = transform;
    saveXGBoostJson(model, flags.out);
    const last = model.history[model.bestIteration ?? model.history.length - 1];
    const metric = model.history.length > 0 ? `train ${last.train.toPrecision(5)}${last.validation !== undefined ? `, validation ${last.validation.toPrecision(5)}` : ''}` : '';
    console.error(`wrote ${flags.out}: ${model.trees.length} trees (${metric}) in ${((Date.now() - start) / 1000).toFixed(2)} s`);
  });

  gbdt
    .command('predict')
    .description('predict with an XGBoost JSON model (from spramnet or Python xgboost)')
    .requiredOption('--model <model.json>', 'model file')
    .requiredOption('--data <X.npy>', 'features')
    .requiredOption('--out <pred.npy>', 'predictions, float64 (values are float32-exact, as XGBoost computes them)')
    .action((flags: { model: string; data: string; out: string }) => {
      const model = loadXGBoostJson(flags.model);
      const { x } = loadData(flags.data, undefined, undefined);
      const pred = model.predict(transformFeatures(x, model.attributes.spramnet_feature_transform ?? 'none'));
      writeNpy(flags.out, { data: pred, shape: [pred.length] });
      console.error(`wrote ${flags.out}: ${pred.length} predictions`);
    });

  withParamOptions(
    gbdt
      .command('cv')
      .description('k-fold cross-validation, optionally over a grid or random search of hyper-parameters')
      .requiredOption('--data <X.npy>', 'features')
      .requiredOption('--label <y.npy>', 'labels')
      .option('--label-column <k>', 'column of a 2-D label array', integerOption('--label-column'))
      .option('--log-features', 'use log(x + 1e-4)')
      .option('--folds <k>', 'number of folds', integerOption('--folds'), 5)
      .option('--search <space>', 'grid, e.g. "maxDepth=3,4,5;eta=0.05,0.1"')
      .option('--random <n>', 'draw n candidates of the grid at random instead of all', integerOption('--random'))
      .option('--json', 'print the results as JSON'),
  ).action((flags: ParamFlags & { data: string; label: string; labelColumn?: number; logFeatures?: boolean; folds: number; search?: string; random?: number; json?: boolean }) => {
    const { x: raw, y } = loadData(flags.data, flags.label, flags.labelColumn);
    const x = transformFeatures(raw, flags.logFeatures ? 'log(x+1e-4)' : 'none');
    const space = parseSpace(flags.search ?? '');
    const candidates = flags.random !== undefined ? randomCandidates(space, flags.random, flags.seed ?? 0) : gridCandidates(space);
    const bar = progressBar(candidates.length, 'cv');
    const results = searchParams(x, y as Float64Array, paramsFrom(flags), candidates, { folds: flags.folds, seed: flags.seed ?? 0, onCandidate: (done) => bar.update(done) });
    bar.stop();
    if (flags.json) console.log(JSON.stringify(results, null, 1));
    else for (const r of results) console.log(`${r.mean.toPrecision(5)} ± ${r.std.toPrecision(3)}  ${JSON.stringify(r.params)}`);
  });
}

/** "maxDepth=3,4;eta=0.1,0.2" → { maxDepth: [3, 4], eta: [0.1, 0.2] } */
export function parseSpace(text: string): SearchSpace {
  const space: Record<string, number[]> = {};
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [key, values] = part.split('=');
    const list = (values ?? '').split(',').map(Number);
    if (!key || list.length === 0 || !list.every(Number.isFinite)) throw new InputError(`--search entry "${part}": expected name=v1,v2,…`);
    space[key.trim()] = list;
  }
  return space as SearchSpace;
}
