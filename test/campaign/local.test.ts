import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAttempts, recordAttempt } from '../../src/campaign/attempts.js';
import { expandItems } from '../../src/campaign/items.js';
import { readPlan } from '../../src/campaign/plan.js';
import { readShard, shardPath } from '../../src/campaign/shards.js';
import { AseDatabase } from '../../src/data/aseDb.js';
import { CLI, run, tempDir } from '../helpers.js';
import { assertStoreExactlyOnce, finished, runningMarkers, smallPlan, startRun, waitFor, writePlan } from './helpers.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const status = (plan: string, dir: string) => JSON.parse(run(process.execPath, [CLI, 'campaign', 'status', plan, '--dir', dir, '--json']).stdout) as { stages: Array<{ name: string; items: number; done: number; running: number; failed: number; pending: number }>; store: string };

test('local executor, faults: a worker killed mid-item is rerun; the driver killed mid-stage and resumed; a truncated shard is recomputed; an edited plan recomputes only what changed — the store holds every item exactly once after each', { timeout: 600_000 }, async () => {
  const dir = tempDir();
  const plan = writePlan(dir, smallPlan(1));
  const out = join(dir, 'run');

  const note = (what: string) => process.stderr.write(`# ${new Date().toISOString()} local fault test: ${what}\n`);
  // 1. a worker killed with SIGKILL in the middle of a κ item
  note('1. kill a worker');
  const first = startRun(plan, out, ['--workers', '2']);
  const ended = finished(first);
  const victim = await waitFor('a running κ item', () => runningMarkers(out).find((m) => m.stage === 'md'));
  process.kill(victim.pid, 'SIGKILL');
  const r1 = await ended;
  assert.equal(r1.code, 0, r1.stderr);
  const attempts = readAttempts(out, victim.item);
  assert.equal(attempts.length, 1);
  assert.match(attempts[0].error, /worker process ended by signal SIGKILL while computing it/);
  assert.equal(attempts[0].retryable, true);
  assert.ok(existsSync(shardPath(out, victim.item)), 'the killed item was computed again');
  assertStoreExactlyOnce(plan, out);
  const s1 = status(plan, out);
  assert.deepEqual(s1.stages.map((s) => [s.name, s.items, s.done, s.failed, s.pending]), [['sheets', 6, 6, 0, 0], ['md', 6, 6, 0, 0], ['store', 6, 6, 0, 0]]);
  assert.equal(s1.store, join(out, 'store.db'));

  note('2. kill the driver');
  // 2. the driver killed with SIGKILL mid-stage (new label settings: every κ item is new), then resumed
  const edited = writePlan(dir, smallPlan(2));
  const second = startRun(edited, out, ['--workers', '2']);
  const ended2 = finished(second);
  const plan2 = readPlan(edited);
  const labels2 = expandItems(plan2).get('md')!;
  await waitFor('two new κ items done', () => labels2.filter((l) => existsSync(shardPath(out, l.id))).length >= 2 || undefined);
  const workers = runningMarkers(out).map((m) => m.pid);
  second.kill('SIGKILL');
  await ended2;
  // the workers follow their driver at once: nothing outlives it
  await waitFor('the workers to exit', () => workers.every((pid) => !alive(pid)) || undefined, 20_000);
  const half = status(edited, out).stages.find((s) => s.name === 'md')!;
  assert.ok(half.done >= 2 && half.done < 6, `mid-stage: ${half.done} of 6 done`);
  const sheetsBefore = expandItems(plan2).get('sheets')!.map((s) => statSync(shardPath(out, s.id)).mtimeMs);
  note('2. resume');
  const resumed = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--workers', '2']);
  assert.equal(resumed.status, 0, resumed.stderr);
  // 3. the edit recomputed only the label items: the sheets' shards are untouched
  assert.deepEqual(expandItems(plan2).get('sheets')!.map((s) => statSync(shardPath(out, s.id)).mtimeMs), sheetsBefore);
  assertStoreExactlyOnce(edited, out);

  note('4. truncate a shard');
  // 4. a shard truncated by hand is found by its checksum and recomputed; the store row follows
  const target = labels2[3].id;
  const original = readFileSync(shardPath(out, target));
  const kappaOf = () => {
    const shard = readShard(out, target);
    assert.ok(shard.ok);
    return (shard.body.result.properties as { kappa_W_mK: { mean: number } }).kappa_W_mK.mean;
  };
  const before = kappaOf();
  truncateSync(shardPath(out, target), original.length - 100);
  const mid = status(edited, out).stages.find((s) => s.name === 'md')!;
  assert.equal(mid.pending, 1);
  const again = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--workers', '2']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(kappaOf(), before, 'the same κ, computed again (the MD is deterministic for a seed)');
  assert.equal(readdirSync(join(out, 'corrupt')).filter((f) => f.startsWith(target) && f.endsWith('.shard')).length, 1, 'the truncated shard is kept aside');
  assertStoreExactlyOnce(edited, out);
  note('5. nothing left to do');
  // a run with nothing left to do computes nothing
  const idle = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--json']);
  assert.equal(idle.status, 0, idle.stderr);
  assert.equal((JSON.parse(idle.stdout) as { finished: boolean }).finished, true);

  note('6. an item failed for good, given a fresh start');
  const victim2 = labels2[1];
  rmSync(shardPath(out, victim2.id));
  recordAttempt(out, victim2, { attempt: 1, host: 'test', pid: 1, started: new Date().toISOString(), finished: new Date().toISOString(), seconds: 0, error: 'a cause fixed since', retryable: false });
  assert.equal(status(edited, out).stages.find((s) => s.name === 'md')!.failed, 1);
  const stays = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out]);
  assert.equal(stays.status, 1, 'a run that ends with failed items exits 1');
  assert.match(stays.stdout + stays.stderr, /failed for good[\s\S]*a cause fixed since/);
  assert.ok(!existsSync(shardPath(out, victim2.id)), 'a plain run leaves an item failed for good alone');
  const retried = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--retry-failed']);
  assert.equal(retried.status, 0, retried.stderr);
  assert.ok(existsSync(shardPath(out, victim2.id)), '--retry-failed computed it');
  assert.equal(status(edited, out).stages.find((s) => s.name === 'md')!.failed, 0);
  assertStoreExactlyOnce(edited, out);

  note('7. the report as it stands');
  const report = run(process.execPath, [CLI, 'campaign', 'report', edited, '--dir', out, '--out', join(dir, 'now.html')]);
  assert.equal(report.status, 0, report.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'now.json'), 'utf8')) as { stages: Array<{ name: string; done: number }>; labels: Record<string, { campaign: { rows: number; log10_quartiles?: number[] } }> };
  assert.equal(summary.stages.find((s) => s.name === 'md')!.done, expandItems(readPlan(edited)).get('md')!.length);
  const db = new AseDatabase(join(out, 'store.db'), { mustExist: true });
  const kappas = db.select().map((r) => Math.log10(Number(r.keyValues.kappa_W_mK))).sort((a, b) => a - b);
  db.close();
  const kappaLabels = Object.entries(summary.labels).find(([name]) => /κ|kappa/i.test(name));
  assert.ok(kappaLabels, `a κ distribution in the report: ${Object.keys(summary.labels).join(', ')}`);
  assert.equal(kappaLabels[1].campaign.rows, kappas.length);
  assert.ok(Math.abs(kappaLabels[1].campaign.log10_quartiles![1] - kappas[Math.floor(kappas.length / 2)]) < 1e-9, 'the median log10 κ of the report is that of the store');
  assert.match(readFileSync(join(dir, 'now.html'), 'utf8'), /<h2>Stages<\/h2>/);
});
