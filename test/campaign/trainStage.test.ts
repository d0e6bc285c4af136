import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PH_DOS_BIN_CENTRES_THZ } from '../../src/data/labels.js';
import { readCard, readValidation } from '../../src/tasks/modelFolder.js';
import { CLI, EXAMPLES, run, tempDir } from '../helpers.js';
import { writePlan } from './helpers.js';
import { AseDatabase } from '../../src/data/aseDb.js';

test('the tiny example plan with a train and an evaluate stage runs to the end: a ph-DoS model trained on its store, and a report whose centroid parity is that of the validation file', { timeout: 600_000 }, () => {
  const dir = tempDir();
  const text = `${readFileSync(join(EXAMPLES, 'campaigns', 'tiny.toml'), 'utf8')}
[stages.models]
kind = "train"
tasks = ["ph-dos"]
epochs = 5
validation_fraction = 0.25

[stages.report]
kind = "evaluate"
`;
  const plan = writePlan(dir, text);
  const out = join(dir, 'run');
  const r = run(process.execPath, [CLI, 'campaign', 'run', plan, '--dir', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  const db = new AseDatabase(join(out, 'store.db'), { mustExist: true });
  assert.equal(db.select().length, 12, 'one store row per sheet');
  db.close();

  const models = join(out, 'models', 'models');
  const card = readCard(models, 'ph-dos');
  assert.ok(card, 'the train stage wrote a ph-DoS card');
  assert.equal(card.data.rows, 12);
  assert.equal(card.data.validation, 3);

  // the report's centroid error, recomputed here from the validation record the train stage wrote
  const v = readValidation(models, 'ph-dos')!;
  const bins = PH_DOS_BIN_CENTRES_THZ.length;
  const centroid = (values: ArrayLike<number>, row: number): number => {
    const spectrum = Array.from({ length: bins }, (_, k) => Math.max(0, values[row * bins + k]));
    return spectrum.reduce((a, p, k) => a + p * PH_DOS_BIN_CENTRES_THZ[k], 0) / spectrum.reduce((a, p) => a + p, 0);
  };
  const rows = v.truth.length / bins;
  let absolute = 0;
  for (let row = 0; row < rows; row++) absolute += Math.abs(centroid(v.truth, row) - centroid(v.pred, row));
  const summary = JSON.parse(readFileSync(join(out, 'report', 'summary.json'), 'utf8')) as { models: Record<string, { rows: number; centroid_mae?: number; validation: Record<string, number> }> };
  assert.equal(summary.models['ph-dos'].rows, 12);
  assert.ok(Math.abs(summary.models['ph-dos'].centroid_mae! - absolute / rows) < 1e-9, `${summary.models['ph-dos'].centroid_mae} vs ${absolute / rows}`);
  assert.equal(summary.models['ph-dos'].validation.mse, card.validation.mse);
  const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
  assert.match(html, /<h2>Models trained on the campaign<\/h2>/);
  assert.match(html, /Phonon DoS: validation, centroid/);
});
