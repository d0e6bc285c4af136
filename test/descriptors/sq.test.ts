import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Grid } from '../../src/descriptors/grid.js';
import { besselJ0, structureFactor } from '../../src/descriptors/structureFactor.js';

/** J0(x) = (1/π) ∫₀^π cos(x sin t) dt, by a fine midpoint rule: an independent evaluation. */
function j0Integral(x: number): number {
  const n = 4000;
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.cos(x * Math.sin(((k + 0.5) * Math.PI) / n));
  return s / n;
}

test('J0 matches its integral representation to 1e-7', () => {
  for (let x = 0; x < 40; x += 0.37) assert.ok(Math.abs(besselJ0(x) - j0Integral(x)) < 1e-7, `x = ${x}`);
});

test('S(q) of a Gaussian hole in g(r) matches the analytic transforms (2D and 3D)', () => {
  const s = 0.8;
  const rGrid = new Grid(0, 12, 2400);
  const g = Float64Array.from(rGrid.centres(), (r) => 1 - Math.exp(-(r * r) / (2 * s * s)));
  const qGrid = new Grid(0.05, 8.05, 40, 'Å⁻¹');
  const rho2 = 0.38;
  const rho3 = 0.11;
  const s2 = structureFactor(g, rGrid, { dimension: 2, density: rho2, qGrid });
  const s3 = structureFactor(g, rGrid, { dimension: 3, density: rho3, qGrid });
  qGrid.centres().forEach((q, k) => {
    const damp = Math.exp(-(q * q * s * s) / 2);
    assert.ok(Math.abs(s2[k] - (1 - rho2 * 2 * Math.PI * s * s * damp)) < 1e-5, `2D q = ${q}`);
    assert.ok(Math.abs(s3[k] - (1 - rho3 * (2 * Math.PI * s * s) ** 1.5 * damp)) < 1e-5, `3D q = ${q}`);
  });
});

test('g = 1 gives S = 1; the Lorch window leaves that alone', () => {
  const rGrid = new Grid(0, 8, 80);
  const s = structureFactor(new Float64Array(80).fill(1), rGrid, { dimension: 2, density: 0.4, qGrid: new Grid(0.1, 10, 20, 'Å⁻¹'), lorch: true });
  assert.ok(s.every((v) => v === 1));
});
