import { Network } from './network.js';
import { eldosNet, thermalNet } from './networks.js';
import { trainNetwork } from './train.js';
import { Rng } from '../util/random.js';
import { wasmRuntime } from './kernels/index.js';

export interface CnnBenchResult {
  net: 'eldos' | 'thermal';
  samples: number;
  batch: number;
  epochs: number;
  threads: number;
  sec_per_epoch: number;
  predict_all_s: number;
  params: number;
  peak_rss_MiB: number;
}

/**
 * Train a paper network on random data of the real shapes (el-DoS: 3240 × 3×160 → 81, batch 32;
 * thermal: 810 × 100 → 100, batch 10), Adam lr 1e-3, as ../shared/bench/reference.py does in PyTorch.
 * One warm-up epoch, then the mean of `epochs` epochs.
 */
export function benchmarkCnn(net: 'eldos' | 'thermal', epochs = 3, threads = 2): CnnBenchResult {
  wasmRuntime()?.setThreads(threads);
  const spec = net === 'eldos' ? eldosNet() : thermalNet();
  const [samples, batch] = net === 'eldos' ? [3240, 32] : [810, 10];
  const model = new Network(spec, { seed: 0 });
  const rng = new Rng(0);
  const x = Float32Array.from({ length: samples * model.inputSize }, () => (net === 'eldos' ? rng.normal() : rng.uniform()));
  const y = Float32Array.from({ length: samples * model.outputSize }, () => rng.uniform());
  const data = { x, y, count: samples };
  const config = { batchSize: batch, optimizer: { name: 'adam' as const, lr: 1e-3 }, seed: 0 };
  trainNetwork(model, data, undefined, { ...config, epochs: 1 });
  const start = process.hrtime.bigint();
  trainNetwork(model, data, undefined, { ...config, epochs });
  const sec = Number(process.hrtime.bigint() - start) / 1e9 / epochs;
  const t = process.hrtime.bigint();
  model.predict(x, samples);
  const predict = Number(process.hrtime.bigint() - t) / 1e9;
  return {
    net,
    samples,
    batch,
    epochs,
    threads: wasmRuntime()?.threads ?? 1,
    sec_per_epoch: sec,
    predict_all_s: predict,
    params: model.params().reduce((s, p) => s + p.value.length, 0),
    peak_rss_MiB: process.resourceUsage().maxRSS / 1024,
  };
}
