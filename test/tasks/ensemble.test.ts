import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTaskModel } from '../../src/tasks/ensemble.js';
import { memberWeights } from '../../src/tasks/train.js';
import { THERMAL_GRID } from '../../src/tasks/modelInput.js';
import { REFERENCE_FIGURES } from '../../src/tasks/referenceFigures.js';
import { taskSpec } from '../../src/tasks/taskSpec.js';
import '../../src/tasks/allTasks.js';
import { random, tempDir } from '../helpers.js';

const mse = (p: Float64Array, t: Float64Array) => p.reduce((s, v, k) => s + (v - t[k]) ** 2, 0) / p.length;

test('member weights recover the mixture that made the truth, and drop a useless member', () => {
  const rand = random(2);
  const a = Float64Array.from({ length: 200 }, () => rand());
  const b = Float64Array.from({ length: 200 }, () => rand());
  const noise = Float64Array.from({ length: 200 }, () => rand() * 10);
  const truth = a.map((v, k) => 0.3 * v + 0.7 * b[k]);
  assert.deepEqual(memberWeights([a, b, noise], truth, mse), [0.3, 0.7, 0]);
  assert.deepEqual(memberWeights([a, undefined], truth, mse), [0.5, 0.5]);
});

test('ensemble manifests with bad fields are clear errors naming the file and field', () => {
  const dir = tempDir();
  const write = (body: unknown) => writeFileSync(join(dir, 'kappa.ensemble.json'), typeof body === 'string' ? body : JSON.stringify(body));
  const base = { format: 'spramnet-ensemble', version: 1, task: 'kappa', outputs: 1, descriptor: THERMAL_GRID };
  const cases: Array<[unknown, RegExp]> = [
    ['{"format": ', /kappa\.ensemble\.json.*not valid JSON/],
    [{ ...base, format: 'other' }, /not a spramnet ensemble/],
    [{ ...base, version: 9 }, /ensemble version 9 is newer/],
    [{ ...base, members: [] }, /"members" must be a non-empty list/],
    [{ ...base, members: [{ kind: 'svm', files: ['a'], target: 'none' }] }, /unknown model kind "svm" \(known: cnn, krr, gbdt\)/],
    [{ ...base, members: [{ kind: 'krr', files: ['a'], target: 'none', weight: 0.4 }] }, /weights must sum to 1, they sum to 0\.4/],
    [{ ...base, members: [{ kind: 'krr', files: ['missing.safetensors'], target: 'none' }] }, /missing\.safetensors/],
  ];
  for (const [body, message] of cases) {
    write(body);
    assert.throws(() => loadTaskModel(dir, taskSpec('kappa')), message);
  }
});

test('cards compare with the reference run in words that say which side is better', async () => {
  const { compareToReference } = await import('../../src/tasks/referenceFigures.js');
  const rows = compareToReference(REFERENCE_FIGURES.kappa, { log10Mae: 0.159, withinFactor2: 0.95 });
  assert.deepEqual(rows.map((r) => [r.figure, r.beats, r.better_by]), [
    ['log10Mae', false, '49.5 % higher error'],
    ['withinFactor2', true, '+2.6 points'],
  ]);
  const sigma = compareToReference(REFERENCE_FIGURES.sigma, { xx_rmse: 48, xx_r2: 0.9 });
  assert.deepEqual(sigma.map((r) => [r.figure, r.beats, r.better_by]), [
    ['xx_rmse', true, '20.6 % lower error'],
    ['xx_r2', true, '+0.038 R²'],
  ]);
});
