import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { loadCnnModel, predictCnn, saveCnnModel } from '../../src/nn/modelFile.js';
import { Network } from '../../src/nn/network.js';
import { eldosNet, thermalNet } from '../../src/nn/networks.js';
import { exportOnnx } from '../../src/nn/onnx.js';
import { formatSafetensors } from '../../src/io/safetensors.js';
import { Rng } from '../../src/util/random.js';
import { tempDir } from '../helpers.js';

function trainedLike(spec: ReturnType<typeof eldosNet>, seed: number): Network {
  const net = new Network(spec, { seed });
  const rng = new Rng(seed + 1);
  for (const s of net.state()) for (let k = 0; k < s.value.length; k++) s.value[k] = s.name.endsWith('var') ? 0.5 + rng.uniform() : 0.1 * rng.normal();
  return net;
}

test('ONNX export runs in onnxruntime-node with the engine’s outputs (1e-5)', async () => {
  const ort = await import('onnxruntime-node');
  for (const [spec, batch] of [[eldosNet(), 7], [thermalNet(), 5]] as const) {
    const net = trainedLike(spec, 4);
    const rng = new Rng(6);
    const x = Float32Array.from({ length: batch * net.inputSize }, () => rng.normal());
    const ours = net.predict(x, batch);
    const session = await ort.InferenceSession.create(exportOnnx(net));
    const out = await session.run({ input: new ort.Tensor('float32', x, [batch, ...net.inputShape]) });
    const theirs = out.output.data as Float32Array;
    assert.equal(theirs.length, ours.length);
    let scale = 0;
    for (const v of ours) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < ours.length; k++) assert.ok(Math.abs(theirs[k] - ours[k]) <= 1e-5 * Math.max(1, scale), `output ${k}: ${theirs[k]} vs ${ours[k]}`);
  }
});

test('model files round-trip weights, architecture and input/output settings; foreign or newer files are refused', () => {
  const dir = tempDir();
  const net = trainedLike(eldosNet(), 8);
  const file = join(dir, 'model.safetensors');
  const info = { task: 'el-dos', inputTransform: 'log(x+1e-4)' as const, outputScale: 10, outputOffset: 0, descriptor: { pcf: ['2d', '3d'] } };
  saveCnnModel(file, net, info);
  const loaded = loadCnnModel(file);
  assert.deepEqual(loaded.info, info);
  const rng = new Rng(1);
  const x = Float64Array.from({ length: 3 * 480 }, () => rng.uniform());
  const direct = net.predict(Float32Array.from(x, (v) => Math.log(v + 1e-4)), 3);
  const viaFile = predictCnn(loaded, x, 3);
  for (let k = 0; k < direct.length; k++) assert.ok(Math.abs(viaFile[k] - direct[k] / 10) < 1e-7);
  writeFileSync(join(dir, 'other.safetensors'), formatSafetensors(new Map(), { format: 'something-else' }));
  assert.throws(() => loadCnnModel(join(dir, 'other.safetensors')), (e: unknown) => e instanceof ParseError && /not a spramnet CNN model/.test(e.message));
  writeFileSync(join(dir, 'newer.safetensors'), formatSafetensors(new Map(), { format: 'spramnet-cnn', version: '99' }));
  assert.throws(() => loadCnnModel(join(dir, 'newer.safetensors')), /version 99 is newer/);
  writeFileSync(join(dir, 'cut.safetensors'), Buffer.from([1, 2, 3]));
  assert.throws(() => loadCnnModel(join(dir, 'cut.safetensors')), (e: unknown) => e instanceof ParseError && /shorter than its 8-byte header/.test(e.message));
});
