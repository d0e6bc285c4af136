import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAttempts } from '../../src/campaign/attempts.js';
import { expandItems } from '../../src/campaign/items.js';
import { readPlan } from '../../src/campaign/plan.js';
import { readShard, shardPath } from '../../src/campaign/shards.js';
import { CLI, run, skipOutsideCi, tempDir } from '../helpers.js';
import { assertStoreExactlyOnce, finished, runningMarkers, smallPlan, startRun, waitFor, writePlan } from './helpers.js';

/** A Slurm cluster answers (scripts/slurm-local.sh start; .ci/run starts one). */
const slurmUp = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' }).stdout?.match(/idle|mixed|allocated/) !== null && spawnSync('sinfo', ['-h'], { encoding: 'utf8' }).status === 0;
const skip = skipOutsideCi(!slurmUp, 'no Slurm cluster (scripts/slurm-local.sh start)');

const jobs = (dir: string) => JSON.parse(readFileSync(join(dir, 'slurm', 'jobs.json'), 'utf8')) as Array<{ job: string; stage: string; tasks: Array<{ id: string }> }>;

test('Slurm executor through real sbatch arrays, faults: a task cancelled mid-item (scancel) is resubmitted; the driver killed mid-stage and resumed finds its tasks; a truncated shard is recomputed — the store holds every item exactly once', { skip, timeout: 900_000 }, async () => {
  const dir = tempDir();
  const plan = writePlan(dir, smallPlan(1));
  const out = join(dir, 'run');

  // 1. scancel one array task in the middle of its κ item
  const first = startRun(plan, out, ['--executor', 'slurm', '--poll', '1']);
  const ended = finished(first);
  const victim = await waitFor('a κ item running under Slurm', () => runningMarkers(out).find((m) => m.stage === 'md' && m.job !== undefined));
  assert.equal(spawnSync('scancel', [victim.job!]).status, 0);
  const r1 = await ended;
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stderr, /submitted sheets: 6 task\(s\) as Slurm job \d+/);
  const attempts = readAttempts(out, victim.item);
  assert.ok(attempts.length >= 1, 'the cancelled task left an attempt');
  assert.match(attempts[0].error, new RegExp(`Slurm task ${victim.job} ended without a result`));
  assert.ok(existsSync(shardPath(out, victim.item)), 'resubmitted and computed');
  assert.ok(jobs(out).filter((j) => j.tasks.some((t) => t.id === victim.item)).length >= 2, 'the item was in a second submission');
  assertStoreExactlyOnce(plan, out);
  // every array task left its log
  assert.ok(readdirSync(join(out, 'logs', 'md')).length >= 6);

  // 2. the driver killed mid-stage, then resumed: the tasks it submitted are found, none is lost or doubled
  const edited = writePlan(dir, smallPlan(2));
  const labels = expandItems(readPlan(edited)).get('md')!;
  const second = startRun(edited, out, ['--executor', 'slurm', '--poll', '1']);
  const ended2 = finished(second);
  await waitFor('a new κ task submitted', () => (existsSync(join(out, 'slurm', 'jobs.json')) && jobs(out).some((j) => j.tasks.some((t) => labels.some((l) => l.id === t.id)))) || undefined);
  second.kill('SIGKILL');
  await ended2;
  const resumed = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--executor', 'slurm', '--poll', '1']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const submissions = jobs(out).flatMap((j) => j.tasks.map((t) => t.id)).filter((id) => labels.some((l) => l.id === id));
  assert.equal(new Set(submissions).size, 6);
  assert.equal(submissions.length, 6, 'no item submitted twice: the resumed driver found the tasks of the killed one');
  assertStoreExactlyOnce(edited, out);

  // 3. a truncated shard is recomputed through Slurm
  const target = labels[1].id;
  const kappaOf = () => {
    const shard = readShard(out, target);
    assert.ok(shard.ok);
    return (shard.body.result.properties as { kappa_W_mK: { mean: number } }).kappa_W_mK.mean;
  };
  const before = kappaOf();
  const size = readFileSync(shardPath(out, target)).length;
  truncateSync(shardPath(out, target), size - 50);
  const again = run(process.execPath, [CLI, 'campaign', 'run', edited, '--dir', out, '--executor', 'slurm', '--poll', '1']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(kappaOf(), before, 'the same κ, computed again (the MD is deterministic for a seed)');
  assertStoreExactlyOnce(edited, out);
});

test('Slurm executor: a missing sbatch is refused in words, naming how to install it or choose local', () => {
  const dir = tempDir();
  const plan = writePlan(dir, smallPlan(1));
  const r = spawnSync(process.execPath, [CLI, 'campaign', 'run', plan, '--dir', join(dir, 'run'), '--executor', 'slurm'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /executor "slurm": `sbatch` was not found or does not run .*apt-get install slurm-wlm munge.*--executor local/);
});
