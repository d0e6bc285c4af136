import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { TaskEvaluation } from '../tasks/evaluate.js';
import type { AdfExperiment, FoldsExperiment, RangeExperiment } from '../tasks/experiments.js';
import { inputShape, inputStep_A } from '../tasks/modelInput.js';
import { findManifest, folderMaterial, readCard, readExperiments, readValidation, type ModelCard } from '../tasks/modelFolder.js';
import type { Prediction } from '../tasks/predict.js';
import { allTaskSpecs, taskMaterial, taskSpecs, type TaskSpec } from '../tasks/taskSpec.js';
import { DEFAULT_MATERIAL, materialByName } from '../materials/material.js';
import '../tasks/allTasks.js';
import { histogram, lineChart, parityChart, sideBySide } from './svg.js';
import { occupiedLength } from '../data/spectrumPeak.js';

/** What a task section draws: truth and predictions (fit space, finished) of some rows, and a few example inputs. */
interface Scored {
  truth: ArrayLike<number>;
  pred: ArrayLike<number>;
  outputs: number;
  examples: number[];
  examplesInput: Float64Array | Float32Array;
  inputShape: number[];
  /** What the rows are to the model. */
  rowLabel: string;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const shown = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : '—'); // JSON keeps NaN as null
const column = (a: ArrayLike<number>, width: number, c: number): Float64Array => Float64Array.from({ length: a.length / width }, (_, r) => a[r * width + c]);

function perRowMse(v: Scored): Float64Array {
  const n = v.truth.length / v.outputs;
  return Float64Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let k = 0; k < v.outputs; k++) s += (v.pred[r * v.outputs + k] - v.truth[r * v.outputs + k]) ** 2;
    return s / v.outputs;
  });
}

const metricName = (spec: TaskSpec, key: string): string => escape(spec.metricNames[key] ?? key);

/** The figures of a task (a fresh evaluation, else the card's), the reference comparison, members and training record. */
function metricsTable(spec: TaskSpec, card: ModelCard | undefined, evaluation?: TaskEvaluation): string {
  const figures = evaluation?.metrics ?? card?.validation;
  if (!figures) return '';
  const rows = Object.entries(figures).map(([k, v]) => `<tr><td>${metricName(spec, k)}</td><td>${shown(v)}</td></tr>`).join('');
  let html = `<table><tr><th>${evaluation ? 'metric' : 'validation metric'}</th><th>value</th></tr>${rows}</table>`;
  if (evaluation) {
    html += `<p class="small">Scored on ${escape(evaluation.rows)}.</p>`;
    if (evaluation.rowKind === 'all') html += `<p class="warning"><b>Warning:</b> these rows include the rows the models were trained on, so the figures are better than on unseen data. Score a database the models never saw, or use the validation rows.</p>`;
  }
  if (!evaluation && card && card.reference.length > 0) {
    html += `<table><tr><th>figure</th><th>ours (validation)</th><th>reference run (its test set)</th><th>difference</th></tr>${card.reference
      .map((r) => `<tr><td>${metricName(spec, r.figure)}</td><td>${shown(r.ours)}</td><td>${shown(r.reference)}</td><td>${r.beats ? '' : '<b>not beaten:</b> '}${r.better_by}</td></tr>`)
      .join('')}</table>`;
  }
  if (!evaluation && card && card.members.length > 1) {
    const names = Object.keys(card.members[0].validation).filter((k) => !k.endsWith('median_rel'));
    html += `<table><tr><th>member</th><th>weight</th>${names.map((n) => `<th>${metricName(spec, n)} alone</th>`).join('')}</tr>${card.members
      .map((m) => `<tr><td>${m.kind}</td><td>${shown(m.weight)}</td>${names.map((n) => `<td>${shown(m.validation[n])}</td>`).join('')}</tr>`)
      .join('')}</table>`;
  }
  if (!evaluation && card?.uncertainty) html += `<p>90 % intervals (${escape(card.uncertainty.method)}, ${card.uncertainty.calibration_rows} calibration rows): <b>${(100 * card.uncertainty.coverage_validation).toFixed(1)} %</b> of the validation values fall inside.</p>`;
  if (card) html += `<p class="small">Model: ${escape(String(card.model.kind ?? ''))}; ${card.data.train} training and ${card.data.validation} validation rows (${escape(card.data.split)}); ${card.training_seconds} s of training.</p>`;
  return html;
}

/**
 * Spectra cut where they end: the axis stops at the next multiple of 10 axis units past the last bin
 * any of them (true, predicted or a band's edge) reaches above 0.1 % of their maximum — a ph-DoS
 * ends near 60–85 THz, not at the label's 100.
 */
function trimmedSeries<T extends { y: ArrayLike<number> }>(x: readonly number[], series: T[]): { x: number[]; series: (T & { x: number[]; y: number[] })[] } {
  const end = occupiedLength(series.map((s) => s.y));
  const step = x.length > 1 ? x[1] - x[0] : 1;
  const limit = x[Math.max(0, end - 1)] !== undefined ? Math.ceil((x[Math.max(0, end - 1)] + step / 2) / 10) * 10 : Infinity;
  const keep = x.filter((v) => v <= limit + 1e-9).length;
  return { x: x.slice(0, keep), series: series.map((s) => ({ ...s, x: x.slice(0, keep), y: Array.from(s.y).slice(0, keep) })) };
}

/** Spectra of the example rows: truth against prediction, with the g(r) they were predicted from. */
function spectraPanels(spec: TaskSpec, v: Scored, step_A: number, valueLabel: string): string {
  const [channels, length] = v.inputShape;
  const labels = ['most ordered', 'ordered', 'disordered', 'most disordered'];
  const axis = spec.axis ? Array.from(spec.axis.values) : Array.from({ length: v.outputs }, (_, i) => i);
  return v.examples
    .map((row, k) => {
      const { series } = trimmedSeries(axis, [
        { name: 'true', y: Float64Array.from({ length: v.outputs }, (_, i) => v.truth[row * v.outputs + i]) },
        { name: 'predicted', y: Float64Array.from({ length: v.outputs }, (_, i) => v.pred[row * v.outputs + i]), dashed: true },
      ]);
      const spectrum = lineChart({
        title: `${labels[k]} (${v.rowLabel} ${row})`,
        xLabel: spec.axis?.label ?? '',
        yLabel: valueLabel,
        series,
      });
      const r = Array.from({ length }, (_, i) => (i + 0.5) * step_A);
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

/** Charts of one task, from its display kind: spectra (error histogram and examples) or scalars (parity and error histogram per output). */
function taskCharts(spec: TaskSpec, v: Scored, step_A: number): string {
  const d = spec.display;
  if (d.kind === 'spectrum') {
    return `<div class="row">${histogram({ title: `MSE per structure (${v.rowLabel}s)`, xLabel: d.errorLabel, values: perRowMse(v) })}</div>${spectraPanels(spec, v, step_A, d.valueLabel)}`;
  }
  const names = spec.outputNames ?? [spec.name];
  const parts = names.map((name, k) => {
    const tFit = column(v.truth, v.outputs, k);
    const pFit = column(v.pred, v.outputs, k);
    const t = tFit.map(d.shown);
    const p = pFit.map(d.shown);
    const title = names.length > 1 ? `${spec.name} ${name}` : d.valueLabel;
    const errors = d.error === 'relative' ? Float64Array.from(t, (value, i) => (p[i] - value) / value) : Float64Array.from(p, (value, i) => Math.log10(value / t[i]));
    const errorLabel = d.error === 'relative' ? '(predicted − true) / true' : 'log10 (predicted / true)';
    return parityChart({ title, truth: t, pred: p, log: true, xLabel: d.truthSource, yLabel: 'predicted' }) + histogram({ title: `error of ${title}`, xLabel: errorLabel, values: errors });
  });
  return `<div class="row">${parts.join('')}</div>`;
}

function experimentSections(modelDir: string): string[] {
  const material = folderMaterial(modelDir);
  const sections: string[] = [];
  const experiments = readExperiments(modelDir);
  const adf = experiments.get('adf') as AdfExperiment | undefined;
  if (adf) {
    const rows = adf.seeds.map((seed, k) => `<tr><td>${seed}</td><td>${adf.pcf[k].toExponential(3)}</td><td>${adf.pcfAdf[k].toExponential(3)}</td></tr>`).join('');
    sections.push(
      `<h2>Experiment: does the ADF help?</h2><p>el-DoS validation MSE, ${adf.epochs} epochs per run. With the ADF the mean MSE changes by <b>${(100 * adf.relativeChange).toFixed(1)} %</b> (negative: the ADF helps; the paper reports about −10 %).</p><table><tr><th>seed</th><th>PCF</th><th>PCF + ADF</th></tr>${rows}</table>`,
    );
  }
  const adfCard = readCard(join(modelDir, 'adf'), 'el-dos');
  const pcfCard = readCard(modelDir, 'el-dos');
  if (adfCard && pcfCard) {
    const mse = (c: ModelCard) => c.validation.mse;
    const channels = (c: ModelCard) => inputShape(c.descriptor)[0];
    const change = (mse(adfCard) - mse(pcfCard)) / mse(pcfCard);
    sections.push(
      `<h2>The shipped el-DoS models with and without the ADF</h2><p>Same recipe, split and seed; the model in <code>adf/</code> sees the ADF channel as well. Validation MSE changes by <b>${(100 * change).toFixed(1)} %</b> with the ADF.</p><table><tr><th>model</th><th>input channels</th><th>validation MSE</th></tr><tr><td>${escape(String(pcfCard.model.kind))}</td><td>${channels(pcfCard)}</td><td>${mse(pcfCard).toExponential(3)}</td></tr><tr><td>adf/: ${escape(String(adfCard.model.kind))}</td><td>${channels(adfCard)}</td><td>${mse(adfCard).toExponential(3)}</td></tr></table>`,
    );
  }
  const range = experiments.get('range') as RangeExperiment | undefined;
  if (range) {
    const spec = taskSpecs(material).find((s) => s.name === range.task);
    const label = spec ? (spec.metricNames[spec.mainFigure] ?? spec.mainFigure) : 'validation error';
    sections.push(
      `<h2>Experiment: where is the information in g(r)?</h2><p>${range.task} validation error of networks that see g(r) only below r_max (${range.epochs} epochs, seed ${range.seed}); the paper finds that what matters lies below 1.8 Å.</p>` +
        lineChart({ title: `${range.task}: error against r_max`, xLabel: 'r_max (Å)', yLabel: label, width: 480, series: [{ name: label, x: range.rMax_A, y: range.error }] }),
    );
  }
  for (const [name, value] of experiments) {
    if (!name.startsWith('folds-')) continue;
    const e = value as FoldsExperiment;
    const spec = taskSpecs(material).find((s) => s.name === e.task);
    const figure = spec ? escape(spec.metricNames[e.main.figure] ?? e.main.figure) : e.main.figure;
    const rows = e.seeds.map((seed, k) => `<tr><td>${seed}</td><td>${e.main.values[k].toPrecision(4)}</td></tr>`).join('');
    // two runs of one recipe (an ablation) are told apart by their inputs
    const inputs = e.settings?.descriptor ? ` on ${escape(e.settings.descriptor)}${e.settings.continuous === false ? ', hard histograms' : ''}` : '';
    sections.push(
      `<h2>Spread over validation folds: ${e.task}, ${e.recipe} recipe${inputs}</h2><p>The ${e.recipe} recipe trained once per seed, each seed drawing another validation tenth of the data. ${figure}: mean <b>${e.main.mean.toPrecision(4)}</b> over ${e.seeds.length} folds; ${typeof e.main.reference === 'number' && Number.isFinite(e.main.reference) ? `the reference run's figure on its own test set is ${e.main.reference.toPrecision(4)}.` : 'no reference run exists for this task.'}</p><table><tr><th>seed</th><th>${figure}</th></tr>${rows}</table>`,
    );
  }
  return sections;
}

const nameOf = (p: Prediction): string => p.input.split('/').pop() ?? p.input;
const lowerFirst = (title: string): string => title[0].toLowerCase() + title.slice(1);

/** The predicted spectra of all inputs, one chart per spectrum task, in one SVG. */
export function spectraPlot(predictions: Prediction[]): string {
  // one chart per spectrum task of each material: a prediction's spectrum joins the task whose axis has its length
  const charts = allTaskSpecs().flatMap((spec) => {
    if (spec.display.kind !== 'spectrum' || spec.axis === undefined) return [];
    const axis = spec.axis;
    const valueLabel = spec.display.valueLabel;
    const mine = predictions.filter((p) => (p[spec.jsonKey] as { dos?: number[] } | undefined)?.dos?.length === axis.values.length);
    const { series } = trimmedSeries(Array.from(axis.values), mine.map((p) => ({ name: nameOf(p), y: (p[spec.jsonKey] as { dos: number[] }).dos })));
    const material = taskMaterial(spec) === DEFAULT_MATERIAL ? '' : ` (${taskMaterial(spec)})`;
    return series.length ? [lineChart({ title: `predicted ${lowerFirst(spec.title)}${material}`, xLabel: axis.label, yLabel: valueLabel, width: 520, series })] : [];
  });
  if (charts.length === 0) throw new InputError('nothing to plot: no input gave a spectrum');
  return sideBySide(charts);
}

/**
 * The domain verdict of a prediction for some tasks: "in domain (score …)", or which of them the
 * input lies outside of and the first reason that names one of them.
 */
function domainCell(p: Prediction, specs: TaskSpec[]): string {
  const perTask = p.domain?.per_task;
  if (!perTask) return '—';
  const keys = specs.map((s) => s.jsonKey).filter((k) => perTask[k] !== undefined);
  if (keys.length === 0) return '—';
  const outside = keys.filter((k) => !perTask[k].in_domain);
  const score = Math.min(...keys.map((k) => perTask[k].score));
  if (outside.length === 0) return `in domain <span class="small">(score ${shown(score)})</span>`;
  const reasons = (p.domain?.reasons ?? []).filter((r) => outside.some((k) => r.includes(k)));
  const first = reasons[0] ? `: ${escape(reasons[0].replace(/ \([a-z_, ]+\)$/, ''))}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}` : '';
  return `<b>outside</b> for ${escape(outside.join(', '))}${first}`;
}

const TABLE_NOTES: Record<string, string> = {
  sigma: 'σ in S/m over the cell’s volume, vacuum included (the release’s label × 227.4 S/m); `predict --json` also gives the sheet conductance, which does not depend on the vacuum.',
  ph_dos: '“flat” when the spectrum’s maximum is less than 1.4 × its mean over the occupied range (the public spectra: 1.7–6.1).',
};

/** A report section with predictions for given inputs: one table per input kind with each task's value, unit and 90 % interval and the domain verdict, and the spectra. */
export function predictionsSection(predictions: Prediction[]): string {
  const specs = taskSpecs();
  const groups: { title: string; specs: TaskSpec[] }[] = [
    { title: 'Predictions for the example structures', specs: specs.filter((s) => s.input === 'structure') },
    { title: 'Phonon DoS and κ of the examples (from a g(r), or from a structure’s own g(r))', specs: specs.filter((s) => s.input === 'pcf') },
  ];
  return groups
    .map((group) => {
      const rows = predictions.filter((p) => group.specs.some((s) => p[s.jsonKey] !== undefined) || (p.error !== undefined && group === groups[0]));
      if (rows.length === 0) return '';
      const table = rows
        .map((p) =>
          p.error
            ? `<tr><td>${escape(nameOf(p))}</td><td colspan="${group.specs.length + 1}">${escape(p.error)}</td></tr>`
            : `<tr><td>${escape(nameOf(p))}</td>${group.specs.map((s) => `<td>${p[s.jsonKey] === undefined ? '' : escape(s.summary(p[s.jsonKey])).replace(/ {2}/g, '<br>')}</td>`).join('')}<td>${domainCell(p, group.specs)}</td></tr>`,
        )
        .join('');
      const notes = group.specs.flatMap((s) => (TABLE_NOTES[s.jsonKey] ? [TABLE_NOTES[s.jsonKey]] : []));
      const spectra = group.specs.filter((s) => s.display.kind === 'spectrum' && s.axis).map((s) => {
        const { series } = trimmedSeries(Array.from(s.axis!.values), rows.filter((p) => p[s.jsonKey] !== undefined).map((p) => ({ name: nameOf(p).replace('POSCAR_', ''), y: (p[s.jsonKey] as { dos: number[] }).dos })));
        return series.length ? lineChart({ title: `predicted ${lowerFirst(s.title)}`, xLabel: s.axis!.label, yLabel: (s.display as { valueLabel: string }).valueLabel, width: 560, series }) : '';
      });
      return `<h2>${group.title}</h2><table><tr><th>input</th>${group.specs.map((s) => `<th>${escape(s.title)}</th>`).join('')}<th>training domain</th></tr>${table}</table><p class="small">Values with their 90 % intervals. ${notes.map(escape).join(' ')}</p>${spectra.join('')}`;
    })
    .join('');
}

/**
 * One self-contained HTML report of a model folder: per registered task its card's figures and,
 * from the validation predictions saved at training time (or a fresh evaluation), the charts its
 * display kind asks for. Experiment results (experiment-*.json) are added when present.
 */
export function buildReport(modelDir: string, extra: { predictions?: string; evaluations?: TaskEvaluation[] } = {}): string {
  const sections: string[] = [];
  const material = materialByName(folderMaterial(modelDir));
  for (const spec of taskSpecs(material.name)) {
    const evaluation = extra.evaluations?.find((e) => e.task === spec.name);
    const saved = extra.evaluations ? undefined : readValidation(modelDir, spec.name);
    const scored: Scored | undefined = evaluation
      ? { ...evaluation, rowLabel: evaluation.rowKind === 'all' ? 'row (training or validation)' : 'validation row' }
      : saved && { ...saved, rowLabel: 'validation row' };
    if (!scored) continue;
    const manifest = findManifest(modelDir, spec.name, spec.outputs);
    const step = manifest ? inputStep_A(manifest.descriptor) : 0.1;
    sections.push(`<h2>${escape(spec.title)}</h2>${metricsTable(spec, readCard(modelDir, spec.name), evaluation)}${taskCharts(spec, scored, step)}`);
  }
  sections.push(...experimentSections(modelDir));
  if (sections.length === 0) throw new InputError(`${modelDir}: no validation results (*.validation.safetensors); train with \`spramnet train\` first`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>spramnet report</title><style>
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}h2{border-bottom:1px solid #ccc;margin-top:2em}
.row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}.small{color:#666;font-size:90%}.warning{background:#fff3cd;padding:4px 8px}
</style></head><body><h1>spramnet: models of ${escape(material.title)}</h1>
<p>${extra.evaluations ? 'The models in' : 'Validation results of the models in'} <code>${modelDir.replace(/</g, '&lt;')}</code>${extra.evaluations ? ', scored now on a database' : ', computed at training time on held-out rows'} with the metrics of data.md. Data: ${material.name === DEFAULT_MATERIAL ? 'the public SPRamNet release (Cheng et al.)' : 'the stores each card names (a campaign of the factory)'}.</p>
${extra.predictions ?? ''}${sections.join('\n')}</body></html>\n`;
}
