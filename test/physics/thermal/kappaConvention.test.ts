import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intervalInConventions, kappaFromPublicConvention, kappaFromThickness, PUBLIC_KAPPA_THICKNESS } from '../../../src/physics/thermal/kappaConvention.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b);

test('κ conventions: κ·t in W/K from W/(m·K) and Å, the public and 3.35 Å values related by the public thickness, round trips', () => {
  const t = { thickness_A: 5, range_A: [4, 20] as const };
  const p = kappaFromPublicConvention(10, t);
  assert.equal(p.W_mK, 10);
  assert.ok(close(p.sheet_conductance_W_K, 10 * 5e-10)); // 5 nW/K
  assert.ok(close(p.W_mK_3p35A, (10 * 5) / 3.35));
  assert.ok(close(p.W_mK_3p35A_range![0], (10 * 4) / 3.35) && close(p.W_mK_3p35A_range![1], (10 * 20) / 3.35));
  // a label computed with 20 Å: its sheet conductance is exact, its public value is read with the public thickness
  const l = kappaFromThickness(3, 20, t);
  assert.ok(close(l.sheet_conductance_W_K, 3 * 20e-10));
  assert.ok(close(l.W_mK_3p35A, (3 * 20) / 3.35));
  assert.ok(close(l.W_mK, (3 * 20) / 5));
  assert.ok(close(l.W_mK_range![0], (3 * 20) / 20) && close(l.W_mK_range![1], (3 * 20) / 4));
  // back and forth: a prediction's 3.35 Å value labelled with 3.35 Å is the prediction again
  const back = kappaFromThickness(p.W_mK_3p35A, 3.35, t);
  assert.ok(close(back.W_mK, 10));
  const wide = intervalInConventions([2, 50], t);
  assert.ok(close(wide.sheet_conductance_W_K[0], 2 * 4e-10) && close(wide.sheet_conductance_W_K[1], 50 * 20e-10));
  // the shipped convention: its best thickness lies inside its range
  assert.ok(PUBLIC_KAPPA_THICKNESS.range_A[0] <= PUBLIC_KAPPA_THICKNESS.thickness_A && PUBLIC_KAPPA_THICKNESS.thickness_A <= PUBLIC_KAPPA_THICKNESS.range_A[1]);
  assert.throws(() => kappaFromThickness(3, 0), /thickness must be a positive number/);
});
