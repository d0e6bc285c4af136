import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Atoms } from '../../src/structure/atoms.js';
import { perpendicularWidths } from '../../src/structure/cell.js';
import { coordinationNumbers, neighborList } from '../../src/structure/neighbors.js';
import { CC_A, graphene } from '../helpers.js';

/** Plain enumeration of every image in a generous box: the independent reference. */
function bruteForce(atoms: Atoms, cutoff: number): number[][] {
  const widths = perpendicularWidths(atoms.cell);
  const reach = [0, 1, 2].map((a) => (atoms.pbc[a] ? Math.ceil(cutoff / widths[a]) + 1 : 0));
  const out: number[][] = Array.from({ length: atoms.length }, () => []);
  const p = atoms.positions;
  const m = atoms.cell;
  for (let i = 0; i < atoms.length; i++)
    for (let j = 0; j < atoms.length; j++)
      for (let s0 = -reach[0]; s0 <= reach[0]; s0++)
        for (let s1 = -reach[1]; s1 <= reach[1]; s1++)
          for (let s2 = -reach[2]; s2 <= reach[2]; s2++) {
            if (i === j && s0 === 0 && s1 === 0 && s2 === 0) continue;
            const d = [0, 1, 2].map((k) => p[3 * j + k] + s0 * m[k] + s1 * m[3 + k] + s2 * m[6 + k] - p[3 * i + k]);
            const r = Math.hypot(d[0], d[1], d[2]);
            if (r < cutoff) out[i].push(r);
          }
  return out.map((l) => l.sort((a, b) => a - b));
}

function fromList(atoms: Atoms, cutoff: number): number[][] {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, cutoff);
  return Array.from({ length: atoms.length }, (_, i) => Array.from(list.distances.subarray(list.start[i], list.start[i + 1])).sort((a, b) => a - b));
}

function assertSameNeighbours(a: number[][], b: number[][]): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.equal(a[i].length, b[i].length, `atom ${i}: ${a[i].length} vs ${b[i].length} neighbours`);
    for (let k = 0; k < a[i].length; k++) assert.ok(Math.abs(a[i][k] - b[i][k]) < 1e-9);
  }
}

test('graphene: 3 neighbours at 1.42 Å, 9 within √3·d, 12 within 2d', () => {
  const g = graphene(4, 3);
  const list = neighborList(g.positions, g.cell, g.pbc, 1.5);
  assert.ok(coordinationNumbers(list).every((c) => c === 3));
  assert.ok(list.distances.every((r) => Math.abs(r - CC_A) < 1e-12));
  assert.ok(coordinationNumbers(neighborList(g.positions, g.cell, g.pbc, 2.5)).every((c) => c === 9));
  assert.ok(coordinationNumbers(neighborList(g.positions, g.cell, g.pbc, 2.9)).every((c) => c === 12));
});

test('a cell shorter than the cutoff lists every image (the 4-atom graphene cell, r < 6 Å)', () => {
  const g = graphene(1, 1);
  const big = graphene(6, 4);
  const small = fromList(g, 6);
  const large = fromList(big, 6);
  for (let i = 0; i < 4; i++) assert.deepEqual(small[i].map((r) => r.toFixed(9)), large[i].map((r) => r.toFixed(9)));
});

const cellArb = fc.record({
  a: fc.double({ min: 2, max: 12, noNaN: true }),
  b: fc.double({ min: 2, max: 12, noNaN: true }),
  c: fc.double({ min: 2, max: 12, noNaN: true }),
  xy: fc.double({ min: -3, max: 3, noNaN: true }),
  xz: fc.double({ min: -3, max: 3, noNaN: true }),
  yz: fc.double({ min: -3, max: 3, noNaN: true }),
  pbc: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  cutoff: fc.double({ min: 0.5, max: 7, noNaN: true }),
  frac: fc.array(fc.tuple(fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.5, max: 1.5, noNaN: true })), { minLength: 1, maxLength: 14 }),
});

test('cell list = brute force for triclinic cells, any periodic axes, cutoffs above the cell size', () => {
  fc.assert(
    fc.property(cellArb, (s) => {
      const cell = [s.a, 0, 0, s.xy, s.b, 0, s.xz, s.yz, s.c];
      const positions = s.frac.flatMap(([f0, f1, f2]) => [0, 1, 2].map((d) => f0 * cell[d] + f1 * cell[3 + d] + f2 * cell[6 + d]));
      const atoms = new Atoms({ positions, symbols: s.frac.map(() => 'C'), cell, pbc: s.pbc });
      assertSameNeighbours(fromList(atoms, s.cutoff), bruteForce(atoms, s.cutoff));
    }),
    { numRuns: 150, seed: 42 },
  );
});

test('a molecule without a cell and a slab without a c vector', () => {
  const mol = new Atoms({ positions: [0, 0, 0, 1.1, 0, 0, 0, 1.1, 0, 5, 5, 5], symbols: ['C', 'H', 'H', 'H'] });
  const list = neighborList(mol.positions, mol.cell, mol.pbc, 1.2);
  assert.deepEqual(Array.from(coordinationNumbers(list)), [2, 1, 1, 0]);
  const g = graphene(3, 3);
  const slab = new Atoms({ positions: g.positions, numbers: g.numbers, cell: [...g.cell.subarray(0, 6), 0, 0, 0], pbc: [true, true, false] });
  assert.ok(coordinationNumbers(neighborList(slab.positions, slab.cell, slab.pbc, 1.5)).every((c) => c === 3));
});
