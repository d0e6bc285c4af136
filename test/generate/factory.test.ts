import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crystalReason, generateStructure, runGenerate, type GenerateRun, type GeneratedStructure } from '../../src/generate/factory.js';
import { ConvergenceError } from '../../src/errors.js';
import { graphene as grapheneSheet } from '../helpers.js';
import { structureSeed } from '../../src/generate/seeds.js';
import { readPoscar, writePoscar } from '../../src/structure/io/poscar.js';
import { python, run, tempDir } from '../helpers.js';

const www = (out: string, count: number, seed = 11): GenerateRun => ({
  method: 'www',
  count,
  seed,
  out,
  atoms: [88, 96, 104],
  www: { dimensions: 3, temperature_K: 60000, switches: 60, vacancies: 0.04 },
});

test('same seed → same files bit for bit; another seed → other files', () => {
  const a = tempDir();
  const b = tempDir();
  const c = tempDir();
  runGenerate(www(a, 3));
  runGenerate(www(b, 3));
  runGenerate(www(c, 3, 12));
  const names = readdirSync(a).sort();
  assert.deepEqual(names, ['POSCAR_0001', 'POSCAR_0002', 'POSCAR_0003']);
  for (const f of names) {
    assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'));
    assert.notEqual(readFileSync(join(a, f), 'utf8'), readFileSync(join(c, f), 'utf8'));
  }
  const atoms = readPoscar(readFileSync(join(a, names[0]), 'utf8'));
  assert.equal(atoms.cell[8], 20);
  assert.ok([88, 96, 104].includes(atoms.length));
});

test('a killed run resumes: missing structures are made, present ones kept, the result equals a full run', () => {
  const full = tempDir();
  runGenerate(www(full, 4));
  const part = tempDir();
  runGenerate(www(part, 2)); // "killed" after two structures
  unlinkSync(join(part, 'POSCAR_0002')); // …and one lost
  writeFileSync(join(part, '.POSCAR_0003.123.tmp'), 'partial'); // a temp file of an interrupted atomic write
  const report = runGenerate(www(part, 4));
  assert.equal(report.skipped, 1);
  assert.equal(report.written, 3);
  for (const f of ['POSCAR_0001', 'POSCAR_0002', 'POSCAR_0003', 'POSCAR_0004']) assert.equal(readFileSync(join(part, f), 'utf8'), readFileSync(join(full, f), 'utf8'));
});

test('a bad atom count is blamed on --atoms, and a run that fails before its first structure leaves no folder or database', () => {
  const dir = tempDir();
  for (const out of [join(dir, 'sheets'), join(dir, 'sheets.db')]) {
    for (const atoms of [-5, 0, 10, 2.5]) {
      assert.throws(() => runGenerate({ ...www(out, 2), atoms }), new RegExp(`--atoms must be an integer from 24 to 200000, got ${atoms}`));
      assert.throws(() => runGenerate({ method: 'quench', count: 1, seed: 1, out, atoms, forceField: undefined }), /--atoms|force field/);
    }
    assert.equal(existsSync(out), false, out);
  }
});

test('structure seeds differ across indices and runs', () => {
  const seen = new Set<number>();
  for (let s = 0; s < 20; s++) for (let i = 0; i < 50; i++) seen.add(structureSeed(s, i));
  assert.equal(seen.size, 1000);
});

const py = python(['ase']);
const skip = py === undefined && !process.env.CI ? 'python3-ase is not installed' : false;

test('the ASE database output: ASE reads the sheets and the provenance; a re-run adds nothing', { skip }, () => {
  const dir = tempDir();
  const db = join(dir, 'www.db');
  runGenerate(www(db, 2));
  const again = runGenerate(www(db, 2));
  assert.equal(again.written, 0);
  const r = run(py as string, ['-c', `import ase.db, json; rows=list(ase.db.connect(${JSON.stringify(db)}).select()); print(json.dumps([[r.natoms, r.method, r.seed, r.dimensions, r.vacancies, list(r.cell.diagonal())] for r in rows]))`]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<[number, string, number, number, number, number[]]>;
  assert.equal(rows.length, 2);
  rows.forEach(([n, method, seed, dims, vac, diag], i) => {
    assert.ok([88, 96, 104].includes(n));
    assert.equal(method, 'www');
    assert.equal(seed, structureSeed(11, i));
    assert.equal(dims, 3);
    assert.equal(vac, 0.04);
    assert.equal(diag[2], 20);
  });
});

test('a crystal is never returned: too few accepted switches or all hexagons → the next seed (recorded), same seed → same file', () => {
  // few attempts on a small flat sheet: some seeds accept none of them
  const run: GenerateRun = { method: 'www', count: 12, seed: 3, out: '', atoms: 48, www: { dimensions: 2, temperature_K: 40000, switches: 20 } };
  let retried: GeneratedStructure | undefined;
  for (let i = 0; i < run.count && retried === undefined; i++) {
    const g = generateStructure(run, i);
    assert.equal(crystalReason(g.atoms), undefined, `structure ${i} is amorphous`);
    assert.ok((g.provenance.accepted_switches as number) >= 1);
    if ((g.provenance.retries as number) > 0) retried = g;
  }
  assert.ok(retried !== undefined, 'some structure needed another seed');
  const p = retried.provenance;
  assert.equal(p.seed, structureSeed(3, retried.index));
  assert.equal(p.seed_used, structureSeed(p.seed as number, (p.retries as number) - 1));
  assert.match(p.rejected as string, /^seed \d+: 0 of 20 switch attempts accepted, fewer than the 1 asked/);
  assert.equal(writePoscar(generateStructure(run, retried.index).atoms), writePoscar(retried.atoms));
});

test('settings that only give crystals are refused with the reason and what to change; nothing is written', () => {
  const out = join(tempDir(), 'none');
  assert.throws(
    () => runGenerate({ method: 'www', count: 2, seed: 1, out, atoms: 48, www: { dimensions: 2, switches: 0 } }),
    (e: unknown) => e instanceof ConvergenceError && /^structure 1: no amorphous sheet in 9 seeds \(seed \d+: 0 of 0 switch attempts accepted/.test(e.message) && /raise --temperature, --switches or --vacancies$/.test(e.message),
  );
  assert.equal(existsSync(out), false);
  // graphene itself, by the ring test alone
  assert.match(crystalReason(grapheneSheet(4, 3)) as string, /every ring is a hexagon \(\d+ six-rings/);
});
