import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choleskyInPlace, choleskySolveInPlace, crossDots } from '../../src/linalg/cholesky.js';
import { random } from '../helpers.js';

/** A = G Gᵀ + n·I for a random G: symmetric positive definite. */
function spd(n: number, seed: number): Float64Array {
  const rand = random(seed);
  const g = Float64Array.from({ length: n * n }, () => rand() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += g[i * n + k] * g[j * n + k];
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

test('L·Lᵀ rebuilds the matrix and the solve satisfies A·X = B, across the row-block boundary (n = 1, 2, 33, 70)', () => {
  for (const n of [1, 2, 33, 70]) {
    const a = spd(n, n);
    const l = Float64Array.from(a);
    choleskyInPlace(l, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
        assert.ok(Math.abs(s - a[i * n + j]) < 1e-9 * n, `n ${n} (${i}, ${j})`);
      }
    }
    const rand = random(100 + n);
    const b = Float64Array.from({ length: n * 3 }, () => rand());
    const x = Float64Array.from(b);
    choleskySolveInPlace(l, n, x, 3);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * 3 + c];
        assert.ok(Math.abs(s - b[i * 3 + c]) < 1e-9, `n ${n} row ${i}`);
      }
    }
  }
});

test('a matrix that is not positive definite is refused with the pivot named', () => {
  assert.throws(() => choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2), /not positive definite \(pivot 1/);
});

test('crossDots equals plain inner products for odd and even row counts', () => {
  const rand = random(4);
  const a = Float64Array.from({ length: 5 * 7 }, () => rand());
  const b = Float64Array.from({ length: 3 * 7 }, () => rand());
  const out = new Float64Array(5 * 3);
  crossDots(a, 0, 5, b, 0, 3, 7, out);
  for (let r = 0; r < 5; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 7; k++) s += a[r * 7 + k] * b[c * 7 + k];
      assert.ok(Math.abs(out[r * 3 + c] - s) < 1e-14);
    }
  }
});
