import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Atoms } from '../../src/structure/atoms.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import { loadModelSet, predictInputs, type PredictSource } from '../../src/tasks/predict.js';
import { CLI, EXAMPLES, ROOT, graphene, run, tempDir } from '../helpers.js';

const MODELS = join(ROOT, 'models');

/** Graphene's honeycomb with its two sublattices as given (h-BN at 1.45 Å with 5 and 7; a B–N–C mixture). */
function honeycomb(numbers: (k: number) => number, bond_A = 1.45): Atoms {
  const g = graphene(4, 3, bond_A, 5);
  return new Atoms({ positions: g.positions, numbers: Array.from({ length: g.length }, (_, k) => numbers(k)), cell: g.cell, pbc: g.pbc });
}
const source = (name: string, atoms: Atoms): PredictSource => ({ name, frames: [atoms] });

test('each prediction states its material: a structure by its elements, a g(r) as the models’ own', () => {
  const models = loadModelSet(MODELS, ['sigma', 'kappa']);
  // graphene() lists its four-atom base as a bonded chain, so the two sublattices alternate atom by atom
  const sub = (k: number) => k % 2;
  const [carbon, bn, mixed, gr] = predictInputs(
    [
      source('graphene', honeycomb(() => 6, 1.42)),
      source('h-BN', honeycomb((k) => (sub(k) === 0 ? 5 : 7))),
      source('B-N-C', honeycomb((k) => (k === 0 ? 6 : sub(k) === 0 ? 5 : 7))),
      join(EXAMPLES, 'rdf_145.npy'),
    ],
    models,
    { thermal: { relax: false } },
  );
  assert.equal(carbon.material, 'carbon');
  assert.ok(!carbon.domain!.reasons.some((r) => /models learnt/.test(r)), carbon.domain!.reasons.join(' | '));
  assert.equal(bn.material, 'boron-nitride');
  assert.match(bn.domain!.reasons[0], /^a boron-nitride structure \(B, N\); these models learnt carbon, and no boron-nitride models are loaded/);
  assert.ok(Object.values(bn.domain!.per_task!).every((v) => !v.in_domain));
  assert.ok(bn.sigma !== undefined, 'still predicted, flagged');
  assert.equal(mixed.material, null);
  assert.match(mixed.domain!.reasons[0], /no material has the elements B, C, N \(known: .*boron-nitride.*carbon.*\); these models learnt carbon/);
  assert.equal(gr.material, 'carbon');
});

test('a folder whose models learnt boron nitride takes B–N structures as its own and flags carbon', () => {
  const dir = tempDir();
  for (const f of readdirSync(MODELS).filter((f) => f.startsWith('sigma'))) copyFileSync(join(MODELS, f), join(dir, f));
  const manifest = JSON.parse(readFileSync(join(dir, 'sigma.ensemble.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'sigma.ensemble.json'), JSON.stringify({ ...manifest, material: 'boron-nitride' }));
  const models = loadModelSet(dir);
  const sub = (k: number) => k % 2;
  const [bn, carbon] = predictInputs([source('h-BN', honeycomb((k) => (sub(k) === 0 ? 5 : 7))), source('graphene', honeycomb(() => 6, 1.42))], models);
  assert.equal(bn.material, 'boron-nitride');
  assert.ok(!bn.domain!.reasons.some((r) => /models learnt/.test(r)), bn.domain!.reasons.join(' | '));
  assert.equal(carbon.material, 'carbon');
  assert.match(carbon.domain!.reasons[0], /^a carbon structure \(C\); these models learnt boron-nitride, and no carbon models are loaded/);
});

test('predict --material: the models’ material is taken, another or an unknown one is refused before anything is printed', () => {
  const npy = join(EXAMPLES, 'rdf_145.npy');
  const ok = run(process.execPath, [CLI, 'predict', npy, '--material', 'carbon', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as Array<{ material: string }>)[0].material, 'carbon');
  // carbon's folder alone: boron nitride is not loaded
  const other = run(process.execPath, [CLI, 'predict', npy, '--models', MODELS, '--material', 'bn', '--json']);
  assert.equal(other.status, 2);
  assert.equal(other.stdout, '');
  assert.match(other.stderr, /--material bn: these models learnt carbon; no boron-nitride models are loaded/);
  const unknown = run(process.execPath, [CLI, 'predict', npy, '--material', 'silicon']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /material "silicon": unknown \(known: boron-nitride alias bn, a-bn \(B, N\), carbon \(C\)/);
  const file = join(tempDir(), 'bnc.extxyz');
  writeFileSync(file, writeExtxyz([honeycomb((k) => (k === 0 ? 6 : k % 2 === 0 ? 5 : 7))]));
  const mixed = run(process.execPath, [CLI, 'predict', file, '--task', 'sigma', '--json']);
  assert.equal(mixed.status, 0, mixed.stderr);
  assert.equal((JSON.parse(mixed.stdout) as Array<{ material: unknown }>)[0].material, null);
});
