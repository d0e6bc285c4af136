import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importSpramnetPublic } from '../../src/data/importPublic.js';
import { writeNpy } from '../../src/io/npy.js';
import { log10Metrics, normaliseRows, scalarMetrics, spectraMse } from '../../src/tasks/metrics.js';
import { evaluateModels } from '../../src/tasks/evaluate.js';
import { loadModelSet, predictInputs } from '../../src/tasks/predict.js';
import { trainTask } from '../../src/tasks/train.js';
import { buildReport } from '../../src/report/report.js';
import { CLI, EXAMPLES, FIXTURES, run, tempDir } from '../helpers.js';

const SAMPLE = join(FIXTURES, 'spramnet-sample');

test('metrics follow data.md', () => {
  assert.equal(spectraMse([1, 2, 3, 4], [1, 2, 3, 6]), 1);
  assert.deepEqual(Array.from(normaliseRows([1, 3, 2, 2], 2)), [0.25, 0.75, 0.5, 0.5]);
  const m = scalarMetrics([110, 200, 50], [100, 100, 50]);
  assert.equal(m.within25, 2 / 3);
  assert.ok(Math.abs(m.rmse - Math.sqrt((100 + 10000) / 3)) < 1e-12);
  assert.deepEqual(log10Metrics([1, 2.5], [1.2, 2]), { log10Mae: 0.35, withinFactor2: 1 / 2 });
});

/** A database and a model folder with all four tasks, trained briefly on the sample (the pipeline, not the accuracy). */
function sampleModels(): { db: string; models: string } {
  const dir = tempDir();
  const db = join(dir, 'amc.db');
  importSpramnetPublic(SAMPLE, db);
  const models = join(dir, 'models');
  for (const task of ['el-dos', 'sigma', 'ph-dos', 'kappa'] as const) trainTask(db, task, models, { epochs: 2, validationFraction: 0.5 });
  return { db, models };
}

test('train writes each task’s model and card; predict follows the JSON contract in input order', () => {
  const { db, models } = sampleModels();
  for (const f of ['el-dos.safetensors', 'el-dos.krr.safetensors', 'sigma_xx.json', 'sigma_yy.json', 'sigma.krr.safetensors', 'ph-dos.safetensors', 'ph-dos.krr.safetensors', 'kappa.safetensors', 'kappa.json', 'kappa.krr.safetensors', 'el-dos.card.json', 'kappa.card.json']) assert.ok(existsSync(join(models, f)), f);
  for (const task of ['el-dos', 'sigma', 'ph-dos', 'kappa']) {
    const manifest = JSON.parse(readFileSync(join(models, `${task}.ensemble.json`), 'utf8'));
    const card = JSON.parse(readFileSync(join(models, `${task}.card.json`), 'utf8'));
    assert.deepEqual(manifest.members.map((m: { kind: string }) => m.kind), card.members.map((m: { kind: string }) => m.kind), task);
    assert.ok(card.reference.length >= 1, `${task}: the card compares with the reference run`);
  }
  const dir = tempDir();
  const g = join(dir, 'g.npy');
  writeNpy(g, { data: Float64Array.from({ length: 100 }, (_, k) => (k > 13 ? 0.13 : 0)), shape: [100] });
  const short = join(dir, 'short.npy');
  writeNpy(short, { data: new Float64Array(50), shape: [50] });
  const unknown = join(dir, 'notes.md');
  writeFileSync(unknown, 'hello');
  // the same g(r) as two-column text on a finer grid from 1 Å (below: 0), and one that starts too late
  const text = join(dir, 'g.txt');
  writeFileSync(text, '# r(Å) g\n' + Array.from({ length: 451 }, (_, k) => 1 + k * 0.02).map((r) => `${r.toFixed(2)} ${r > 1.4 ? 0.13 : 0}`).join('\n') + '\n');
  const late = join(dir, 'late.txt');
  writeFileSync(late, '1.5 1\n12 1\n');
  // a g(r) normalised to tend to 1, and one with a NaN and a negative value
  const unit = join(dir, 'unit.npy');
  writeNpy(unit, { data: Float64Array.from({ length: 100 }, (_, k) => (k > 13 ? 1 : 0)), shape: [100] });
  const nan = join(dir, 'nan.txt');
  writeFileSync(nan, '1 0\n2 0.1\n3 nan\n12 0.13\n');
  const negative = join(dir, 'negative.npy');
  writeNpy(negative, { data: Float64Array.from({ length: 100 }, (_, k) => (k === 40 ? -0.2 : k > 13 ? 0.13 : 0)), shape: [100] });
  const inputs = [join(EXAMPLES, 'POSCAR_0002'), g, short, unknown, text, late, unit, nan, negative];
  const r = run(process.execPath, [CLI, 'predict', '--models', models, '--json', ...inputs]);
  assert.equal(r.status, 1, r.stderr); // some inputs failed, the others were predicted
  const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(out.map((p) => p.input), inputs);
  assert.deepEqual(Object.keys(out[0]).sort(), ['domain', 'el_dos', 'input', 'kappa', 'material', 'ph_dos', 'sheet_conductance', 'sigma', 'thermal_relax']);
  const el = out[0].el_dos as { energy_eV: number[]; dos: number[] };
  assert.equal(el.energy_eV.length, 81);
  assert.equal(el.dos.length, 81);
  assert.equal(el.energy_eV[0], -2);
  assert.ok(Math.abs(el.energy_eV[80] - 2) < 1e-12);
  const sigma = out[0].sigma as { xx: number; yy: number };
  assert.ok(Number.isFinite(sigma.xx) && Number.isFinite(sigma.yy));
  assert.deepEqual(Object.keys(out[1]).sort(), ['domain', 'input', 'kappa', 'material', 'ph_dos']);
  const ph = out[1].ph_dos as { frequency_THz: number[]; dos: number[] };
  assert.equal(ph.frequency_THz.length, 100);
  assert.equal(ph.frequency_THz[0], 0.5);
  assert.ok(Math.abs(ph.dos.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok((out[1].kappa as { W_mK: number }).W_mK > 0);
  assert.match(String(out[2].error), /must hold 100 values .* found 50/);
  assert.match(String(out[3].error), /notes\.md: cannot tell the structure format/);
  assert.ok(Math.abs((out[4].kappa as { W_mK: number }).W_mK / (out[1].kappa as { W_mK: number }).W_mK - 1) < 1e-9, 'text and .npy g(r) give the same κ');
  assert.deepEqual((out[4].ph_dos as { dos: number[] }).dos.map((v) => v.toFixed(12)), ph.dos.map((v) => v.toFixed(12)));
  assert.match(String(out[5].error), /late\.txt: g\(r\) starts at r = 1\.5 Å; the thermal models need it from 1 Å/);
  assert.match(String(out[6].error), /unit\.npy: g\(r\) averages 1\.00 beyond 6 Å.*looks normalised to tend to 1/);
  assert.match(String(out[7].error), /nan\.txt:3: expected two finite numbers/);
  assert.match(String(out[8].error), /negative\.npy: g\(r\) is -0\.2 in bin 40/);
  // --plot draws the spectra of the inputs that gave one
  const svg = join(dir, 'spectra.svg');
  const plotted = run(process.execPath, [CLI, 'predict', '--models', models, '--plot', svg, inputs[0], g]);
  assert.equal(plotted.status, 0, plotted.stderr);
  const drawing = readFileSync(svg, 'utf8');
  assert.match(drawing, /^<svg xmlns/);
  assert.match(drawing, /predicted electronic DoS[\s\S]*predicted phonon DoS/);
  // the library gives the same numbers
  const lib = predictInputs([inputs[0]], loadModelSet(models));
  assert.deepEqual(lib[0].sigma, sigma);
  // the report of the folder: one section per task, charts as inline SVG, no external resources
  const html = buildReport(models);
  for (const h of ['Electronic DoS', 'Electric conductivity σ', 'Phonon DoS', 'Thermal conductivity κ']) assert.ok(html.includes(`<h2>${h}</h2>`), h);
  assert.ok((html.match(/<svg /g) ?? []).length >= 10);
  assert.doesNotMatch(html, /<script|src="http|href="http/);
  assert.doesNotMatch(html, /NaN/);
  // report --data scores the models now: on the cards' validation rows it reproduces the saved predictions
  const fresh = join(dir, 'fresh.html');
  const rep = run(process.execPath, [CLI, 'report', '--models', models, '--data', db, '--out', fresh]);
  assert.equal(rep.status, 0, rep.stderr);
  const card = JSON.parse(readFileSync(join(models, 'kappa.card.json'), 'utf8'));
  const evaluated = evaluateModels(db, models).find((e) => e.task === 'kappa');
  assert.ok(evaluated !== undefined);
  assert.ok(Math.abs(evaluated.metrics.log10Mae - card.validation.log10Mae) < 1e-9);
  assert.match(readFileSync(fresh, 'utf8'), /Scored on the \d+ validation rows of/);
  const all = evaluateModels(db, models, 'all').find((e) => e.task === 'kappa');
  assert.equal(all?.truth.length, card.data.rows);
});

test('demo predicts the example structures with the shipped models and writes the report', () => {
  const dir = tempDir();
  const r = run(process.execPath, [CLI, 'demo', '--out', dir]);
  assert.equal(r.status, 0, r.stderr);
  const predictions = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')) as Array<{ input: string; sigma: { xx: number } }>;
  assert.equal(predictions.length, 9);
  assert.equal(predictions.filter((p) => p.sigma !== undefined).length, 6, 'six example structures give σ');
  assert.equal(predictions.filter((p) => (p as { kappa?: unknown }).kappa !== undefined).length, 9, 'the three example g(r) and the six structures give κ');
  const direct = JSON.parse(run(process.execPath, [CLI, 'predict', '--json', predictions[0].input]).stdout);
  assert.deepEqual(direct[0], predictions[0]);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /Predictions for the example structures/);
  assert.match(html, /Phonon DoS and κ of the examples[\s\S]*rdf_762\.txt/);
  assert.match(html, /<h2>Thermal conductivity κ<\/h2>/);
});

test('train refuses an unknown task or an empty database with a clear message', async () => {
  const dir = tempDir();
  const t = run(process.execPath, [CLI, 'train', '--task', 'band-gap', '--data', join(dir, 'x.db'), '--out', dir]);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /unknown task "band-gap" \(expected el-dos, sigma, ph-dos, kappa\)/);
  const e = run(process.execPath, [CLI, 'train', '--task', 'kappa', '--data', join(dir, 'empty.db'), '--out', join(dir, 'm')]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /empty\.db: no such database; make one with `spramnet import/);
  // a store that exists but holds no κ rows
  const { AseDatabase } = await import('../../src/data/aseDb.js');
  new AseDatabase(join(dir, 'empty.db')).close();
  const none = run(process.execPath, [CLI, 'train', '--task', 'kappa', '--data', join(dir, 'empty.db'), '--out', join(dir, 'm')]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /empty\.db: no rows with kappa labels and a g\(r\) or a structure; import the public data .*or label structures into the store/);
});

test('the r_max cut zeroes the g(r) channels from r_max on and keeps the ADF; the experiments report one figure per setting', async () => {
  const { rangeExperiment, adfExperiment } = await import('../../src/tasks/experiments.js');
  const { applyRmaxCut, structureInput, withRmaxCut } = await import('../../src/tasks/modelInput.js');
  const input = withRmaxCut(structureInput('pcf+adf'), 1.8);
  const row = applyRmaxCut(Float64Array.from({ length: 3 * 160 }, (_, k) => k + 1), input);
  assert.deepEqual(Array.from(row.subarray(0, 37)), [...Array.from({ length: 36 }, (_, k) => k + 1), 0]); // g2d keeps 36 bins of 0.05 Å
  assert.ok(row.subarray(36, 160).every((v) => v === 0));
  assert.deepEqual(Array.from(row.subarray(160, 197)), [...Array.from({ length: 36 }, (_, k) => 161 + k), 0]); // g3d too
  assert.deepEqual(Array.from(row.subarray(320)), Array.from({ length: 160 }, (_, k) => 321 + k)); // the ADF is not a function of r
  assert.throws(() => withRmaxCut(structureInput('pcf'), 0.2), /outside the g\(r\) grid \(0\.4 … 8 Å\)/);
  const dir = tempDir();
  const db = join(dir, 'amc.db');
  importSpramnetPublic(SAMPLE, db);
  const range = rangeExperiment(db, 'kappa', [1.2, 8], 1, 0, undefined, 0.5);
  assert.equal(range.error.length, 2);
  assert.ok(range.error.every(Number.isFinite));
  const adf = adfExperiment(db, [0], 1, undefined, 0.5);
  assert.equal(adf.pcf.length, 1);
  assert.ok(Number.isFinite(adf.relativeChange));
});

test('a prediction does not depend on the other inputs of its batch (shipped models)', () => {
  const dir = tempDir();
  const pcfs = [0, 1].map((k) => {
    const file = join(dir, `g${k}.npy`);
    writeNpy(file, { data: Float64Array.from({ length: 100 }, (_, i) => (i < 13 ? 0 : 0.12 + 0.05 * Math.sin(i + k))), shape: [100] });
    return file;
  });
  const inputs = [...['POSCAR_0002', 'POSCAR_0029', 'POSCAR_0055', 'POSCAR_0100', 'POSCAR_0135', 'POSCAR_1500'].map((f) => join(EXAMPLES, f)), ...pcfs];
  const models = loadModelSet(join(EXAMPLES, '..', 'models'));
  const together = predictInputs(inputs, models);
  inputs.forEach((input, k) => assert.deepEqual(predictInputs([input], models)[0], together[k], input));
});

test('folds experiment: one validation figure per seed, resumes from its partial result, shown in the report', async () => {
  const { foldsExperiment } = await import('../../src/tasks/experiments.js');
  const dir = tempDir();
  const db = join(dir, 'amc.db');
  importSpramnetPublic(SAMPLE, db);
  const partial = foldsExperiment(db, 'kappa', [0], { epochs: 2, validationFraction: 0.5 });
  assert.equal(partial.main.values.length, 1);
  let trained = 0;
  const full = foldsExperiment(db, 'kappa', [0, 1], { epochs: 2, validationFraction: 0.5, previous: partial, onProgress: (stage) => stage.includes('cnn') && trained++ });
  assert.deepEqual(full.seeds, [0, 1]);
  assert.deepEqual(full.validation[0], partial.validation[0], 'the finished fold is kept, not retrained');
  assert.ok(trained > 0 && Number.isFinite(full.main.values[1]));
  assert.equal(full.main.mean, (full.main.values[0] + full.main.values[1]) / 2);
  assert.equal(full.main.reference, 0.10634791851043701);
  assert.deepEqual(full.settings, { material: 'carbon', partials: false }, 'a g(r) task: no descriptor or softening to record');
  // a file of another experiment is refused, not silently overwritten or mixed in
  assert.throws(() => foldsExperiment(db, 'kappa', [0, 1], { recipe: 'paper', epochs: 2, validationFraction: 0.5, previous: full }), /the earlier folds file holds another experiment .*"recipe":"ensemble"/);
  assert.throws(() => foldsExperiment(db, 'kappa', [0], { epochs: 2, validationFraction: 0.5, previous: { ...full, settings: { ...full.settings!, material: 'boron-nitride' } } }), /another experiment/);
  const models = join(dir, 'models');
  trainTask(db, 'kappa', models, { epochs: 2, validationFraction: 0.5 });
  writeFileSync(join(models, 'experiment-folds-kappa.json'), JSON.stringify(full));
  writeFileSync(join(models, 'experiment-folds-kappa-ablation.json'), JSON.stringify({ ...full, settings: { ...full.settings, descriptor: 'pcf+adf+env' } }));
  writeFileSync(join(models, 'experiment-folds-kappa-hard.json'), JSON.stringify({ ...full, settings: { ...full.settings, descriptor: 'pcf+adf+env', continuous: false } }));
  const report = buildReport(models);
  assert.match(report, /Spread over validation folds: kappa, ensemble recipe<\/h2>/);
  assert.match(report, /Spread over validation folds: kappa, ensemble recipe on pcf\+adf\+env<\/h2>/, 'an ablation of one recipe is told apart by its inputs');
  assert.match(report, /Spread over validation folds: kappa, ensemble recipe on pcf\+adf\+env, hard histograms<\/h2>/);
});

test('train --rmax: g(r) beyond r_max is zeroed in training and in predict, so changing it changes nothing', () => {
  const dir = tempDir();
  const db = join(dir, 'amc.db');
  importSpramnetPublic(SAMPLE, db);
  const models = join(dir, 'models');
  const r = run(process.execPath, [CLI, 'train', '--task', 'kappa', '--data', db, '--out', models, '--rmax', '1.8', '--epochs', '2', '--validation-fraction', '0.5']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(join(models, 'kappa.card.json'), 'utf8')).descriptor.rMaxCut_A, 1.8);
  const near = Float64Array.from({ length: 100 }, (_, i) => (i < 13 ? 0 : 0.1 + 0.0005 * i));
  const far = Float64Array.from(near, (v, i) => (i >= 18 ? v * 1.5 + 0.01 : v));
  writeNpy(join(dir, 'near.npy'), { data: near, shape: [100] });
  writeNpy(join(dir, 'far.npy'), { data: far, shape: [100] });
  writeNpy(join(dir, 'close.npy'), { data: Float64Array.from(near, (v, i) => (i === 15 ? v + 0.5 : v)), shape: [100] });
  const [a, b, c] = predictInputs([join(dir, 'near.npy'), join(dir, 'far.npy'), join(dir, 'close.npy')], loadModelSet(models));
  assert.deepEqual(a.kappa, b.kappa);
  assert.notDeepEqual(a.kappa, c.kappa, 'g(r) below r_max still matters');
  const bad = run(process.execPath, [CLI, 'train', '--task', 'kappa', '--data', db, '--out', models, '--rmax', '0.3']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /r_max 0\.3 Å is outside the g\(r\) grid/);
});

/**
 * The relative tolerance of a number of the shipped predictions, by what produced it. 1e-10 for
 * everything (kernel ridge's summation order); for the tasks whose ensembles hold a float32 CNN
 * (el_dos, ph_dos, kappa) a few float32 ulps (2⁻²³ ≈ 1.2e-7) on the predicted values, 5e-7, and
 * more on their 90 % intervals, 5e-6, whose bounds come from the members' spread (a difference
 * of nearly equal outputs, so the same absolute rounding is a larger share of it).
 */
function samePredictionTolerance(path: string): number {
  if (/\.(el_dos|ph_dos)\.band90\.(low|high)$|\.kappa\.(\w+_)?interval90$/.test(path)) return 5e-6;
  // κ in the other conventions is W_mK times a thickness ratio: it carries W_mK's float32 CNN rounding
  if (/\.(el_dos|ph_dos)\.dos$|\.kappa\.(W_mK|W_mK_3p35A|sheet_conductance_W_K)(_range)?$/.test(path)) return 5e-7;
  return 1e-10;
}

/**
 * `now` equals `before` in every key and text, and in every number to samePredictionTolerance: of
 * its own size for a scalar, of the array's largest value for a spectrum or an interval (a spectrum's
 * near-zero tails carry no relative digits).
 */
function assertSamePredictions(now: unknown, before: unknown, path = ''): void {
  const tol = samePredictionTolerance(path);
  if (typeof before === 'number') {
    assert.equal(typeof now, 'number', path);
    assert.ok(Math.abs((now as number) - before) <= tol * Math.abs(before), `${path}: ${now} vs ${before}`);
  } else if (Array.isArray(before) && before.every((v) => typeof v === 'number')) {
    assert.ok(Array.isArray(now) && now.length === before.length, path);
    const scale = Math.max(...before.map(Math.abs));
    before.forEach((v, k) => assert.ok(Math.abs((now as number[])[k] - v) <= tol * scale, `${path}[${k}]: ${(now as number[])[k]} vs ${v}`));
  } else if (before !== null && typeof before === 'object') {
    assert.ok(now !== null && typeof now === 'object', path);
    assert.deepEqual(Object.keys(now as object), Object.keys(before), path);
    for (const [key, value] of Object.entries(before)) assertSamePredictions((now as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else assert.deepEqual(now, before, path);
}

test('the shipped models predict the examples as when they were committed (to 1e-10; float32 CNN outputs to 5e-7, their intervals to 5e-6)', () => {
  // written by `predict --json` with the models of this commit (regenerate only with new models):
  // last for the el-DoS model on log(x + 1e-2) inputs (issue 19.5; only el_dos dos and band90
  // changed, checked key by key to 5e-6), after the ph-DoS band lows under one mode's share (1/2700)
  // were set to 0 by the histogram rule (80 bounds, nothing else changed);
  // rewritten for the σ model on narrowly softened descriptors (0.2-bin spread, 0.02 Å bond window:
  // issue 19.5), only its σ, sheet conductance and σ domain score changed, again when every
  // prediction began to state its `material`, and when the public κ thickness range widened to
  // 2.8–10.1 Å (HNEMD: only κ's 3.35 Å and sheet-conductance ranges, intervals and convention text
  // changed; each checked key by key against the file before, to 1e-6 relative); before that with the
  // el-DoS model of issue 21 (soap + TB channels, continuous descriptors); before
  // that, the σ, ph-DoS and κ parts were checked against the file of the models before it (the
  // issue-9 refactor bit for bit, commit 29e15f6; issues 19–20 to the tolerances below). The numbers
  // are compared to samePredictionTolerance: kernel ridge sums in the order of its WebAssembly
  // kernels; the CNN engine (Winograd convolutions, fused multiply-add GEMM) rounds its float32 per
  // build (spectra ≤ 5.5e-8 of their largest value with SPRAMNET_FMA=0; κ ≤ 3.1e-7; interval bounds
  // ≤ 2.3e-6; the same with one thread or two). Each model's card decides its descriptors.
  const before = JSON.parse(readFileSync(join(FIXTURES, 'tasks', 'shipped-predictions.json'), 'utf8')) as Array<Record<string, unknown>>;
  const inputs = before.map((p) => join(EXAMPLES, String(p.input)));
  const now = predictInputs(inputs, loadModelSet(join(EXAMPLES, '..', 'models'))).map((p) => ({ ...p, input: p.input.split('/').pop() }));
  for (const [k, p] of now.entries()) {
    assertSamePredictions(p, before[k], String(p.input));
    checkIntervals(p);
    // the example structures are buckled: not relaxed for the thermal models, and that is the first reason of their thermal verdicts
    if (p.input?.startsWith('POSCAR')) {
      assert.match(p.thermal_relax?.skipped as string, /^not flat \(height spread \d\.\d\d Å\)$/);
      assert.match(p.domain?.reasons?.[0] ?? '', /^not flat \(height spread \d\.\d\d Å\); the thermal models learnt flat sheets only/);
    } else assert.equal(p.thermal_relax, undefined);
  }
});

type Json = Record<string, unknown>;

/** Every interval of a prediction: bounds ≥ 0 (everything predicted here is), low ≤ prediction ≤ high. */
function checkIntervals(p: Json): void {
  const pairs: [string, number, [number, number]][] = [];
  const sigma = p.sigma as { xx: number; yy: number; interval90?: { xx: [number, number]; yy: [number, number] } } | undefined;
  if (sigma?.interval90) pairs.push(['σ_xx', sigma.xx, sigma.interval90.xx], ['σ_yy', sigma.yy, sigma.interval90.yy]);
  const sheet = p.sheet_conductance as Record<string, number> & { interval90?: Record<string, [number, number]> } | undefined;
  for (const [k, i] of Object.entries(sheet?.interval90 ?? {})) pairs.push([`sheet ${k}`, sheet![k], i]);
  const kappa = p.kappa as Record<string, number> & { interval90?: [number, number]; W_mK_3p35A_interval90?: [number, number]; sheet_conductance_W_K_interval90?: [number, number] } | undefined;
  if (kappa?.interval90) pairs.push(['κ', kappa.W_mK, kappa.interval90]);
  if (kappa?.W_mK_3p35A_interval90) pairs.push(['κ 3.35 Å', kappa.W_mK_3p35A, kappa.W_mK_3p35A_interval90]);
  if (kappa?.sheet_conductance_W_K_interval90) pairs.push(['κ·t', kappa.sheet_conductance_W_K, kappa.sheet_conductance_W_K_interval90]);
  for (const key of ['el_dos', 'ph_dos']) {
    const s = p[key] as { dos: number[]; band90?: { low: number[]; high: number[] } } | undefined;
    s?.dos.forEach((v, k) => s.band90 && pairs.push([`${key}[${k}]`, v, [s.band90.low[k], s.band90.high[k]]]));
  }
  assert.ok(pairs.length > 0);
  for (const [name, value, [low, high]] of pairs) {
    assert.ok(low >= 0 && low <= value && value <= high, `${p.input} ${name}: ${value} in [${low}, ${high}]`);
  }
}

test('stores that are not databases, are missing or are directories: a sentence, no stack trace, nothing created', () => {
  const dir = tempDir();
  const text = join(dir, 'notes.db');
  writeFileSync(text, 'these are notes, not SQLite\n'.repeat(40));
  const cases: Array<[string[], RegExp]> = [
    [['train', '--task', 'kappa', '--data', text, '--out', join(dir, 'm1')], /notes\.db: not an SQLite database/],
    [['train', '--task', 'kappa', '--data', join(dir, 'missing.db'), '--out', join(dir, 'm2')], /missing\.db: no such database; make one with `spramnet import/],
    [['report', '--data', dir, '--out', join(dir, 'r.html')], /is a directory; expected an ASE database file/],
    [['import', 'spramnet-public', join(dir, 'nowhere'), '--out', join(dir, 'new.db')], /nowhere: no such file or directory/],
    [['import', 'spramnet-public', dir, '--out', join(dir, 'new.db')], /expected raw_dataset_electron\/ or thermal_code\//],
  ];
  for (const [args, message] of cases) {
    const r = run(process.execPath, [CLI, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(existsSync(join(dir, 'missing.db')), false, 'train does not create the store it reads');
  assert.equal(existsSync(join(dir, 'new.db')), false, 'a failed import leaves no empty store');
  assert.equal(existsSync(join(dir, 'r.html')), false);
});

test('scoring a folder on the store it was trained on reproduces every card figure (σ in label units, row by row)', () => {
  const { db, models } = sampleModels();
  for (const e of evaluateModels(db, models)) {
    const card = JSON.parse(readFileSync(join(models, `${e.task}.card.json`), 'utf8')) as { validation: Record<string, number> };
    for (const [k, v] of Object.entries(card.validation)) {
      if (!Number.isFinite(v)) continue; // R² of two rows can be NaN
      assert.ok(Math.abs(e.metrics[k] - v) <= 1e-12 * Math.abs(v), `${e.task} ${k}: ${e.metrics[k]} vs ${v}`);
    }
  }
});
