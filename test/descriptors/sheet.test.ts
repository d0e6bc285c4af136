import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Atoms } from '../../src/structure/atoms.js';
import { sheetView } from '../../src/descriptors/sheet.js';

function sheetAt(z: number[], c = 20): Atoms {
  return new Atoms({ positions: z.flatMap((zi, i) => [i, 0.5 * i, zi]), symbols: z.map(() => 'C'), cell: [10, 0, 0, 0, 10, 0, 0, 0, c], pbc: [true, true, true] });
}

test('a sheet inside the cell keeps its z exactly; one across the z boundary is made one piece', () => {
  const inside = [9.75, 10.1, 10.3, 9.9];
  assert.deepEqual(Array.from(sheetView(sheetAt(inside)).positions.filter((_, k) => k % 3 === 2)), inside);
  // across the boundary: the atoms just above 0 move up by c, next to those just below c
  const across = [19.6, 0.2, 19.9, 0.4];
  assert.deepEqual(Array.from(sheetView(sheetAt(across)).positions.filter((_, k) => k % 3 === 2)), [19.6, 20.2, 19.9, 20.4]);
  // outside [0, c) but in one piece: kept as given
  const below = [-0.5, -0.2, 0.1, 0.3];
  assert.deepEqual(Array.from(sheetView(sheetAt(below)).positions.filter((_, k) => k % 3 === 2)), below);
  // thick (spanning more than c/2) and in one piece: the general path keeps it too
  const thick = [2, 5, 9, 13];
  assert.deepEqual(Array.from(sheetView(sheetAt(thick)).positions.filter((_, k) => k % 3 === 2)), thick);
});
