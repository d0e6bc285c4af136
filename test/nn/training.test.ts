import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNpy } from '../../src/io/npy.js';
import { Network } from '../../src/nn/network.js';
import { eldosNet, thermalNet } from '../../src/nn/networks.js';
import { trainNetwork, evaluateLoss, type Dataset } from '../../src/nn/train.js';
import { Rng } from '../../src/util/random.js';
import { FIXTURES, tempDir } from '../helpers.js';

const dir = join(FIXTURES, 'torch', 'training');
const curves = JSON.parse(readFileSync(join(dir, 'curves.json'), 'utf8')) as { n_train: number; n_val: number; epochs: number; val_loss: number[][] };

test('el-DoS network on a learnable task: the validation loss follows PyTorch’s (same data and hyper-parameters)', () => {
  const x = readNpy(join(dir, 'x.npy')).data as Float32Array;
  const y = readNpy(join(dir, 'y.npy')).data as Float32Array;
  const n = curves.n_train;
  const train: Dataset = { x: x.subarray(0, n * 480), y: y.subarray(0, n * 81), count: n };
  const val: Dataset = { x: x.subarray(n * 480), y: y.subarray(n * 81), count: curves.n_val };
  const net = new Network(eldosNet(), { seed: 1 });
  const result = trainNetwork(net, train, val, { epochs: curves.epochs, batchSize: 32, optimizer: { name: 'adam', lr: 1e-3 }, seed: 1 });
  const ours = result.history.map((h) => h.validationLoss as number);
  const torchFinal = curves.val_loss.map((c) => Math.min(...c.slice(-3)));
  const oursFinal = Math.min(...ours.slice(-3));
  assert.ok(oursFinal > 0.6 * Math.min(...torchFinal) && oursFinal < 1.5 * Math.max(...torchFinal), `final validation loss ${oursFinal} vs PyTorch ${torchFinal}`);
  assert.ok(ours[0] < 1.5 * Math.max(...curves.val_loss.map((c) => c[0])), `first epoch ${ours[0]}`);
  // the network keeps the best epoch's weights
  assert.ok(Math.abs(evaluateLoss(net, val) - result.bestValidationLoss) < 1e-6);
});

function toyData(count: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: count * 100 }, () => rng.uniform());
  const y = new Float32Array(count * 100);
  for (let s = 0; s < count; s++) for (let k = 0; k < 100; k++) y[s * 100 + k] = x[s * 100 + ((k + 3) % 100)] * 0.5;
  return { x, y, count };
}

test('a run killed after epoch 3 and resumed from its checkpoint ends with the same weights, bit for bit', () => {
  const data = toyData(60, 1);
  const val = toyData(20, 2);
  const spec = eldosNet(1, 100, 100); // dropout and BatchNorm: every random stream must be restored
  const config = { epochs: 6, batchSize: 8, optimizer: { name: 'adam' as const, lr: 1e-3 }, seed: 3, schedule: { name: 'cosine' as const, epochs: 6 } };
  const straight = new Network(spec, { seed: 9 });
  trainNetwork(straight, data, val, config);
  const file = join(tempDir(), 'run.ckpt');
  const first = new Network(spec, { seed: 9 });
  trainNetwork(first, data, val, { ...config, epochs: 3, checkpoint: file });
  assert.ok(existsSync(file));
  const resumed = new Network(spec, { seed: 12345 }); // a fresh process: other initial weights and streams
  const result = trainNetwork(resumed, data, val, { ...config, checkpoint: file }, { resume: true });
  assert.equal(result.history.length, 6);
  const a = straight.stateDict();
  for (const [name, t] of resumed.stateDict()) assert.deepEqual(Array.from(t.value), Array.from(a.get(name)!.value), name);
});

test('early stopping ends a run whose validation loss stops improving', () => {
  const data = toyData(40, 3);
  const noise = toyData(20, 4);
  const rng = new Rng(5);
  for (let k = 0; k < noise.y.length; k++) noise.y[k] = rng.normal(); // validation targets unrelated to inputs
  const net = new Network(thermalNet(), { seed: 2 });
  const r = trainNetwork(net, data, noise, { epochs: 200, batchSize: 10, optimizer: { name: 'adam', lr: 1e-2 }, patience: 4 });
  assert.ok(r.stoppedEarly);
  assert.ok(r.history.length < 200);
  assert.equal(r.history.length - 1 - r.bestEpoch, 4);
});
