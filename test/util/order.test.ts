import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kthSmallest } from '../../src/util/order.js';
import { random } from '../helpers.js';

test('kthSmallest is the k-th entry of the sorted array, with ties, tiny and already sorted inputs', () => {
  const rand = random(5);
  for (let n = 1; n <= 40; n++) {
    for (const make of [() => rand(), () => Math.floor(rand() * 3)]) {
      const v = Float64Array.from({ length: n }, make);
      const sorted = Float64Array.from(v).sort();
      for (let k = 0; k < n; k++) assert.equal(kthSmallest(Float64Array.from(v), k), sorted[k], `n ${n} k ${k}`);
      for (let k = 0; k < n; k++) assert.equal(kthSmallest(Float64Array.from(sorted), k), sorted[k]);
    }
  }
  const big = Float64Array.from({ length: 79_800 }, () => rand());
  assert.equal(kthSmallest(Float64Array.from(big), 39_900), Float64Array.from(big).sort()[39_900]);
  assert.throws(() => kthSmallest(new Float64Array(3), 3), /outside 0…2/);
});
