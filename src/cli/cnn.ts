import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { benchmarkCnn } from '../nn/benchmark.js';
import { loadCnnModel } from '../nn/modelFile.js';
import { saveOnnx } from '../nn/onnx.js';
import { trainCnnOnArrays, type CnnArrayTraining } from '../nn/trainOnArrays.js';
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
    .action((o: CnnArrayTraining & { batch: number; epochs: number }) => {
      let last = { loss: NaN, val: NaN };
      let bar: ReturnType<typeof progressBar> | undefined;
      const result = trainCnnOnArrays({
        ...o,
        onBatch: (done, total) => (bar ??= progressBar(total, 'training', ['loss', 'val'])).update(done, { loss: last.loss.toPrecision(4), val: last.val.toPrecision(4) }),
        onEpoch: (r) => {
          last = { loss: r.trainLoss, val: r.validationLoss ?? NaN };
          if (!process.stderr.isTTY) console.error(`epoch ${r.epoch + 1}: train ${r.trainLoss.toPrecision(4)}, validation ${(r.validationLoss ?? NaN).toPrecision(4)} (${r.seconds.toFixed(1)} s)`);
        },
      });
      bar?.stop();
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
