import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONTINUOUS_SETTINGS } from '../../src/descriptors/featurize.js';
import { featurizeStructure, structureInput } from '../../src/tasks/modelInput.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { CLI, EXAMPLES, run } from '../helpers.js';

const l1 = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, k) => s + Math.abs(v - b[k]), 0);

test('an explicit soft-bin spread and bond window are recorded and lie between the hard and the default descriptors', () => {
  const narrow = structureInput('pcf+adf+env', 'all', { binSpread: 0.2, bondWindow_A: 0.02 });
  assert.equal(narrow.spec.binSpread, 0.2);
  assert.equal(narrow.spec.bondWindow_A, 0.02);
  assert.deepEqual(structureInput('pcf+adf+env', 'all').spec.binSpread, CONTINUOUS_SETTINGS.binSpread);
  assert.equal(structureInput('pcf+adf+env', 'all', false).spec.binSpread, undefined);
  assert.throws(() => structureInput('pcf', 'all', { binSpread: 0, bondWindow_A: 0.1 }), /soft-bin spread must lie in \(0, 1\] bins, got 0/);
  assert.throws(() => structureInput('pcf', 'all', { binSpread: 0.5, bondWindow_A: 2 }), /bond cut-off window must lie in \(0, 1\.85\) Å, got 2/);
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const hard = featurizeStructure(atoms, structureInput('pcf+adf+env', 'all', false));
  const x = featurizeStructure(atoms, narrow);
  const wide = featurizeStructure(atoms, structureInput('pcf+adf+env', 'all'));
  // a pair moves weight only within spread/2 of a bin edge: the narrow form stays far closer to the hard one
  assert.ok(l1(x, hard) > 0, 'a 0.2-bin spread changes some bins of a 200-atom sheet');
  assert.ok(l1(x, hard) < 0.4 * l1(wide, hard), `L1 to hard: narrow ${l1(x, hard)}, default ${l1(wide, hard)}`);
});

test('train refuses soft-bin settings for a g(r) task and beside --hard-descriptors', () => {
  const a = run(process.execPath, [CLI, 'train', '--task', 'ph-dos', '--data', 'none.db', '--out', 'x', '--bin-spread', '0.2']);
  assert.match(a.stderr, /task ph-dos reads a g\(r\): a soft-bin spread and bond window apply to structure tasks only/);
  assert.notEqual(a.status, 0);
  const b = run(process.execPath, [CLI, 'train', '--task', 'sigma', '--data', 'none.db', '--out', 'x', '--bin-spread', '0.2', '--hard-descriptors']);
  assert.match(b.stderr, /--hard-descriptors cannot go with --bin-spread or --bond-window/);
  assert.notEqual(b.status, 0);
});
