import { existsSync } from 'node:fs';
import { AseDatabase, type StoreRow } from '../data/aseDb.js';
import { EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ } from '../data/labels.js';
import { releaseThermalPcf } from '../descriptors/releasePcf.js';
import { histogram, lineChart, parityChart, sideBySide } from '../report/svg.js';
import { cellHeight_A } from '../tasks/taskTable.js';
import { THERMAL_GRID } from '../tasks/modelInput.js';
import { readCard, readValidation } from '../tasks/modelFolder.js';
import { taskSpecs } from '../tasks/taskSpec.js';
import type { Plan } from './plan.js';
import { campaignState, summarise, type StageSummary } from './state.js';

/**
 * The campaign's report (one self-contained HTML file): what ran (items, failures, core-hours per
 * stage), what the labels look like against a reference store (the public set: mean spectra with
 * their spread, κ and σ distributions, the thermal g(r)), and the models trained on them (validation
 * figures and parity plots).
 */
export interface LabelDistribution {
  rows: number;
  /** Mean spectrum and its per-point standard deviation (ph-DoS, el-DoS, thermal g(r)). */
  mean?: number[];
  sd?: number[];
  /** Scalar labels: quartiles of log10 (κ, σ sheet quantity). */
  log10_quartiles?: [number, number, number];
}

export interface CampaignSummary {
  plan: string;
  stages: StageSummary[];
  core_hours: number;
  failures: Array<{ stage: string; index: number; error: string }>;
  labels: Record<string, { campaign: LabelDistribution; reference?: LabelDistribution; mse_of_means?: number }>;
  /** Validation figures of each model; spectra also the mean absolute error of their centroid (axis units). */
  models: Record<string, { validation: Record<string, number>; rows: number; centroid_mae?: number }>;
}

/** The centroid of row `r` of a spectrum block (negative values clipped to 0): Σ x·p / Σ p over the axis. */
function spectrumCentroid(values: ArrayLike<number>, r: number, axis: ArrayLike<number>): number {
  let weight = 0;
  let moment = 0;
  for (let k = 0; k < axis.length; k++) {
    const p = Math.max(0, values[r * axis.length + k]);
    weight += p;
    moment += p * axis[k];
  }
  return weight > 0 ? moment / weight : Number.NaN;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (v: number | undefined, d = 3): string => (v === undefined || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(d))));

interface Extract {
  name: string;
  axis: Float64Array;
  axisLabel: string;
  valueLabel: string;
  spectrum?: (r: StoreRow) => ArrayLike<number> | undefined;
  scalar?: (r: StoreRow) => number | undefined;
}

const EXTRACTS: Extract[] = [
  { name: 'ph-DoS', axis: PH_DOS_BIN_CENTRES_THZ, axisLabel: 'frequency (THz)', valueLabel: 'ph-DoS (per 1-THz bin)', spectrum: (r) => r.data.ph_dos as Float64Array | undefined },
  { name: 'el-DoS', axis: EL_DOS_ENERGIES_EV, axisLabel: 'E − E_F (eV)', valueLabel: 'DoS (states/eV/atom)', spectrum: (r) => r.data.el_dos as Float64Array | undefined },
  {
    name: 'thermal g(r)',
    axis: Float64Array.from({ length: THERMAL_GRID.bins }, (_, k) => THERMAL_GRID.start_A + (k + 0.5) * THERMAL_GRID.step_A),
    axisLabel: 'r (Å)',
    valueLabel: 'g(r), release normalisation',
    // thermal rows only: the public phonon rows store it, labelled structures have it computed as predict does
    spectrum: (r) => (r.data.ph_dos === undefined && r.keyValues.kappa_W_mK === undefined ? undefined : ((r.data.rdf as Float64Array | undefined) ?? (r.atoms ? releaseThermalPcf(r.atoms, THERMAL_GRID) : undefined))),
  },
  { name: 'κ', axis: new Float64Array(0), axisLabel: 'log10 κ (W/(m·K))', valueLabel: 'rows', scalar: (r) => (Number(r.keyValues.kappa_W_mK) > 0 ? Math.log10(Number(r.keyValues.kappa_W_mK)) : undefined) },
  {
    name: 'σ (sheet: label × c)',
    axis: new Float64Array(0),
    axisLabel: 'log10 σ_xx label × c (Å)',
    valueLabel: 'rows',
    scalar: (r) => (Number(r.keyValues.sigma_xx) > 0 && r.atoms ? Math.log10(Number(r.keyValues.sigma_xx) * cellHeight_A(r.atoms)) : undefined),
  },
];

function distribution(rows: readonly StoreRow[], e: Extract): { d: LabelDistribution; values: number[] } | undefined {
  if (e.spectrum) {
    const spectra = rows.map(e.spectrum).filter((s): s is ArrayLike<number> => s !== undefined && s.length === e.axis.length);
    if (spectra.length === 0) return undefined;
    const mean = Array.from(e.axis, (_, k) => spectra.reduce((a, s) => a + s[k], 0) / spectra.length);
    const sd = Array.from(e.axis, (_, k) => Math.sqrt(spectra.reduce((a, s) => a + (s[k] - mean[k]) ** 2, 0) / spectra.length));
    return { d: { rows: spectra.length, mean, sd }, values: [] };
  }
  const values = rows.map((r) => e.scalar!(r)).filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) return undefined;
  const q = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))];
  return { d: { rows: values.length, log10_quartiles: [q(0.25), q(0.5), q(0.75)] }, values };
}

function readRows(file: string | undefined): StoreRow[] {
  if (file === undefined || !existsSync(file)) return [];
  const db = new AseDatabase(file, { mustExist: true });
  try {
    return db.select();
  } finally {
    db.close();
  }
}

export function campaignReport(plan: Plan, dir: string, where: { store: string; compare?: string; models?: string }): { html: string; summary: CampaignSummary } {
  const state = campaignState(plan, dir);
  const stages = summarise(state);
  const failures = state.stages.flatMap((s) => s.items.filter((i) => i.status === 'failed').map((i) => ({ stage: s.stage.name, index: i.item.index + 1, error: i.reason ?? '' })));
  const ours = readRows(where.store);
  const reference = readRows(where.compare);
  const summary: CampaignSummary = { plan: plan.name, stages, core_hours: stages.reduce((a, s) => a + s.core_hours, 0), failures, labels: {}, models: {} };
  const sections: string[] = [];
  sections.push(`<h2>Stages</h2><table><tr><th>stage</th><th>kind</th><th>items</th><th>done</th><th>failed</th><th>pending</th><th>core-hours</th><th>s per item</th></tr>${stages
    .map((s) => `<tr><td>${esc(s.name)}</td><td>${s.kind}</td><td>${s.items}</td><td>${s.done}</td><td>${s.failed}</td><td>${s.pending + s.running}</td><td>${fmt(s.core_hours)}</td><td>${fmt(s.seconds_per_item)}</td></tr>`)
    .join('')}</table><p>Core-hours in all: ${fmt(summary.core_hours)}.</p>`);
  if (failures.length > 0) sections.push(`<h3>Failed items</h3><ul>${failures.slice(0, 50).map((f) => `<li>${esc(f.stage)} #${f.index}: ${esc(f.error)}</li>`).join('')}${failures.length > 50 ? `<li>… and ${failures.length - 50} more</li>` : ''}</ul>`);
  const charts: string[] = [];
  for (const e of EXTRACTS) {
    const mine = distribution(ours, e);
    if (mine === undefined) continue;
    const theirs = distribution(reference, e);
    const entry: CampaignSummary['labels'][string] = { campaign: mine.d, ...(theirs ? { reference: theirs.d } : {}) };
    if (e.spectrum) {
      const series = [{ name: `campaign mean (${mine.d.rows})`, x: e.axis, y: mine.d.mean! }, { name: 'campaign mean + sd', x: e.axis, y: mine.d.mean!.map((m, k) => m + mine.d.sd![k]), dashed: true, color: '#1f77b4' }];
      if (theirs) {
        series.push({ name: `reference mean (${theirs.d.rows})`, x: e.axis, y: theirs.d.mean!, color: '#d62728' } as (typeof series)[number]);
        series.push({ name: 'reference mean + sd', x: e.axis, y: theirs.d.mean!.map((m, k) => m + theirs.d.sd![k]), dashed: true, color: '#d62728' });
        entry.mse_of_means = mine.d.mean!.reduce((a, m, k) => a + (m - theirs.d.mean![k]) ** 2, 0) / mine.d.mean!.length;
      }
      charts.push(lineChart({ title: e.name, xLabel: e.axisLabel, yLabel: e.valueLabel, series, width: 460 }));
    } else {
      charts.push(histogram({ title: `${e.name}: campaign (${mine.d.rows})`, xLabel: e.axisLabel, values: mine.values }));
      if (theirs) charts.push(histogram({ title: `${e.name}: reference (${theirs.d.rows})`, xLabel: e.axisLabel, values: theirs.values }));
    }
    summary.labels[e.name] = entry;
  }
  if (charts.length > 0) {
    const rows = Object.entries(summary.labels)
      .map(([name, l]) => `<tr><td>${esc(name)}</td><td>${l.campaign.rows}</td><td>${l.reference?.rows ?? '—'}</td><td>${l.campaign.log10_quartiles ? l.campaign.log10_quartiles.map((v) => fmt(v)).join(' / ') : '—'}</td><td>${l.reference?.log10_quartiles ? l.reference.log10_quartiles.map((v) => fmt(v)).join(' / ') : '—'}</td><td>${fmt(l.mse_of_means)}</td></tr>`)
      .join('');
    sections.push(`<h2>Labels against the reference${where.compare ? ` (<code>${esc(where.compare)}</code>)` : ''}</h2><table><tr><th>label</th><th>campaign rows</th><th>reference rows</th><th>campaign log10 quartiles</th><th>reference log10 quartiles</th><th>MSE between the means</th></tr>${rows}</table><div class="row">${charts.join('')}</div>`);
  }
  if (where.models !== undefined && existsSync(where.models)) {
    const parts: string[] = [];
    for (const spec of taskSpecs()) {
      const card = readCard(where.models, spec.name);
      if (card === undefined) continue;
      summary.models[spec.name] = { validation: card.validation, rows: card.data.rows };
      const v = readValidation(where.models, spec.name);
      const origins = card.origins ? `<p class="small">Per origin: ${Object.entries(card.origins).map(([o, x]) => `${esc(o)} ${x.rows} rows (${x.validation} validation${x.figures ? `: ${Object.entries(x.figures).map(([k, f]) => `${esc(k)} ${fmt(f)}`).join(', ')}` : ''})`).join('; ')}</p>` : '';
      let chart = '';
      if (v && spec.outputs <= 2 && spec.display.kind === 'scalars') {
        const shown = spec.display.shown;
        chart = parityChart({ title: `${spec.title}: validation`, truth: Array.from(v.truth, (t, k) => (k % spec.outputs === 0 ? shown(t) : NaN)), pred: Array.from(v.pred, (p, k) => (k % spec.outputs === 0 ? shown(p) : NaN)), log: spec.display.error === 'log10-ratio' });
      } else if (v) {
        const rows = v.truth.length / v.outputs;
        const mse = Array.from({ length: rows }, (_, r) => {
          let s = 0;
          for (let k = 0; k < v.outputs; k++) s += (v.pred[r * v.outputs + k] - v.truth[r * v.outputs + k]) ** 2;
          return Math.log10(s / v.outputs);
        });
        chart = histogram({ title: `${spec.title}: validation`, xLabel: 'log10 MSE per row', values: mse });
        // a spectrum's parity: its centroid (ph-DoS: the mean phonon frequency), true against predicted, row by row
        if (spec.axis !== undefined) {
          const axis = spec.axis;
          const truth = Array.from({ length: rows }, (_, r) => spectrumCentroid(v.truth, r, axis.values));
          const pred = Array.from({ length: rows }, (_, r) => spectrumCentroid(v.pred, r, axis.values));
          summary.models[spec.name].centroid_mae = truth.reduce((a, t, r) => a + Math.abs(t - pred[r]), 0) / rows;
          chart = sideBySide([chart, parityChart({ title: `${spec.title}: validation, centroid`, xLabel: `true mean ${axis.label}`, yLabel: `predicted mean ${axis.label}`, truth, pred })]);
        }
      }
      parts.push(`<h3>${esc(spec.title)}</h3><p>${card.data.rows} rows (${card.data.train} training, ${card.data.validation} validation; ${esc(card.data.split)}). Validation: ${Object.entries(card.validation).map(([k, f]) => `${esc(spec.metricNames[k] ?? k)} ${fmt(f, 4)}`).join('; ')}${summary.models[spec.name].centroid_mae !== undefined ? `; centroid (mean ${esc(spec.axis?.label ?? '')}) mean absolute error ${fmt(summary.models[spec.name].centroid_mae, 3)}` : ''}.</p>${origins}${chart ? sideBySide([chart]) : ''}`);
    }
    if (parts.length > 0) sections.push(`<h2>Models trained on the campaign</h2>${parts.join('')}`);
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>spramnet campaign ${esc(plan.name)}</title><style>
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}h2{border-bottom:1px solid #ccc;margin-top:2em}
.row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}.small{color:#666;font-size:90%}
</style></head><body><h1>Campaign ${esc(plan.name)}</h1>${plan.description ? `<p>${esc(plan.description)}</p>` : ''}<p class="small">Plan <code>${esc(plan.file)}</code> (sha256 ${plan.sha256.slice(0, 12)}…), folder <code>${esc(dir)}</code>, store <code>${esc(where.store)}</code>; written ${new Date().toISOString()}.</p>${sections.join('\n')}</body></html>\n`;
  return { html, summary };
}
