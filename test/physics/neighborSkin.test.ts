import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerletList } from '../../src/physics/neighborSkin.js';
import type { Atoms } from '../../src/structure/atoms.js';
import { amc, randomCell } from './tersoff/support.js';

/** Every entry as "i j |r_ij| (rounded)" with r_ij = r_j + shift − r_i, sorted: comparable lists. */
function entries(list: VerletList, atoms: Atoms): string[] {
  const x = atoms.positions;
  const out: string[] = [];
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      const d = [0, 1, 2].map((c) => x[3 * j + c] + list.shift[3 * e + c] - x[3 * i + c]);
      out.push(`${i} ${j} ${d.map((v) => v.toFixed(9)).join(' ')}`);
    }
  }
  return out.sort();
}

test('binned Verlet build lists exactly the pairs (and images) of neighborList', () => {
  const cases: Array<[string, Atoms]> = [
    ['flat AMC 2×2 (unwrapped copies)', amc('flat').repeat(2, 2, 1)],
    ['buckled AMC', amc('buckled')],
    ['triclinic random cell', randomCell([10.5, 0, 0, 3.1, 10.2, 0, -2.2, 1.7, 10.9], 150, ['C'], 7, 1.2)],
  ];
  for (const [what, atoms] of cases) {
    // Push some atoms out of the cell so wrapping and image offsets are exercised.
    atoms.positions[0] += 2 * atoms.cell[0];
    atoms.positions[4] -= atoms.cell[4];
    const binned = new VerletList(2.1, 1.0);
    const general = new VerletList(2.1, 1.0, 'general');
    binned.update(atoms);
    general.update(atoms);
    const a = entries(binned, atoms);
    assert.ok(a.length > 5 * atoms.length, `${what}: list has entries`);
    assert.deepEqual(a, entries(general, atoms), what);
  }
});

test('skin rule: no rebuild below skin/2 displacement, rebuild above; cell change rebuilds', () => {
  const atoms = amc('buckled');
  const list = new VerletList(2.1, 1.0);
  const x = Float64Array.from(atoms.positions);
  const system = { positions: x, numbers: atoms.numbers, cell: Float64Array.from(atoms.cell), pbc: atoms.pbc };
  assert.equal(list.update(system), true);
  x[5] += 0.49;
  assert.equal(list.update(system), false);
  x[5] += 0.02;
  assert.equal(list.update(system), true);
  system.cell[0] *= 1.0001;
  assert.equal(list.update(system), true);
  assert.equal(list.update(system), false);
});
