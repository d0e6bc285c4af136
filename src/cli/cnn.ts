import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { complement, kFold } from '../gbdt/crossValidation.js';
import { readNpy } from '../io/npy.js';
import { benchmarkCnn } from '../nn/benchmark.js';
import { loadCnnModel, prepareInputs, saveCnnModel, type CnnModelInfo } from '../nn/modelFile.js';
import { Network } from '../nn/network.js';
import { eldosNet, thermalNet } from '../nn/networks.js';
import { saveOnnx } from '../nn/onnx.js';
import type { OptimizerName } from '../nn/optimizers.js';
import { trainNetwork, type Dataset } from '../nn/train.js';
import { gatherRows } from '../util/rows.js';
import { integerOption, numberOption } from './common.js';
import { progressBar } from './progress.js';

export function registerCnn(program: Command): void {
  const cnn = program.command('cnn').description('1D convolutional networks: train, export to ONNX');

  cnn
    .command('train')
    .description('train one of the paper’s networks on X.npy (samples × channels × length) and Y.npy (samples × outputs)')
    .requiredOption('--data <X.npy>', 'inputs')
    .requiredOption('--label <Y.npy>', 'targets')
    .requiredOption('--out <model.safetensors>', 'model file')
    .option('--net <name>', 'eldos (residual) or thermal (LeNet variant)', 'eldos')
    .option('--epochs <n>', 'epochs', integerOption('--epochs'), 100)
    .option('--batch <n>', 'batch size', integerOption('--batch'), 32)
    .option('--lr <x>', 'learning rate', numberOption('--lr'), 1e-3)
    .option('--optimizer <name>', 'adam, adamw or sgd', 'adam')
    .option('--schedule <name>', 'constant, cosine or plateau', 'constant')
    .option('--patience <n>', 'early stopping patience (epochs)', integerOption('--patience'))
    .option('--validation-fraction <f>', 'held-out fraction for validation', numberOption('--validation-fraction'), 0.1)
    .option('--log-inputs', 'train on log(x + 1e-4) (the model applies it when predicting)')
    .option('--output-scale <x>', 'train on y × scale (SPRamNet scales el-DoS by 10)', numberOption('--output-scale'), 1)
    .option('--seed <n>', 'seed of initialisation, shuffling and the split', integerOption('--seed'), 0)
    .option('--checkpoint <file>', 'checkpoint written after every epoch')
    .option('--resume', 'continue from --checkpoint')
    .option('--onnx <file>', 'also export the trained network to ONNX')
    .action((o: { data: string; label: string; out: string; net: string; epochs: number; batch: number; lr: number; optimizer: string; schedule: string; patience?: number; validationFraction: number; logInputs?: boolean; outputScale: number; seed: number; checkpoint?: string; resume?: boolean; onnx?: string }) => {
      const X = readNpy(o.data);
      const Y = readNpy(o.label);
      const count = X.shape[0];
      if (Y.shape[0] !== count) throw new InputError(`${o.label}: ${Y.shape[0]} targets for ${count} samples of ${o.data}`);
      const [channels, length] = X.shape.length === 2 ? [1, X.shape[1]] : [X.shape[1], X.shape[2]];
      const outputs = Y.data.length / count;
      const spec = o.net === 'eldos' ? eldosNet(channels, length, outputs) : o.net === 'thermal' ? thermalNet(length, outputs) : undefined;
      if (spec === undefined) throw new InputError(`--net must be eldos or thermal, got "${o.net}"`);
      if (o.net === 'thermal' && channels !== 1) throw new InputError('the thermal network takes one channel');
      const info: CnnModelInfo = { inputTransform: o.logInputs ? 'log(x+1e-4)' : 'none', outputScale: o.outputScale, outputOffset: 0 };
      const x = prepareInputs(info, X.data);
      const y = Float32Array.from(Y.data, (v) => v * o.outputScale);
      const [fold] = kFold(count, Math.max(2, Math.round(1 / o.validationFraction)), o.seed);
      const rest = complement(count, fold);
      const width = channels * length;
      const train: Dataset = { x: gatherRows(x, width, rest), y: gatherRows(y, outputs, rest), count: rest.length };
      const val: Dataset = { x: gatherRows(x, width, fold), y: gatherRows(y, outputs, fold), count: fold.length };
      const net = new Network(spec, { seed: o.seed });
      const batches = Math.ceil(train.count / o.batch);
      const bar = progressBar(o.epochs * batches, 'training', ['loss', 'val']);
      let last = { loss: NaN, val: NaN };
      let epochsDone = 0;
      const result = trainNetwork(
        net,
        train,
        val,
        {
          epochs: o.epochs,
          batchSize: o.batch,
          optimizer: { name: o.optimizer as OptimizerName, lr: o.lr },
          schedule: o.schedule === 'cosine' ? { name: 'cosine', epochs: o.epochs } : o.schedule === 'plateau' ? { name: 'plateau' } : { name: 'constant' },
          patience: o.patience,
          seed: o.seed,
          checkpoint: o.checkpoint,
          onBatch: (done) => bar.update(epochsDone * batches + done, { loss: last.loss.toPrecision(4), val: last.val.toPrecision(4) }),
          onEpoch: (r) => {
            epochsDone = r.epoch + 1;
            last = { loss: r.trainLoss, val: r.validationLoss ?? NaN };
            if (!process.stderr.isTTY) console.error(`epoch ${r.epoch + 1}: train ${r.trainLoss.toPrecision(4)}, validation ${(r.validationLoss ?? NaN).toPrecision(4)} (${r.seconds.toFixed(1)} s)`);
          },
        },
        { resume: o.resume },
      );
      bar.stop();
      info.notes = { bestEpoch: result.bestEpoch, validationLoss: result.bestValidationLoss, epochs: result.history.length, trainCount: train.count, validationCount: val.count, seed: o.seed };
      saveCnnModel(o.out, net, info);
      if (o.onnx) saveOnnx(o.onnx, net);
      console.error(`wrote ${o.out}: best epoch ${result.bestEpoch + 1}, validation loss ${result.bestValidationLoss.toPrecision(4)}${result.stoppedEarly ? ' (stopped early)' : ''}`);
    });

  cnn
    .command('export-onnx')
    .description('write a trained model as ONNX (inference graph; onnxruntime runs it)')
    .requiredOption('--model <model.safetensors>', 'model file')
    .requiredOption('--out <model.onnx>', 'ONNX file')
    .action((o: { model: string; out: string }) => {
      saveOnnx(o.out, loadCnnModel(o.model).net);
      console.error(`wrote ${o.out}`);
    });
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('speed benchmarks');
  bench
    .command('cnn')
    .description('train a paper network on random data of the real shapes; prints sec_per_epoch, threads and peak memory as JSON')
    .option('--net <name>', 'eldos or thermal', 'eldos')
    .option('--epochs <n>', 'timed epochs (after one warm-up)', integerOption('--epochs'), 3)
    .option('--threads <n>', '1 or 2 (the second core takes half of each large GEMM)', integerOption('--threads'), 2)
    .action((o: { net: string; epochs: number; threads: number }) => {
      if (o.net !== 'eldos' && o.net !== 'thermal') throw new InputError(`--net must be eldos or thermal, got "${o.net}"`);
      console.log(JSON.stringify(benchmarkCnn(o.net, o.epochs, o.threads)));
    });
}
