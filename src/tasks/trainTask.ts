import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GradientBoostedTrees, type GbdtParams } from '../gbdt/booster.js';
import { complement, kFold } from '../gbdt/crossValidation.js';
import { transformFeatures, type FeatureTransform } from '../gbdt/features.js';
import { saveXGBoostJson } from '../gbdt/xgboostJson.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { KernelRidgeParams } from '../kernel/kernelRidge.js';
import { selectKernelRidge, type KernelRidgeGrid } from '../kernel/selectKernelRidge.js';
import { saveCnnModel, prepareInputs, type CnnModelInfo } from '../nn/modelFile.js';
import { Network } from '../nn/network.js';
import { eldosNet, thermalNet } from '../nn/networks.js';
import { evaluateLoss, trainNetwork } from '../nn/train.js';
import { writeSafetensors } from '../nn/safetensors.js';
import { gatherRows } from '../util/rows.js';
import { VERSION } from '../version.js';
import type { EnsembleManifest, MemberEntry } from './ensemble.js';
import { ensembleFile } from './ensemble.js';
import { log10Metrics, normaliseRows, scalarMetrics, spectraMse } from './metrics.js';
import { compareToReference, type ReferenceComparison } from './reference.js';
import { loadTaskData, type DescriptorChoice, type TaskData, type TaskName } from './taskData.js';

/**
 * How a task's model is built. `paper`: the paper's single model (its CNN, or its XGBoost settings
 * for σ), kept for comparison. `ensemble`: a weighted mean of the paper's CNN (not for σ), a kernel
 * ridge model and, for σ and κ, tuned gradient-boosted trees, every member fitted on the training
 * rows only.
 */
export type Recipe = 'paper' | 'ensemble';
export const RECIPES: readonly Recipe[] = ['paper', 'ensemble'];

export interface TrainTaskOptions {
  recipe?: Recipe;
  descriptor?: DescriptorChoice;
  /** Zero g(r) from this r (Å) on: the model learns from shorter range only (applyRmaxCut). */
  rMax_A?: number;
  seed?: number;
  validationFraction?: number;
  /** CNN epochs (paper: 100 for el-DoS, 1000 for the thermal networks). */
  epochs?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** What a model card records (JSON beside the model). */
export interface ModelCard {
  task: TaskName;
  spramnet: string;
  created: string;
  recipe: Recipe;
  data: { database: string; rows: number; train: number; validation: number; split: string; seed: number; validation_fraction: number };
  descriptor: unknown;
  model: Record<string, unknown>;
  /** The task's figures of data.md on the validation rows, for the ensemble (the weighted mean of the members). */
  validation: Record<string, number>;
  /** The same figures for each member alone. */
  members: { kind: string; weight: number; validation: Record<string, number>; settings: Record<string, unknown>; seconds: number }[];
  /** The reference run's figures next to ours, with which side is better. */
  reference: ReferenceComparison[];
  training_seconds: number;
  files: string[];
}

type Split = { train: Int32Array; validation: Int32Array };

/** A seeded split of the rows: validation = fold 0 of round(1/fraction) folds. */
export function splitRows(count: number, seed: number, fraction: number): Split {
  const validation = kFold(count, Math.max(2, Math.round(1 / fraction)), seed)[0];
  return { train: complement(count, validation), validation };
}

/** The task's figures of data.md for predictions in label units (ph-DoS clipped at 0 and normalised first). */
export function taskMetrics(task: TaskName, pred: Float64Array, truth: Float64Array): Record<string, number> {
  if (task === 'el-dos') return { mse: spectraMse(pred, truth) };
  if (task === 'ph-dos') return { mse: spectraMse(finishPhDos(pred), truth) };
  if (task === 'kappa') return { ...log10Metrics(pred, truth) };
  const out: Record<string, number> = {};
  ['xx', 'yy'].forEach((component, c) => {
    const m = scalarMetrics(pred.filter((_, k) => k % 2 === c), truth.filter((_, k) => k % 2 === c));
    Object.assign(out, { [`${component}_rmse`]: m.rmse, [`${component}_r2`]: m.r2, [`${component}_within25`]: m.within25, [`${component}_median_rel`]: m.medianRelativeError });
  });
  return out;
}

/** A predicted ph-DoS is a density: negative values are clipped to 0, then each spectrum sums to 1. */
export function finishPhDos(pred: Float64Array): Float64Array {
  return normaliseRows(pred.map((v) => Math.max(0, v)), 100);
}

/** What one member leaves behind: its files, manifest entry and predictions for the validation and inner hold-out rows. */
interface FittedMember {
  entry: MemberEntry;
  pred: Float64Array;
  /** Predictions for the inner hold-out rows by the member fitted without them (absent: no hold-out). */
  holdOutPred?: Float64Array;
  settings: Record<string, unknown>;
  seconds: number;
}

/**
 * The rows members are fitted on: the training rows, and among them an inner tenth (`holdOut`,
 * positions in `train`) that picks CNN epochs, kernel settings and the members' weights. Fewer than
 * 4 training rows (tiny test sets): no inner hold-out.
 */
interface FitRows {
  train: Int32Array;
  validation: Int32Array;
  holdOut?: Int32Array;
}

function innerSplit(split: Split, seed: number): FitRows {
  if (split.train.length < 4) return split;
  return { ...split, holdOut: kFold(split.train.length, Math.min(10, split.train.length), seed + 1)[0] };
}

/** The loss that weighs members and picks settings: data.md's metric in the fitted space (MAE for log10 κ, MSE otherwise). */
function innerLoss(task: TaskName): (pred: Float64Array, truth: Float64Array) => number {
  if (task === 'kappa') return (p, t) => log10Metrics(p, t).log10Mae;
  if (task === 'ph-dos') return (p, t) => spectraMse(finishPhDos(p), t);
  return spectraMse;
}

/**
 * Non-negative weights summing to 1 (a grid of step 1/20 over the simplex) that minimise the inner
 * hold-out loss of the weighted mean. Equal weights when a member has no hold-out predictions.
 */
export function memberWeights(holdOutPreds: (Float64Array | undefined)[], truth: Float64Array, loss: (pred: Float64Array, truth: Float64Array) => number, steps = 20): number[] {
  const n = holdOutPreds.length;
  if (n === 1 || holdOutPreds.some((p) => p === undefined)) return Array.from({ length: n }, () => 1 / n);
  const preds = holdOutPreds as Float64Array[];
  let best = { loss: Infinity, weights: [] as number[] };
  const mix = new Float64Array(truth.length);
  const visit = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) {
      const weights = [...prefix, left].map((w) => w / steps);
      mix.fill(0);
      preds.forEach((p, m) => p.forEach((v, k) => (mix[k] += weights[m] * v)));
      const l = loss(mix, truth);
      if (l < best.loss) best = { loss: l, weights };
      return;
    }
    for (let w = 0; w <= left; w++) visit([...prefix, w], left - w);
  };
  visit([], steps);
  return best.weights;
}

/**
 * Train the model of one task on a database and write it, its ensemble manifest, its card and its
 * validation predictions into `outDir`.
 */
export function trainTask(dbFile: string, task: TaskName, outDir: string, options: TrainTaskOptions = {}): ModelCard {
  const seed = options.seed ?? 0;
  const recipe = options.recipe ?? 'ensemble';
  const descriptor = options.descriptor ?? DEFAULT_DESCRIPTOR[recipe][task];
  const data = loadTaskData(dbFile, task, descriptor, options.rMax_A);
  const fraction = options.validationFraction ?? 0.1;
  const rows = innerSplit(splitRows(data.count, seed, fraction), seed);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const members = recipe === 'paper' ? paperMembers(data, rows, outDir, seed, options) : ensembleMembers(data, rows, outDir, seed, options);
  const truth = gatherRows(data.y, data.outputs, rows.validation);
  const holdOutTruth = rows.holdOut ? gatherRows(data.y, data.outputs, Int32Array.from(rows.holdOut, (k) => rows.train[k])) : new Float64Array(0);
  const weights = memberWeights(members.map((m) => m.holdOutPred), holdOutTruth, innerLoss(task));
  const combined = new Float64Array(truth.length);
  members.forEach((m, j) => m.pred.forEach((v, k) => (combined[k] += weights[j] * v)));
  const manifest: EnsembleManifest = { format: 'spramnet-ensemble', version: 1, task, outputs: data.outputs, descriptor: data.descriptor, members: members.map((m, j) => ({ ...m.entry, weight: weights[j] })) };
  writeFileAtomic(ensembleFile(outDir, task), JSON.stringify(manifest, null, 1) + '\n');
  const validation = taskMetrics(task, combined, truth);
  const card: ModelCard = {
    task,
    spramnet: VERSION,
    created: new Date().toISOString(),
    recipe,
    data: { database: dbFile, rows: data.count, train: rows.train.length, validation: rows.validation.length, split: `seeded 1/${Math.round(1 / fraction)} fold, seed ${seed}`, seed, validation_fraction: fraction },
    descriptor: data.descriptor,
    model: {
      kind: recipe === 'paper' ? 'the paper model' : `weighted mean of ${members.length} members (${members.map((m) => m.entry.kind).join(', ')})`,
      weights,
      weighting: 'non-negative weights summing to 1, chosen on an inner tenth of the training rows',
    },
    validation,
    members: members.map((m, j) => ({ kind: m.entry.kind, weight: weights[j], validation: taskMetrics(task, m.pred, truth), settings: m.settings, seconds: m.seconds })),
    reference: compareToReference(task === 'el-dos' && descriptor.includes('adf') ? 'el-dos+adf' : task, validation),
    training_seconds: 0,
    files: [`${task}.ensemble.json`, ...members.flatMap((m) => m.entry.files)],
  };
  card.files.push(saveValidation(outDir, data, rows.validation, task === 'ph-dos' ? finishPhDos(combined) : combined));
  card.training_seconds = (Date.now() - started) / 1000;
  writeFileAtomic(join(outDir, `${task}.card.json`), JSON.stringify(card, null, 1) + '\n');
  return card;
}

/** Inputs per recipe and task: the paper's, or with the local-environment channel where a structure exists. */
const DEFAULT_DESCRIPTOR: Record<Recipe, Record<TaskName, DescriptorChoice>> = {
  paper: { 'el-dos': 'pcf', sigma: 'pcf+adf', 'ph-dos': 'pcf', kappa: 'pcf' },
  ensemble: { 'el-dos': 'pcf+env', sigma: 'pcf+adf+env', 'ph-dos': 'pcf', kappa: 'pcf' },
};

function paperMembers(data: TaskData, rows: FitRows, outDir: string, seed: number, options: TrainTaskOptions): FittedMember[] {
  if (data.task === 'sigma') return [fitGbdtMember(data, { ...rows, holdOut: undefined }, outDir, { maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1, seed }, 'log(x+1e-4)', options)];
  return [fitCnnMember(data, rows, outDir, seed, options)];
}

/** Kernel ridge settings per task: input transform, kernel and the (γ, α) grid searched on training rows. */
const KRR_SETTINGS: Record<TaskName, { base: Partial<KernelRidgeParams>; grid: KernelRidgeGrid; target: 'none' | 'log' }> = {
  'el-dos': { base: { kernel: 'rbf', inputTransform: 'log(x+1e-4)', standardise: true }, grid: { gammaScales: [0.2, 0.4, 0.8], alphas: [0.1, 0.3] }, target: 'none' },
  // σ spans 40–1000+: a log target keeps the kernel model's errors relative
  sigma: { base: { kernel: 'rbf', inputTransform: 'log(x+1e-4)', standardise: true }, grid: { gammaScales: [0.1, 0.3, 1], alphas: [0.03, 0.1] }, target: 'log' },
  'ph-dos': { base: { kernel: 'rbf', inputTransform: 'none', standardise: false }, grid: { gammaScales: [0.1, 0.3, 1], alphas: [1e-3, 1e-2] }, target: 'none' },
  kappa: { base: { kernel: 'laplacian', inputTransform: 'none', standardise: false }, grid: { gammaScales: [0.1, 0.3, 1], alphas: [0.01, 0.1] }, target: 'none' },
};

/** How much the environment statistics (19 standardised values) count against the 320+ standardised g(r) bins in the kernel's distance. */
const ENVIRONMENT_WEIGHT = 4;

/** Tuned trees for the scalar tasks (slower learning rate, more rounds, row and column subsampling). */
const TUNED_TREES: Partial<Record<TaskName, { params: Partial<GbdtParams>; features: FeatureTransform }>> = {
  sigma: { params: { maxDepth: 5, eta: 0.02, rounds: 1000, subsample: 0.8, colsampleBytree: 0.5, alpha: 1, lambda: 1 }, features: 'log(x+1e-4)' },
  kappa: { params: { maxDepth: 4, eta: 0.03, rounds: 600, subsample: 0.8, colsampleBytree: 0.5 }, features: 'none' },
};

function ensembleMembers(data: TaskData, rows: FitRows, outDir: string, seed: number, options: TrainTaskOptions): FittedMember[] {
  const members: FittedMember[] = [];
  const trees = TUNED_TREES[data.task];
  if (trees) members.push(fitGbdtMember(data, rows, outDir, { ...trees.params, seed }, trees.features, options));
  if (data.task !== 'sigma') members.push(fitCnnMember(data, rows, outDir, seed, options));
  members.push(fitKrrMember(data, rows, outDir, seed, options));
  return members;
}

const positionsIn = (rows: Int32Array, positions: Int32Array): Int32Array => Int32Array.from(positions, (k) => rows[k]);

function fitKrrMember(data: TaskData, rows: FitRows, outDir: string, seed: number, options: TrainTaskOptions): FittedMember {
  const started = Date.now();
  const settings = KRR_SETTINGS[data.task];
  const width = data.channels * data.length;
  const environment = (data.descriptor as { spec?: { environment?: boolean } }).spec?.environment === true;
  // the environment statistics are the last channel
  const base = environment ? { ...settings.base, blockWeights: [{ start: width - data.length, end: width, weight: ENVIRONMENT_WEIGHT }] } : settings.base;
  const x = { data: gatherRows(data.x, width, rows.train), rows: rows.train.length, cols: width };
  const yRaw = gatherRows(data.y, data.outputs, rows.train);
  const y = settings.target === 'log' ? yRaw.map(Math.log) : yRaw;
  const lossOf = innerLoss(data.task);
  const score = settings.target === 'log' ? (p: Float64Array, t: Float64Array) => lossOf(p.map(Math.exp), t.map(Math.exp)) : lossOf;
  const { model, scores, holdOutPred } = selectKernelRidge(x, y, data.outputs, base, settings.grid, score, seed, (done, total) => options.onProgress?.(`${data.task} kernel ridge`, done, total), rows.holdOut);
  model.attributes = { task: data.task, descriptor: JSON.stringify(data.descriptor) };
  const file = `${data.task}.krr.safetensors`;
  model.save(join(outDir, file));
  const p = model.predict({ data: gatherRows(data.x, width, rows.validation), rows: rows.validation.length, cols: width });
  const back = (v: Float64Array | undefined) => (v && settings.target === 'log' ? v.map(Math.exp) : v);
  return {
    entry: { kind: 'krr', files: [file], target: settings.target },
    pred: back(p) as Float64Array,
    holdOutPred: back(holdOutPred),
    settings: { ...model.params, gamma: model.gamma, target: settings.target, grid: settings.grid, innerHoldOutScores: scores },
    seconds: (Date.now() - started) / 1000,
  };
}

function fitGbdtMember(data: TaskData, rows: FitRows, outDir: string, params: Partial<GbdtParams>, features: FeatureTransform, options: TrainTaskOptions): FittedMember {
  const started = Date.now();
  const width = data.channels * data.length;
  const x = transformFeatures({ data: data.x, rows: data.count, cols: width }, features).data as Float64Array;
  const take = (r: Int32Array) => ({ data: gatherRows(x, width, r), rows: r.length, cols: width });
  const names = data.task === 'sigma' ? ['sigma_xx', 'sigma_yy'] : [data.task];
  const pred = new Float64Array(rows.validation.length * data.outputs);
  const holdRows = rows.holdOut ? positionsIn(rows.train, rows.holdOut) : undefined;
  const fitRows = rows.holdOut ? positionsIn(rows.train, complement(rows.train.length, rows.holdOut)) : undefined;
  const holdOutPred = holdRows ? new Float64Array(holdRows.length * data.outputs) : undefined;
  const files = names.map((name, c) => {
    options.onProgress?.(`${name} trees`, c, names.length);
    const label = (r: Int32Array) => Float64Array.from(r, (k) => data.y[data.outputs * k + c]);
    // trees are cheap: one fit without the inner hold-out to weigh this member, then the model on all training rows
    if (holdRows && fitRows && holdOutPred) new GradientBoostedTrees(params).fit(take(fitRows), label(fitRows)).predict(take(holdRows)).forEach((v, k) => (holdOutPred[data.outputs * k + c] = v));
    const model = new GradientBoostedTrees(params).fit(take(rows.train), label(rows.train));
    model.attributes.spramnet_feature_transform = features;
    model.attributes.spramnet_descriptor = JSON.stringify(data.descriptor);
    const file = `${name}.json`;
    saveXGBoostJson(model, join(outDir, file));
    model.predict(take(rows.validation)).forEach((v, k) => (pred[data.outputs * k + c] = v));
    return file;
  });
  return { entry: { kind: 'gbdt', files, target: 'none' }, pred, holdOutPred, settings: { ...params, features, format: 'XGBoost JSON' }, seconds: (Date.now() - started) / 1000 };
}

/**
 * The paper's CNN for a task, trained on the training rows minus the inner hold-out, which picks
 * the best epoch (the validation rows are never seen; the member's hold-out predictions are thus
 * slightly optimistic when weighing it). A thermal network that stays at the mean-predicting state
 * (hold-out loss above half that of predicting the mean, seen for 1 seed in 5 on κ) is restarted
 * with another seed, at most twice.
 */
function fitCnnMember(data: TaskData, rows: FitRows, outDir: string, seed: number, options: TrainTaskOptions, save = true): FittedMember {
  const started = Date.now();
  const task = data.task;
  const eldos = task === 'el-dos';
  const outputScale = eldos ? 10 : task === 'ph-dos' ? 100 : 1;
  const info: CnnModelInfo = { task, inputTransform: 'log(x+1e-4)', descriptor: data.descriptor, outputScale, outputOffset: 0, notes: { axis: data.axis } };
  const width = data.channels * data.length;
  const x = prepareInputs(info, data.x);
  const y = Float32Array.from(data.y, (v) => v * outputScale);
  const fitRows = rows.holdOut ? positionsIn(rows.train, complement(rows.train.length, rows.holdOut)) : rows.train;
  const stopRows = rows.holdOut ? positionsIn(rows.train, rows.holdOut) : rows.train;
  const take = (r: Int32Array) => ({ x: gatherRows(x, width, r), y: gatherRows(y, data.outputs, r), count: r.length });
  const train = take(fitRows);
  const stop = take(stopRows);
  const epochs = options.epochs ?? (eldos ? 100 : 1000);
  const batchSize = eldos ? 32 : 10;
  const meanLoss = meanPredictorLoss(stop.y, train.y, data.outputs);
  let net!: Network;
  let result!: ReturnType<typeof trainNetwork>;
  let usedSeed = seed;
  const restarts: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    usedSeed = seed + 1000 * attempt;
    net = new Network(eldos ? eldosNet(data.channels, data.length, data.outputs) : thermalNet(data.length, data.outputs), { seed: usedSeed });
    result = trainNetwork(net, train, stop, { epochs, batchSize, optimizer: { name: 'adam', lr: 1e-3 }, seed: usedSeed, onEpoch: (r) => options.onProgress?.(`${task} CNN`, r.epoch + 1, epochs) });
    if (eldos || evaluateLoss(net, stop) < 0.5 * meanLoss) break;
    restarts.push(usedSeed);
  }
  const file = `${task}.safetensors`;
  if (save) saveCnnModel(join(outDir, file), net, info);
  const predict = (r: Int32Array) => Float64Array.from(net.predict(gatherRows(x, width, r), r.length), (v) => v / outputScale);
  return {
    entry: { kind: 'cnn', files: [file], target: 'none' },
    pred: predict(rows.validation),
    holdOutPred: rows.holdOut ? predict(stopRows) : undefined,
    settings: { network: eldos ? 'residual 1D CNN (paper el-DoS network)' : 'LeNet-style 1D CNN (paper thermal network)', epochs, bestEpoch: result.bestEpoch + 1, earlyStoppingRows: stopRows.length, batchSize, optimizer: 'adam lr 1e-3', loss: 'mse', inputTransform: info.inputTransform, outputScale, seed: usedSeed, restartedSeeds: restarts },
    seconds: (Date.now() - started) / 1000,
  };
}

/** MSE of predicting the training mean on `y` (the loss a network that learned nothing reaches). */
function meanPredictorLoss(y: Float32Array, trainY: Float32Array, outputs: number): number {
  const mean = new Float64Array(outputs);
  const n = trainY.length / outputs;
  trainY.forEach((v, k) => (mean[k % outputs] += v / n));
  let s = 0;
  y.forEach((v, k) => (s += (v - mean[k % outputs]) ** 2));
  return s / y.length;
}

/** Validation metric of the paper CNN of a task trained on `data` (MSE, or mean |Δlog10 κ|); no files written. */
export function scoreCnnTask(data: TaskData, seed: number, epochs: number, validationFraction = 0.1): number {
  const split = innerSplit(splitRows(data.count, seed, validationFraction), seed);
  const fitted = fitCnnMember(data, split, '', seed, { epochs }, false);
  const m = taskMetrics(data.task, fitted.pred, gatherRows(data.y, data.outputs, split.validation));
  return m.mse ?? m.log10Mae;
}

/** Four of `rows` from the most to the least ordered (by their first g(r) channel's highest peak): the report's examples. */
export function pickExamples(data: TaskData, rows: Int32Array): number[] {
  const width = data.channels * data.length;
  const peak = Array.from(rows, (r) => Math.max(...data.x.subarray(r * width, r * width + data.length)));
  const order = Array.from(rows.keys()).sort((a, b) => peak[b] - peak[a]);
  return [0, 1, 2, 3].map((q) => order[Math.min(order.length - 1, Math.round((q * (order.length - 1)) / 3))]);
}

/**
 * The validation rows' truth and predictions (and the inputs of four of them, from the most to the
 * least ordered), so the report of a model folder needs no database.
 */
function saveValidation(outDir: string, data: TaskData, rowsOf: Int32Array, pred: Float64Array): string {
  const width = data.channels * data.length;
  const truth = gatherRows(data.y, data.outputs, rowsOf);
  const picks = pickExamples(data, rowsOf);
  const file = `${data.task}.validation.safetensors`;
  writeSafetensors(
    join(outDir, file),
    new Map([
      ['truth', { data: truth, shape: [rowsOf.length, data.outputs] }],
      ['pred', { data: pred, shape: [rowsOf.length, data.outputs] }],
      ['row_ids', { data: Float64Array.from(rowsOf, (r) => data.ids[r]), shape: [rowsOf.length] }],
      ['examples', { data: Float64Array.from(picks), shape: [picks.length] }],
      ['examples_input', { data: gatherRows(data.x, width, Int32Array.from(picks, (k) => rowsOf[k])), shape: [picks.length, data.channels, data.length] }],
    ]),
    { format: 'spramnet-validation', task: data.task, axis: JSON.stringify(data.axis ?? null), descriptor: JSON.stringify(data.descriptor) },
  );
  return file;
}
