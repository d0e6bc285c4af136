import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONTINUOUS_SETTINGS } from '../../src/descriptors/featurize.js';
import { featurizeStructure, structureInput } from '../../src/tasks/modelInput.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { continuousFor, trainingInput } from '../../src/tasks/train.js';
import { recipeOf, taskSpec } from '../../src/tasks/taskSpec.js';
import '../../src/tasks/allTasks.js';
import { shippedModelFolders } from '../../src/tasks/predict.js';
import { folderMaterial } from '../../src/tasks/modelFolder.js';
import { CLI, EXAMPLES, ROOT, run } from '../helpers.js';

const SHIPPED_MODELS = join(ROOT, 'models');

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

test('a recipe states its softening: plain training uses it, given settings override it, hard stays hard', () => {
  const sigma = taskSpec('sigma');
  const { recipe } = recipeOf(sigma, 'ensemble');
  assert.deepEqual(continuousFor(recipe), { binSpread: 0.2, bondWindow_A: 0.02 });
  assert.deepEqual(continuousFor(recipe, { bondWindow_A: 0.05 }), { binSpread: 0.2, bondWindow_A: 0.05 });
  assert.equal(continuousFor(recipe, false), false);
  const plain = recipeOf(taskSpec('el-dos'), 'ensemble').recipe;
  assert.equal(continuousFor(plain), true, 'a recipe naming none keeps the library default');
  assert.deepEqual(continuousFor(plain, { binSpread: 0.5 }), { ...CONTINUOUS_SETTINGS, binSpread: 0.5 });
  const input = trainingInput(sigma, recipe);
  assert.ok(input.kind === 'spramnet-descriptor');
  assert.equal(input.spec.binSpread, 0.2);
  assert.equal(input.spec.bondWindow_A, 0.02);
});

test('plain `train` rebuilds the input of every shipped model (each card against its recipe’s defaults)', () => {
  for (const folder of shippedModelFolders(SHIPPED_MODELS)) {
    const material = folderMaterial(folder);
    const cards = readdirSync(folder).filter((f) => f.endsWith('.card.json'));
    assert.ok(cards.length >= 2, `${folder} holds model cards`);
    for (const file of cards) {
      const card = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { task: string; recipe: string; descriptor: unknown };
      const spec = taskSpec(card.task, material);
      assert.equal(card.recipe, spec.defaultRecipe, `${folder}/${file}: shipped with the default recipe`);
      assert.deepEqual(JSON.parse(JSON.stringify(trainingInput(spec, recipeOf(spec, card.recipe).recipe))), card.descriptor, `${folder}/${file}: \`spramnet train --task ${card.task}\` builds another input than the shipped model's`);
    }
  }
});
