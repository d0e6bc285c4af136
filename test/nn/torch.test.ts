import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNpy } from '../../src/io/npy.js';
import { lossAndGradient } from '../../src/nn/losses.js';
import { Network } from '../../src/nn/network.js';
import { eldosNet, thermalNet } from '../../src/nn/networks.js';
import type { DType } from '../../src/nn/layers.js';
import { FIXTURES } from '../helpers.js';

function fixture(name: string): { tensors: Map<string, Float32Array>; x: Float32Array; yEval: Float32Array; target: Float32Array; grads: Map<string, Float32Array>; loss: number } {
  const dir = join(FIXTURES, 'torch', name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { tensors: string[]; loss: number };
  const load = (f: string): Float32Array => readNpy(join(dir, `${f}.npy`)).data as Float32Array;
  const tensors = new Map(meta.tensors.map((t) => [t, load(`param.${t}`)]));
  const grads = new Map(meta.tensors.filter((t) => !t.includes('running')).map((t) => [t, load(`grad.${t}`)]));
  return { tensors, x: load('x'), yEval: load('y_eval'), target: load('target'), grads, loss: meta.loss };
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num = Math.max(num, Math.abs(a[k] - b[k]));
    den = Math.max(den, Math.abs(b[k]));
  }
  return num / Math.max(den, 1e-12);
}

for (const [name, spec, batch] of [['eldos', eldosNet(), 6], ['thermal', thermalNet(), 5]] as const) {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    test(`${name} (${dtype}): forward matches PyTorch to 1e-5, and the loss and every gradient of a training step`, () => {
      const f = fixture(name);
      // dropout off in the training step, as the fixture's model.dp.eval()
      const trainSpec = { ...spec, layers: spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, p: 0 } : l)) };
      const net = new Network(trainSpec, { dtype });
      net.loadStateDict(f.tensors, name);
      const x = dtype === 'float32' ? f.x : Float64Array.from(f.x);
      const y = net.forward(x, batch, false);
      const err = relErr(y.subarray(0, f.yEval.length), f.yEval);
      assert.ok(err < 1e-5, `eval output rel. error ${err}`);
      net.zeroGrad();
      const pred = net.forward(x, batch, true);
      const grad = dtype === 'float32' ? new Float32Array(pred.length) : new Float64Array(pred.length);
      const loss = lossAndGradient('mse', pred, f.target, f.target.length, grad);
      assert.ok(Math.abs(loss - f.loss) / f.loss < 1e-5, `loss ${loss} vs ${f.loss}`);
      net.backward(grad, batch);
      for (const p of net.params()) {
        const expected = f.grads.get(p.name);
        assert.ok(expected !== undefined, p.name);
        // c1.bias feeds BatchNorm, which removes its effect: both gradients are rounding noise (~1e-9)
        const e = relErr(p.grad, expected);
        const absolute = e * expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        assert.ok(e < 1e-4 || absolute < 1e-7, `${p.name}: gradient rel. error ${e}`);
      }
    });
  }
}
