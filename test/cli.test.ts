import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describe, REFERENCE_SPEC } from '../src/descriptors/featurize.js';
import { readNpy } from '../src/io/npy.js';
import { readStructure } from '../src/structure/io/formats.js';
import { writeExtxyz } from '../src/structure/io/extxyz.js';
import { CLI, EXAMPLES, graphene, run, tempDir } from './helpers.js';

const examples = ['POSCAR_0002', 'POSCAR_0055'].map((f) => join(EXAMPLES, f));

test('descriptors --reference writes (files, 3, 160) in input order', () => {
  const out = join(tempDir(), 'X.npy');
  const r = run(process.execPath, [CLI, 'descriptors', '--reference', ...examples, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const x = readNpy(out);
  assert.deepEqual(x.shape, [2, 3, 160]);
  examples.forEach((file, k) => assert.deepEqual(Array.from(x.data.subarray(480 * k, 480 * (k + 1))), Array.from(describe(readStructure(file), REFERENCE_SPEC))));
});

test('the flags of data.md give the same array as --reference with --images minimum', () => {
  const dir = tempDir();
  const a = run(process.execPath, [CLI, 'descriptors', '--pcf', '2d,3d', '--adf', '--rmax', '8', '--bins', '160', '--images', 'minimum', ...examples, '--out', join(dir, 'a.npy')]);
  const b = run(process.execPath, [CLI, 'descriptors', '--reference', ...examples, '--out', join(dir, 'b.npy')]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(Array.from(readNpy(join(dir, 'a.npy')).data), Array.from(readNpy(join(dir, 'b.npy')).data));
});

test('a bad file among good ones: named with its line, the rest written, exit status 1', () => {
  const dir = tempDir();
  const bad = join(dir, 'POSCAR_bad');
  writeFileSync(bad, 'comment\n1.0\n10 0 0\n0 10 0\n0 0 10\nC\n3\nCartesian\n0 0 0\n1 1 1\n');
  const multi = join(dir, 'two.xyz');
  writeFileSync(multi, writeExtxyz([graphene(4, 3), graphene(4, 3)]));
  const out = join(dir, 'X.npy');
  const r = run(process.execPath, [CLI, 'descriptors', '--pcf', 'quasi2d', '--adf', examples[0], bad, multi, '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /POSCAR_bad:11: file ends early: expected 3 coordinate lines, found 2/);
  assert.match(r.stderr, /1 of 3 file\(s\) failed/);
  assert.deepEqual(readNpy(out).shape, [3, 2, 160]);
});

test('when every input fails nothing is written; bad options are refused', () => {
  const dir = tempDir();
  const out = join(dir, 'X.npy');
  const r = run(process.execPath, [CLI, 'descriptors', join(dir, 'missing.vasp'), '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /missing\.vasp: cannot read: no such file \(ENOENT\)/);
  assert.equal(existsSync(out), false);
  const k = run(process.execPath, [CLI, 'descriptors', examples[0], '--pcf', '4d', '--out', out]);
  assert.equal(k.status, 2);
  assert.match(k.stderr, /unknown g\(r\) kind "4d" \(expected 2d, 3d, quasi2d, bulk\)/);
  assert.deepEqual(readdirSync(dir), []);
});

test('info prints atoms, cell, density and periodic axes; --formats lists the readers', () => {
  const r = run(process.execPath, [CLI, 'info', examples[0]]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /atoms {6}210 {2}\(C210\)/);
  assert.match(r.stdout, /periodic {3}a:yes b:yes c:yes/);
  const j = JSON.parse(run(process.execPath, [CLI, 'info', '--json', examples[0]]).stdout);
  assert.equal(j[0].atoms, 210);
  assert.ok(Math.abs(j[0].areal_density_per_A2 - 210 / (29.47446137288039 * 21.879113410094785)) < 1e-12);
  const f = run(process.execPath, [CLI, 'info', '--formats']);
  assert.match(f.stdout, /vasp[\s\S]*extxyz[\s\S]*lammps-data/);
});
