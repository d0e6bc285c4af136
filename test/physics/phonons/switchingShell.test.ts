import assert from 'node:assert/strict';
import { test } from 'node:test';
import { potentialByName } from '../../../src/calculators/registry.js';
import { PhononCalculator } from '../../../src/physics/phonons/calculator.js';
import { switchingShellReport } from '../../../src/physics/phonons/switchingShell.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { graphene, random } from '../../helpers.js';

/** Every pair (i < j, or i with its own image once) over explicit periodic images, by brute force. */
function bruteForce(atoms: Atoms, inner: number, outer: number, edge: number): { inShell: number; atEdge: number } {
  const c = atoms.cell;
  let inShell = 0;
  let atEdge = 0;
  const reach = [2, 2, 0];
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i; j < atoms.length; j++) {
      for (let a = -reach[0]; a <= reach[0]; a++)
        for (let b = -reach[1]; b <= reach[1]; b++) {
          if (i === j && (a < 0 || (a === 0 && b <= 0))) continue; // an atom and its image: once
          const d = [0, 1, 2].map((k) => atoms.positions[3 * j + k] + a * c[k] + b * c[3 + k] - atoms.positions[3 * i + k]);
          const r = Math.hypot(d[0], d[1], d[2]);
          if (r > inner && r < outer) inShell++;
          if (Math.abs(r - inner) <= edge || Math.abs(r - outer) <= edge) atEdge++;
        }
    }
  }
  return { inShell, atEdge };
}

test('switching shell: Lindsay–Broido pairs in 1.8–2.1 Å and at its edges, counted as a brute-force sum over periodic images counts them', () => {
  const ff = potentialByName('lindsay-broido-2010').forceField;
  assert.deepEqual(ff.switchingShells, [{ elements: ['C', 'C'], inner_A: 1.95 - 0.15, outer_A: 1.95 + 0.15 }]);
  const rand = random(7);
  // 40 carbon atoms scattered in a 7 × 6 Å sheet cell: many pairs at every distance, images included
  const n = 40;
  const positions = Float64Array.from({ length: 3 * n }, (_, k) => (k % 3 === 0 ? 7 * rand() : k % 3 === 1 ? 6 * rand() : 5 + 2 * rand()));
  const atoms = new Atoms({ numbers: new Int32Array(n).fill(6), positions, cell: Float64Array.of(7, 0, 0, 0, 6, 0, 0, 0, 20), pbc: [true, true, false] });
  for (const edge of [0.01, 0.05]) {
    const report = switchingShellReport(atoms, ff.switchingShells!, edge);
    const expected = bruteForce(atoms, 1.8, 2.1, edge);
    assert.ok(expected.inShell > 10 && expected.atEdge > 0, `the sample has pairs to count (${JSON.stringify(expected)})`);
    assert.deepEqual(report, { pairs_in_shell: expected.inShell, pairs_at_edge: expected.atEdge, edge_A: edge });
  }
  // an atom and its own image 1.95 Å away along a short axis: one pair, in the shell
  const chain = new Atoms({ numbers: Int32Array.of(6), positions: Float64Array.of(0, 0, 5), cell: Float64Array.of(1.95, 0, 0, 0, 30, 0, 0, 0, 20), pbc: [true, true, false] });
  assert.equal(switchingShellReport(chain, ff.switchingShells!).pairs_in_shell, 1);
});

test('switching shell: ExTeP gives its Tersoff part’s B–B, B–N and N–N shells; a B–N pair 0.005 Å inside R + D counts at the edge; graphene has no pair in LB’s shell', async () => {
  const extep = potentialByName('extep-bn-2017').forceField;
  const shells = extep.switchingShells!;
  assert.deepEqual(shells.map((s) => s.elements.join('-')).sort(), ['B-B', 'B-N', 'N-N']);
  const bn = shells.find((s) => s.elements.join('-') === 'B-N')!;
  const pair = new Atoms({ numbers: Int32Array.of(5, 7), positions: Float64Array.of(5, 5, 5, 5 + bn.outer_A - 0.005, 5, 5), cell: Float64Array.of(20, 0, 0, 0, 20, 0, 0, 0, 20), pbc: [true, true, false] });
  assert.deepEqual(switchingShellReport(pair, shells), { pairs_in_shell: 1, pairs_at_edge: 1, edge_A: 0.01 });

  const ff = potentialByName('lindsay-broido-2010').forceField;
  const result = await new PhononCalculator(ff, { relax: false }).calculate(graphene(3, 2, 1.4388), ['frequencies_THz']);
  assert.deepEqual(result.extra?.switchingShell, { pairs_in_shell: 0, pairs_at_edge: 0, edge_A: 0.01 });
});
