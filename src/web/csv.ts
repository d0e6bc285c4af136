/**
 * Predictions as CSV: one row per input (and frame, for per-frame predictions), scalar results
 * only: σ, sheet conductance, κ, the el-DoS at E_F and the ph-DoS peak, each with its 90 %
 * interval, and the domain verdict. Columns for intervals, sheet conductance, frames and the domain
 * appear only when some prediction carries them, so the table stays narrow for plain models.
 * Browser-safe (no Node imports): the page's download uses this same function.
 */
import type { PredictedSheetConductance, SheetConductance, WebPrediction } from './types.js';

interface Column {
  name: string;
  value(p: WebPrediction): unknown;
}

/** Linear interpolation of a sampled curve at x (undefined outside its range). */
export function interpolateAt(xs: readonly number[], ys: readonly number[], x: number): number | undefined {
  for (let k = 0; k + 1 < xs.length; k++) {
    if (x >= xs[k] && x <= xs[k + 1]) {
      const t = xs[k + 1] === xs[k] ? 0 : (x - xs[k]) / (xs[k + 1] - xs[k]);
      return ys[k] + t * (ys[k + 1] - ys[k]);
    }
  }
  return undefined;
}

/** x of the largest y (the first, on ties). */
export function peakOf(xs: readonly number[], ys: readonly number[]): number | undefined {
  let best = -1;
  for (let k = 0; k < ys.length; k++) if (best < 0 || ys[k] > ys[best]) best = k;
  return best < 0 ? undefined : xs[best];
}

/** The sheet conductance in S: predict's `{xx_S, yy_S, interval90: {xx_S, yy_S}}` read as `{xx, yy, interval90: {xx, yy}}`. */
export function sheetConductanceOf(p: WebPrediction): SheetConductance | undefined {
  const s = (p.sheet_conductance ?? p.sheet_conductance_S) as unknown as (SheetConductance & Partial<PredictedSheetConductance>) | undefined;
  if (s === undefined) return undefined;
  if (s.xx_S === undefined || s.yy_S === undefined) return s;
  const interval = s.interval90 as Partial<Record<'xx_S' | 'yy_S', [number, number]>> | undefined;
  return { xx: s.xx_S, yy: s.yy_S, ...(interval?.xx_S && interval.yy_S ? { interval90: { xx: interval.xx_S, yy: interval.yy_S } } : {}) };
}

const elAtFermi = (p: WebPrediction) => (p.el_dos ? interpolateAt(p.el_dos.energy_eV, p.el_dos.dos, 0) : undefined);

const COLUMNS: { name: string; value(p: WebPrediction): unknown; optional?: (p: WebPrediction) => boolean }[] = [
  { name: 'input', value: (p) => p.input },
  { name: 'frame', value: (p) => p.frame, optional: (p) => p.frame !== undefined },
  // which material's models predicted the row (carbon, boron-nitride; empty: elements of no material)
  { name: 'material', value: (p) => p.material, optional: (p) => p.material !== undefined },
  { name: 'error', value: (p) => p.error },
  { name: 'sigma_xx', value: (p) => p.sigma?.xx },
  { name: 'sigma_xx_lo90', value: (p) => p.sigma?.interval90?.xx[0], optional: (p) => p.sigma?.interval90 !== undefined },
  { name: 'sigma_xx_hi90', value: (p) => p.sigma?.interval90?.xx[1], optional: (p) => p.sigma?.interval90 !== undefined },
  { name: 'sigma_yy', value: (p) => p.sigma?.yy },
  { name: 'sigma_yy_lo90', value: (p) => p.sigma?.interval90?.yy[0], optional: (p) => p.sigma?.interval90 !== undefined },
  { name: 'sigma_yy_hi90', value: (p) => p.sigma?.interval90?.yy[1], optional: (p) => p.sigma?.interval90 !== undefined },
  { name: 'sheet_conductance_xx_S', value: (p) => sheetConductanceOf(p)?.xx, optional: (p) => sheetConductanceOf(p) !== undefined },
  { name: 'sheet_conductance_xx_S_lo90', value: (p) => sheetConductanceOf(p)?.interval90?.xx[0], optional: (p) => sheetConductanceOf(p)?.interval90 !== undefined },
  { name: 'sheet_conductance_xx_S_hi90', value: (p) => sheetConductanceOf(p)?.interval90?.xx[1], optional: (p) => sheetConductanceOf(p)?.interval90 !== undefined },
  { name: 'sheet_conductance_yy_S', value: (p) => sheetConductanceOf(p)?.yy, optional: (p) => sheetConductanceOf(p) !== undefined },
  { name: 'sheet_conductance_yy_S_lo90', value: (p) => sheetConductanceOf(p)?.interval90?.yy[0], optional: (p) => sheetConductanceOf(p)?.interval90 !== undefined },
  { name: 'sheet_conductance_yy_S_hi90', value: (p) => sheetConductanceOf(p)?.interval90?.yy[1], optional: (p) => sheetConductanceOf(p)?.interval90 !== undefined },
  { name: 'kappa_W_mK', value: (p) => p.kappa?.W_mK },
  { name: 'kappa_W_mK_lo90', value: (p) => p.kappa?.interval90?.[0], optional: (p) => p.kappa?.interval90 !== undefined },
  { name: 'kappa_W_mK_hi90', value: (p) => p.kappa?.interval90?.[1], optional: (p) => p.kappa?.interval90 !== undefined },
  // beside κ in the public labels' convention: with 3.35 Å, and the sheet conductance κ·t
  { name: 'kappa_3p35A_W_mK', value: (p) => p.kappa?.W_mK_3p35A, optional: (p) => p.kappa?.W_mK_3p35A !== undefined },
  { name: 'kappa_sheet_conductance_W_K', value: (p) => p.kappa?.sheet_conductance_W_K, optional: (p) => p.kappa?.sheet_conductance_W_K !== undefined },
  { name: 'el_dos_at_EF_per_eV_atom', value: elAtFermi },
  {
    name: 'el_dos_at_EF_lo90',
    value: (p) => (p.el_dos?.band90 ? interpolateAt(p.el_dos.energy_eV, p.el_dos.band90.low, 0) : undefined),
    optional: (p) => p.el_dos?.band90 !== undefined,
  },
  {
    name: 'el_dos_at_EF_hi90',
    value: (p) => (p.el_dos?.band90 ? interpolateAt(p.el_dos.energy_eV, p.el_dos.band90.high, 0) : undefined),
    optional: (p) => p.el_dos?.band90 !== undefined,
  },
  { name: 'ph_dos_peak_THz', value: (p) => (p.ph_dos ? peakOf(p.ph_dos.frequency_THz, p.ph_dos.dos) : undefined) },
  { name: 'in_domain', value: (p) => p.domain?.in_domain, optional: (p) => p.domain !== undefined },
  { name: 'domain_score', value: (p) => p.domain?.score, optional: (p) => p.domain !== undefined },
  { name: 'domain_reasons', value: (p) => p.domain?.reasons.join('; '), optional: (p) => p.domain !== undefined },
];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; numbers as String() gives them (shortest round-trip form). */
function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The predictions as CSV text (header line, CRLF line ends as RFC 4180 has them). */
export function predictionsToCsv(predictions: readonly WebPrediction[]): string {
  const columns: Column[] = COLUMNS.filter((c) => c.optional === undefined || predictions.some(c.optional));
  const lines = [columns.map((c) => field(c.name)).join(',')];
  for (const p of predictions) lines.push(columns.map((c) => field(c.value(p))).join(','));
  return lines.join('\r\n') + '\r\n';
}
