import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { autocorrelation, meanStderr, plateauMean, runningIntegral } from '../../../src/physics/thermal/greenKubo.js';
import { Rng } from '../../../src/util/random.js';

/** Exact discretisation of an Ornstein–Uhlenbeck process: ⟨x(0)x(t)⟩ = σ² e^{−t/τ}, ∫₀^∞ = σ² τ. */
function ornsteinUhlenbeck(n: number, dt: number, tau: number, sigma: number, rng: Rng): Float64Array {
  const a = Math.exp(-dt / tau);
  const b = sigma * Math.sqrt(1 - a * a);
  const x = new Float64Array(n);
  x[0] = sigma * rng.normal();
  for (let k = 1; k < n; k++) x[k] = a * x[k - 1] + b * rng.normal();
  return x;
}

test('Green–Kubo integral of an Ornstein–Uhlenbeck signal: plateau = σ²τ within the scatter of independent runs', () => {
  const dt = 1, tau = 20, sigma = 2;
  const exact = sigma * sigma * tau; // 80; the trapezoid rule adds σ²·dt²/(12τ) ≈ 0.017, negligible
  const rng = new Rng(42);
  const plateaus: number[] = [];
  for (let r = 0; r < 8; r++) {
    const x = ornsteinUhlenbeck(200_000, dt, tau, sigma, rng);
    const running = runningIntegral(autocorrelation(x, 300), dt);
    plateaus.push(plateauMean(running, dt, [150, 299]));
  }
  const { mean, stderr } = meanStderr(plateaus);
  assert.ok(stderr > 0.1 && stderr < 5, `stderr ${stderr}`);
  assert.ok(Math.abs(mean - exact) < 3 * stderr, `plateau ${mean} ± ${stderr}, exact ${exact}`);
});

test('autocorrelation equals numpy (direct sum over all time origins)', () => {
  const x = ornsteinUhlenbeck(500, 1, 5, 1, new Rng(1));
  const ours = autocorrelation(x, 40);
  const py = `import numpy as np, json, sys
x = np.array(json.load(sys.stdin)); n = len(x)
print(json.dumps([float(np.dot(x[:n-k], x[k:]) / (n - k)) for k in range(40)]))`;
  let ref: number[];
  try {
    ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(Array.from(x)), encoding: 'utf8' }));
  } catch (error) {
    if (process.env.CI) throw error;
    return; // numpy missing outside CI
  }
  for (let k = 0; k < 40; k++) assert.ok(Math.abs(ours[k] - ref[k]) < 1e-12, `lag ${k}`);
});

test('plateau window picks samples inclusively and refuses an empty window', () => {
  const running = Float64Array.from([0, 1, 2, 3, 4, 5]);
  assert.equal(plateauMean(running, 2, [4, 8]), 3); // samples at 4, 6, 8 fs
  assert.throws(() => plateauMean(running, 2, [20, 30]), /holds no sample/);
});
