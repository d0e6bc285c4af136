import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { releaseThermalPcf } from '../../src/descriptors/releasePcf.js';
import { buildDomainReference, checkDomain } from '../../src/tasks/domain.js';
import { THERMAL_GRID } from '../../src/tasks/modelInput.js';
import { loadModelSet, predictInputs } from '../../src/tasks/predict.js';
import { EXAMPLES, FIXTURES, graphene, random, randomSheet } from '../helpers.js';

const SHIPPED = join(EXAMPLES, '..', 'models');

test('domain reference: rows drawn like the training rows are in domain at about the stated rate, a far row is not', () => {
  const rand = random(11);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const cols = 30;
  const draw = () => Float64Array.from({ length: cols }, (_, j) => Math.exp(0.3 * gauss() + (j % 3)));
  const rows = 600;
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) x.set(draw(), r * cols);
  const ref = buildDomainReference(x, rows, cols, 'log(x+1e-4)');
  const fresh = Array.from({ length: 400 }, () => checkDomain(ref, draw()));
  const rate = fresh.filter((v) => v.in_domain).length / fresh.length;
  // each of two percentiles is ≤ 0.99 for ~99 % of like rows: ≥ ~97 % in domain, allow sampling noise
  assert.ok(rate > 0.94 && rate <= 1, `in-domain rate ${rate}`);
  const far = checkDomain(ref, Float64Array.from({ length: cols }, (_, j) => Math.exp(3 + (j % 3))));
  assert.equal(far.in_domain, false);
  assert.ok(far.score < 0.01);
  assert.match(far.reasons.join(' '), /farther from every training row|does not span/);
});

test('release thermal g(r) from a structure: graphene’s first shell and a random sheet’s large-r level (10/9)·π·ρ·Δr', () => {
  // graphene: 3 neighbours at 1.42 Å, each pair once → 1.5 pairs per atom in the 1.4–1.5 Å bin, / (0.9 · 1.4 Å)
  const g = releaseThermalPcf(graphene(6, 4), THERMAL_GRID);
  assert.equal(g[14], Math.round((1.5 / (0.9 * 1.4)) * 1000) / 1000);
  assert.equal(g.subarray(0, 14).reduce((a, b) => a + b, 0), 0);
  // random flat sheet: ρ = N / A, level π ρ Δr beyond 6 Å within counting noise
  const sheet = randomSheet(900, 48, 48, 0, 4);
  const rho = 900 / (48 * 48);
  const tail = releaseThermalPcf(sheet, THERMAL_GRID).subarray(60).reduce((a, b) => a + b, 0) / 40;
  // (pairs once in an annulus, per atom) / (0.9 r_edge) = π ρ Δr (r_centre / r_edge) / 0.9
  const level = (Math.PI * rho * 0.1) / 0.9;
  assert.ok(Math.abs(tail / level - 1) < 0.02, `tail ${tail} vs ${level}`);
});

test('the shipped models flag structures they were not trained on, and take the public examples', () => {
  const models = loadModelSet(SHIPPED);
  const foreign = readdirSync(join(FIXTURES, 'foreign')).filter((f) => f.endsWith('.vasp')).map((f) => join(FIXTURES, 'foreign', f));
  const predictions = predictInputs(foreign, models);
  for (const p of predictions) {
    assert.equal(p.error, undefined, `${p.input}: predicted, not refused`);
    assert.equal(p.domain?.in_domain, false, `${p.input} is out of domain`);
    assert.ok((p.domain?.reasons.length ?? 0) > 0, `${p.input} says why`);
  }
  const hbn = predictions.find((p) => p.input.endsWith('hbn.vasp'));
  assert.match(hbn?.domain?.reasons.join(' ') ?? '', /contains B, N; the models saw only C/);
  const examples = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR')).map((f) => join(EXAMPLES, f));
  // the public electron structures are in the electronic models' domain (the thermal models were trained on other, larger flat sheets)
  for (const p of predictInputs(examples, models)) {
    assert.equal(p.domain?.per_task?.el_dos.in_domain, true, `${p.input}: ${p.domain?.reasons}`);
    assert.equal(p.domain?.per_task?.sigma.in_domain, true, `${p.input}: ${p.domain?.reasons}`);
  }
  // and the public thermal g(r) in the thermal models'
  for (const p of predictInputs(['rdf_589.npy', 'rdf_762.txt'].map((f) => join(EXAMPLES, f)), models)) assert.equal(p.domain?.in_domain, true, `${p.input}: ${p.domain?.reasons}`);
});

test('σ_xx and σ_yy cannot be told apart from g(r): a structure turned by 90° gets the same σ, swapped components do not follow', async () => {
  const { readStructure } = await import('../../src/structure/io/formats.js');
  const { Atoms } = await import('../../src/structure/atoms.js');
  const { writePoscar } = await import('../../src/structure/io/poscar.js');
  const { writeFileSync } = await import('node:fs');
  const { tempDir } = await import('../helpers.js');
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0055'));
  // (x, y) → (−y, x), and the cell's a, b rows turned with them
  const turn = (v: ArrayLike<number>) => Float64Array.from({ length: v.length }, (_, k) => (k % 3 === 0 ? -v[k + 1] : k % 3 === 1 ? v[k - 1] : v[k]));
  const turned = new Atoms({ positions: turn(atoms.positions), numbers: atoms.numbers, cell: turn(atoms.cell), pbc: atoms.pbc });
  const dir = tempDir();
  writeFileSync(join(dir, 'turned.vasp'), writePoscar(turned));
  const [a, b] = predictInputs([join(EXAMPLES, 'POSCAR_0055'), join(dir, 'turned.vasp')], loadModelSet(SHIPPED));
  // the descriptors are invariant under the rotation, so the prediction is the same: xx stays xx
  assert.ok(Math.abs(a.sigma!.xx - b.sigma!.xx) < 1e-9 * a.sigma!.xx && Math.abs(a.sigma!.yy - b.sigma!.yy) < 1e-9 * a.sigma!.yy, `${JSON.stringify(a.sigma)} vs ${JSON.stringify(b.sigma)}`);
});

test('conformal intervals: about 90 % of new rows inside, on data with noise of varying size', async () => {
  const { calibrateConformal, conformalBounds, coverage } = await import('../../src/tasks/uncertainty.js');
  const rand = random(3);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const make = (n: number) => {
    const spread = Float64Array.from({ length: n }, () => 0.1 + rand());
    const mean = Float64Array.from({ length: n }, () => rand() * 10);
    const truth = mean.map((m, k) => m + spread[k] * gauss());
    return { spread, mean, truth };
  };
  const cal = make(400);
  const calibration = calibrateConformal(cal.truth, cal.mean, cal.spread, 1);
  const fresh = make(4000);
  const { low, high } = conformalBounds(calibration, fresh.mean, fresh.spread);
  const c = coverage(fresh.truth, low, high, 1).overall;
  assert.ok(c > 0.87 && c < 0.93, `coverage ${c}`);
});

test('predict --csv: one row per input with the scalar results, their intervals and the domain verdict, the numbers of --json', async () => {
  const { CLI, run } = await import('../helpers.js');
  const inputs = [join(EXAMPLES, 'POSCAR_0055'), join(EXAMPLES, 'rdf_762.txt')];
  const csv = run(process.execPath, [CLI, 'predict', '--csv', ...inputs]);
  assert.equal(csv.status, 0, csv.stderr);
  const json = JSON.parse(run(process.execPath, [CLI, 'predict', '--json', ...inputs]).stdout) as Array<{ kappa: { W_mK: number; interval90: [number, number] }; sigma?: { xx: number } }>;
  const [header, ...rows] = csv.stdout.trim().split('\r\n');
  const col = header.split(',');
  assert.equal(rows.length, 2);
  const first = rows[0].split(',');
  assert.equal(Number(first[col.indexOf('kappa_W_mK')]), json[0].kappa.W_mK);
  assert.equal(Number(first[col.indexOf('kappa_W_mK_lo90')]), json[0].kappa.interval90[0]);
  assert.equal(Number(first[col.indexOf('sigma_xx')]), json[0].sigma!.xx);
  assert.ok(col.includes('in_domain') && col.includes('domain_score'));
  const both = run(process.execPath, [CLI, 'predict', '--csv', '--json', inputs[0]]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--json and --csv: choose one/);
});

test('a PDFgetX3 .gr is read as the reduced G(r): converted with the density its header states, refused in words without one', async () => {
  const { writeFileSync } = await import('node:fs');
  const { tempDir } = await import('../helpers.js');
  const dir = tempDir();
  const rho = 0.1;
  // G(r) of g(r) = 1 beyond 1.3 Å: G = 4πrρ(g − 1) = 0 there, −4πrρ below
  const rows = Array.from({ length: 600 }, (_, k) => 0.02 * (k + 1)).map((r) => `${r.toFixed(3)} ${(r > 1.3 ? 0 : -4 * Math.PI * r * rho).toFixed(6)}`);
  writeFileSync(join(dir, 'stated.gr'), `# from PDFgetX3\nnumberdensity = ${rho}\n#### start data\n${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'silent.gr'), `# from PDFgetX3\n#### start data\n${rows.join('\n')}\n`);
  const [stated, silent] = predictInputs([join(dir, 'stated.gr'), join(dir, 'silent.gr')], loadModelSet(SHIPPED, ['ph-dos']));
  // converted: g(r) = 1 at large r, which is not the release normalisation the thermal models read
  assert.match(String(stated.error), /stated\.gr: g\(r\) averages 1\.00 beyond 6 Å.*looks normalised to tend to 1/);
  assert.match(String(silent.error), /silent\.gr: a PDFgetX3 \.gr file holds the reduced G\(r\) = 4πrρ₀\(g\(r\) − 1\), not g\(r\); its header states no number density/);
});
