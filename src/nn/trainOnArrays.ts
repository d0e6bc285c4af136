import { complement, kFold } from '../data/splits.js';
import { InputError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { gatherRows } from '../util/rows.js';
import { prepareInputs, saveCnnModel, type CnnModelInfo } from './modelFile.js';
import { Network } from './network.js';
import { eldosNet, thermalNet } from './networks.js';
import { saveOnnx } from './onnx.js';
import { OPTIMIZERS, type OptimizerName } from './optimizers.js';
import { trainNetwork, type Dataset, type EpochRecord, type TrainResult } from './train.js';

/** Everything `spramnet cnn train` does, as one call: arrays from .npy files in, a model file out. */
export interface CnnArrayTraining {
  /** samples × channels × length (or samples × length) */
  data: string;
  /** samples × outputs */
  label: string;
  out: string;
  net?: 'eldos' | 'thermal' | string;
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: string;
  schedule?: 'constant' | 'cosine' | 'plateau' | string;
  patience?: number;
  validationFraction?: number;
  logInputs?: boolean;
  outputScale?: number;
  seed?: number;
  checkpoint?: string;
  resume?: boolean;
  onnx?: string;
  onBatch?: (done: number, total: number) => void;
  onEpoch?: (record: EpochRecord) => void;
}

const SCHEDULES = ['constant', 'cosine', 'plateau'];

/** Train one of the paper's networks on .npy arrays with a seeded validation split; writes the model (and ONNX). */
export function trainCnnOnArrays(o: CnnArrayTraining): TrainResult & { trainCount: number; validationCount: number } {
  const net = o.net ?? 'eldos';
  const epochs = o.epochs ?? 100;
  const batch = o.batch ?? 32;
  const seed = o.seed ?? 0;
  const schedule = o.schedule ?? 'constant';
  const optimizer = o.optimizer ?? 'adam';
  const fraction = o.validationFraction ?? 0.1;
  const outputScale = o.outputScale ?? 1;
  if (!SCHEDULES.includes(schedule)) throw new InputError(`schedule must be ${SCHEDULES.join(', ')}, got "${schedule}"`);
  if (!(OPTIMIZERS as readonly string[]).includes(optimizer)) throw new InputError(`optimizer must be ${OPTIMIZERS.join(', ')}, got "${optimizer}"`);
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`the validation fraction must lie in (0, 1), got ${fraction}`);
  if (o.resume && o.checkpoint === undefined) throw new InputError('resume needs a checkpoint file');
  const X = readNpy(o.data);
  const Y = readNpy(o.label);
  const count = X.shape[0];
  if (Y.shape[0] !== count) throw new InputError(`${o.label}: ${Y.shape[0]} targets for ${count} samples of ${o.data}`);
  const [channels, length] = X.shape.length === 2 ? [1, X.shape[1]] : [X.shape[1], X.shape[2]];
  const outputs = Y.data.length / count;
  const spec = net === 'eldos' ? eldosNet(channels, length, outputs) : net === 'thermal' ? thermalNet(length, outputs) : undefined;
  if (spec === undefined) throw new InputError(`net must be eldos or thermal, got "${net}"`);
  if (net === 'thermal' && channels !== 1) throw new InputError('the thermal network takes one channel');
  const info: CnnModelInfo = { inputTransform: o.logInputs ? 'log(x+1e-4)' : 'none', outputScale, outputOffset: 0 };
  const x = prepareInputs(info, X.data);
  const y = Float32Array.from(Y.data, (v) => v * outputScale);
  const [fold] = kFold(count, Math.max(2, Math.round(1 / fraction)), seed);
  const rest = complement(count, fold);
  const width = channels * length;
  const train: Dataset = { x: gatherRows(x, width, rest), y: gatherRows(y, outputs, rest), count: rest.length };
  const val: Dataset = { x: gatherRows(x, width, fold), y: gatherRows(y, outputs, fold), count: fold.length };
  const network = new Network(spec, { seed });
  const batches = Math.ceil(train.count / batch);
  let epochsDone = 0;
  const result = trainNetwork(
    network,
    train,
    val,
    {
      epochs,
      batchSize: batch,
      optimizer: { name: optimizer as OptimizerName, lr: o.lr ?? 1e-3 },
      schedule: schedule === 'cosine' ? { name: 'cosine', epochs } : schedule === 'plateau' ? { name: 'plateau' } : { name: 'constant' },
      patience: o.patience,
      seed,
      checkpoint: o.checkpoint,
      onBatch: (done) => o.onBatch?.(epochsDone * batches + done, epochs * batches),
      onEpoch: (r) => {
        epochsDone = r.epoch + 1;
        o.onEpoch?.(r);
      },
    },
    { resume: o.resume },
  );
  info.notes = { bestEpoch: result.bestEpoch, validationLoss: result.bestValidationLoss, epochs: result.history.length, trainCount: train.count, validationCount: val.count, seed };
  saveCnnModel(o.out, network, info);
  if (o.onnx) saveOnnx(o.onnx, network);
  return { ...result, trainCount: train.count, validationCount: val.count };
}
