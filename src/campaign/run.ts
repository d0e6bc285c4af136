import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { clearAttempts, clearStaleRunning } from './attempts.js';
import type { CampaignEvents, Executor } from './executors/executor.js';
import { LocalExecutor } from './executors/local.js';
import { checkSlurm, SlurmExecutor, type SlurmOptions } from './executors/slurm.js';
import { mergeStores, type MergeReport } from './merge.js';
import { acquireDriverLock } from './lock.js';
import type { Plan } from './plan.js';
import { campaignState, readyItems, summarise, verifiedShards, type CampaignState, type StageSummary } from './state.js';

export type ExecutorName = 'local' | 'slurm';

export interface RunCampaignOptions {
  executor?: ExecutorName;
  /** Local executor: pool slots (default one per core). */
  workers?: number;
  /** Seconds between looks at the queue (Slurm) or the folder (default 1 s local, the plan's poll_s or 10 s Slurm). */
  pollSeconds?: number;
  events?: CampaignEvents & { onMerged?(reports: MergeReport[]): void; onState?(state: CampaignState): void };
  slurm?: SlurmOptions;
  /** Stop dispatching and return (the items in hand are pending again; Slurm tasks keep running). */
  signal?: AbortSignal;
  /** Give the items that failed for good a fresh start (after fixing what failed them: a new version, a setting). */
  retryFailed?: boolean;
}

export interface RunCampaignReport {
  stages: StageSummary[];
  merges: MergeReport[];
  /** True when every item is done or failed for good; false when stopped early. */
  finished: boolean;
}

/**
 * Run a campaign until every item is done or has failed for good: items are handed to the executor
 * as their inputs finish, the store is merged by this process alone as results come in (before any
 * train item starts), and everything is on disk at every moment, so a run stopped or killed at any
 * point and started again picks up where it stopped and loses nothing.
 */
export async function runCampaign(plan: Plan, dir: string, options: RunCampaignOptions = {}): Promise<RunCampaignReport> {
  if (options.executor === 'slurm') checkSlurm(options.slurm?.sbatch); // before anything is written
  mkdirSync(dir, { recursive: true });
  const release = acquireDriverLock(dir);
  const events = options.events ?? {};
  let executor: Executor | undefined;
  try {
    writeFileAtomic(join(dir, 'campaign.json'), JSON.stringify({ plan: plan.file, name: plan.name, sha256: plan.sha256, executor: options.executor ?? 'local', started: new Date().toISOString() }, null, 1) + '\n');
    clearStaleRunning(dir);
    if (options.retryFailed) {
      for (const s of campaignState(plan, dir, { shards: verifiedShards(dir) }).byId.values()) if (s.status === 'failed') clearAttempts(dir, s.item.id);
    }
    const slurm = options.executor === 'slurm';
    executor = slurm
      ? new SlurmExecutor(plan, dir, events, options.slurm)
      : new LocalExecutor(plan, dir, Math.max(1, options.workers ?? availableParallelism()), events);
    const poll_ms = 1000 * (options.pollSeconds ?? (slurm ? plan.slurm.poll_s ?? 10 : 1));
    let merged = new Set<string>();
    let merges: MergeReport[] = [];
    for (;;) {
      executor.poll?.();
      const state = campaignState(plan, dir, { running: executor.running(), shards: verifiedShards(dir) });
      events.onState?.(state);
      const done = new Set([...state.byId.values()].filter((s) => s.status === 'done').map((s) => s.item.id));
      if ([...done].some((id) => !merged.has(id)) || merges.length === 0) {
        merges = mergeStores(plan, dir, state);
        merged = done;
        if (merges.some((m) => m.written > 0 || m.removed > 0)) events.onMerged?.(merges);
      }
      if (options.signal?.aborted) return { stages: summarise(state), merges, finished: false };
      const running = executor.running();
      const ready = readyItems(state).filter((s) => !running.has(s.item.id));
      // train items read the store: start them only once it holds every label they were named by
      for (const s of ready) {
        if (!executor.canStart(s.cores)) break;
        executor.start(s.item, s.attempts.length + 1);
      }
      executor.flush?.();
      if (executor.running().size === 0 && ready.length === 0) {
        const final = campaignState(plan, dir, { running: new Set() });
        // a train or evaluate stage may have become nameable only now
        if (readyItems(final).length === 0) return { stages: summarise(final), merges: mergeStores(plan, dir, final), finished: true };
        continue;
      }
      await executor.next(poll_ms);
    }
  } finally {
    executor?.close();
    release();
  }
}
