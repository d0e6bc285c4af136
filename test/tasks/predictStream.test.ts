import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStructures } from '../../src/structure/io/formats.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import { loadModelSet, predictInputs, predictStream, type Prediction } from '../../src/tasks/predict.js';
import { CLI, EXAMPLES, ROOT, run, tempDir } from '../helpers.js';

const models = loadModelSet(join(ROOT, 'models'));
const files = ['POSCAR_0002', 'POSCAR_0055', 'rdf_145.npy', 'rdf_762.txt', 'POSCAR_0135'].map((f) => join(EXAMPLES, f));

test('predictions do not depend on the batch size, and stream out in input order as their batch finishes', () => {
  const all = predictInputs(files, models);
  for (const batchSize of [1, 2]) {
    const seen: Prediction[] = [];
    const progress: number[] = [];
    predictStream(files, models, { batchSize }, (p) => seen.push(p), (done) => progress.push(done));
    assert.deepEqual(seen, all);
    assert.deepEqual(progress, [1, 2, 3, 4, 5]);
  }
});

test('in-memory sources (text, bytes, parsed frames, .npy bytes) predict as the files they came from', () => {
  const [poscar, , npy, txt] = files;
  const fromFiles = predictInputs([poscar, npy, txt], models);
  const fromMemory = predictInputs(
    [
      { name: poscar, text: readFileSync(poscar, 'utf8') },
      { name: npy, bytes: readFileSync(npy) },
      { name: txt, bytes: readFileSync(txt) },
    ],
    models,
  );
  assert.deepEqual(fromMemory, fromFiles);
  const frames = predictInputs([{ name: poscar, frames: readStructures(poscar) }], models);
  assert.deepEqual(frames, [fromFiles[0]]);
  // a multi-frame source: one prediction per frame, named file@index
  const two = [...readStructures(files[0]), ...readStructures(files[1])];
  const multi = predictInputs([{ name: 'two.extxyz', text: writeExtxyz(two) }], models);
  assert.deepEqual(multi.map((p) => p.input), ['two.extxyz@0', 'two.extxyz@1']);
  // a bad source gets its error under its own name; the others go on
  const [bad, good] = predictInputs([{ name: 'broken.xyz', text: '3\nnot really\nC 0 0\n' }, { name: npy, bytes: readFileSync(npy) }], models);
  assert.match(String(bad.error), /^broken\.xyz/);
  assert.equal(good.error, undefined);
});

test('predict --jsonl prints one prediction per line, the same as --json', () => {
  const dir = tempDir();
  const broken = join(dir, 'broken.xyz');
  writeFileSync(broken, '3\nnot really\nC 0 0\n');
  const inputs = [files[0], broken, files[2]];
  const jsonl = run(process.execPath, [CLI, 'predict', '--jsonl', ...inputs]);
  const json = run(process.execPath, [CLI, 'predict', '--json', ...inputs]);
  assert.equal(jsonl.status, 1, 'a bad input makes the exit status 1');
  assert.equal(json.status, 1);
  const lines = jsonl.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), JSON.parse(json.stdout) as unknown);
  assert.equal(jsonl.stderr, '', 'no progress bar in a pipe');
});
