import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GradientBoostedTrees } from '../gbdt/booster.js';
import { complement, kFold } from '../gbdt/crossValidation.js';
import { transformFeatures } from '../gbdt/features.js';
import { saveXGBoostJson } from '../gbdt/xgboostJson.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { writeSafetensors } from '../nn/safetensors.js';
import { saveCnnModel, prepareInputs, type CnnModelInfo } from '../nn/modelFile.js';
import { Network } from '../nn/network.js';
import { eldosNet, thermalNet } from '../nn/networks.js';
import { trainNetwork } from '../nn/train.js';
import { gatherRows } from '../util/rows.js';
import { VERSION } from '../version.js';
import { log10Metrics, normaliseRows, scalarMetrics, spectraMse } from './metrics.js';
import { loadTaskData, type DescriptorChoice, type TaskData, type TaskName } from './taskData.js';

export interface TrainTaskOptions {
  descriptor?: DescriptorChoice;
  seed?: number;
  validationFraction?: number;
  /** CNN epochs (paper: 100 for el-DoS, 1000 for the thermal networks). */
  epochs?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** What a model card records (JSON beside the model, and a Markdown rendering of it). */
export interface ModelCard {
  task: TaskName;
  spramnet: string;
  created: string;
  data: { database: string; rows: number; train: number; validation: number; split: string };
  descriptor: unknown;
  model: Record<string, unknown>;
  validation: Record<string, number>;
  reference?: Record<string, number>;
  training_seconds: number;
  files: string[];
}

/** A seeded split of the rows: validation = fold 0 of round(1/fraction) folds. */
export function splitRows(count: number, seed: number, fraction: number): { train: Int32Array; validation: Int32Array } {
  const validation = kFold(count, Math.max(2, Math.round(1 / fraction)), seed)[0];
  return { train: complement(count, validation), validation };
}

/**
 * Train the model of one task on a database and write it with its card into `outDir`:
 * el-DoS and the thermal tasks with the paper's CNNs, σ with gradient-boosted trees (xx and yy).
 */
export function trainTask(dbFile: string, task: TaskName, outDir: string, options: TrainTaskOptions = {}): ModelCard {
  const seed = options.seed ?? 0;
  const data = loadTaskData(dbFile, task, options.descriptor ?? (task === 'sigma' ? 'pcf+adf' : 'pcf'));
  const split = splitRows(data.count, seed, options.validationFraction ?? 0.1);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const { card, pred } = task === 'sigma' ? trainSigma(data, split, outDir, seed, options) : trainCnnTask(data, split, outDir, seed, options);
  card.files.push(saveValidation(outDir, data, split.validation, pred));
  card.training_seconds = (Date.now() - started) / 1000;
  card.data = { database: dbFile, rows: data.count, train: split.train.length, validation: split.validation.length, split: `seeded 1/${Math.round(1 / (options.validationFraction ?? 0.1))} fold, seed ${seed}` };
  writeFileAtomic(join(outDir, `${task}.card.json`), JSON.stringify(card, null, 1) + '\n');
  return card;
}

/**
 * The validation rows' truth and predictions (and the inputs of four of them, from the most to the
 * least ordered by their first g(r) peak), so the report of a model folder needs no database.
 */
function saveValidation(outDir: string, data: TaskData, rowsOf: Int32Array, pred: Float64Array): string {
  const width = data.channels * data.length;
  const truth = gatherRows(data.y, data.outputs, rowsOf);
  const peak = Array.from(rowsOf, (r) => Math.max(...data.x.subarray(r * width, r * width + data.length)));
  const order = Array.from(rowsOf.keys()).sort((a, b) => peak[b] - peak[a]);
  const picks = [0, 1, 2, 3].map((q) => order[Math.min(order.length - 1, Math.round((q * (order.length - 1)) / 3))]);
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

function blankCard(task: TaskName, descriptor: unknown): ModelCard {
  return { task, spramnet: VERSION, created: new Date().toISOString(), data: { database: '', rows: 0, train: 0, validation: 0, split: '' }, descriptor, model: {}, validation: {}, training_seconds: 0, files: [] };
}

function trainSigma(data: TaskData, split: { train: Int32Array; validation: Int32Array }, outDir: string, seed: number, options: TrainTaskOptions): { card: ModelCard; pred: Float64Array } {
  const card = blankCard('sigma', data.descriptor);
  const width = data.channels * data.length;
  const x = transformFeatures({ data: data.x, rows: data.count, cols: width }, 'log(x+1e-4)');
  const xTrain = { data: gatherRows(x.data, width, split.train), rows: split.train.length, cols: width };
  const xVal = { data: gatherRows(x.data, width, split.validation), rows: split.validation.length, cols: width };
  const params = { maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1, seed };
  card.model = { kind: 'gradient-boosted trees (XGBoost JSON)', params, features: 'log(x+1e-4)', components: ['xx', 'yy'] };
  const pred = new Float64Array(split.validation.length * 2);
  ['xx', 'yy'].forEach((component, c) => {
    options.onProgress?.(`σ_${component}`, c, 2);
    const y = Float64Array.from(split.train, (r) => data.y[2 * r + c]);
    const model = new GradientBoostedTrees(params).fit(xTrain, y);
    model.attributes.spramnet_feature_transform = 'log(x+1e-4)';
    model.attributes.spramnet_descriptor = JSON.stringify(data.descriptor);
    const file = `sigma_${component}.json`;
    saveXGBoostJson(model, join(outDir, file));
    card.files.push(file);
    const p = model.predict(xVal);
    p.forEach((v, k) => (pred[2 * k + c] = v));
    const m = scalarMetrics(p, Float64Array.from(split.validation, (r) => data.y[2 * r + c]));
    Object.assign(card.validation, { [`${component}_rmse`]: m.rmse, [`${component}_r2`]: m.r2, [`${component}_within25`]: m.within25, [`${component}_median_rel`]: m.medianRelativeError });
  });
  return { card, pred };
}

/** Validation metric of a CNN task trained on `data` (the task's main figure: MSE, or mean |Δlog10 κ|), no files written. */
export function scoreCnnTask(data: TaskData, seed: number, epochs: number, validationFraction = 0.1): number {
  const split = splitRows(data.count, seed, validationFraction);
  const { card } = fitCnn(data, split, seed, { epochs });
  return card.validation.mse ?? card.validation.log10Mae;
}

function trainCnnTask(data: TaskData, split: { train: Int32Array; validation: Int32Array }, outDir: string, seed: number, options: TrainTaskOptions): { card: ModelCard; pred: Float64Array } {
  const { card, pred, net, info } = fitCnn(data, split, seed, options);
  const file = `${data.task}.safetensors`;
  saveCnnModel(join(outDir, file), net, info);
  card.files.push(file);
  return { card, pred };
}

function fitCnn(data: TaskData, split: { train: Int32Array; validation: Int32Array }, seed: number, options: TrainTaskOptions): { card: ModelCard; pred: Float64Array; net: Network; info: CnnModelInfo } {
  const task = data.task;
  const eldos = task === 'el-dos';
  const spec = eldos ? eldosNet(data.channels, data.length, data.outputs) : thermalNet(data.length, data.outputs);
  const outputScale = eldos ? 10 : task === 'ph-dos' ? 100 : 1;
  const info: CnnModelInfo = { task, inputTransform: 'log(x+1e-4)', descriptor: data.descriptor, outputScale, outputOffset: 0, notes: { axis: data.axis } };
  const width = data.channels * data.length;
  const x = prepareInputs(info, data.x);
  const y = Float32Array.from(data.y, (v) => v * outputScale);
  const train = { x: gatherRows(x, width, split.train), y: gatherRows(y, data.outputs, split.train), count: split.train.length };
  const val = { x: gatherRows(x, width, split.validation), y: gatherRows(y, data.outputs, split.validation), count: split.validation.length };
  const epochs = options.epochs ?? (eldos ? 100 : 1000);
  const batchSize = eldos ? 32 : 10;
  const net = new Network(spec, { seed });
  const result = trainNetwork(net, train, val, {
    epochs,
    batchSize,
    optimizer: { name: 'adam', lr: 1e-3 },
    seed,
    onEpoch: (r) => options.onProgress?.(task, r.epoch + 1, epochs),
  });
  const card = blankCard(task, data.descriptor);
  card.model = { kind: eldos ? 'residual 1D CNN (paper el-DoS network)' : 'LeNet-style 1D CNN (paper thermal network)', epochs, bestEpoch: result.bestEpoch + 1, batchSize, optimizer: 'adam lr 1e-3', loss: 'mse', inputTransform: info.inputTransform, outputScale };
  const pred = Float64Array.from(net.predict(val.x, val.count), (v) => v / outputScale);
  const truth = Float64Array.from(val.y, (v) => v / outputScale);
  if (task === 'el-dos') card.validation = { mse: spectraMse(pred, truth) };
  else if (task === 'ph-dos') card.validation = { mse: spectraMse(normaliseRows(pred, 100), truth) };
  else card.validation = log10Metrics(pred, truth) as unknown as Record<string, number>;
  return { card, pred: task === 'ph-dos' ? normaliseRows(pred, 100) : pred, net, info };
}
