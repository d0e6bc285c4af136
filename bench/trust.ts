/**
 * Issue "predictions a scientist can trust": what the domain check and the intervals cost, and how
 * often the public data themselves are judged in domain.
 *   node dist/bench/trust.js [models-dir] [amc.db]
 * Prints JSON lines: predict throughput with domain check and intervals against the same models
 * without them (ratio, aim ≤ 1.2), and the in-domain rate of every public row per task (training
 * and validation rows of each card's split apart).
 */
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { splitRows } from '../src/data/splits.js';
import { checkDomain } from '../src/tasks/domain.js';
import { cardSplit } from '../src/tasks/modelFolder.js';
import { loadModelSet, predictInputs, type ModelSet } from '../src/tasks/predict.js';
import { loadTaskData } from '../src/tasks/taskData.js';
import { taskSpecs } from '../src/tasks/taskSpec.js';
import { gatherRows } from '../src/util/rows.js';

const root = join(import.meta.dirname, '..', '..');
const modelsDir = process.argv[2] ?? join(root, 'models');
const db = process.argv[3];
const examples = join(root, 'examples');
const inputs = readdirSync(examples).map((f) => join(examples, f));

const models = loadModelSet(modelsDir);
// the same members without calibration and domain reference: what predict cost before
const bare: ModelSet = {};
for (const [name, model] of Object.entries(models)) bare[name] = model!.withoutTrustChecks();
const time = (set: ModelSet, rounds: number): number => {
  const started = performance.now();
  for (let r = 0; r < rounds; r++) predictInputs(inputs, set);
  return (performance.now() - started) / 1000 / rounds;
};
time(models, 1);
time(bare, 1);
const rounds = 5;
let withChecks = Infinity;
let without = Infinity;
for (let k = 0; k < 3; k++) {
  withChecks = Math.min(withChecks, time(models, rounds));
  without = Math.min(without, time(bare, rounds));
}
console.log(JSON.stringify({ bench: 'predict with domain check and intervals', inputs: inputs.length, seconds_with: withChecks, seconds_without: without, ratio: withChecks / without, inputs_per_second: inputs.length / withChecks }));

if (db !== undefined) {
  for (const spec of taskSpecs()) {
    const model = models[spec.name];
    if (!model?.domain) continue;
    const data = loadTaskData(db, spec, model.input);
    const { seed, fraction } = cardSplit(modelsDir, spec.name);
    const split = splitRows(data.count, seed, fraction);
    const width = data.channels * data.length;
    const rate = (rows: Int32Array) => {
      let inside = 0;
      for (const r of rows) if (checkDomain(model.domain!, gatherRows(data.x, width, [r]), data.stats?.[r]).in_domain) inside++;
      return inside / rows.length;
    };
    console.log(JSON.stringify({ bench: 'in-domain rate of the public rows', task: spec.name, training_rows: split.train.length, training_rate: rate(split.train), validation_rows: split.validation.length, validation_rate: rate(split.validation) }));
  }
}
