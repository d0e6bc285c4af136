import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { releaseThermalPcf, THERMAL_PCF_FOR_PREDICT } from '../../src/descriptors/releasePcf.js';
import { readStructure, readStructures } from '../../src/structure/io/formats.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import { featurizeStructureInputs, RELEASE_PCF_FORM, structureInput, THERMAL_GRID } from '../../src/tasks/modelInput.js';
import { loadModelSet, predictInputs, predictStream, type Prediction } from '../../src/tasks/predict.js';
import { CLI, EXAMPLES, ROOT, run, tempDir } from '../helpers.js';
import { AseDatabase } from '../../src/data/aseDb.js';
import { storeSources } from '../../src/inputs/storeSources.js';
import { readNpy } from '../../src/io/npy.js';

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

test('each model gets the descriptors its card records (continuous for el-DoS, ph-DoS and κ; narrowly softened for σ)', () => {
  // the el-DoS model (issue 21) was trained on the continuous descriptors and its card says so; σ's
  // on a 0.2-bin spread and a 0.02 Å bond window (closer to the hard histograms, issue 19.5)
  const el = models['el-dos']?.input;
  assert.ok(el?.kind === 'spramnet-descriptor' && el.spec.binSpread === 1 && el.spec.bondWindow_A === 0.1 && el.spec.soap && el.spec.tb);
  const sigma = models.sigma?.input;
  assert.ok(sigma?.kind === 'spramnet-descriptor' && sigma.spec.binSpread === 0.2 && sigma.spec.bondWindow_A === 0.02);
  const atoms0 = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const [soft, hard] = featurizeStructureInputs(atoms0, [el, { ...el, spec: { ...el.spec, binSpread: undefined, bondWindow_A: undefined } }]);
  assert.notDeepEqual(soft, hard, 'the continuous descriptors differ from the hard ones, so the card matters');
  // the thermal models were retrained with the continuous descriptors too: their cards record the continuous thermal g(r) of a structure
  for (const task of ['ph-dos', 'kappa']) {
    const input = models[task]?.input;
    assert.ok(input?.kind === 'public-thermal-rdf' && input.fromStructure !== undefined && input.fromStructure.round === false, task);
  }
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const release = releaseThermalPcf(atoms, THERMAL_GRID, 'x', RELEASE_PCF_FORM);
  const continuous = releaseThermalPcf(atoms, THERMAL_GRID, 'x', THERMAL_PCF_FOR_PREDICT);
  assert.notDeepEqual(release, continuous);
  const recorded = { ...THERMAL_GRID, fromStructure: THERMAL_PCF_FOR_PREDICT };
  // alone, and riding along with a descriptor pass (hard or continuous)
  for (const with_ of [[], [structureInput('pcf+adf+env', 'all', false)], [structureInput('pcf+adf+env', 'all')]]) {
    const rows = featurizeStructureInputs(atoms, [...with_, THERMAL_GRID, recorded]);
    assert.deepEqual(rows[with_.length], release);
    assert.deepEqual(rows[with_.length + 1], continuous);
    // an explicit form overrides every card
    const forced = featurizeStructureInputs(atoms, [...with_, THERMAL_GRID, recorded], 'x', { thermal: THERMAL_PCF_FOR_PREDICT });
    assert.deepEqual(forced[with_.length], continuous);
    assert.deepEqual(forced[with_.length + 1], continuous);
  }
  // so the default prediction of the shipped thermal models is the continuous form's, not the release's
  const thermal = loadModelSet(join(ROOT, 'models'), ['ph-dos', 'kappa']);
  assert.deepEqual(predictInputs([join(EXAMPLES, 'POSCAR_0002')], thermal), predictInputs([join(EXAMPLES, 'POSCAR_0002')], thermal, { thermalPcf: THERMAL_PCF_FOR_PREDICT }));
  assert.notDeepEqual(predictInputs([join(EXAMPLES, 'POSCAR_0002')], thermal), predictInputs([join(EXAMPLES, 'POSCAR_0002')], thermal, { thermalPcf: RELEASE_PCF_FORM }));
});

test('a store among the inputs: each row with atoms predicts as its structure file, a g(r) row as its .npy; rows with neither are named; the CLI takes the .db', () => {
  const dir = tempDir();
  const db = join(dir, 'mixed.db');
  const store = new AseDatabase(db);
  const poscar = join(EXAMPLES, 'POSCAR_0055');
  const npy = join(EXAMPLES, 'rdf_145.npy');
  const structureId = store.write('s', readStructure(poscar), {}, {});
  const rdfId = store.write('g', undefined, {}, { rdf: Float64Array.from(readNpy(npy).data) });
  const emptyId = store.write('e', undefined, { note: 'nothing to predict from' }, {});
  store.close();
  const { sources, skipped } = storeSources(db);
  assert.deepEqual(sources.map((s) => s.name), [`${db}@${structureId}`, `${db}@${rdfId}`]);
  assert.deepEqual(skipped, [emptyId]);
  const fromStore = predictInputs(sources, models);
  const fromFiles = predictInputs([poscar, npy], models);
  assert.deepEqual(fromStore.map((p) => ({ ...p, input: '' })), fromFiles.map((p) => ({ ...p, input: '' })));
  // --format names the structures' format; the store's g(r) row stays a g(r)
  assert.deepEqual(predictInputs(sources, models, { format: 'vasp' }).map((p) => ({ ...p, input: '' })), fromFiles.map((p) => ({ ...p, input: '' })));
  const cli = run(process.execPath, [CLI, 'predict', '--jsonl', '--task', 'kappa', db]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stderr, new RegExp(`1 row\\(s\\) hold neither atoms nor a g\\(r\\) \\(ids ${emptyId}\\)`));
  assert.deepEqual(cli.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Prediction).input), [`${db}@${structureId}`, `${db}@${rdfId}`]);
});
