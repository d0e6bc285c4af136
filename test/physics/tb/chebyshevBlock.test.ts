import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readStructure } from '../../../src/structure/io/formats.js';
import { hoppings, piParameters } from '../../../src/physics/tb/model.js';
import { chebyshevStep, csrHamiltonian, csrVelocity, type CsrMatrix } from '../../../src/physics/tb/sparse.js';
import { chebyshevBlockEngine } from '../../../src/physics/tb/chebyshevBlock.js';
import { kpmConductivityDc, kpmMoments } from '../../../src/physics/tb/kpm.js';
import { FIXTURES, random } from '../../helpers.js';

/** A random sparse matrix in CSR: 0–7 entries per row (repeated columns allowed, as images give), some rows empty. */
function randomCsr(n: number, seed: number): CsrMatrix {
  const rand = random(seed);
  const start = new Int32Array(n + 1);
  const column: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    const count = Math.floor(rand() * 8);
    for (let k = 0; k < count; k++) {
      column.push(Math.floor(rand() * n));
      value.push(2 * rand() - 1);
    }
    start[i + 1] = column.length;
  }
  return { n, start, column: Int32Array.from(column), value: Float64Array.from(value) };
}

test('the WebAssembly Chebyshev block step equals the plain block step and the one-vector chebyshevStep lane by lane (lanes 2 and 4)', () => {
  const m = randomCsr(203, 5);
  const rand = random(9);
  const a = 0.37;
  const b = -0.11;
  for (const lanes of [2, 4]) {
    const wasm = chebyshevBlockEngine(m, lanes, 'wasm');
    const js = chebyshevBlockEngine(m, lanes, 'js');
    const [wPrev, wCurr, wNext] = wasm.buffers;
    const [jPrev, jCurr, jNext] = js.buffers;
    for (let i = 0; i < wCurr.length; i++) {
      wCurr[i] = jCurr[i] = 2 * rand() - 1;
      wPrev[i] = jPrev[i] = 2 * rand() - 1;
    }
    const wDots = new Float64Array(2);
    const jDots = new Float64Array(2);
    wasm.step(wCurr, wPrev, wNext, 2 * a, 2 * b, wDots);
    js.step(jCurr, jPrev, jNext, 2 * a, 2 * b, jDots);
    // independent reference: each lane through the one-vector step
    let dc = 0;
    let dn = 0;
    for (let l = 0; l < lanes; l++) {
      const curr = Float64Array.from({ length: m.n }, (_, i) => jCurr[i * lanes + l]);
      const prev = Float64Array.from({ length: m.n }, (_, i) => jPrev[i * lanes + l]);
      const next = new Float64Array(m.n);
      dc += chebyshevStep(m, curr, prev, next, a, b);
      for (let i = 0; i < m.n; i++) {
        dn += next[i] * next[i];
        assert.ok(Math.abs(next[i] - jNext[i * lanes + l]) < 1e-14, `plain block, lane ${l} row ${i}`);
        assert.ok(Math.abs(next[i] - wNext[i * lanes + l]) < 1e-14, `wasm block, lane ${l} row ${i}: ${wNext[i * lanes + l]} vs ${next[i]}`);
      }
    }
    for (const dots of [wDots, jDots]) {
      assert.ok(Math.abs(dots[0] - dc) < 1e-12 * Math.abs(dc), `Σ⟨next, curr⟩ ${dots[0]} vs ${dc}`);
      assert.ok(Math.abs(dots[1] - dn) < 1e-12 * dn, `Σ⟨next, next⟩ ${dots[1]} vs ${dn}`);
    }
    assert.throws(() => wasm.step(jCurr, wPrev, wNext, 1, 0, wDots), /own buffers/);
    // the filter step: next as above, out += c·next; prev aliasing next (the filter's first step)
    const [, , , wOut] = wasm.buffers;
    const [, , , jOut] = js.buffers;
    for (let i = 0; i < wOut.length; i++) wOut[i] = jOut[i] = rand();
    const outBefore = Float64Array.from(jOut);
    wasm.filterStep(wCurr, wPrev, wPrev, 2 * a, 2 * b, 0.3, wOut);
    js.filterStep(jCurr, jPrev, jPrev, 2 * a, 2 * b, 0.3, jOut);
    for (let i = 0; i < m.n * lanes; i++) {
      assert.ok(Math.abs(wPrev[i] - jNext[i]) < 1e-14 && Math.abs(jPrev[i] - jNext[i]) < 1e-14, `filter next, element ${i}`);
      const expected = outBefore[i] + 0.3 * jNext[i];
      assert.ok(Math.abs(wOut[i] - expected) < 1e-14 && Math.abs(jOut[i] - expected) < 1e-14, `filter sum, element ${i}`);
    }
  }
});

test('KPM moments through the WebAssembly block kernel equal the plain TypeScript ones (random and exact trace)', () => {
  const cell = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
  const h = csrHamiltonian(hoppings(cell, piParameters()));
  for (const options of [{ moments: 300, randomVectors: 1, seed: 3 }, { moments: 300, randomVectors: 3, seed: 4 }, { moments: 120, randomVectors: 0, exactTrace: true }]) {
    const wasm = kpmMoments(h, { ...options, kernels: 'wasm' });
    const js = kpmMoments(h, { ...options, kernels: 'js' });
    assert.equal(wasm.matVecs, js.matVecs);
    for (let k = 0; k < wasm.mu.length; k++) assert.ok(Math.abs(wasm.mu[k] - js.mu[k]) < 1e-12, `μ${k}: ${wasm.mu[k]} vs ${js.mu[k]}`);
  }
  assert.equal(kpmMoments(h, { moments: 10, randomVectors: 1 }).matVecs, 10, 'one random-phase vector: two real recursions of 5 steps');
});

test('KPM conductivity through the WebAssembly filter kernel equals the plain TypeScript one', () => {
  const cell = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
  const hop = hoppings(cell, piParameters());
  const h = csrHamiltonian(hop);
  const v = [csrVelocity(hop, 0), csrVelocity(hop, 1)] as const;
  const options = { moments: 400, randomVectors: 2, seed: 5 };
  const wasm = kpmConductivityDc(h, v, -0.2, 0.05, cell.volume_A3, { ...options, kernels: 'wasm' });
  const js = kpmConductivityDc(h, v, -0.2, 0.05, cell.volume_A3, { ...options, kernels: 'js' });
  assert.equal(wasm.matVecs, js.matVecs);
  assert.equal(wasm.matVecs, 2 * 2 * 3 * 399, '2 random-phase vectors = 4 real, 3 recursions of N − 1 mat-vecs each');
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(wasm.sigma_S_m[i] - js.sigma_S_m[i]) < 1e-10 * Math.abs(js.sigma_S_m[i]), `${wasm.sigma_S_m[i]} vs ${js.sigma_S_m[i]}`);
});
