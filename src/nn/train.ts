import { existsSync } from 'node:fs';
import { InputError, ParseError } from '../errors.js';
import { Rng } from '../util/random.js';
import type { Arr } from './kernels/index.js';
import { allocate } from './layers.js';
import { lossAndGradient, type LossName } from './losses.js';
import type { Network } from './network.js';
import { Optimizer, type OptimizerConfig } from './optimizers.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';
import { Schedule, type ScheduleConfig } from './schedules.js';

/** Samples in rows: x is count × inputSize, y is count × outputSize. */
export interface Dataset {
  x: Arr;
  y: Arr;
  count: number;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  loss?: LossName;
  schedule?: ScheduleConfig;
  /** Seed of the shuffling; the network's own stream drives dropout. */
  seed?: number;
  /** Stop when the validation loss has not improved for this many epochs. */
  patience?: number;
  /** Written (atomically) after every epoch; `resume` continues from it. */
  checkpoint?: string;
  onEpoch?: (record: EpochRecord) => void;
  onBatch?: (done: number, total: number) => void;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss?: number;
  lr: number;
  seconds: number;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
}

/** Mean loss of a network on a dataset in evaluation mode. */
export function evaluateLoss(net: Network, data: Dataset, loss: LossName = 'mse', batchSize = 256): number {
  const out = net.outputSize;
  const grad = allocate(net.dtype, batchSize * out);
  let total = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const b = Math.min(batchSize, data.count - start);
    const pred = net.forward(data.x.subarray(start * net.inputSize, (start + b) * net.inputSize), b, false);
    total += lossAndGradient(loss, pred, data.y.subarray(start * out, (start + b) * out), b * out, grad) * b;
  }
  return total / data.count;
}

interface TrainState {
  epoch: number;
  shuffle: Rng;
  optimizer: Optimizer;
  schedule: Schedule;
  history: EpochRecord[];
  best: { epoch: number; loss: number; tensors: Map<string, Arr> };
}

const CHECKPOINT_FORMAT = 'spramnet-checkpoint';
const CHECKPOINT_VERSION = 1;

function snapshot(net: Network): Map<string, Arr> {
  return new Map([...net.stateDict()].map(([k, v]) => [k, v.value.slice()]));
}

function saveCheckpoint(file: string, net: Network, s: TrainState): void {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of net.stateDict()) tensors.set(`model.${name}`, { data: t.value, shape: t.shape });
  for (const [name, v] of s.best.tensors) tensors.set(`best.${name}`, { data: v, shape: [v.length] });
  net.params().forEach((p, i) => {
    tensors.set(`adam_m.${p.name}`, { data: s.optimizer.m[i], shape: [s.optimizer.m[i].length] });
    tensors.set(`adam_v.${p.name}`, { data: s.optimizer.v[i], shape: [s.optimizer.v[i].length] });
  });
  const meta = {
    epoch: s.epoch,
    step: s.optimizer.step,
    lr: s.optimizer.lr,
    networkRng: net.rng.state,
    shuffleRng: s.shuffle.state,
    schedule: { best: s.schedule.best, badEpochs: s.schedule.badEpochs },
    history: s.history,
    best: { epoch: s.best.epoch, loss: s.best.loss },
  };
  writeSafetensors(file, tensors, { format: CHECKPOINT_FORMAT, version: String(CHECKPOINT_VERSION), state: JSON.stringify(meta) });
}

function loadCheckpoint(file: string, net: Network, s: TrainState): void {
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new ParseError(file, undefined, 'not a spramnet training checkpoint');
  if (Number(metadata.version) > CHECKPOINT_VERSION) throw new ParseError(file, undefined, `checkpoint version ${metadata.version} is newer than this spramnet reads (${CHECKPOINT_VERSION})`);
  const get = (name: string): Arr => {
    const t = tensors.get(name);
    if (t === undefined) throw new ParseError(file, undefined, `missing tensor ${name}`);
    return t.data;
  };
  net.loadStateDict(new Map([...net.stateDict().keys()].map((k) => [k, get(`model.${k}`)])), file);
  for (const k of net.stateDict().keys()) s.best.tensors.set(k, get(`best.${k}`).slice());
  net.params().forEach((p, i) => {
    s.optimizer.m[i].set(get(`adam_m.${p.name}`));
    s.optimizer.v[i].set(get(`adam_v.${p.name}`));
  });
  const meta = JSON.parse(metadata.state);
  s.epoch = meta.epoch;
  s.optimizer.step = meta.step;
  s.optimizer.lr = meta.lr;
  net.rng.state = meta.networkRng;
  s.shuffle.state = meta.shuffleRng;
  s.schedule.best = meta.schedule.best;
  s.schedule.badEpochs = meta.schedule.badEpochs;
  s.history = meta.history;
  s.best.epoch = meta.best.epoch;
  s.best.loss = meta.best.loss;
}

/**
 * Mini-batch training: shuffled batches, validation every epoch, best-model keeping, early stopping,
 * a checkpoint after every epoch. With `resume`, continues a checkpoint to the same final weights as
 * an uninterrupted run (every random stream and optimizer moment is in the checkpoint). The network
 * ends holding the best weights (by validation loss, or the last ones without validation).
 */
export function trainNetwork(net: Network, data: Dataset, validation: Dataset | undefined, config: TrainConfig, options: { resume?: boolean } = {}): TrainResult {
  if (!(config.epochs >= 1) || !(config.batchSize >= 1)) throw new InputError(`epochs and batch size must be ≥ 1, got ${config.epochs}, ${config.batchSize}`);
  if (data.x.length < data.count * net.inputSize || data.y.length < data.count * net.outputSize) {
    throw new InputError(`training data: ${data.count} samples need ${net.inputSize} inputs and ${net.outputSize} outputs each`);
  }
  const loss = config.loss ?? 'mse';
  const optimizer = new Optimizer(net.params(), config.optimizer);
  const state: TrainState = {
    epoch: -1,
    shuffle: new Rng(config.seed ?? 0),
    optimizer,
    schedule: new Schedule(config.schedule ?? { name: 'constant' }, config.optimizer.lr),
    history: [],
    best: { epoch: -1, loss: Infinity, tensors: snapshot(net) },
  };
  if (options.resume && config.checkpoint !== undefined && existsSync(config.checkpoint)) loadCheckpoint(config.checkpoint, net, state);

  const inSize = net.inputSize;
  const outSize = net.outputSize;
  const bs = config.batchSize;
  const xb = allocate(net.dtype, bs * inSize);
  const yb = allocate(net.dtype, bs * outSize);
  const grad = allocate(net.dtype, bs * outSize);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  const batches = Math.ceil(data.count / bs);
  let stoppedEarly = false;
  for (let epoch = state.epoch + 1; epoch < config.epochs; epoch++) {
    const started = Date.now();
    for (let i = 0; i < order.length; i++) order[i] = i;
    state.shuffle.shuffle(order);
    let total = 0;
    for (let b = 0; b < batches; b++) {
      const start = b * bs;
      const n = Math.min(bs, data.count - start);
      for (let k = 0; k < n; k++) {
        const s = order[start + k];
        xb.set(data.x.subarray(s * inSize, (s + 1) * inSize), k * inSize);
        yb.set(data.y.subarray(s * outSize, (s + 1) * outSize), k * outSize);
      }
      net.zeroGrad();
      const pred = net.forward(xb, n, true);
      total += lossAndGradient(loss, pred, yb, n * outSize, grad) * n;
      net.backward(grad, n, false);
      optimizer.update();
      config.onBatch?.(b + 1, batches);
    }
    const record: EpochRecord = { epoch, trainLoss: total / data.count, lr: optimizer.lr, seconds: (Date.now() - started) / 1000 };
    const monitored = validation ? evaluateLoss(net, validation, loss) : record.trainLoss;
    if (validation) record.validationLoss = monitored;
    if (monitored < state.best.loss) {
      state.best = { epoch, loss: monitored, tensors: snapshot(net) };
    }
    state.history.push(record);
    optimizer.lr = state.schedule.next(epoch + 1, optimizer.lr, monitored);
    state.epoch = epoch;
    if (config.checkpoint !== undefined) saveCheckpoint(config.checkpoint, net, state);
    config.onEpoch?.(record);
    if (config.patience !== undefined && epoch - state.best.epoch >= config.patience) {
      stoppedEarly = true;
      break;
    }
  }
  net.loadStateDict(state.best.tensors, 'best weights');
  return { history: state.history, bestEpoch: state.best.epoch, bestValidationLoss: state.best.loss, stoppedEarly };
}
