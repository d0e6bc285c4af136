/**
 * Predictions as CSV: one row per input (and frame, for per-frame predictions), scalar results
 * only, each with its 90 % interval, and the domain verdict. The result columns are the tasks'
 * own (TaskSpec.csv, declared as data: a value's path in the prediction's JSON, or a spectrum read
 * at a point or at its peak), so a task of a new material brings its columns with it. Columns for
 * intervals, sheet conductance, frames and the domain appear only when some prediction carries
 * them, so the table stays narrow for plain models. Browser-safe (no Node imports): the page's
 * download uses this same function, with the columns the server sends (GET /api/columns).
 */
import type { PredictedSheetConductance, SheetConductance, WebPrediction } from './types.js';

interface Column {
  name: string;
  value(p: WebPrediction): unknown;
  /** Present: the column is shown only when this holds for some prediction. */
  optional?: (p: WebPrediction) => boolean;
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

/** A value's place in a prediction's JSON: keys and array indices from the top. */
export type JsonPath = readonly (string | number)[];

/** A result column, declared as data (the page receives it as JSON). */
export type CsvColumnSpec = {
  name: string;
  /** Shown only when some prediction has a value for it (intervals, optional conventions). */
  optional?: boolean;
} & (
  | { /** The value at the first of these paths that holds one (alternative spellings of one field). */ paths: readonly JsonPath[] }
  | { /** A spectrum's curve (dos, band90.low, …) at x = `at`, linear between grid points. */ spectrumAt: { key: string; axis: string; curve: JsonPath; at: number } }
  | { /** The x of a spectrum's largest value. */ spectrumPeak: { key: string; axis: string; curve: JsonPath } }
);

/** What sits at a path (undefined when a step is missing). */
function walk(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

const scalarAt = (root: unknown, path: JsonPath): unknown => {
  const v = walk(root, path);
  return v === null || typeof v === 'object' ? undefined : v;
};

const numbersAt = (root: unknown, path: JsonPath): number[] | undefined => {
  const v = walk(root, path);
  return Array.isArray(v) ? (v as number[]) : undefined;
};

/** A declared column's value in one prediction (undefined: empty cell). */
export function csvValue(spec: CsvColumnSpec, p: WebPrediction): unknown {
  if ('paths' in spec) {
    for (const path of spec.paths) {
      const v = scalarAt(p, path);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  const { key, axis, curve } = 'spectrumAt' in spec ? spec.spectrumAt : spec.spectrumPeak;
  const xs = numbersAt(p, [key, axis]);
  const ys = numbersAt(p, [key, ...curve]);
  if (xs === undefined || ys === undefined) return undefined;
  return 'spectrumAt' in spec ? interpolateAt(xs, ys, spec.spectrumAt.at) : peakOf(xs, ys);
}

/** The columns before the results (which input) and after them (the domain verdict). */
const LEADING: Column[] = [
  { name: 'input', value: (p) => p.input },
  { name: 'frame', value: (p) => p.frame, optional: (p) => p.frame !== undefined },
  // which material's models predicted the row (carbon, boron-nitride; empty: elements of no material)
  { name: 'material', value: (p) => p.material, optional: (p) => p.material !== undefined },
  { name: 'error', value: (p) => p.error },
];
const TRAILING: Column[] = [
  { name: 'in_domain', value: (p) => p.domain?.in_domain, optional: (p) => p.domain !== undefined },
  { name: 'domain_score', value: (p) => p.domain?.score, optional: (p) => p.domain !== undefined },
  { name: 'domain_reasons', value: (p) => p.domain?.reasons.join('; '), optional: (p) => p.domain !== undefined },
];

function declared(spec: CsvColumnSpec): Column {
  const value = (p: WebPrediction) => csvValue(spec, p);
  return { name: spec.name, value, ...(spec.optional ? { optional: (p: WebPrediction) => value(p) !== undefined } : {}) };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; numbers as String() gives them (shortest round-trip form). */
function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The predictions as CSV text (header line, CRLF line ends as RFC 4180 has them), with the result
 * columns given (the predicting tasks' declarations: csvColumnsOf in tasks/taskSpec.ts).
 */
export function predictionsToCsv(predictions: readonly WebPrediction[], resultColumns: readonly CsvColumnSpec[]): string {
  const all = [...LEADING, ...resultColumns.map(declared), ...TRAILING];
  const columns: Column[] = all.filter((c) => c.optional === undefined || predictions.some(c.optional));
  const lines = [columns.map((c) => field(c.name)).join(',')];
  for (const p of predictions) lines.push(columns.map((c) => field(c.value(p))).join(','));
  return lines.join('\r\n') + '\r\n';
}
