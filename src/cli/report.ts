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

const nameOf = (p: Prediction): string => p.input.split('/').pop() ?? p.input;
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A section of the report with the predictions for given inputs: tables, the el-DoS and ph-DoS curves. */
export function predictionsSection(predictions: Prediction[]): string {
  const structures = predictions.filter((p) => p.el_dos || p.sigma || (p.error && !p.ph_dos && !p.kappa));
  const pcfs = predictions.filter((p) => p.ph_dos || p.kappa);
  const rows = structures
    .map((p) => {
      if (p.error) return `<tr><td>${escape(nameOf(p))}</td><td colspan="3">${escape(p.error)}</td></tr>`;
      return `<tr><td>${escape(nameOf(p))}</td><td>${p.sigma ? p.sigma.xx.toPrecision(4) : ''}</td><td>${p.sigma ? p.sigma.yy.toPrecision(4) : ''}</td><td>${p.el_dos ? p.el_dos.dos[40].toPrecision(3) : ''}</td></tr>`;
    })
    .join('');
  const curves = structures.filter((p) => p.el_dos).map((p) => ({ name: nameOf(p).replace('POSCAR_', ''), x: p.el_dos!.energy_eV, y: p.el_dos!.dos }));
  const chart = curves.length ? lineChart({ title: 'predicted el-DoS of the examples', xLabel: 'E − E_F (eV)', yLabel: 'DoS (states/eV/atom)', width: 560, series: curves }) : '';
  let html = `<h2>Predictions for the example structures</h2><table><tr><th>structure</th><th>σ_xx</th><th>σ_yy</th><th>DoS(E_F)</th></tr>${rows}</table>${chart}`;
  if (pcfs.length > 0) {
    const thermalRows = pcfs.map((p) => `<tr><td>${escape(nameOf(p))}</td><td>${p.kappa ? p.kappa.W_mK.toPrecision(3) : ''}</td></tr>`).join('');
    const phonons = pcfs.filter((p) => p.ph_dos).map((p) => ({ name: nameOf(p), x: p.ph_dos!.frequency_THz, y: p.ph_dos!.dos }));
    const phChart = phonons.length ? lineChart({ title: 'predicted ph-DoS of the example g(r)', xLabel: 'frequency (THz)', yLabel: 'ph-DoS (per 1-THz bin)', width: 560, series: phonons }) : '';
    html += `<h2>Predictions for the example g(r)</h2><table><tr><th>g(r)</th><th>κ (W/(m·K))</th></tr>${thermalRows}</table>${phChart}`;
  }
  return html;
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
    .description('predict for the example structures and g(r) with the shipped models and write the report')
    .option('--out <dir>', 'output folder', 'spramnet-demo')
    .action((o: { out: string }) => {
      mkdirSync(o.out, { recursive: true });
      // the example structures (el-DoS, σ) and g(r) of the thermal set (ph-DoS, κ)
      const inputs = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR') || f.startsWith('rdf_')).sort().map((f) => join(EXAMPLES, f));
      const predictions = predictInputs(inputs, loadModelSet(SHIPPED_MODELS));
      for (const p of predictions) {
        const name = p.input.split('/').pop();
        if (p.error) console.log(`${name}\terror: ${p.error}`);
        else if (p.kappa) console.log(`${name}\tκ ${p.kappa.W_mK.toPrecision(3)} W/(m·K)`);
        else console.log(`${name}\tσ_xx ${p.sigma?.xx.toPrecision(4)}\tσ_yy ${p.sigma?.yy.toPrecision(4)}\tDoS(E_F) ${p.el_dos?.dos[40].toPrecision(3)} states/eV/atom`);
      }
      writeFileAtomic(join(o.out, 'predictions.json'), JSON.stringify(predictions, null, 1) + '\n');
      writeFileAtomic(join(o.out, 'report.html'), buildReport(SHIPPED_MODELS, { predictions: predictionsSection(predictions) }));
      console.error(`wrote ${join(o.out, 'predictions.json')} and ${join(o.out, 'report.html')}`);
    });
}
