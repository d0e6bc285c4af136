import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers.js';
import { lineChartSvg } from '../../src/web/page/plot.js';
import { chartsOf, renderModelCards, renderPrediction, renderResults, SIGMA_S_PER_M_PER_LABEL, summaryText } from '../../src/web/page/render.js';
import type { WebPrediction } from '../../src/web/types.js';

const fixture = JSON.parse(readFileSync(join(FIXTURES, 'web', 'prediction-with-uncertainty.json'), 'utf8')) as { predictions: WebPrediction[] };
const [structure, pcf] = fixture.predictions;

/** "1.23", "4.5×10<sup>-7</sup>" → number: reads the page's text back, whatever formatting produced it. */
function readNumber(html: string): number {
  const m = /^\s*(-?[\d.]+)(?:×10<sup>(-?\d+)<\/sup>)?/.exec(html);
  assert.ok(m, `not a number: ${html}`);
  return Number(m[1]) * 10 ** Number(m[2] ?? 0);
}

/** The dd of the dt whose text starts with `term`. */
function entry(html: string, term: string): string {
  const m = new RegExp(`<dt>${term}</dt><dd>(.*?)</dd>`).exec(html);
  assert.ok(m, `no entry ${term}`);
  return m[1];
}

/** Value and 90 % interval shown in an entry. */
function shown(dd: string): { value: number; lo?: number; hi?: number } {
  const value = readNumber(/<span class="value">(.*?)<\/span>/.exec(dd)![1]);
  const iv = /\(90 %: (.*?) – (.*?)\)/.exec(dd);
  return iv ? { value, lo: readNumber(iv[1]), hi: readNumber(iv[2]) } : { value };
}

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.abs(b);

/** Pixel points of an SVG path-like attribute mapped back to data through the plot area's data-* extents. */
function backToData(svg: string, cls: 'line' | 'band'): { x: number; y: number }[] {
  const area = /<g class="plot-area" data-x0="(.*?)" data-x1="(.*?)" data-y0="(.*?)" data-y1="(.*?)" data-left="(.*?)" data-right="(.*?)" data-top="(.*?)" data-bottom="(.*?)">/.exec(svg);
  assert.ok(area);
  const [x0, x1, y0, y1, left, right, top, bottom] = area.slice(1).map(Number);
  const points = new RegExp(`class="${cls}"[^>]*points="([^"]*)"`).exec(svg);
  assert.ok(points, `no ${cls}`);
  return points[1].split(' ').map((pair) => {
    const [px, py] = pair.split(',').map(Number);
    return { x: x0 + ((px - left) / (right - left)) * (x1 - x0), y: y0 + ((bottom - py) / (bottom - top)) * (y1 - y0) };
  });
}

test('σ conversion factor is ε0·ω1 of the data contract (≈ 227.4 S/m per unit of the label)', () => {
  assert.ok(close(SIGMA_S_PER_M_PER_LABEL, 227.4, 1e-3), String(SIGMA_S_PER_M_PER_LABEL));
});

test('numbers with intervals: σ in S/m, sheet conductance, κ, el-DoS at E_F, each read back from the HTML', () => {
  const html = renderPrediction(structure, 0);
  for (const axis of ['xx', 'yy'] as const) {
    const s = shown(entry(html, `σ<sub>${axis}</sub>`));
    const [lo, hi] = structure.sigma!.interval90![axis];
    assert.ok(close(s.value, structure.sigma![axis] * 227.33, 6e-3), `${s.value}`);
    assert.ok(close(s.lo!, lo * 227.33, 6e-3) && close(s.hi!, hi * 227.33, 6e-3));
    const g = shown(entry(html, `sheet conductance<sub>${axis}</sub>`));
    assert.ok(close(g.value, structure.sheet_conductance![axis], 6e-3));
    assert.ok(close(g.lo!, structure.sheet_conductance!.interval90![axis][0], 6e-3) && close(g.hi!, structure.sheet_conductance!.interval90![axis][1], 6e-3));
  }
  // el-DoS at E_F: the fixture's grid has E = 0 at index 40, so no interpolation is involved
  const e = structure.el_dos!;
  assert.equal(e.energy_eV[40], 0);
  const d = shown(entry(html, 'el-DoS at E<sub>F</sub>'));
  assert.ok(close(d.value, e.dos[40], 6e-3) && close(d.lo!, e.band90!.low[40], 6e-3) && close(d.hi!, e.band90!.high[40], 6e-3));
  const k = shown(entry(renderPrediction(pcf, 1), 'κ \\(300 K\\)'));
  assert.ok(close(k.value, pcf.kappa!.W_mK, 6e-3) && close(k.lo!, pcf.kappa!.interval90![0], 6e-3) && close(k.hi!, pcf.kappa!.interval90![1], 6e-3));
});

test('domain verdict and reasons are shown, escaped', () => {
  const inside = renderPrediction(structure, 0);
  assert.match(inside, /class="domain in"/);
  assert.match(inside, /Within the training domain/);
  const outside = renderPrediction(pcf, 1);
  assert.match(outside, /class="domain out"/);
  assert.match(outside, /Outside the training domain/);
  assert.ok(close(readNumber(/score (.*?) of 1/.exec(outside)![1]), pcf.domain!.score, 1e-9));
  const items = [...outside.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);
  assert.equal(items.length, pcf.domain!.reasons.length);
  assert.ok(items.some((t) => t.includes('&lt;unusual&gt;')));
  assert.ok(!outside.includes('<unusual>'));
  assert.match(summaryText(fixture.predictions), /1 outside the training domain/);
});

test('plots: the line and the 90 % band map back to the predicted spectrum and its band', () => {
  for (const [p, key, spectrum] of [
    [structure, 'el-dos', { x: structure.el_dos!.energy_eV, ...structure.el_dos! }],
    [pcf, 'ph-dos', { x: pcf.ph_dos!.frequency_THz, ...pcf.ph_dos! }],
  ] as const) {
    const chart = chartsOf(p, 0).find((c) => c.id.endsWith(key));
    assert.ok(chart, key);
    const line = backToData(chart.svg, 'line');
    const range = Math.max(...spectrum.band90!.high) - Math.min(0, ...spectrum.band90!.low);
    assert.equal(line.length, spectrum.x.length);
    line.forEach((pt, k) => {
      assert.ok(Math.abs(pt.x - spectrum.x[k]) < 1e-3 * (spectrum.x.at(-1)! - spectrum.x[0]));
      assert.ok(Math.abs(pt.y - spectrum.dos[k]) < 1e-3 * range, `${key} ${k}: ${pt.y} vs ${spectrum.dos[k]}`);
    });
    // band polygon: the upper edge left to right, then the lower edge right to left
    const band = backToData(chart.svg, 'band');
    const n = spectrum.x.length;
    assert.equal(band.length, 2 * n);
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(band[k].y - spectrum.band90!.high[k]) < 1e-3 * range);
      assert.ok(Math.abs(band[2 * n - 1 - k].y - spectrum.band90!.low[k]) < 1e-3 * range);
    }
  }
});

test('g(r) and ADF of the input are drawn from its descriptors; the 3D view box is offered for a structure', () => {
  const ids = chartsOf(structure, 0).map((c) => c.id);
  assert.deepEqual(ids, ['r0-el-dos', 'r0-gr', 'r0-adf']);
  const gr = backToData(chartsOf(structure, 0)[1].svg, 'line');
  const d = structure.descriptors!;
  const range = Math.max(...d.g);
  gr.forEach((pt, k) => assert.ok(Math.abs(pt.y - d.g[k]) < 1e-3 * range));
  assert.match(renderPrediction(structure, 0), new RegExp(`class="viewer"[^>]*aria-label="3D ball-and-stick view of POSCAR_0002, ${structure.structure!.symbols.length} atoms`));
  assert.deepEqual(chartsOf(pcf, 1).map((c) => c.id), ['r1-ph-dos', 'r1-gr']);
});

test('graceful without the optional fields: no interval, band, domain or viewer, and no undefined/NaN', () => {
  const plain: WebPrediction[] = fixture.predictions.map((p) => ({
    input: p.input,
    ...(p.el_dos && { el_dos: { energy_eV: p.el_dos.energy_eV, dos: p.el_dos.dos } }),
    ...(p.sigma && { sigma: { xx: p.sigma.xx, yy: p.sigma.yy } }),
    ...(p.ph_dos && { ph_dos: { frequency_THz: p.ph_dos.frequency_THz, dos: p.ph_dos.dos } }),
    ...(p.kappa && { kappa: { W_mK: p.kappa.W_mK } }),
  }));
  const html = renderResults(plain);
  for (const absent of ['class="interval"', 'class="band"', 'class="domain', 'class="viewer"', 'sheet conductance', 'undefined', 'NaN']) assert.ok(!html.includes(absent), absent);
  assert.match(html, /σ<sub>xx<\/sub>/);
  assert.match(html, /κ \(300 K\)/);
  assert.equal([...html.matchAll(/<svg /g)].length, 2);
});

test('sheet conductance derived as σ·c from the cell when not predicted', () => {
  const { sheet_conductance: _s, ...rest } = structure;
  const html = renderPrediction(rest, 0);
  const c_m = Math.hypot(...structure.structure!.cell_A.slice(6, 9)) * 1e-10;
  const g = shown(entry(html, 'sheet conductance<sub>xx</sub>'));
  assert.ok(close(g.value, structure.sigma!.xx * 227.33 * c_m, 6e-3));
  assert.match(html, /σ·c, c = 20 Å/);
});

test('user text is escaped: file names and error messages cannot inject markup', () => {
  const html = renderResults([{ input: 'dir/<img src=x onerror=alert(1)>.xyz', error: 'line 1: "<script>alert(2)</script>"' }]);
  assert.ok(!/<img|<script/i.test(html), html);
  assert.match(html, /Could not predict this file/);
  assert.match(summaryText([{ input: 'a', error: 'x' }, structure]), /^2 files: 1 predicted, 1 could not be read\.$/);
});

test('plot: a single series maps back exactly and has no legend; ticks lie inside the plot area', () => {
  const x = Array.from({ length: 11 }, (_, k) => k * 0.7);
  const y = x.map((v) => Math.sin(v) + 2);
  const svg = lineChartSvg({ id: 't', title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x, y }] });
  backToData(svg, 'line').forEach((pt, k) => {
    assert.ok(Math.abs(pt.x - x[k]) < 1e-3 && Math.abs(pt.y - y[k]) < 1e-3);
  });
  assert.match(svg, /role="img" aria-labelledby="t-title t-desc"/);
  assert.equal([...svg.matchAll(/<polyline /g)].length, 1);
  assert.ok(!svg.includes('90 % band'));
  const [, left, right] = /data-left="(.*?)" data-right="(.*?)"/.exec(svg)!.map(Number);
  const tickXs = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" fill="#374151">/g)].map((m) => Number(m[1]));
  assert.ok(tickXs.length >= 3);
  for (const t of tickXs) assert.ok(t >= left - 1e-9 && t <= right + 1e-9, String(t));
});

test('model cards and predictions say their material: a-BN’s el-dos card is told from carbon’s, and a result names its material', () => {
  const html = renderModelCards([{ task: 'el-dos', validation: { mse: 5.8e-4 } }, { task: 'el-dos', material: 'boron-nitride', validation: { mse: 4.0e-3 } }]);
  assert.match(html, /<strong>el-dos<\/strong>/);
  assert.match(html, /<strong>el-dos \(boron-nitride\)<\/strong>/);
  const bn = renderPrediction({ input: 'a-BN.vasp', material: 'boron-nitride', sigma: { xx: 0.3, yy: 0.2 } } as WebPrediction, 0);
  assert.match(bn, /<dt>material<\/dt><dd>boron-nitride<\/dd>/);
  const none = renderPrediction({ input: 'BNC.vasp', material: null, sigma: { xx: 0.3, yy: 0.2 } } as WebPrediction, 0);
  assert.match(none, /<dt>material<\/dt><dd><span class="note">no known material/);
});

test('a result the page has no layout for (a new task\'s JSON key) is shown field by field, with its interval', () => {
  const p = { input: 'x.vasp', material: 'silicon', gap: { eV: 1.25, interval90: [1.1, 1.4] }, strain: { xx: 0.01, yy: 0.02, interval90: { yy: [0.015, 0.025] } }, note: 'text is not a result' } as unknown as WebPrediction;
  const html = renderResults([p]);
  assert.deepEqual(shown(entry(html, 'gap eV')), { value: 1.25, lo: 1.1, hi: 1.4 });
  assert.deepEqual(shown(entry(html, 'strain xx')), { value: 0.01 });
  assert.deepEqual(shown(entry(html, 'strain yy')), { value: 0.02, lo: 0.015, hi: 0.025 });
  assert.ok(!/<dt>note/.test(html) && !/<dt>material /.test(html));
  // the known tasks keep their own layout: nothing of theirs is shown twice
  const known = renderResults([structure]);
  assert.ok(!/<dt>(sigma|kappa|el_dos|ph_dos|domain) /.test(known), 'no generic rows for the four tasks');
});
