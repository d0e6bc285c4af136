import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../nn/safetensors.js';
import { InputError } from '../errors.js';
import type { TaskEvaluation } from '../tasks/evaluate.js';
import type { AdfExperiment, FoldsExperiment, RangeExperiment } from '../tasks/experiments.js';
import type { ReferenceComparison } from '../tasks/reference.js';
import { histogram, lineChart, parityChart } from './svg.js';

type Validation = Pick<TaskEvaluation, 'outputs' | 'examples' | 'inputShape' | 'axis'> & {
  truth: Float64Array | Float32Array;
  pred: Float64Array | Float32Array;
  examplesInput: Float64Array | Float32Array;
};

function readValidation(dir: string, task: string): Validation | undefined {
  const file = join(dir, `${task}.validation.safetensors`);
  if (!existsSync(file)) return undefined;
  const { tensors, metadata } = readSafetensors(file);
  const get = (k: string) => {
    const t = tensors.get(k);
    if (t === undefined) throw new InputError(`${file}: missing tensor ${k}`);
    return t;
  };
  return {
    truth: get('truth').data,
    pred: get('pred').data,
    outputs: get('truth').shape[1],
    examples: Array.from(get('examples').data),
    examplesInput: get('examples_input').data,
    inputShape: get('examples_input').shape.slice(1),
    axis: JSON.parse(metadata.axis ?? 'null'),
  };
}

function readCard(dir: string, task: string): Record<string, unknown> | undefined {
  const file = join(dir, `${task}.card.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

const column = (a: ArrayLike<number>, width: number, c: number): Float64Array => Float64Array.from({ length: a.length / width }, (_, r) => a[r * width + c]);

function perRowMse(v: Validation): Float64Array {
  const n = v.truth.length / v.outputs;
  return Float64Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let k = 0; k < v.outputs; k++) s += (v.pred[r * v.outputs + k] - v.truth[r * v.outputs + k]) ** 2;
    return s / v.outputs;
  });
}

/**
 * The figures of a task: from a fresh evaluation when given, else the card's validation figures; the
 * card's comparison with the reference run and its training record below.
 */
function metricsTable(card: Record<string, unknown> | undefined, evaluation?: TaskEvaluation): string {
  const shown = (v: number | null): string => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : '—'); // JSON keeps NaN as null
  const figures = evaluation?.metrics ?? (card?.validation as Record<string, number | null> | undefined);
  if (!figures) return '';
  const rows = Object.entries(figures).map(([k, v]) => `<tr><td>${k}</td><td>${shown(v)}</td></tr>`).join('');
  let html = `<table><tr><th>${evaluation ? 'metric' : 'validation metric'}</th><th>value</th></tr>${rows}</table>`;
  if (evaluation) html += `<p class="small">Scored on ${evaluation.rows.replace(/</g, '&lt;')}.</p>`;
  const reference = card?.reference as ReferenceComparison[] | undefined;
  if (!evaluation && Array.isArray(reference) && reference.length > 0) {
    html += `<table><tr><th>figure</th><th>ours (validation)</th><th>reference run (its test set)</th><th>difference</th></tr>${reference
      .map((r) => `<tr><td>${r.figure}</td><td>${shown(r.ours)}</td><td>${shown(r.reference)}</td><td>${r.beats ? '' : '<b>not beaten:</b> '}${r.better_by}</td></tr>`)
      .join('')}</table>`;
  }
  const members = card?.members as { kind: string; weight?: number; validation: Record<string, number> }[] | undefined;
  if (!evaluation && Array.isArray(members) && members.length > 1) {
    const names = Object.keys(members[0].validation).filter((k) => !k.endsWith('median_rel'));
    html += `<table><tr><th>member</th><th>weight</th>${names.map((n) => `<th>${n} alone</th>`).join('')}</tr>${members
      .map((m) => `<tr><td>${m.kind}</td><td>${shown(m.weight ?? null)}</td>${names.map((n) => `<td>${shown(m.validation[n])}</td>`).join('')}</tr>`)
      .join('')}</table>`;
  }
  const data = card?.data as Record<string, unknown> | undefined;
  if (card && data) html += `<p class="small">Model: ${String((card.model as Record<string, unknown>)?.kind ?? '')}; ${data.train} training and ${data.validation} validation rows (${data.split}); ${card.training_seconds} s of training.</p>`;
  return html;
}

const AXIS_LABELS: Record<string, string> = { energy_eV: 'E − E_F (eV)', frequency_THz: 'frequency (THz)' };

/** Spectra of the example rows: truth against prediction, with the g(r) they were predicted from. */
function spectraPanels(v: Validation, yLabel: string): string {
  const [channels, length] = v.inputShape;
  const gridStep = length === 160 ? 0.05 : 0.1;
  const labels = ['most ordered', 'ordered', 'disordered', 'most disordered'];
  return v.examples
    .map((row, k) => {
      const x = v.axis?.values ?? Array.from({ length: v.outputs }, (_, i) => i);
      const spectrum = lineChart({
        title: `${labels[k]} (validation row ${row})`,
        xLabel: AXIS_LABELS[v.axis?.name ?? ''] ?? v.axis?.name ?? '',
        yLabel,
        series: [
          { name: 'true', x, y: v.truth.subarray(row * v.outputs, (row + 1) * v.outputs) },
          { name: 'predicted', x, y: v.pred.subarray(row * v.outputs, (row + 1) * v.outputs), dashed: true },
        ],
      });
      const r = Array.from({ length }, (_, i) => (i + 0.5) * gridStep);
      const g = lineChart({
        title: 'its g(r)',
        xLabel: 'r (Å)',
        yLabel: 'g(r)',
        width: 300,
        series: Array.from({ length: Math.min(channels, 2) }, (_, c) => ({ name: channels > 1 ? ['g2d', 'g3d'][c] : 'g(r)', x: r, y: v.examplesInput.subarray((k * channels + c) * length, (k * channels + c + 1) * length) })),
      });
      return `<div class="row">${spectrum}${g}</div>`;
    })
    .join('');
}

/**
 * One self-contained HTML report of a model folder: per task its card's metrics and, from the
 * validation predictions saved at training time, parity plots (σ, κ on log axes), error histograms
 * (spectra MSE, relative σ error, log10 κ/κ*) and true against predicted spectra of structures from
 * ordered to disordered with their g(r). Experiment results (experiment-*.json) are added when present.
 */
export function buildReport(modelDir: string, extra: { predictions?: string; evaluations?: TaskEvaluation[] } = {}): string {
  const sections: string[] = [];
  const evaluated = (task: string): TaskEvaluation | undefined => extra.evaluations?.find((e) => e.task === task);
  const validation = (task: string): Validation | undefined => (extra.evaluations ? evaluated(task) : readValidation(modelDir, task));
  const el = validation('el-dos');
  if (el) {
    sections.push(`<h2>Electronic DoS</h2>${metricsTable(readCard(modelDir, 'el-dos'), evaluated('el-dos'))}<div class="row">${histogram({ title: 'validation MSE per structure', xLabel: 'MSE ((states/eV/atom)²)', values: perRowMse(el) })}</div>${spectraPanels(el, 'DoS (states/eV/atom)')}`);
  }
  const sigma = validation('sigma');
  if (sigma) {
    const parts = ['xx', 'yy'].map((c, k) => {
      const t = column(sigma.truth, 2, k);
      const p = column(sigma.pred, 2, k);
      return parityChart({ title: `σ_${c}`, truth: t, pred: p, log: true, xLabel: 'σ from DFT', yLabel: 'σ predicted' }) + histogram({ title: `relative error σ_${c}`, xLabel: '(pred − true) / true', values: Float64Array.from(t, (v, i) => (p[i] - v) / v) });
    });
    sections.push(`<h2>Electric conductivity σ</h2>${metricsTable(readCard(modelDir, 'sigma'), evaluated('sigma'))}<div class="row">${parts.join('')}</div>`);
  }
  const ph = validation('ph-dos');
  if (ph) {
    sections.push(`<h2>Phonon DoS</h2>${metricsTable(readCard(modelDir, 'ph-dos'), evaluated('ph-dos'))}<div class="row">${histogram({ title: 'validation MSE per structure', xLabel: 'MSE', values: perRowMse(ph) })}</div>${spectraPanels(ph, 'ph-DoS (per 1-THz bin)')}`);
  }
  const kappa = validation('kappa');
  if (kappa) {
    const t = Float64Array.from(kappa.truth, (v) => 10 ** v);
    const p = Float64Array.from(kappa.pred, (v) => 10 ** v);
    sections.push(
      `<h2>Thermal conductivity κ</h2>${metricsTable(readCard(modelDir, 'kappa'), evaluated('kappa'))}<div class="row">${parityChart({ title: 'κ (W/(m·K))', truth: t, pred: p, log: true, xLabel: 'κ from Green–Kubo MD', yLabel: 'κ predicted' })}${histogram({ title: 'log10 κ/κ*', xLabel: 'log10 (predicted / true)', values: Float64Array.from(kappa.pred, (v, i) => v - kappa.truth[i]) })}</div>`,
    );
  }
  const adfFile = join(modelDir, 'experiment-adf.json');
  if (existsSync(adfFile)) {
    const e = JSON.parse(readFileSync(adfFile, 'utf8')) as AdfExperiment;
    const rows = e.seeds.map((seed, k) => `<tr><td>${seed}</td><td>${e.pcf[k].toExponential(3)}</td><td>${e.pcfAdf[k].toExponential(3)}</td></tr>`).join('');
    sections.push(
      `<h2>Experiment: does the ADF help?</h2><p>el-DoS validation MSE, ${e.epochs} epochs per run. With the ADF the mean MSE changes by <b>${(100 * e.relativeChange).toFixed(1)} %</b> (negative: the ADF helps; the paper reports about −10 %).</p><table><tr><th>seed</th><th>PCF</th><th>PCF + ADF</th></tr>${rows}</table>`,
    );
  }
  const adfCard = readCard(join(modelDir, 'adf'), 'el-dos');
  const pcfCard = readCard(modelDir, 'el-dos');
  if (adfCard && pcfCard) {
    const mse = (c: Record<string, unknown>) => (c.validation as Record<string, number>).mse;
    const channels = (c: Record<string, unknown>) => ((c.descriptor as { channels?: number[] }).channels ?? []).length;
    const change = (mse(adfCard) - mse(pcfCard)) / mse(pcfCard);
    sections.push(
      `<h2>The shipped el-DoS models with and without the ADF</h2><p>Same recipe, split and seed; the model in <code>adf/</code> sees the ADF channel as well. Validation MSE changes by <b>${(100 * change).toFixed(1)} %</b> with the ADF.</p><table><tr><th>model</th><th>input channels</th><th>validation MSE</th></tr><tr><td>${String((pcfCard.model as Record<string, unknown>).kind)}</td><td>${channels(pcfCard)}</td><td>${mse(pcfCard).toExponential(3)}</td></tr><tr><td>adf/: ${String((adfCard.model as Record<string, unknown>).kind)}</td><td>${channels(adfCard)}</td><td>${mse(adfCard).toExponential(3)}</td></tr></table>`,
    );
  }
  const rangeFile = join(modelDir, 'experiment-range.json');
  if (existsSync(rangeFile)) {
    const e = JSON.parse(readFileSync(rangeFile, 'utf8')) as RangeExperiment;
    const label = e.task === 'kappa' ? 'mean |Δlog10 κ|' : 'validation MSE';
    sections.push(
      `<h2>Experiment: where is the information in g(r)?</h2><p>${e.task} validation error of networks that see g(r) only below r_max (${e.epochs} epochs, seed ${e.seed}); the paper finds that what matters lies below 1.8 Å.</p>` +
        lineChart({ title: `${e.task}: error against r_max`, xLabel: 'r_max (Å)', yLabel: label, width: 480, series: [{ name: label, x: e.rMax_A, y: e.error }] }),
    );
  }
  for (const file of existsSync(modelDir) ? readdirSync(modelDir).filter((f) => /^experiment-folds-.*\.json$/.test(f)).sort() : []) {
    const e = JSON.parse(readFileSync(join(modelDir, file), 'utf8')) as FoldsExperiment;
    const rows = e.seeds.map((seed, k) => `<tr><td>${seed}</td><td>${e.main.values[k].toPrecision(4)}</td></tr>`).join('');
    sections.push(
      `<h2>Spread over validation folds: ${e.task}</h2><p>The ${e.recipe} recipe trained once per seed, each seed drawing another validation tenth of the data. ${e.main.figure}: mean <b>${e.main.mean.toPrecision(4)}</b> over ${e.seeds.length} folds; the reference run's figure on its own test set is ${e.main.reference.toPrecision(4)}.</p><table><tr><th>seed</th><th>${e.main.figure}</th></tr>${rows}</table>`,
    );
  }
  if (sections.length === 0) throw new InputError(`${modelDir}: no validation results (*.validation.safetensors); train with \`spramnet train\` first`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>spramnet report</title><style>
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}h2{border-bottom:1px solid #ccc;margin-top:2em}
.row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}.small{color:#666;font-size:90%}
</style></head><body><h1>spramnet: models of amorphous monolayer carbon</h1>
<p>${extra.evaluations ? 'The models in' : 'Validation results of the models in'} <code>${modelDir.replace(/</g, '&lt;')}</code>${extra.evaluations ? ', scored now on a database' : ', computed at training time on held-out rows'} with the metrics of data.md. Data: the public SPRamNet release (Cheng et al.).</p>
${extra.predictions ?? ''}${sections.join('\n')}</body></html>\n`;
}
