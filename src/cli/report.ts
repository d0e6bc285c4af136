import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { buildReport } from '../report/report.js';
import { lineChart } from '../report/svg.js';
import { InputError } from '../errors.js';
import { evaluateModels, type EvaluationRows } from '../tasks/evaluate.js';
import { loadModelSet, predictInputs, type Prediction } from '../tasks/predict.js';
import { SHIPPED_MODELS } from './tasks.js';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

/** A section of the report with the predictions for given inputs: a table and the el-DoS curves. */
export function predictionsSection(predictions: Prediction[]): string {
  const rows = predictions
    .map((p) => {
      const name = p.input.split('/').pop() ?? p.input;
      if (p.error) return `<tr><td>${name}</td><td colspan="3">${p.error.replace(/</g, '&lt;')}</td></tr>`;
      return `<tr><td>${name}</td><td>${p.sigma ? p.sigma.xx.toPrecision(4) : ''}</td><td>${p.sigma ? p.sigma.yy.toPrecision(4) : ''}</td><td>${p.el_dos ? p.el_dos.dos[40].toPrecision(3) : ''}</td></tr>`;
    })
    .join('');
  const curves = predictions.filter((p) => p.el_dos).map((p) => ({ name: (p.input.split('/').pop() ?? p.input).replace('POSCAR_', ''), x: p.el_dos!.energy_eV, y: p.el_dos!.dos }));
  const chart = curves.length ? lineChart({ title: 'predicted el-DoS of the examples', xLabel: 'E − E_F (eV)', yLabel: 'DoS (states/eV/atom)', width: 560, series: curves }) : '';
  return `<h2>Predictions for the example structures</h2><table><tr><th>structure</th><th>σ_xx</th><th>σ_yy</th><th>DoS(E_F)</th></tr>${rows}</table>${chart}`;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a model folder (parity plots, error histograms, spectra, experiments)')
    .option('--models <dir>', 'model folder (default: the shipped models)')
    .option('--data <amc.db>', 'score the models now on this database (default: the validation predictions saved at training time)')
    .option('--rows <rows>', 'with --data: validation (the rows of the split each card records) or all (every labelled row)', 'validation')
    .requiredOption('--out <report.html>', 'HTML file')
    .action((o: { models?: string; data?: string; rows: string; out: string }) => {
      if (o.rows !== 'validation' && o.rows !== 'all') throw new InputError(`--rows must be validation or all, got "${o.rows}"`);
      const models = o.models ?? SHIPPED_MODELS;
      const evaluations = o.data === undefined ? undefined : evaluateModels(o.data, models, o.rows as EvaluationRows, (task) => console.error(`scoring ${task} on ${o.data}`));
      writeFileAtomic(o.out, buildReport(models, { evaluations }));
      console.error(`wrote ${o.out}`);
    });

  program
    .command('demo')
    .description('predict for the example structures with the shipped models and write the report')
    .option('--out <dir>', 'output folder', 'spramnet-demo')
    .action((o: { out: string }) => {
      mkdirSync(o.out, { recursive: true });
      const inputs = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR')).sort().map((f) => join(EXAMPLES, f));
      const predictions = predictInputs(inputs, loadModelSet(SHIPPED_MODELS));
      for (const p of predictions) {
        const name = p.input.split('/').pop();
        console.log(p.error ? `${name}\terror: ${p.error}` : `${name}\tσ_xx ${p.sigma?.xx.toPrecision(4)}\tσ_yy ${p.sigma?.yy.toPrecision(4)}\tDoS(E_F) ${p.el_dos?.dos[40].toPrecision(3)} states/eV/atom`);
      }
      writeFileAtomic(join(o.out, 'predictions.json'), JSON.stringify(predictions, null, 1) + '\n');
      writeFileAtomic(join(o.out, 'report.html'), buildReport(SHIPPED_MODELS, { predictions: predictionsSection(predictions) }));
      console.error(`wrote ${join(o.out, 'predictions.json')} and ${join(o.out, 'report.html')}`);
    });
}
