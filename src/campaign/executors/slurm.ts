import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import { readAttempts, recordAttempt } from '../attempts.js';
import type { Item } from '../items.js';
import { stageByName, type Plan, type Stage } from '../plan.js';
import { shardPath } from '../shards.js';
import type { CampaignEvents, Executor } from './executor.js';

/** The spramnet command a Slurm task runs: this Node and this package's CLI, by absolute path (a shared file system is assumed). */
export const SPRAMNET_CLI = fileURLToPath(new URL('../../../../bin/spramnet.js', import.meta.url));

/** Refuse in words when Slurm's commands are missing, before anything is submitted. */
export function checkSlurm(command = 'sbatch'): void {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new InputError(
      `executor "slurm": \`${command}\` was not found or does not run (${r.error?.message ?? r.stderr.trim()}). Install Slurm's client commands (Debian: apt-get install slurm-wlm munge; to try a one-node cluster on this machine: scripts/slurm-local.sh start), or run the campaign with --executor local`,
    );
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface BatchScript {
  plan: Plan;
  dir: string;
  stage: Stage;
  /** JSON file of the items (with their attempt numbers) the array's tasks take by index. */
  batchFile: string;
  count: number;
  dependency?: string;
}

/** An `sbatch --array` script over a batch of one stage's items, with the stage's resources and the plan's Slurm settings. */
export function sbatchScript(b: BatchScript): string {
  const r = b.stage.resources;
  const s = b.plan.slurm;
  const logs = join(resolve(b.dir), 'logs', b.stage.name);
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=spramnet-${b.plan.name}-${b.stage.name}`,
    `#SBATCH --array=0-${b.count - 1}`,
    `#SBATCH --cpus-per-task=${r.cores}`,
    `#SBATCH --mem=${r.memory_MB}M`,
    `#SBATCH --time=${Math.max(1, Math.ceil(r.time_min))}`,
    `#SBATCH --output=${logs}/%A_%a.log`,
    ...(s.partition ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.account ? [`#SBATCH --account=${s.account}`] : []),
    ...(b.dependency ? [`#SBATCH --dependency=${b.dependency}`] : []),
    ...(s.sbatch ?? []).map((x) => `#SBATCH ${x}`),
    '# written by spramnet campaign: each array task computes one item of the batch file and writes its shard',
    'set -u',
    `export OMP_NUM_THREADS=${r.cores} SPRAMNET_THREADS=${r.cores}`,
    ...(s.setup ?? []),
    `exec ${quote(process.execPath)} ${quote(SPRAMNET_CLI)} campaign work ${quote(resolve(b.plan.file))} --dir ${quote(resolve(b.dir))} --batch ${quote(resolve(b.batchFile))} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

interface SubmittedTask {
  id: string;
  attempt: number;
  finished?: boolean;
}

interface SubmittedJob {
  job: string;
  stage: string;
  batch: string;
  tasks: SubmittedTask[];
  submitted: string;
}

export interface SlurmOptions {
  sbatch?: string;
  squeue?: string;
  sacct?: string;
}

/**
 * The Slurm executor: the driver collects the items ready to start, submits them as one `sbatch
 * --array` per stage (the stage's cores, memory and time; the plan's partition, account and extra
 * #SBATCH lines), and watches `squeue`. A task that leaves the queue without a shard or a recorded
 * failure (scancel, node failure, time or memory limit, a killed process) gets its attempt recorded
 * with the end of its log, and its item is submitted again up to the stage's retries. What was
 * submitted is kept in slurm/jobs.json, so a driver killed and started again finds its tasks.
 */
export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private readonly jobsFile: string;
  private jobs: SubmittedJob[];
  private queued = new Map<string, Array<{ item: Item; attempt: number }>>();
  private live = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly dir: string,
    private readonly events: CampaignEvents = {},
    private readonly options: SlurmOptions = {},
  ) {
    checkSlurm(options.sbatch ?? 'sbatch');
    this.jobsFile = join(dir, 'slurm', 'jobs.json');
    this.jobs = existsSync(this.jobsFile) ? (JSON.parse(readFileSync(this.jobsFile, 'utf8')) as SubmittedJob[]) : [];
    this.poll();
  }

  private save(): void {
    mkdirSync(join(this.dir, 'slurm'), { recursive: true });
    writeFileAtomic(this.jobsFile, JSON.stringify(this.jobs, null, 1) + '\n');
  }

  running(): Set<string> {
    const out = new Set<string>();
    for (const j of this.jobs) for (const t of j.tasks) if (!t.finished) out.add(t.id);
    for (const list of this.queued.values()) for (const q of list) out.add(q.item.id);
    return out;
  }

  canStart(): boolean {
    return true;
  }

  start(item: Item, attempt: number): void {
    const list = this.queued.get(item.stage) ?? [];
    list.push({ item, attempt });
    this.queued.set(item.stage, list);
  }

  flush(): void {
    for (const [stageName, list] of this.queued) {
      if (list.length === 0) continue;
      const stage = stageByName(this.plan, stageName);
      const dir = join(this.dir, 'slurm', 'batches');
      mkdirSync(dir, { recursive: true });
      mkdirSync(join(this.dir, 'logs', stageName), { recursive: true });
      const tag = `${stageName}-${Date.now()}`;
      const batchFile = join(dir, `${tag}.json`);
      writeFileAtomic(batchFile, JSON.stringify(list.map((q) => ({ item: q.item, attempt: q.attempt }))) + '\n');
      const script = join(dir, `${tag}.sbatch`);
      writeFileAtomic(script, sbatchScript({ plan: this.plan, dir: this.dir, stage, batchFile, count: list.length }));
      const r = spawnSync(this.options.sbatch ?? 'sbatch', ['--parsable', script], { encoding: 'utf8' });
      if (r.status !== 0) throw new InputError(`sbatch ${script} failed: ${(r.stderr || r.error?.message || '').trim()}`);
      const job = r.stdout.trim().split(';')[0];
      this.jobs.push({ job, stage: stageName, batch: batchFile, tasks: list.map((q) => ({ id: q.item.id, attempt: q.attempt })), submitted: new Date().toISOString() });
      for (const [k] of list.entries()) this.live.add(`${job}_${k}`);
      this.save();
      this.events.onSubmitted?.(job, stageName, list.length);
    }
    this.queued.clear();
  }

  /** squeue's view of our array tasks: "job_index" of every task still pending or running. */
  private queue(): Set<string> | undefined {
    const r = spawnSync(this.options.squeue ?? 'squeue', ['-h', '-r', '-u', userInfo().username, '-o', '%i|%T'], { encoding: 'utf8' });
    if (r.status !== 0) return undefined; // the controller did not answer: change nothing this time
    return new Set(r.stdout.split('\n').map((l) => l.split('|')[0].trim()).filter((x) => x !== ''));
  }

  /** The state sacct gives a finished task (TIMEOUT, OUT_OF_MEMORY, CANCELLED…), when accounting is on. */
  private finalState(task: string): string | undefined {
    const r = spawnSync(this.options.sacct ?? 'sacct', ['-n', '-P', '-X', '-j', task, '-o', 'State'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] || undefined : undefined;
  }

  poll(): void {
    const queue = this.queue();
    if (queue === undefined) return;
    this.live = queue;
    let changed = false;
    for (const job of this.jobs) {
      job.tasks.forEach((t, k) => {
        if (t.finished) return;
        const task = `${job.job}_${k}`;
        if (queue.has(task)) return;
        t.finished = true;
        changed = true;
        if (existsSync(shardPath(this.dir, t.id))) {
          this.events.onDone?.({ id: t.id, stage: job.stage } as Item, 0);
          return;
        }
        if (readAttempts(this.dir, t.id).some((a) => a.attempt === t.attempt)) {
          const a = readAttempts(this.dir, t.id).find((x) => x.attempt === t.attempt)!;
          this.events.onFailed?.({ id: t.id, stage: job.stage } as Item, a.error, a.retryable);
          return;
        }
        const log = join(this.dir, 'logs', job.stage, `${job.job}_${k}.log`);
        const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n').trim() : '';
        const state = this.finalState(task);
        const error = `Slurm task ${task} ended without a result${state ? ` (${state})` : ' (cancelled, killed, or over its time or memory)'}${tail ? `; log ${log}: ${tail.split('\n').slice(-3).join(' | ')}` : ''}`;
        recordAttempt(this.dir, { id: t.id, stage: job.stage }, { attempt: t.attempt, host: 'slurm', finished: new Date().toISOString(), error, retryable: true, job: task, ...(tail ? { log: tail } : {}) });
        this.events.onFailed?.({ id: t.id, stage: job.stage } as Item, error, true);
      });
    }
    if (changed) this.save();
  }

  next(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Submitted tasks keep running when the driver stops: a driver started again picks them up. */
  close(): void {}

  /** Slurm's name of the task computing an item ("job_index"), for tests that cancel one. */
  taskOf(id: string): string | undefined {
    for (const job of this.jobs) {
      const k = job.tasks.findIndex((t) => t.id === id && !t.finished);
      if (k >= 0) return `${job.job}_${k}`;
    }
    return undefined;
  }
}

/** Run the item at `index` of a batch file (what one array task does). */
export function batchEntry(batchFile: string, index: number): { item: Item; attempt: number } {
  const list = JSON.parse(readFileSync(batchFile, 'utf8')) as Array<{ item: Item; attempt: number }>;
  const entry = list[index];
  if (entry === undefined) throw new InputError(`${batchFile}: no item at index ${index} (the batch holds ${list.length})`);
  return entry;
}
