import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transformFeatures } from '../../src/models/featureTransforms.js';
import { prepareInputs } from '../../src/nn/modelFile.js';

test('input transforms: log(x + 1e-2) for the kernel ridge (float64) and the CNN (float32), its slope at 0 a hundredth of log(x + 1e-4)’s; unknown names refused', () => {
  const values = [0, 1e-7, 1e-3, 0.2, 1.7];
  const matrix = { rows: 1, cols: values.length, data: Float64Array.from(values) };
  assert.deepEqual(Array.from(transformFeatures(matrix, 'log(x+1e-2)').data), values.map((v) => Math.log(v + 0.01)));
  assert.deepEqual(Array.from(prepareInputs({ inputTransform: 'log(x+1e-2)', outputScale: 1, outputOffset: 0 }, values)), values.map((v) => Math.fround(Math.log(Math.fround(v) + 0.01))));
  // the paper's transform is unchanged
  assert.deepEqual(Array.from(prepareInputs({ inputTransform: 'log(x+1e-4)', outputScale: 1, outputOffset: 0 }, values)), values.map((v) => Math.fround(Math.log(Math.fround(v) + 1e-4))));
  // a share of 1e-6 entering an empty soft bin: the change it makes after each transform
  const step = (name: string) => transformFeatures({ rows: 1, cols: 1, data: Float64Array.of(1e-6) }, name).data[0] - transformFeatures({ rows: 1, cols: 1, data: Float64Array.of(0) }, name).data[0];
  assert.ok(Math.abs(step('log(x+1e-4)') / step('log(x+1e-2)') - 100) < 1.5, `${step('log(x+1e-4)')} vs ${step('log(x+1e-2)')}`);
  assert.throws(() => transformFeatures(matrix, 'log(x+1)'), /unknown feature transform "log\(x\+1\)"/);
  assert.throws(() => prepareInputs({ inputTransform: 'sqrt' as never, outputScale: 1, outputOffset: 0 }, values), /unknown input transform "sqrt"/);
});
