import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GradientBoostedTrees } from '../../src/gbdt/booster.js';
import { smoothTreeOutput, emptyTree } from '../../src/gbdt/tree.js';
import { TREES_KIND, TreesRegressor } from '../../src/models/treesRegressor.js';
import { random, tempDir } from '../helpers.js';

/** A stump on feature 0 at threshold 0.5: left 1, right 3 (XGBoost's layout). */
function stump(): GradientBoostedTrees {
  const tree = emptyTree(3);
  tree.left[0] = 1;
  tree.right[0] = 2;
  tree.parent[1] = 0;
  tree.parent[2] = 0;
  tree.splitIndex[0] = 0;
  tree.splitCondition[0] = 0.5;
  tree.splitCondition[1] = 1;
  tree.splitCondition[2] = 3;
  const booster = new GradientBoostedTrees({ baseScore: 0 });
  booster.trees = [tree];
  booster.numFeature = 1;
  booster.baseScore = 0;
  return booster;
}

test('a smooth split blends its two leaves linearly across the window, hard outside it (analytic)', () => {
  const tree = stump().trees[0];
  const w = Float64Array.of(0.2);
  const at = (x: number) => smoothTreeOutput(tree, Float64Array.of(x), 0, w);
  assert.equal(at(0.3), 1);
  assert.equal(at(0.7), 3);
  assert.equal(at(0.5), 2);
  for (const x of [0.42, 0.45, 0.55, 0.58]) assert.ok(Math.abs(at(x) - (1 + 2 * ((x - 0.4) / 0.2))) < 1e-12, `x ${x}`);
  // width 0: XGBoost's hard split, compared in float32
  assert.equal(smoothTreeOutput(tree, Float64Array.of(0.5), 0, Float64Array.of(0)), 3);
  assert.equal(smoothTreeOutput(tree, Float64Array.of(0.4999), 0, Float64Array.of(0)), 1);
});

test('trees with split smoothing: equal to hard splits away from thresholds, continuous across them, widths saved with the model', () => {
  const rand = random(4);
  const rows = 300;
  const cols = 5;
  const x = Float64Array.from({ length: rows * cols }, () => rand());
  const y = Float64Array.from({ length: rows }, (_, r) => Math.sin(6 * x[r * cols]) + x[r * cols + 1] ** 2);
  const settings = { maxDepth: 3, eta: 0.3, rounds: 30, seed: 1 };
  const hard = new TreesRegressor(settings).fit({ data: x, rows, cols }, { data: y, rows, cols: 1 });
  const smooth = new TreesRegressor({ ...settings, splitSmoothing: 0.01 }).fit({ data: x, rows, cols }, { data: y, rows, cols: 1 });
  // fresh rows (the hist method puts thresholds at training values, so training rows sit on them):
  // the same trees, and most rows lie farther than the window from every threshold on their path
  const fresh = Float64Array.from({ length: rows * cols }, () => rand());
  const hardPred = hard.predict({ data: fresh, rows, cols }).data;
  const smoothPred = smooth.predict({ data: fresh, rows, cols }).data;
  let same = 0;
  for (let r = 0; r < rows; r++) if (hardPred[r] === smoothPred[r]) same++;
  assert.ok(same > 0.6 * rows && same < rows, `${same} of ${rows} rows unchanged`);
  // along a line through feature 0: the hard model jumps, the smooth one moves by at most slope × step
  const probe = (model: TreesRegressor, t: number) => model.predict({ data: Float64Array.of(t, 0.5, 0.5, 0.5, 0.5), rows: 1, cols }).data[0];
  let hardJump = 0;
  let smoothJump = 0;
  for (let t = 0; t < 1; t += 1e-4) {
    hardJump = Math.max(hardJump, Math.abs(probe(hard, t + 1e-4) - probe(hard, t)));
    smoothJump = Math.max(smoothJump, Math.abs(probe(smooth, t + 1e-6) - probe(smooth, t)));
  }
  assert.ok(hardJump > 0.05, `hard trees jump: ${hardJump}`);
  assert.ok(smoothJump < 0.01 * hardJump, `smooth trees move little over 1e-6: ${smoothJump}`);
  const dir = tempDir();
  const files = smooth.save(dir, 'trees', {});
  const back = TREES_KIND.load(dir, files);
  assert.deepEqual(Array.from(back.predict({ data: fresh, rows, cols }).data), Array.from(smoothPred));
});
