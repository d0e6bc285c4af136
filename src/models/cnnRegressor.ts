import { join } from 'node:path';
import { InputError } from '../errors.js';
import { loadCnnModel, predictCnn, prepareInputs, saveCnnModel, type CnnInputTransform, type CnnModelInfo, type LoadedCnnModel } from '../nn/modelFile.js';
import { Network } from '../nn/network.js';
import { eldosNet, thermalNet } from '../nn/networks.js';
import { evaluateLoss, trainNetwork } from '../nn/train.js';
import type { Matrix } from '../util/matrix.js';
import { checkFitData, checkPredictData, checkSettingNames, type Estimator, type EstimatorKind, type FitOptions } from './estimator.js';

/** The paper's two 1D CNNs behind the estimator contract. */
export interface CnnSettings {
  /** `eldos`: the residual network of the el-DoS task; `thermal`: the LeNet-style network of ph-DoS and κ. */
  network: 'eldos' | 'thermal';
  /** Input channels; X's columns are channels × length. */
  channels: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  inputTransform: CnnInputTransform;
  /** Targets are multiplied by this while training (the paper trains el-DoS × 10). */
  outputScale: number;
  /**
   * Restart with another seed (at most twice) when the network ends no better than half the loss of
   * predicting the mean on the validation rows: the dead start seen for 1 seed in 5 on κ.
   */
  restartIfStuck: boolean;
}

const DEFAULTS: CnnSettings = { network: 'thermal', channels: 1, epochs: 100, batchSize: 32, learningRate: 1e-3, seed: 0, inputTransform: 'log(x+1e-4)', outputScale: 1, restartIfStuck: false };

export class CnnRegressor implements Estimator {
  readonly kind = 'cnn';
  readonly settings: Readonly<Partial<CnnSettings>>;
  private model: LoadedCnnModel | undefined;
  private record: Record<string, unknown> = {};

  constructor(settings: Partial<CnnSettings> = {}, loaded?: LoadedCnnModel) {
    this.settings = { ...settings };
    this.model = loaded;
  }

  private resolved(): CnnSettings {
    checkSettingNames('cnn', this.settings, Object.keys(DEFAULTS));
    const s = { ...DEFAULTS, ...this.settings };
    if (s.network !== 'eldos' && s.network !== 'thermal') throw new InputError(`cnn: network must be eldos or thermal, got "${s.network}"`);
    for (const name of ['channels', 'epochs', 'batchSize'] as const) if (!(Number.isInteger(s[name]) && s[name] >= 1)) throw new InputError(`cnn: ${name} must be a whole number ≥ 1, got ${s[name]}`);
    if (!(s.learningRate > 0)) throw new InputError(`cnn: learningRate must be > 0, got ${s.learningRate}`);
    if (!(s.outputScale > 0)) throw new InputError(`cnn: outputScale must be > 0, got ${s.outputScale}`);
    if (s.network === 'thermal' && s.channels !== 1) throw new InputError(`cnn: the thermal network takes one channel, got ${s.channels}`);
    return s;
  }

  fit(x: Matrix, y: Matrix, options: FitOptions = {}): this {
    checkFitData('cnn', x, y);
    const s = this.resolved();
    if (x.cols % s.channels !== 0) throw new InputError(`cnn.fit: X has ${x.cols} columns, not a multiple of ${s.channels} channels`);
    const length = x.cols / s.channels;
    const info: CnnModelInfo = { inputTransform: s.inputTransform, outputScale: s.outputScale, outputOffset: 0 };
    const dataset = (m: Matrix, t: Matrix) => ({ x: prepareInputs(info, m.data), y: Float32Array.from(t.data, (v) => v * s.outputScale), count: m.rows });
    const train = dataset(x, y);
    const stop = options.validation ? dataset(options.validation.x, options.validation.y) : undefined;
    const meanLoss = stop ? meanPredictorLoss(stop.y, train.y, y.cols) : Infinity;
    const restarts: number[] = [];
    for (let attempt = 0; ; attempt++) {
      const seed = s.seed + 1000 * attempt;
      const net = new Network(s.network === 'eldos' ? eldosNet(s.channels, length, y.cols) : thermalNet(length, y.cols), { seed });
      const result = trainNetwork(net, train, stop, { epochs: s.epochs, batchSize: s.batchSize, optimizer: { name: 'adam', lr: s.learningRate }, seed, onEpoch: (r) => options.onProgress?.(r.epoch + 1, s.epochs) });
      this.model = { net, info, metadata: {} };
      this.record = { bestEpoch: result.bestEpoch + 1, earlyStoppingRows: stop?.count ?? 0, seed, restartedSeeds: restarts };
      if (!s.restartIfStuck || stop === undefined || attempt === 2 || evaluateLoss(net, stop) < 0.5 * meanLoss) return this;
      restarts.push(seed);
    }
  }

  predict(x: Matrix): Matrix {
    checkPredictData('cnn', x, this.model?.net.inputSize);
    const model = this.model as LoadedCnnModel;
    return { data: predictCnn(model, x.data, x.rows), rows: x.rows, cols: model.net.outputSize };
  }

  save(dir: string, stem: string, metadata: Record<string, string>): string[] {
    if (this.model === undefined) throw new InputError('cnn.save: the model is not fitted');
    const file = `${stem}.safetensors`;
    saveCnnModel(join(dir, file), this.model.net, this.model.info, metadata);
    return [file];
  }

  fitted(): Record<string, unknown> {
    const s = { ...DEFAULTS, ...this.settings };
    return { network: s.network === 'eldos' ? 'residual 1D CNN (paper el-DoS network)' : 'LeNet-style 1D CNN (paper thermal network)', epochs: s.epochs, batchSize: s.batchSize, optimizer: `adam lr ${s.learningRate}`, loss: 'mse', inputTransform: s.inputTransform, outputScale: s.outputScale, ...this.record };
  }

  /** The underlying network (for ONNX export). */
  get network(): Network | undefined {
    return this.model?.net;
  }
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

export const CNN_KIND: EstimatorKind = {
  kind: 'cnn',
  description: 'the paper’s 1D convolutional networks (el-DoS residual net, thermal LeNet-style net)',
  ensembleFit: 'holdout',
  create: (settings) => new CnnRegressor(settings as Partial<CnnSettings>),
  load: (dir, files) => {
    if (files.length !== 1) throw new InputError(`a cnn model is one file, got ${files.length}`);
    const loaded = loadCnnModel(join(dir, files[0]));
    return new CnnRegressor({}, loaded);
  },
};
