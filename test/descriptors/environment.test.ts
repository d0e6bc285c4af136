import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ENVIRONMENT_FEATURES, localEnvironment } from '../../src/descriptors/environment.js';
import { describe, REFERENCE_SPEC } from '../../src/descriptors/featurize.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { CC_A, EXAMPLES, FIXTURES, graphene, maxAbsDiff, python, run } from '../helpers.js';

const feature = (name: string): number => ENVIRONMENT_FEATURES.indexOf(name);

test('graphene: one hexagon per two atoms, every atom 3-coordinated, bonds of 1.42 Å, flat', () => {
  const env = localEnvironment(graphene(4, 3));
  const expected = new Float64Array(ENVIRONMENT_FEATURES.length);
  expected[feature('rings_6_per_atom')] = 0.5;
  expected[feature('coordination_3_fraction')] = 1;
  expected[feature('bond_length_mean_A')] = CC_A;
  assert.ok(maxAbsDiff(env, expected) < 1e-7, Array.from(env).join(' '));
});

test('a vacancy in graphene merges three hexagons into one 12-ring and leaves three 2-coordinated atoms', () => {
  const sheet = graphene(5, 4);
  const n = sheet.length - 1;
  const vacancy = new Atoms({ positions: sheet.positions.slice(3), numbers: sheet.numbers.slice(1), cell: sheet.cell, pbc: sheet.pbc });
  const env = localEnvironment(vacancy);
  assert.ok(Math.abs(env[feature('rings_6_per_atom')] - (sheet.length / 2 - 3) / n) < 1e-12);
  assert.ok(Math.abs(env[feature('rings_12plus_per_atom')] - 1 / n) < 1e-12);
  assert.ok(Math.abs(env[feature('coordination_2_fraction')] - 3 / n) < 1e-12);
  assert.ok(Math.abs(env[feature('coordination_3_fraction')] - (n - 3) / n) < 1e-12);
});

test('invariant under in-plane rotation, translation, permutation and replication', () => {
  const base = readStructure(join(EXAMPLES, 'POSCAR_0029'));
  const reference = localEnvironment(base);
  fc.assert(
    fc.property(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: -9, max: 9, noNaN: true }), fc.integer({ min: 0, max: 1 << 30 }), fc.integer({ min: 1, max: 2 }), (theta, shift, seed, copies) => {
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      const order = Array.from({ length: base.length }, (_, i) => i).sort((a, b) => ((a * 2654435761 + seed) % 211) - ((b * 2654435761 + seed) % 211));
      const positions: number[] = [];
      for (const i of order) {
        const [x, y, z] = base.positions.subarray(3 * i, 3 * i + 3);
        positions.push(c * x - s * y + shift, s * x + c * y - shift, z);
      }
      const m = base.cell;
      const cell = [c * m[0] - s * m[1], s * m[0] + c * m[1], 0, c * m[3] - s * m[4], s * m[3] + c * m[4], 0, 0, 0, m[8]];
      const moved = new Atoms({ positions, numbers: order.map((i) => base.numbers[i]), cell, pbc: base.pbc }).repeat(copies, 1, 1);
      assert.ok(maxAbsDiff(localEnvironment(moved), reference) < 1e-9);
    }),
    { numRuns: 10, seed: 3 },
  );
});

test('the environment channel is the last descriptor channel, zero-padded', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0055'));
  const d = describe(atoms, { ...REFERENCE_SPEC, environment: true });
  assert.equal(d.length, 4 * 160);
  assert.deepEqual(Array.from(d.subarray(3 * 160, 3 * 160 + ENVIRONMENT_FEATURES.length)), Array.from(localEnvironment(atoms)));
  assert.ok(d.subarray(3 * 160 + ENVIRONMENT_FEATURES.length).every((v) => v === 0));
  assert.deepEqual(Array.from(d.subarray(0, 3 * 160)), Array.from(describe(atoms, REFERENCE_SPEC)));
});

const py = python(['numpy']);

test('equals an independent numpy implementation on the example structures', { skip: py === undefined && 'python3-numpy is not installed' }, () => {
  const files = ['POSCAR_0002', 'POSCAR_0029', 'POSCAR_0055', 'POSCAR_0100', 'POSCAR_0135', 'POSCAR_1500'].map((f) => join(EXAMPLES, f));
  const r = run(py as string, [join(FIXTURES, 'ring_statistics.py'), ...files]);
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
  files.forEach((f, k) => assert.ok(maxAbsDiff(localEnvironment(readStructure(f)), theirs[k]) < 1e-9, f));
});
