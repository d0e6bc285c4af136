import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictionsSection } from '../../src/report/report.js';
import { spectrumPeak } from '../../src/data/spectrumPeak.js';
import type { Prediction } from '../../src/tasks/predict.js';
import { PH_DOS_BIN_CENTRES_THZ } from '../../src/data/labels.js';

const freq = Array.from(PH_DOS_BIN_CENTRES_THZ);
// a hump at 25 THz and a flat spectrum, both ending below 60 THz
const hump = freq.map((f) => (f < 60 ? Math.exp(-(((f - 25.5) / 8) ** 2)) + 0.2 : 0));
const flat = freq.map((f) => (f < 60 ? 1 / 60 : 0));
const band = (dos: number[]) => ({ low: dos.map((v) => 0.8 * v), high: dos.map((v) => 1.2 * v) });

const predictions: Prediction[] = [
  {
    input: 'dir/POSCAR_A',
    el_dos: { energy_eV: Array.from({ length: 81 }, (_, k) => (k - 40) / 20), dos: new Array(81).fill(0.3), band90: { low: new Array(81).fill(0.25), high: new Array(81).fill(0.35) } },
    sigma: { xx: 200, yy: 100, interval90: { xx: [150, 260], yy: [80, 130] } },
    domain: { in_domain: true, score: 0.42, reasons: [], per_task: { el_dos: { in_domain: true, score: 0.42 }, sigma: { in_domain: true, score: 0.5 } } },
  },
  {
    input: 'peaked.npy',
    ph_dos: { frequency_THz: freq, dos: hump, band90: band(hump) },
    kappa: { W_mK: 2.5, interval90: [1.2, 5] },
    domain: { in_domain: true, score: 0.3, reasons: [], per_task: { ph_dos: { in_domain: true, score: 0.3 }, kappa: { in_domain: true, score: 0.4 } } },
  },
  {
    input: 'flat.npy',
    ph_dos: { frequency_THz: freq, dos: flat },
    kappa: { W_mK: 40, interval90: [1, 1600] },
    domain: { in_domain: false, score: 0, reasons: ['its g(r) is farther from every training row than 100.0 % of training rows are from their nearest neighbour (ph_dos, kappa)'], per_task: { ph_dos: { in_domain: false, score: 0 }, kappa: { in_domain: false, score: 0 } } },
  },
];

test('spectrum peak: a hump has one, a flat or noisy-flat spectrum has none', () => {
  assert.equal(spectrumPeak(freq, hump).at, 25.5);
  assert.equal(spectrumPeak(freq, flat).at, undefined);
  const noisy = flat.map((v, k) => v * (1 + 0.1 * Math.sin(7 * k)));
  assert.equal(spectrumPeak(freq, noisy).at, undefined);
  assert.ok(Number.isNaN(spectrumPeak(freq, new Array(100).fill(0)).ratio));
});

test('report predictions: values with units and 90 % intervals, the domain per row, ph-DoS axis where the spectra end, flat spectra said so', () => {
  const html = predictionsSection(predictions);
  // σ in S/m (label × ε₀ω₁ ≈ 227.3 S/m) with its interval
  assert.match(html, /σ_xx 45500 \(90 %: 34100–59100\) S\/m<br>σ_yy 22700 \(90 %: 18200–29600\) S\/m/);
  assert.match(html, /DoS\(E_F\) 0\.3 \(90 %: 0\.25–0\.35\) states\/eV\/atom/);
  assert.match(html, /κ 2\.5 \(90 %: 1\.2–5\) W\/\(m·K\)/);
  assert.match(html, /ph-DoS peak 25\.5 THz/);
  assert.match(html, /ph-DoS flat: no clear peak/);
  assert.match(html, /<th>training domain<\/th>/);
  assert.match(html, /in domain <span class="small">\(score 0\.42\)/);
  assert.match(html, /<b>outside<\/b> for ph_dos, kappa: its g\(r\) is farther from every training row than 100\.0 % of training rows are from their nearest neighbour</);
  // the phonon chart's axis stops at 60 THz: ticks to 50, none at 80
  const phonon = html.slice(html.indexOf('<svg', html.indexOf('Phonon DoS and κ')));
  assert.match(phonon, />50</);
  assert.doesNotMatch(phonon, />80</);
});
