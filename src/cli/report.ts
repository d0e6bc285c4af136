import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { buildReport, predictionsSection } from '../report/report.js';
import { evaluateModels, type EvaluationRows } from '../tasks/evaluate.js';
import { loadModelSet, predictInputs, predictionSummary } from '../tasks/predict.js';
import { SHIPPED_MODELS } from './tasks.js';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a model folder (parity plots, error histograms, spectra, experiments)')
    .option('--models <dir>', 'model folder (default: the shipped models)')
    .option('--data <stores...>', 'score the models now on these stores (any spramnet store: public import, label --db, a campaign; default: the validation predictions saved at training time)')
    .option('--rows <rows>', 'with --data: validation (the rows of the split each card records) or all (every labelled row)', 'validation')
    .requiredOption('--out <report.html>', 'HTML file')
    .action((o: { models?: string; data?: string[]; rows: string; out: string }) => {
      const models = o.models ?? SHIPPED_MODELS;
      const evaluations = o.data === undefined ? undefined : evaluateModels(o.data, models, o.rows as EvaluationRows, (task) => console.error(`scoring ${task} on ${o.data!.join(', ')}`));
      writeFileAtomic(o.out, buildReport(models, { evaluations }));
      console.error(`wrote ${o.out}`);
    });

  program
    .command('demo')
    .description('predict for the example structures and g(r) with the shipped models and write the report')
    .option('--out <dir>', 'output folder', 'spramnet-demo')
    .action((o: { out: string }) => {
      mkdirSync(o.out, { recursive: true });
      // the example structures (el-DoS, σ) and g(r) of the thermal set (ph-DoS, κ)
      const inputs = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR') || f.startsWith('rdf_')).sort().map((f) => join(EXAMPLES, f));
      const predictions = predictInputs(inputs, loadModelSet(SHIPPED_MODELS));
      for (const p of predictions) console.log(predictionSummary({ ...p, input: p.input.split('/').pop() ?? p.input }));
      writeFileAtomic(join(o.out, 'predictions.json'), JSON.stringify(predictions, null, 1) + '\n');
      writeFileAtomic(join(o.out, 'report.html'), buildReport(SHIPPED_MODELS, { predictions: predictionsSection(predictions) }));
      console.error(`wrote ${join(o.out, 'predictions.json')} and ${join(o.out, 'report.html')}`);
    });
}
