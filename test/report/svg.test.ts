import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogram, tickLabels } from '../../src/report/svg.js';

const labelsOf = (svg: string): string[] => [...svg.matchAll(/<text[^>]*text-anchor="(?:middle|end)">([^<]*)<\/text>/g)].map((m) => m[1]);

test('tick labels tell every tick apart, with as few digits as that takes', () => {
  assert.deepEqual(tickLabels([0, 0.0005, 0.001, 0.0015, 0.002]), ['0', '5.0e-4', '1.0e-3', '1.5e-3', '2.0e-3']);
  assert.deepEqual(tickLabels([0, 0.5, 1, 1.5]), ['0', '0.5', '1', '1.5']);
  assert.deepEqual(tickLabels([1e-7, 2e-7, 3e-7]), ['1e-7', '2e-7', '3e-7']);
});

test('an MSE histogram (values ~1e-3) has no duplicated axis labels', () => {
  const values = Float64Array.from({ length: 300 }, (_, k) => 2e-4 + (k % 37) * 5.3e-5);
  const svg = histogram({ title: 'MSE per structure', xLabel: 'MSE', values });
  const ticks = labelsOf(svg).filter((l) => /\d/.test(l));
  assert.ok(ticks.length >= 6, `${ticks}`);
  const x = ticks.slice(0, ticks.length); // x and y labels together: within each axis they must differ
  const yStart = x.indexOf('0', 1);
  const xLabels = yStart > 0 ? x.slice(0, yStart) : x;
  assert.equal(new Set(xLabels).size, xLabels.length, `x labels ${xLabels}`);
});
