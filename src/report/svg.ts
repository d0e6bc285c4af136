import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';
import { line } from 'd3-shape';

/**
 * Small SVG charts for the HTML report: lines, a parity scatter and a histogram. d3-scale gives
 * the axes' nice ticks (linear and log), d3-shape the paths; the markup is written here because
 * the report is one self-contained file rendered without a browser DOM.
 */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
}

interface Frame {
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const M = { left: 58, right: 14, top: 28, bottom: 44 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number, digits = 1): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(Math.max(digits, 3)))));

/** Tick labels with the fewest digits that tell every tick apart (1.5e-3 and 2e-3 would both read "2e-3" with one). */
export function tickLabels(ticks: number[]): string[] {
  for (let digits = 1; digits <= 8; digits++) {
    const labels = ticks.map((t) => fmt(t, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map((t) => String(t));
}

/** Ticks; on a log axis only 1, 2 and 5 × 10^k, which keeps the labels apart. */
function ticksOf(scale: ScaleContinuousNumeric<number, number>, count: number): number[] {
  const ticks = scale.ticks(count);
  if (!('base' in scale)) return ticks;
  const mantissa = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
  const [lo, hi] = scale.domain();
  // more than three decades: 1, 2, 5 per decade would crowd the axis, so powers of ten only
  const keep = Math.log10(hi / lo) > 3 ? [1] : [1, 2, 5];
  return ticks.filter((t) => keep.includes(mantissa(t)));
}

function axes(f: Frame, x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>): string {
  const out: string[] = [];
  const [x0, x1] = x.range();
  const [y0, y1] = y.range();
  out.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#888"/>`);
  const xTicks = ticksOf(x, 6);
  tickLabels(xTicks).forEach((label, k) => {
    const px = x(xTicks[k]);
    out.push(`<line x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + 4}" stroke="#888"/><text x="${px}" y="${y0 + 16}" text-anchor="middle">${label}</text>`);
  });
  const yTicks = ticksOf(y, 5);
  tickLabels(yTicks).forEach((label, k) => {
    const py = y(yTicks[k]);
    out.push(`<line x1="${x0 - 4}" x2="${x0}" y1="${py}" y2="${py}" stroke="#888"/><text x="${x0 - 6}" y="${py + 4}" text-anchor="end">${label}</text>`);
  });
  out.push(`<text x="${(x0 + x1) / 2}" y="${f.height - 8}" text-anchor="middle">${esc(f.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(f.yLabel)}</text>`);
  out.push(`<text x="${x0}" y="${18}" font-weight="bold">${esc(f.title)}</text>`);
  return out.join('');
}

function svg(f: Frame, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="11">${body}</svg>`;
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo < hi ? [lo, hi] : [lo - 1, hi + 1];
}

export function lineChart(options: Partial<Frame> & { series: Series[] }): string {
  const f: Frame = { width: 420, height: 260, title: '', xLabel: '', yLabel: '', ...options };
  const xs = extent(options.series.flatMap((s) => Array.from(s.x)));
  const ys = extent(options.series.flatMap((s) => Array.from(s.y)));
  const x = scaleLinear().domain(xs).range([M.left, f.width - M.right]);
  const y = scaleLinear().domain([Math.min(0, ys[0]), ys[1]]).nice().range([f.height - M.bottom, M.top]);
  const body = options.series
    .map((s, k) => {
      const d = line<number>()
        .x((i) => x(s.x[i]))
        .y((i) => y(s.y[i]))(Array.from({ length: s.x.length }, (_, i) => i));
      const color = s.color ?? PALETTE[k % PALETTE.length];
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
        `<text x="${f.width - M.right - 4}" y="${M.top + 12 + 13 * k}" text-anchor="end" fill="${color}">${esc(s.name)}</text>`;
    })
    .join('');
  return svg(f, axes(f, x, y) + body);
}

export function parityChart(options: Partial<Frame> & { truth: ArrayLike<number>; pred: ArrayLike<number>; log?: boolean }): string {
  const f: Frame = { width: 320, height: 300, title: '', xLabel: 'true', yLabel: 'predicted', ...options };
  const all = [...Array.from(options.truth), ...Array.from(options.pred)].filter((v) => Number.isFinite(v) && (!options.log || v > 0));
  const [lo, hi] = extent(all);
  const make = (): ScaleContinuousNumeric<number, number> => (options.log ? scaleLog().domain([lo, hi]) : scaleLinear().domain([lo, hi]).nice());
  const x = make().range([M.left, f.width - M.right]);
  const y = make().range([f.height - M.bottom, M.top]);
  const [d0, d1] = x.domain();
  const dots = Array.from(options.truth, (t, i) => {
    const p = options.pred[i];
    if (options.log && (t <= 0 || p <= 0)) return '';
    return `<circle cx="${x(t).toFixed(1)}" cy="${y(p).toFixed(1)}" r="2.2" fill="#1f77b4" fill-opacity="0.55"/>`;
  }).join('');
  return svg(f, axes(f, x, y) + `<line x1="${x(d0)}" y1="${y(d0)}" x2="${x(d1)}" y2="${y(d1)}" stroke="#d62728" stroke-dasharray="4 3"/>` + dots);
}

export function histogram(options: Partial<Frame> & { values: ArrayLike<number>; bins?: number }): string {
  const f: Frame = { width: 320, height: 240, title: '', xLabel: '', yLabel: 'count', ...options };
  const values = Array.from(options.values).filter(Number.isFinite);
  const [lo, hi] = extent(values);
  const n = options.bins ?? 30;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n))]++;
  const x = scaleLinear().domain([lo, hi]).range([M.left, f.width - M.right]);
  const y = scaleLinear().domain([0, Math.max(...counts, 1)]).nice().range([f.height - M.bottom, M.top]);
  const w = (x(hi) - x(lo)) / n;
  const bars = counts.map((c, k) => `<rect x="${(x(lo) + k * w).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(0.5, w - 1).toFixed(1)}" height="${(y(0) - y(c)).toFixed(1)}" fill="#1f77b4" fill-opacity="0.75"/>`).join('');
  return svg(f, axes(f, x, y) + bars);
}

/** Several charts side by side in one SVG document (each is itself an <svg> with its own size). */
export function sideBySide(charts: string[]): string {
  let x = 0;
  let height = 0;
  const parts = charts.map((c) => {
    const w = Number(/width="(\d+)"/.exec(c)?.[1] ?? 0);
    const h = Number(/height="(\d+)"/.exec(c)?.[1] ?? 0);
    const placed = c.replace('<svg ', `<svg x="${x}" y="0" `);
    x += w + 10;
    height = Math.max(height, h);
    return placed;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(0, x - 10)}" height="${height}">${parts.join('')}</svg>\n`;
}
