import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AseDatabase } from '../../src/data/aseDb.js';
import { writeNpy } from '../../src/io/npy.js';
import { buildReport } from '../../src/report/report.js';
import { evaluateModels } from '../../src/tasks/evaluate.js';
import type { PcfInput } from '../../src/tasks/modelInput.js';
import { scalarMetrics, spectraMse } from '../../src/tasks/metrics.js';
import { loadModelSet, predictInputs } from '../../src/tasks/predict.js';
import { registerTask, unregisterTask, type TaskSpec } from '../../src/tasks/taskSpec.js';
import { trainTask } from '../../src/tasks/train.js';
import { random, tempDir } from '../helpers.js';

/**
 * A new property in one file: the "coordination" of a toy g(r), learnt by kernel ridge and trees.
 * Nothing else in the package is touched; training, predict, evaluation and the report take it
 * from the task table.
 */
const GRID: PcfInput = { kind: 'public-thermal-rdf', bins: 20, step_A: 0.25, start_A: 0 };
/** The label: a known smooth function of the g(r), so a model can learn it. */
const truthOf = (g: ArrayLike<number>): number => 2 + Array.from(g).reduce((s, v, k) => s + v * Math.sin(k / 3), 0);

const TOY: TaskSpec = {
  name: 'toy-coordination',
  title: 'Toy coordination',
  jsonKey: 'toy_coordination',
  input: 'pcf',
  pcfGrid: GRID,
  label: (row) => (row.keyValues.toy === undefined ? undefined : [Number(row.keyValues.toy)]),
  outputs: 1,
  metrics: (pred, truth) => {
    const m = scalarMetrics(pred, truth);
    return { rmse: m.rmse, r2: m.r2 };
  },
  mainFigure: 'rmse',
  metricNames: { rmse: 'RMSE (bonds)', r2: 'R²' },
  innerLoss: spectraMse,
  recipes: {
    ensemble: {
      description: 'kernel ridge and trees',
      members: (_input, seed) => [
        { kind: 'krr', settings: { kernel: 'rbf', standardise: true, grid: { gammaScales: [0.1, 0.3], alphas: [1e-3, 1e-2] } } },
        { kind: 'gbdt', settings: { maxDepth: 3, eta: 0.3, rounds: 30, seed } },
      ],
    },
  },
  defaultRecipe: 'ensemble',
  toJson: (y) => ({ toy_coordination: { value: y[0] } }),
  summary: (j) => `toy ${(j as { value: number }).value.toFixed(2)}`,
  display: { kind: 'scalars', shown: (v) => v, valueLabel: 'toy coordination', truthSource: 'toy truth', error: 'relative' },
};

test('a toy task defined in one file trains, predicts, scores and reports through the task table', () => {
  registerTask(TOY);
  try {
    const dir = tempDir();
    const db = join(dir, 'toy.db');
    const store = new AseDatabase(db);
    const rand = random(5);
    const rows = Array.from({ length: 120 }, () => Float64Array.from({ length: GRID.bins }, () => rand()));
    rows.forEach((g, k) => store.write(`toy-${k}`, undefined, { set: 'toy', toy: truthOf(g) }, { rdf: g }));
    store.close();
    const models = join(dir, 'models');
    const card = trainTask(db, TOY.name, models, { seed: 1, validationFraction: 0.25 });
    assert.deepEqual(card.members.map((m) => m.kind), ['krr', 'gbdt']);
    assert.ok(card.validation.r2 > 0.5, `the toy is learnt: validation R² ${card.validation.r2}`);
    // predict from .npy files of the toy grid: the task's own JSON key, the label's function learnt
    const fresh = Array.from({ length: 3 }, () => Float64Array.from({ length: GRID.bins }, () => rand()));
    const files = fresh.map((g, k) => {
      const file = join(dir, `g${k}.npy`);
      writeNpy(file, { data: g, shape: [GRID.bins] });
      return file;
    });
    const predictions = predictInputs(files, loadModelSet(models, [TOY.name]));
    predictions.forEach((p, k) => {
      const value = (p.toy_coordination as { value: number }).value;
      assert.ok(Math.abs(value - truthOf(fresh[k])) < 1.5, `${value} vs ${truthOf(fresh[k])}`);
    });
    const evaluation = evaluateModels(db, models);
    assert.equal(evaluation.length, 1);
    assert.equal(evaluation[0].metrics.rmse, card.validation.rmse, 'evaluation reproduces the card from the store');
    const html = buildReport(models);
    assert.match(html, /<h2>Toy coordination<\/h2>/);
    assert.match(html, /RMSE \(bonds\)/);
    assert.match(readFileSync(join(models, `${TOY.name}.ensemble.json`), 'utf8'), /"kind": "krr"/);
  } finally {
    unregisterTask(TOY.name);
  }
});

test('intervals widened by the distance to the training rows: trained into the manifest, narrow for inputs like the training rows, wide far from them', () => {
  const spec: TaskSpec = {
    ...TOY,
    intervals: { scale: 'distance' },
    toJson: (y, { low, high }) => ({ toy_coordination: { value: y[0], interval90: low && high ? [low[0], high[0]] : undefined } }),
  };
  registerTask(spec);
  try {
    const dir = tempDir();
    const db = join(dir, 'toy.db');
    const store = new AseDatabase(db);
    const rand = random(9);
    const rows = Array.from({ length: 400 }, () => Float64Array.from({ length: GRID.bins }, () => rand()));
    rows.forEach((g, k) => store.write(`toy-${k}`, undefined, { set: 'toy', toy: truthOf(g) + 0.05 * (rand() - 0.5) }, { rdf: g }));
    store.close();
    const models = join(dir, 'models');
    const card = trainTask(db, spec.name, models, { seed: 1, validationFraction: 0.25 });
    const manifest = JSON.parse(readFileSync(join(models, `${spec.name}.ensemble.json`), 'utf8'));
    assert.equal(manifest.uncertainty.scale, 'distance');
    assert.ok(card.uncertainty && card.uncertainty.coverage_validation > 0.75, `validation coverage ${card.uncertainty?.coverage_validation}`);
    const like = Float64Array.from({ length: GRID.bins }, () => rand());
    const far = like.map((v) => 6 * v);
    const files = [like, far].map((g, k) => {
      const file = join(dir, `g${k}.npy`);
      writeNpy(file, { data: g, shape: [GRID.bins] });
      return file;
    });
    const [near, away] = predictInputs(files, loadModelSet(models, [spec.name])).map((p) => (p.toy_coordination as { value: number; interval90: [number, number] }));
    const width = (i: [number, number]) => i[1] - i[0];
    const typical = card.uncertainty!.median_width_per_output![0];
    assert.ok(Math.abs(width(near.interval90) / typical - 1) < 0.5, `an input like the training rows: width ${width(near.interval90)} vs the validation median ${typical}`);
    assert.ok(width(away.interval90) > 3 * width(near.interval90), `far input ${width(away.interval90)} vs near ${width(near.interval90)}`);
    assert.ok(near.interval90[0] <= near.value && near.value <= near.interval90[1]);
  } finally {
    unregisterTask(spec.name);
  }
});
