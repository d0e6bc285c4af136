/**
 * Issue "accuracy", lever 2: do factory labels help the thermal models on the public rows? For each
 * seed a task is trained twice, on the public store alone and on the public store together with a
 * campaign's store, and both are scored on the same public validation rows: the split is made within
 * each origin, and the public rows' share of it depends only on their count, the seed and the
 * fraction (splitRowsByGroup), so adding campaign rows leaves the public validation rows unchanged
 * (checked below: the same count and the same truth values). Prints one JSON line per task: the
 * public-row figure with and without, per seed, their ratio, and the training seconds.
 * usage: node dist/bench/factoryLabels.js PUBLIC.db CAMPAIGN.db [tasks=ph-dos,kappa] [seeds=0,1,2] [OUT.json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomicWrite.js';
import { readValidation } from '../src/tasks/modelFolder.js';
import { taskSpec } from '../src/tasks/taskSpec.js';
import '../src/tasks/allTasks.js';
import { trainTask } from '../src/tasks/train.js';

const [publicDb, campaignDb, tasksArg = 'ph-dos,kappa', seedsArg = '0,1,2', outFile] = process.argv.slice(2);
if (!publicDb || !campaignDb) {
  console.error('usage: node dist/bench/factoryLabels.js PUBLIC.db CAMPAIGN.db [tasks=ph-dos,kappa] [seeds=0,1,2] [OUT.json]');
  process.exit(2);
}
const seeds = seedsArg.split(',').map(Number);
const results: Record<string, unknown> = {};

for (const task of tasksArg.split(',')) {
  const spec = taskSpec(task);
  const perSeed: Array<Record<string, number>> = [];
  for (const seed of seeds) {
    const dir = mkdtempSync(join(tmpdir(), `factory-${task}-`));
    try {
      let t = performance.now();
      const alone = trainTask(publicDb, task, join(dir, 'public'), { seed });
      const aloneSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const both = trainTask([publicDb, campaignDb], task, join(dir, 'both'), { seed });
      const bothSeconds = (performance.now() - t) / 1000;
      const publicOrigin = Object.entries(both.origins ?? {}).find(([, o]) => o.rows === alone.data.rows);
      if (!publicOrigin?.[1].figures) throw new Error(`${task}: no origin of the combined card has the public store's ${alone.data.rows} rows`);
      const [name, origin] = publicOrigin;
      if (origin.validation !== alone.data.validation) throw new Error(`${task}: ${origin.validation} public validation rows with the campaign, ${alone.data.validation} without`);
      // the same public rows: the public-only validation truth is the combined one's public part
      const truthAlone = readValidation(join(dir, 'public'), task)!.truth;
      const truthBoth = readValidation(join(dir, 'both'), task)!.truth;
      // public rows come first in the combined store, so their validation rows lead its validation file
      if (truthAlone.some((x, k) => x !== truthBoth[k])) throw new Error(`${task}: the public validation rows differ`);
      const figure = spec.mainFigure;
      perSeed.push({ seed, public_alone: alone.validation[figure], with_campaign: origin.figures![figure], campaign_rows: (both.data.rows - alone.data.rows), seconds_alone: aloneSeconds, seconds_with_campaign: bothSeconds });
      console.error(`${task} seed ${seed}: ${figure} on ${origin.validation} public validation rows (${name}) ${alone.validation[figure]} alone, ${origin.figures![figure]} with ${both.data.rows - alone.data.rows} campaign rows`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const mean = (k: string) => perSeed.reduce((a, s) => a + s[k], 0) / perSeed.length;
  results[task] = { figure: spec.mainFigure, seeds: perSeed, mean_public_alone: mean('public_alone'), mean_with_campaign: mean('with_campaign'), ratio_with_to_alone: mean('with_campaign') / mean('public_alone') };
  console.log(JSON.stringify({ task, ...(results[task] as object) }));
}
if (outFile) writeFileAtomic(outFile, JSON.stringify(results, null, 1) + '\n');
