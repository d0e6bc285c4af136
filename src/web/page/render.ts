/**
 * The page's rendering logic as pure functions from a prediction to HTML/SVG strings, so it runs
 * (and is tested) in Node as well as in the browser. Every optional field (intervals, bands, domain
 * verdict, sheet conductance, descriptors, atoms) is shown when present and silently left out when
 * not. All text that comes from the user (file names, error messages) is escaped.
 */
import { interpolateAt, sheetConductanceOf } from '../csv.js';
import { spectrumPeak } from '../../data/spectrumPeak.js';
import type { Interval, WebPrediction } from '../types.js';
import { escapeXml, lineChartSvg, type PlotSeries } from './plot.js';
import { SIGMA_S_M_PER_LABEL as SIGMA_S_PER_M_PER_LABEL } from '../../data/sigmaUnits.js';

export const escapeHtml = escapeXml;

/**
 * σ from the σ label (ε₂ at the first non-zero frequency of the public data, ħω₁ = 0.0169 eV):
 * σ = ε₀·ω₁·ε₂, over the cell's volume including vacuum (docs: data contract).
 */
export { SIGMA_S_M_PER_LABEL as SIGMA_S_PER_M_PER_LABEL } from '../../data/sigmaUnits.js';

/** A number to three significant figures, in scientific form when very large or small. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
    const [mant, exp] = v.toExponential(2).split('e');
    return `${mant}×10<sup>${Number(exp)}</sup>`;
  }
  return String(Number(v.toPrecision(3)));
}

/** "value unit" with "(90 %: lo – hi)" after it when an interval is known. */
export function valueWithInterval(value: number, unit: string, interval?: Interval): string {
  const main = `<span class="value">${formatNumber(value)}</span>${unit ? ` ${unit}` : ''}`;
  if (!interval) return main;
  return `${main} <span class="interval">(90 %: ${formatNumber(interval[0])} – ${formatNumber(interval[1])})</span>`;
}

const scaleInterval = (i: Interval | undefined, f: number): Interval | undefined => (i ? [i[0] * f, i[1] * f] : undefined);

/** Length of the cell's c vector in Å (the thickness σ is averaged over). */
function cellHeight_A(p: WebPrediction): number | undefined {
  const c = p.structure?.cell_A;
  if (!c || c.length !== 9) return undefined;
  const h = Math.hypot(c[6], c[7], c[8]);
  return h > 0 ? h : undefined;
}

export const shortName = (input: string): string => input.split(/[\\/]/).pop() ?? input;

function domainHtml(p: WebPrediction): string {
  const d = p.domain;
  if (!d) return '';
  const verdict = d.in_domain ? 'Within the training domain' : 'Outside the training domain: treat these numbers with care';
  const reasons = d.reasons.length ? `<ul class="reasons">${d.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  return `<div class="domain ${d.in_domain ? 'in' : 'out'}"><p><strong>${verdict}</strong> <span class="score">(score ${formatNumber(d.score)} of 1)</span></p>${reasons}</div>`;
}

interface Row {
  term: string;
  html: string;
}

function numberRows(p: WebPrediction): Row[] {
  const rows: Row[] = [];
  // which material's models answered (a structure's by its elements); null: elements of no known material
  if (p.material !== undefined) rows.push({ term: 'material', html: p.material === null ? '<span class="note">no known material (see the domain verdict)</span>' : escapeHtml(p.material) });
  if (p.sigma) {
    for (const axis of ['xx', 'yy'] as const) {
      const label = p.sigma[axis];
      const interval = p.sigma.interval90?.[axis];
      rows.push({
        term: `σ<sub>${axis}</sub>`,
        html: `${valueWithInterval(label * SIGMA_S_PER_M_PER_LABEL, 'S/m', scaleInterval(interval, SIGMA_S_PER_M_PER_LABEL))} <span class="note">(ε₂ label ${formatNumber(label)}; averaged over the cell including vacuum)</span>`,
      });
    }
  }
  const sheet = sheetConductanceOf(p);
  if (sheet) {
    for (const axis of ['xx', 'yy'] as const) rows.push({ term: `sheet conductance<sub>${axis}</sub>`, html: valueWithInterval(sheet[axis], 'S', sheet.interval90?.[axis]) });
  } else if (p.sigma && cellHeight_A(p) !== undefined) {
    // Not predicted: derived here as σ·c, the cell height the σ label is averaged over.
    const c = cellHeight_A(p) as number;
    const f = SIGMA_S_PER_M_PER_LABEL * c * 1e-10;
    for (const axis of ['xx', 'yy'] as const) {
      rows.push({
        term: `sheet conductance<sub>${axis}</sub>`,
        html: `${valueWithInterval(p.sigma[axis] * f, 'S', scaleInterval(p.sigma.interval90?.[axis], f))} <span class="note">(σ·c, c = ${formatNumber(c)} Å)</span>`,
      });
    }
  }
  if (p.kappa) {
    const k = p.kappa;
    rows.push({ term: 'κ (300 K)', html: `${valueWithInterval(k.W_mK, 'W/(m·K)', k.interval90)}${k.W_mK_3p35A === undefined ? '' : ' <span class="note">(as the public labels define it)</span>'}` });
    // the 90 % intervals of these two are widened by the uncertain thickness of the public labels' volume
    if (k.W_mK_3p35A !== undefined) rows.push({ term: 'κ with 3.35 Å thickness', html: valueWithInterval(k.W_mK_3p35A, 'W/(m·K)', k.W_mK_3p35A_interval90) });
    if (k.sheet_conductance_W_K !== undefined) rows.push({ term: 'thermal sheet conductance κ·t', html: valueWithInterval(k.sheet_conductance_W_K, 'W/K', k.sheet_conductance_W_K_interval90) });
  }
  if (p.el_dos) {
    const at = interpolateAt(p.el_dos.energy_eV, p.el_dos.dos, 0);
    const band = p.el_dos.band90;
    const interval = band ? ([interpolateAt(p.el_dos.energy_eV, band.low, 0), interpolateAt(p.el_dos.energy_eV, band.high, 0)] as Interval) : undefined;
    if (at !== undefined) rows.push({ term: 'el-DoS at E<sub>F</sub>', html: valueWithInterval(at, 'states/(eV·atom)', interval) });
  }
  if (p.ph_dos) {
    const peak = spectrumPeak(p.ph_dos.frequency_THz, p.ph_dos.dos);
    if (peak.at !== undefined) rows.push({ term: 'ph-DoS peak', html: valueWithInterval(peak.at, 'THz') });
    else if (Number.isFinite(peak.ratio)) rows.push({ term: 'ph-DoS peak', html: 'none: the spectrum is flat' });
  }
  rows.push(...otherResultRows(p));
  return rows;
}

/** The keys a prediction carries besides task results, and the task keys drawn above. */
const SHOWN_KEYS = new Set(['input', 'material', 'frame', 'error', 'domain', 'descriptors', 'structure', 'sigma', 'sheet_conductance', 'sheet_conductance_S', 'kappa', 'el_dos', 'ph_dos']);

/**
 * Results of tasks this page has no layout for (a new material's task with its own JSON key): each
 * numeric field as a row, with its 90 % interval when `interval90` holds one for it (an object by
 * field, or a pair when the field is the only one), so a new task shows without a change here.
 */
function otherResultRows(p: WebPrediction): Row[] {
  const rows: Row[] = [];
  for (const [key, value] of Object.entries(p as unknown as Record<string, unknown>)) {
    if (SHOWN_KEYS.has(key) || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const fields = Object.entries(value as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
    const intervals = (value as { interval90?: unknown }).interval90;
    for (const [field, v] of fields) {
      const pair = Array.isArray(intervals) ? (fields.length === 1 ? intervals : undefined) : (intervals as Record<string, unknown> | undefined)?.[field];
      const interval = Array.isArray(pair) && pair.length === 2 && pair.every((x) => typeof x === 'number') ? (pair as Interval) : undefined;
      rows.push({ term: escapeHtml(`${key} ${field}`), html: valueWithInterval(v, '', interval) });
    }
  }
  return rows;
}

/** The charts of one prediction, each with its id (for the SVG download) and SVG text. */
export function chartsOf(p: WebPrediction, index: number): { id: string; name: string; svg: string }[] {
  const charts: { id: string; name: string; svg: string }[] = [];
  const name = shortName(p.input);
  const add = (key: string, title: string, xLabel: string, yLabel: string, series: PlotSeries[], description: string) => {
    const id = `r${index}-${key}`;
    charts.push({ id, name: `${name}.${key}.svg`, svg: lineChartSvg({ id, title, xLabel, yLabel, series, description }) });
  };
  if (p.el_dos) {
    add('el-dos', 'Predicted electronic DoS', 'E − E_F (eV)', 'DoS (states/eV/atom)', [{ name: 'predicted', x: p.el_dos.energy_eV, y: p.el_dos.dos, band: p.el_dos.band90 }],
      `Predicted electronic density of states of ${name} from ${p.el_dos.energy_eV[0]} to ${p.el_dos.energy_eV[p.el_dos.energy_eV.length - 1]} eV around the Fermi level${p.el_dos.band90 ? ', with its 90 % band' : ''}.`);
  }
  if (p.ph_dos) {
    add('ph-dos', 'Predicted phonon DoS', 'frequency (THz)', 'ph-DoS (per 1-THz bin)', [{ name: 'predicted', x: p.ph_dos.frequency_THz, y: p.ph_dos.dos, band: p.ph_dos.band90 }],
      `Predicted phonon density of states of ${name}${p.ph_dos.band90 ? ', with its 90 % band' : ''}.`);
  }
  if (p.descriptors) {
    add('gr', 'Input g(r)', 'r (Å)', 'g(r)', [{ name: p.descriptors.g_source, x: p.descriptors.r_A, y: p.descriptors.g }], `Pair correlation function of ${name}: ${p.descriptors.g_source}.`);
    if (p.descriptors.adf && p.descriptors.adf_deg) {
      add('adf', 'Bond-angle distribution', 'angle (°)', 'fraction of angles per bin', [{ name: 'ADF', x: p.descriptors.adf_deg, y: p.descriptors.adf }], `Bond-angle distribution of ${name}.`);
    }
  }
  return charts;
}

/** One input's result card. */
export function renderPrediction(p: WebPrediction, index: number): string {
  const name = escapeHtml(shortName(p.input));
  const frame = p.frame !== undefined ? ` <span class="frame">frame ${p.frame}</span>` : '';
  const head = `<h2 id="r${index}-name" tabindex="-1">${name}${frame}</h2>`;
  if (p.error !== undefined) {
    return `<article class="result failed" aria-labelledby="r${index}-name">${head}<p class="error"><strong>Could not predict this file:</strong> ${escapeHtml(p.error)}</p></article>`;
  }
  const rows = numberRows(p);
  const numbers = rows.length ? `<dl class="numbers">${rows.map((r) => `<div><dt>${r.term}</dt><dd>${r.html}</dd></div>`).join('')}</dl>` : '';
  const charts = chartsOf(p, index)
    .map((c) => `<figure class="chart-box" id="${c.id}">${c.svg}<figcaption><button type="button" class="download" data-download="svg" data-chart="${c.id}" data-filename="${escapeHtml(c.name)}">Download SVG</button></figcaption></figure>`)
    .join('');
  const atoms = p.structure ? p.structure.symbols.length : undefined;
  const viewer = p.structure
    ? `<figure class="viewer-box"><div class="viewer" id="r${index}-viewer" data-index="${index}" role="img" aria-label="3D ball-and-stick view of ${name}, ${atoms} atoms; drag to rotate, scroll to zoom"></div><figcaption>${atoms} atoms, 3D view (drag to rotate)</figcaption></figure>`
    : '';
  return `<article class="result" aria-labelledby="r${index}-name">${head}${domainHtml(p)}${numbers}<div class="charts">${charts}${viewer}</div></article>`;
}

/** A sentence for the status line (read out by screen readers through aria-live). */
export function summaryText(predictions: readonly WebPrediction[]): string {
  const failed = predictions.filter((p) => p.error !== undefined).length;
  const outside = predictions.filter((p) => p.domain && !p.domain.in_domain).length;
  const n = predictions.length;
  let text = `${n} file${n === 1 ? '' : 's'}: ${n - failed} predicted`;
  if (failed) text += `, ${failed} could not be read`;
  if (outside) text += `, ${outside} outside the training domain`;
  return `${text}.`;
}

export function renderResults(predictions: readonly WebPrediction[]): string {
  return predictions.map((p, k) => renderPrediction(p, k)).join('');
}

interface CardLike {
  task?: string;
  /** Absent: carbon (cards from before materials). */
  material?: string;
  recipe?: string;
  model?: { kind?: string };
  data?: { rows?: number; train?: number; validation?: number };
  validation?: Record<string, unknown>;
}

/** The loaded models, one line each: task, kind, data size and validation figures. */
export function renderModelCards(cards: readonly unknown[]): string {
  if (cards.length === 0) return '<p>No model cards found.</p>';
  const items = (cards as CardLike[]).map((c) => {
    const metrics = Object.entries(c.validation ?? {})
      .filter((e): e is [string, number] => typeof e[1] === 'number')
      .map(([k, v]) => `${escapeHtml(k)} ${formatNumber(v)}`)
      .join(', ');
    const data = c.data?.train !== undefined ? `; trained on ${c.data.train} structures, validated on ${c.data.validation}` : '';
    // each material has its own el-dos, sigma, …: the material tells two cards of one task apart
    const material = c.material !== undefined && c.material !== 'carbon' ? ` (${escapeHtml(c.material)})` : '';
    return `<li><strong>${escapeHtml(String(c.task ?? '?'))}${material}</strong>: ${escapeHtml(String(c.model?.kind ?? c.recipe ?? ''))}${data}${metrics ? `; validation: ${metrics}` : ''}</li>`;
  });
  return `<ul class="cards">${items.join('')}</ul>`;
}
