/**
 * Line charts as SVG strings for the page (browser-safe, no dependencies): one or more series, each
 * with an optional shaded band (a 90 % interval). The plot area's data ranges and pixel box are
 * written as data-* attributes so a reader (or a test) can map pixels back to values.
 */

export interface PlotSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  band?: { low: readonly number[]; high: readonly number[] };
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  /** Text for screen readers, summarising the chart. */
  description?: string;
  width?: number;
  height?: number;
  /** Unique id prefix for the title/desc elements (several charts on one page). */
  id: string;
}

const PALETTE = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));
const px = (v: number): string => v.toFixed(2);

/** The x and y data ranges over all series and bands (y always includes 0 for spectra). */
function extents(series: PlotSeries[]): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = 0, y1 = -Infinity;
  for (const s of series) {
    for (let k = 0; k < s.x.length; k++) {
      const ys = [s.y[k], s.band?.low[k], s.band?.high[k]].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (!Number.isFinite(s.x[k]) || ys.length === 0) continue;
      x0 = Math.min(x0, s.x[k]);
      x1 = Math.max(x1, s.x[k]);
      for (const v of ys) {
        y0 = Math.min(y0, v);
        y1 = Math.max(y1, v);
      }
    }
  }
  if (!(x1 > x0)) [x0, x1] = [Number.isFinite(x0) ? x0 - 1 : 0, Number.isFinite(x0) ? x0 + 1 : 1];
  if (!(y1 > y0)) y1 = y0 + 1;
  return { x0, x1, y0, y1: y1 + 0.04 * (y1 - y0) };
}

export function lineChartSvg(o: PlotOptions): string {
  const width = o.width ?? 480;
  const height = o.height ?? 300;
  const m = { left: 62, right: 14, top: 30, bottom: 46 };
  const box = { left: m.left, right: width - m.right, top: m.top, bottom: height - m.bottom };
  const { x0, x1, y0, y1 } = extents(o.series);
  const sx = (x: number) => box.left + ((x - x0) / (x1 - x0)) * (box.right - box.left);
  const sy = (y: number) => box.bottom - ((y - y0) / (y1 - y0)) * (box.bottom - box.top);
  const parts: string[] = [];
  const titleId = `${o.id}-title`;
  const descId = `${o.id}-desc`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="${titleId}">${escapeXml(o.title)}</title>`,
    `<desc id="${descId}">${escapeXml(o.description ?? `${o.yLabel} against ${o.xLabel}`)}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-weight="600" fill="#111">${escapeXml(o.title)}</text>`,
  );
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${box.top}" y2="${box.bottom}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${px(sx(t))}" y="${box.bottom + 16}" text-anchor="middle" fill="#374151">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${box.left - 6}" y="${px(sy(t) + 4)}" text-anchor="end" fill="#374151">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="#6b7280"/>`);
  parts.push(`<text x="${(box.left + box.right) / 2}" y="${height - 8}" text-anchor="middle" fill="#111">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(box.top + box.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#111">${escapeXml(o.yLabel)}</text>`);
  parts.push(`<g class="plot-area" data-x0="${x0}" data-x1="${x1}" data-y0="${y0}" data-y1="${y1}" data-left="${box.left}" data-right="${box.right}" data-top="${box.top}" data-bottom="${box.bottom}">`);
  o.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    if (s.band) {
      const upper = s.x.map((x, i) => `${px(sx(x))},${px(sy(s.band!.high[i]))}`);
      const lower = s.x.map((x, i) => `${px(sx(x))},${px(sy(s.band!.low[i]))}`).reverse();
      parts.push(`<polygon class="band" data-series="${escapeXml(s.name)}" points="${[...upper, ...lower].join(' ')}" fill="${colour}" fill-opacity="0.2" stroke="none"><title>${escapeXml(s.name)}: 90 % band</title></polygon>`);
    }
    const points = s.x.map((x, i) => `${px(sx(x))},${px(sy(s.y[i]))}`).join(' ');
    parts.push(`<polyline class="line" data-series="${escapeXml(s.name)}" points="${points}" fill="none" stroke="${colour}" stroke-width="1.8"/>`);
  });
  parts.push('</g>');
  if (o.series.length > 1 || o.series.some((s) => s.band)) {
    let y = box.top + 14;
    o.series.forEach((s, k) => {
      const colour = PALETTE[k % PALETTE.length];
      parts.push(`<line x1="${box.right - 150}" x2="${box.right - 130}" y1="${y - 4}" y2="${y - 4}" stroke="${colour}" stroke-width="2"/>`);
      parts.push(`<text x="${box.right - 126}" y="${y}" fill="#111">${escapeXml(s.name + (s.band ? ' (90 % band)' : ''))}</text>`);
      y += 16;
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
