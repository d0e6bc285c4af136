import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandItems, settingFor } from '../../src/campaign/items.js';
import { readPlan } from '../../src/campaign/plan.js';
import { decodeValue, encodeValue, readShard, shardPath, writeShard } from '../../src/campaign/shards.js';
import { Atoms } from '../../src/structure/atoms.js';
import { CLI, EXAMPLES, run, tempDir } from '../helpers.js';
import { smallPlan, writePlan } from './helpers.js';

const refused = (text: string, pattern: RegExp, name = 'plan.toml'): void => {
  const dir = tempDir();
  const file = writePlan(dir, text, name);
  assert.throws(() => readPlan(file), (e: Error) => {
    assert.match(e.message, pattern);
    return true;
  });
};

test('plan: unknown keys, stage kinds, engines, settings, label kinds, tasks and sources are refused before anything runs, naming the key and the known ones', () => {
  const plan = smallPlan();
  refused(plan.replace('seed = 5', 'seed = 5\ncolour = "red"'), /plan\.toml: unknown key "colour" \(known: name, description, seed, defaults, slurm, stages\)/);
  refused(plan.replace('kind = "label"', 'kind = "labels"'), /stages\.md\.kind: unknown stage kind "labels" \(known: generate, relax, label, store, train, evaluate\)/);
  refused(plan.replace('[stages.md.settings]', 'engine = "vasp"\n[stages.md.settings]'), /stages\.md\.engine: unknown engine "vasp" for kappa \(known: builtin, lammps\)/);
  refused(plan.replace('runs = 1', 'runz = 1'), /stages\.md\.settings: unknown key "runz" \(known: potential, method, temperature_K, runs, seed/);
  refused(plan.replace('method = "gk"', 'method = "nemd"'), /stages\.md\.settings\.method: expected one of "gk", "hnemd", got "nemd"/);
  refused(plan.replace('label = "kappa"', 'label = "phonons"'), /stages\.md\.label: expected one of "ph-dos", "kappa", "el-dos", "sigma", got "phonons"/);
  refused(plan.replace('from = "sheets"', 'from = "sheet"'), /stages\.md\.from: "sheet" is not a stage above this one \(stages above: sheets\)/);
  refused(plan.replace('temperature_K = 40000', 'temprature_K = 40000'), /stages\.sheets\.settings: unknown key "temprature_K" \(known: dimensions, temperature_K/);
  refused(plan.replace('count = 6', 'count = -6'), /stages\.sheets\.count: Too small: expected number to be >0/);
  refused(`${plan}[stages.models]\nkind = "train"\ntasks = ["phdos"]\n`, /stages\.models\.tasks: unknown task "phdos" \(known: el-dos, sigma, ph-dos, kappa\)/);
  refused(`${plan}[stages.models]\nkind = "train"\ntasks = ["kappa"]\nrecipe = "fancy"\n`, /stages\.models\.recipe: task kappa: unknown recipe "fancy" \(expected paper, ensemble\)/);
  refused(plan.replace('count = 6', 'count = [6'), /plan\.toml:\d+: /); // a TOML syntax error names the line
  refused('name: x\nstages: {a: {kind: generate, method: www, count: 2, atoms: 40, colour: 1}}\n', /plan\.yaml: stages\.a: unknown key "colour"/, 'plan.yaml');
  refused(plan, /a plan is a \.toml or \.yaml file/, 'plan.json');
});

test('plan: YAML and TOML of the same plan give the same items; the shipped example plans are valid', () => {
  const dir = tempDir();
  const toml = readPlan(writePlan(dir, smallPlan()));
  const yaml = `name: fault-test
seed: 5
defaults: {retries: 3, time_min: 10}
stages:
  sheets: {kind: generate, method: www, count: 6, atoms: [40, 48], settings: {dimensions: 2, temperature_K: 40000, switches_per_atom: 1.0, vacancies: 0.05}}
  md:
    kind: label
    label: kappa
    from: sheets
    settings: {method: gk, runs: 1, seed: 1, equilibration_ps: 0.05, production_ps: 3, correlation_ps: 0.1, timestep_fs: 1}
  store: {kind: store, from: md}
`;
  const fromYaml = readPlan(writePlan(dir, yaml, 'plan.yaml'));
  const ids = (p: ReturnType<typeof readPlan>) => [...expandItems(p).values()].flat().map((i) => i.id);
  assert.deepEqual(ids(fromYaml), ids(toml));
  for (const f of ['tiny.toml', 'thermal.toml', 'electronic.toml', 'a-bn.toml', 'bn-thermal.toml']) assert.ok(readPlan(join(EXAMPLES, 'campaigns', f)).stages.length >= 3, f);
  // the a-BN plan: every item expands (its stores take labels of one kind from different structures)
  const abn = expandItems(readPlan(join(EXAMPLES, 'campaigns', 'a-bn.toml')));
  assert.equal(abn.get('tb_dos')?.length, 1500);
  assert.equal(abn.get('small_dft')?.length, 16);
  assert.equal(abn.get('kappa')?.length, 44);
});

test('items: named by their inputs and settings — a label setting edited renames only the label items; lists cycle, ranges are drawn from the seed', () => {
  const dir = tempDir();
  const a = expandItems(readPlan(writePlan(dir, smallPlan(1), 'a.toml')));
  const b = expandItems(readPlan(writePlan(dir, smallPlan(2), 'b.toml')));
  assert.deepEqual(a.get('sheets')!.map((i) => i.id), b.get('sheets')!.map((i) => i.id));
  const labelsA = a.get('md')!.map((i) => i.id);
  const labelsB = b.get('md')!.map((i) => i.id);
  assert.equal(labelsA.filter((id) => labelsB.includes(id)).length, 0);
  assert.deepEqual(a.get('md')!.map((i) => i.inputs[0]), a.get('sheets')!.map((i) => i.id));
  assert.equal(new Set(labelsA).size, 6);
  assert.deepEqual(a.get('sheets')!.map((i) => i.work.atoms), [40, 48, 40, 48, 40, 48]);
  const draws = Array.from({ length: 200 }, (_, k) => settingFor({ min: 700, max: 925 }, 7, k, 'atoms', true) as number);
  assert.ok(draws.every((n) => Number.isInteger(n) && n >= 700 && n <= 925));
  assert.ok(Math.min(...draws) < 720 && Math.max(...draws) > 905, 'the range is covered');
  assert.deepEqual(draws, Array.from({ length: 200 }, (_, k) => settingFor({ min: 700, max: 925 }, 7, k, 'atoms', true)));
  // a label limit spreads over the inputs
  const limited = expandItems(readPlan(writePlan(dir, smallPlan().replace('from = "sheets"', 'from = "sheets"\nlimit = 3'), 'c.toml')));
  assert.deepEqual(limited.get('md')!.map((i) => i.inputs[0]), [0, 2, 4].map((k) => a.get('sheets')![k].id));
});

test('plan: two label stages of one kind feed one store only when they label different structures (spare sheets), else refused naming both', () => {
  const dir = tempDir();
  // spare sheets: a generate stage of their own (another seed) and a second κ stage over them
  const spare = (seed: number, from = 'spare') =>
    smallPlan().replace('[stages.store]\nkind = "store"\nfrom = "md"', `[stages.spare]\nkind = "generate"\nmethod = "www"\nseed = ${seed}\ncount = 2\natoms = [40, 48]\n[stages.spare.settings]\ndimensions = 2\ntemperature_K = 40000\nswitches_per_atom = 1.0\nvacancies = 0.05\n[stages.md_spare]\nkind = "label"\nlabel = "kappa"\nfrom = "${from}"\n[stages.md_spare.settings]\nmethod = "gk"\nruns = 1\nequilibration_ps = 0.05\nproduction_ps = 2\n[stages.store]\nkind = "store"\nfrom = ["md", "md_spare"]`);
  const plan = readPlan(writePlan(dir, spare(6), 'spare.toml'));
  const items = expandItems(plan);
  assert.equal(items.get('md_spare')!.length, 2);
  // the first stage's items are those of the plan without spares (the store gains rows, nothing moves)
  assert.deepEqual(items.get('md')!.map((i) => i.id), expandItems(readPlan(writePlan(dir, smallPlan(), 'plain.toml'))).get('md')!.map((i) => i.id));
  // the same sheets twice: by stage, and by identical generate work under another name (same seed)
  refused(spare(6, 'sheets'), /stages\.store\.from: "md" and "md_spare" both give kappa labels to the same structures \(md_spare item 1 among them\)/);
  refused(spare(5), /"md" and "md_spare" both give kappa labels to the same structures/);
});

test('shards: exact round trip of typed arrays and structures; a truncated or altered shard fails its check', () => {
  const dir = tempDir();
  const atoms = new Atoms({ positions: [0.1, 0.2, 1 / 3, Math.PI, -0, 1e-300], numbers: [6, 7], cell: [10, 0, 0, 0.5, 11, 0, 0, 0, 20], pbc: [true, true, false] });
  const values = Float64Array.from([1 / 3, Number.NaN, -0, 1e308, 5e-324]);
  const decoded = decodeValue(JSON.parse(JSON.stringify(encodeValue({ atoms, values, n: Int32Array.from([1, -2]) })))) as { atoms: Atoms; values: Float64Array; n: Int32Array };
  assert.deepEqual(Buffer.from(decoded.values.buffer), Buffer.from(values.buffer));
  assert.deepEqual(Buffer.from(decoded.atoms.positions.buffer), Buffer.from(atoms.positions.buffer));
  assert.deepEqual(Array.from(decoded.atoms.numbers), [6, 7]);
  assert.deepEqual(decoded.atoms.pbc, [true, true, false]);
  assert.deepEqual(Array.from(decoded.n), [1, -2]);
  const body = { item: 'ab'.repeat(16), stage: 's', kind: 'generate', inputs: [], result: { atoms, values }, provenance: { spramnet: 'x', node: 'v', host: 'h', pid: 1, started: '', finished: '', seconds: 1, cores: 1, attempt: 1 } };
  writeShard(dir, body);
  assert.equal(readShard(dir, body.item).ok, true);
  const path = shardPath(dir, body.item);
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  assert.deepEqual(readShard(dir, body.item), { ok: false, reason: `truncated: ${bytes.length - 10 - bytes.indexOf(10) - 1} of ${bytes.length - bytes.indexOf(10) - 1} bytes` });
  const altered = Buffer.from(bytes);
  altered[altered.length - 5] ^= 1;
  writeFileSync(path, altered);
  assert.deepEqual(readShard(dir, body.item), { ok: false, reason: 'checksum mismatch' });
});

test('campaign CLI: a bad plan exits 2 with the message, nothing created', () => {
  const dir = tempDir();
  const file = writePlan(dir, smallPlan().replace('runs = 1', 'runz = 1'));
  const out = join(dir, 'run');
  const r = run(process.execPath, [CLI, 'campaign', 'run', file, '--dir', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /stages\.md\.settings: unknown key "runz"/);
  assert.equal(existsSync(out), false);
  // report and merge read a campaign folder; one that a run never made is refused, and not created
  const good = writePlan(dir, smallPlan(), 'good.toml');
  for (const command of ['report', 'merge']) {
    const c = run(process.execPath, [CLI, 'campaign', command, good, '--dir', out]);
    assert.equal(c.status, 2, command);
    assert.match(c.stderr, /run: not a campaign folder \(no campaign\.json\); start one with `spramnet campaign run PLAN --dir/);
    assert.equal(existsSync(out), false, command);
  }
});

test('ready items: labels before new sheets, and two kinds of sheets feeding one label stage take turns', async () => {
  const { campaignState, readyItems } = await import('../../src/campaign/state.js');
  const dir = tempDir();
  const file = writePlan(
    dir,
    `name = "turns"
seed = 3
[stages.flat]
kind = "generate"
method = "www"
count = 3
atoms = 40
[stages.buckled]
kind = "generate"
method = "www"
count = 3
atoms = 40
[stages.buckled.settings]
dimensions = 3
[stages.phonons]
kind = "label"
label = "ph-dos"
from = ["flat", "buckled"]
[stages.store]
kind = "store"
from = "phonons"
file = "store.db"
`,
  );
  const plan = readPlan(file);
  const order = (state: ReturnType<typeof campaignState>) => readyItems(state).map((s) => `${s.item.stage}#${s.item.index}`);
  const fresh = campaignState(plan, join(dir, 'run'));
  assert.deepEqual(order(fresh), ['buckled#0', 'flat#0', 'buckled#1', 'flat#1', 'buckled#2', 'flat#2']);
  // a finished sheet's label comes before any other sheet
  const sheet = fresh.stages.find((s) => s.stage.name === 'flat')!.items[1];
  sheet.status = 'done';
  const next = order(fresh);
  assert.equal(next[0].startsWith('phonons#'), true, next.join(' '));
  assert.equal(fresh.byId.get(readyItems(fresh)[0].item.inputs[0]), sheet);
  assert.deepEqual(next.slice(1), ['buckled#0', 'flat#0', 'buckled#1', 'buckled#2', 'flat#2']);
});
