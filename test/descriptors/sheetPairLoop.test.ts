import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Grid } from '../../src/descriptors/grid.js';
import { sheetMinimumImagePairs, sheetMinimumImagePairsJs, type SheetPairs } from '../../src/descriptors/sheetPairLoop.js';
import { sheetPairKernel } from '../../src/descriptors/sheetPairWasm.js';
import { graphene, random } from '../helpers.js';

const grid = new Grid(0, 8, 160);

function same(actual: SheetPairs, expected: SheetPairs, what: string): void {
  assert.deepEqual(Array.from(actual.inPlane), Array.from(expected.inPlane), `${what}: g2d counts`);
  assert.deepEqual(Array.from(actual.full), Array.from(expected.full), `${what}: g3d counts`);
  assert.deepEqual(Array.from(actual.bondStart), Array.from(expected.bondStart), `${what}: bond rows`);
  // Object.is: −0 and 0 differ, as they may in an angle's sign
  actual.bondVectors.forEach((v, k) => assert.ok(Object.is(v, expected.bondVectors[k]), `${what}: bond vector component ${k}: ${v} vs ${expected.bondVectors[k]}`));
}

/** Sheets that reach every branch of the pair loop: odd and even counts (the vector loop's tail), atoms outside the cell, separations of exactly half a cell (numpy's round-half-even), pairs at r_max. */
function cases(): Array<{ name: string; positions: Float64Array; a: number; b: number }> {
  const rand = random(20);
  const out: Array<{ name: string; positions: Float64Array; a: number; b: number }> = [];
  for (const n of [1, 2, 3, 17, 64, 151]) {
    const a = 12 + 10 * rand();
    const b = 10 + 10 * rand();
    const p = new Float64Array(3 * n);
    // up to a cell outside on either side, as files written without wrapping have them
    for (let i = 0; i < n; i++) p.set([(rand() * 3 - 1) * a, (rand() * 3 - 1) * b, 10 + 2 * rand()], 3 * i);
    out.push({ name: `random ${n}`, positions: p, a, b });
  }
  // exact halves: atoms a/2 and b/2 apart, on a grid with steps that are exact in binary
  const half: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) half.push(4 * i, 4 * j, 10 + (i + j) * 0.25);
  out.push({ name: 'half-cell separations', positions: Float64Array.from(half), a: 16, b: 16 });
  // a bond of exactly half the cell: round-half-even keeps +1.5 Å where rounding half up would flip it
  out.push({ name: 'half-cell bonds', positions: Float64Array.from([0, 0, 10, 1.5, 0, 10, 0, 1.5, 10.25, 1.5, 1.5, 9.75]), a: 3, b: 3 });
  // distances of exactly r_max = 8 Å (the last edge is closed) and of bin edges
  out.push({ name: 'on r_max and bin edges', positions: Float64Array.from([0, 0, 10, 8, 0, 10, 0, 0.05, 10, 0, 7.95, 10, 6, 0, 10]), a: 20, b: 20 });
  const g = graphene(6, 4);
  out.push({ name: 'graphene', positions: g.positions, a: g.cell[0], b: g.cell[4] });
  // more bonds than the kernel's first guess of room (4 per atom): it must grow and run again
  const dense = new Float64Array(3 * 200);
  for (let i = 0; i < 200; i++) dense.set([6 * rand(), 6 * rand(), 10 + rand()], 3 * i);
  out.push({ name: 'dense', positions: dense, a: 6, b: 6 });
  return out;
}

test('the WebAssembly pair loop equals the JavaScript one bit for bit', { skip: sheetPairKernel() === null && 'build/kernels.wasm not built' }, () => {
  for (const { name, positions, a, b } of cases()) {
    same(sheetMinimumImagePairs(positions, a, b, grid, 1.85), sheetMinimumImagePairsJs(positions, a, b, grid, 1.85), name);
  }
});

test('the pair loop counts each unordered pair twice and each bond in both rows', () => {
  for (const { name, positions, a, b } of cases()) {
    const pairs = sheetMinimumImagePairs(positions, a, b, grid, 1.85);
    const n = positions.length / 3;
    const counted = pairs.inPlane.reduce((s, v) => s + v, 0);
    assert.ok(counted <= n * (n - 1), name);
    assert.equal(pairs.bondStart[n], pairs.bondVectors.length / 3, name);
    assert.equal(pairs.bondStart[n] % 2, 0, name);
  }
});
