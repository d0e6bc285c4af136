import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDomainReference, distanceRatio } from '../../src/tasks/domain.js';
import { calibrateConformal, conformalBounds, coverage, medianWidth, smallestNonZero, withHistogramRule } from '../../src/tasks/uncertainty.js';
import { random } from '../helpers.js';

/** Standard normal draws from a seeded uniform source (Box–Muller). */
function gaussian(seed: number): () => number {
  const rand = random(seed);
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
}

test('log-space intervals of a positive quantity with relative noise: positive bounds, about 90 % coverage, widths constant in log', () => {
  const gauss = gaussian(5);
  const rand = random(6);
  // σ-like: values over 1.5 decades, truth = prediction × e^(0.3 z); members spread a fixed 5 % in log
  const make = (n: number) => {
    const center = Float64Array.from({ length: n }, () => 40 * 10 ** (1.5 * rand()));
    const truth = center.map((c) => c * Math.exp(0.3 * gauss()));
    return { center, truth, spread: new Float64Array(n).fill(0.05) };
  };
  const cal = make(500);
  const calibration = calibrateConformal(cal.truth, cal.center, cal.spread, 1, 0.9, { space: 'log' });
  assert.equal(calibration.space, 'log');
  const fresh = make(5000);
  const { low, high } = conformalBounds(calibration, fresh.center, fresh.spread);
  assert.ok(low.every((v) => v > 0), 'every lower bound is positive');
  const c = coverage(fresh.truth, low, high, 1).overall;
  assert.ok(c > 0.87 && c < 0.93, `coverage ${c}`);
  // 90 % of |0.3 z| lies below 0.3 · 1.645: the full width in log10 is 2 · 0.4935 / ln 10 ≈ 0.429
  const [w] = medianWidth(calibration, low, high, 1);
  assert.ok(Math.abs(w - 0.429) < 0.04, `median log10 width ${w}`);
  // the same data calibrated in linear space reach below zero for the small values
  const linear = calibrateConformal(cal.truth, cal.center, cal.spread, 1);
  assert.ok(conformalBounds(linear, fresh.center, fresh.spread).low.some((v) => v < 0));
});

test('distance-scaled intervals: plain widths among the training rows, wider in proportion far from them, covering both', () => {
  const gauss = gaussian(7);
  const cols = 12;
  const rows = 400;
  const draw = (spread: number) => Float64Array.from({ length: cols }, () => spread * gauss());
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) x.set(draw(1), r * cols);
  const ref = buildDomainReference(x, rows, cols, 'none');
  // the error grows with the distance beyond the training rows: noise sd 0.1 · max(1, ratio)
  const make = (n: number, spread: number) => {
    const ratio = Float64Array.from({ length: n }, () => distanceRatio(ref, draw(spread)));
    const center = Float64Array.from({ length: n }, () => gauss());
    const truth = center.map((c, k) => c + 0.1 * Math.max(1, ratio[k]) * gauss());
    return { ratio, center, truth, spread: new Float64Array(n) };
  };
  const cal = make(400, 1);
  const calibration = calibrateConformal(cal.truth, cal.center, { spread: cal.spread, distanceRatio: cal.ratio }, 1, 0.9, { scale: 'distance' });
  for (const spread of [1, 4]) {
    const fresh = make(3000, spread);
    const { low, high } = conformalBounds(calibration, fresh.center, { spread: fresh.spread, distanceRatio: fresh.ratio });
    const c = coverage(fresh.truth, low, high, 1).overall;
    assert.ok(c > 0.86 && c < 0.95, `rows ${spread}× as spread as the training rows: coverage ${c}`);
    const [w] = medianWidth(calibration, low, high, 1);
    // 2 · 1.645 · 0.1 among the training rows; the far rows about 4× wider
    if (spread === 1) assert.ok(Math.abs(w - 0.329) < 0.06, `median width ${w}`);
    else assert.ok(w > 2.5 * 0.329, `far rows' median width ${w}`);
  }
  assert.throws(() => calibrateConformal(cal.truth, cal.center, cal.spread, 1, 0.9, { scale: 'distance' }), /distance ratios/);
});

test('distance ratio: about 1 or below for rows like the training rows, linear in the offset far from them', () => {
  const gauss = gaussian(8);
  const cols = 10;
  const rows = 500;
  const x = Float64Array.from({ length: rows * cols }, () => gauss());
  const ref = buildDomainReference(x, rows, cols, 'none');
  const like = Array.from({ length: 400 }, () => distanceRatio(ref, Float64Array.from({ length: cols }, () => gauss()))).sort((a, b) => a - b);
  const p90 = like[Math.floor(0.9 * like.length)];
  assert.ok(p90 > 0.8 && p90 < 1.25, `90th percentile of like rows ${p90}`);
  const direction = Float64Array.from({ length: cols }, (_, j) => (j % 2 ? 1 : -1) / Math.sqrt(cols));
  const at = (t: number) => distanceRatio(ref, direction.map((v) => v * t));
  const [a, b] = [at(40), at(80)];
  assert.ok(a > 5, `far row ${a}`);
  assert.ok(Math.abs(b / a - 2) < 0.1, `doubling the offset doubles the ratio: ${a} → ${b}`);
});

test('bounds of a density are clipped at 0 and always contain the prediction', () => {
  const calibration = { method: 'test', level: 0.9, quantile: [2], floor: [0.01], rows: 100 };
  const center = Float64Array.of(0.005, 0.3, 0);
  const spread = Float64Array.of(0.02, 0.01, 0.5);
  const { low, high } = conformalBounds(calibration, center, spread, true);
  const near = (a: ArrayLike<number>, b: number[]) => b.forEach((v, k) => assert.ok(Math.abs(a[k] - v) < 1e-12, `${a[k]} vs ${v}`));
  near(low, [0, 0.26, 0]);
  near(high, [0.065, 0.34, 1.02]);
  for (let k = 0; k < 3; k++) assert.ok(low[k] <= center[k] && center[k] <= high[k]);
  // without the rule the first bound goes below zero
  assert.ok(conformalBounds(calibration, center, spread).low[0] < 0);
});

test('histogram labels: counts of 0 or ≥ 1 in 2700 modes; lower bounds under one count’s share become 0, and the 90 % holds where plain bounds miss the zeros', () => {
  // a high-frequency ph-DoS bin: 97 % of rows hold no mode, the rest one or two of 2700; the model
  // predicts a small positive share, varying more than its spread says
  const quantum = 1 / 2700;
  assert.equal(smallestNonZero(Float64Array.of(0, 3 * quantum, 0, quantum, 2 * quantum)), quantum);
  assert.equal(smallestNonZero(Float64Array.of(0, 0)), undefined);
  const rand = random(3);
  const draw = (n: number) => {
    const truth = Float64Array.from({ length: n }, () => (rand() < 0.97 ? 0 : (1 + Math.floor(2 * rand())) * quantum));
    const center = Float64Array.from(truth, (t) => (t > 0 ? 0.6 * t : 0) + 2e-5 * (1 + 4 * rand() ** 2));
    const spread = Float64Array.from({ length: n }, () => 5e-6 * (1 + rand()));
    return { truth, center, spread };
  };
  const hold = draw(400);
  const plain = calibrateConformal(hold.truth, hold.center, hold.spread, 1, 0.9, { nonNegative: true, histogram: true });
  const rule = withHistogramRule(plain, { nonNegative: true, histogram: true }, hold.truth);
  assert.equal(rule.zero_below, smallestNonZero(hold.truth));
  assert.match(rule.method, /lower bounds under one count's share are 0$/);
  assert.equal(withHistogramRule(plain, { nonNegative: true }, hold.truth), plain, 'no histogram rule: the calibration as it was');
  const fresh = draw(4000);
  const inside = (b: { low: Float64Array; high: Float64Array }) => coverage(fresh.truth, b.low, b.high, 1).overall;
  const without = conformalBounds(plain, fresh.center, fresh.spread, true);
  const withRule = conformalBounds(rule, fresh.center, fresh.spread, true);
  // plain split conformal: its 90 %, the misses being rows with no mode whose band starts above 0
  const zerosMissed = Array.from(fresh.truth).filter((t, k) => t === 0 && without.low[k] > 0).length;
  assert.ok(inside(without) > 0.86 && inside(without) < 0.94, `plain coverage ${inside(without)}`);
  assert.ok(zerosMissed > 0.05 * fresh.truth.length, `plain bounds exclude ${zerosMissed} zero rows`);
  // the rule covers every zero row: what is left out are rows with more modes than the band allows
  assert.ok(inside(withRule) > 0.96, `coverage ${inside(without)} → ${inside(withRule)}`);
  assert.equal(Array.from(fresh.truth).filter((t, k) => t === 0 && withRule.low[k] > 0).length, 0);
  for (let k = 0; k < fresh.truth.length; k++) {
    assert.ok(withRule.low[k] === 0 || withRule.low[k] >= quantum, 'no lower bound strictly between 0 and one count');
    assert.equal(withRule.high[k], without.high[k], 'upper bounds unchanged');
    if (without.low[k] >= quantum) assert.equal(withRule.low[k], without.low[k]);
  }
});
