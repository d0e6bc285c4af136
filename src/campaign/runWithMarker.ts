import { hostname } from 'node:os';
import { HEARTBEAT_EVERY_MS, markRunning, readAttempts } from './attempts.js';
import type { Item } from './items.js';
import { stageByName, type Plan } from './plan.js';
import { runItem, type RunItemOutcome } from './work.js';

/**
 * What every worker does with one item, whichever executor started it: take the next attempt number,
 * leave a heartbeat in running/ while computing (refreshed every 30 s), write the shard or the
 * failed attempt, remove the heartbeat.
 */
export async function workOnItem(plan: Plan, dir: string, item: Item, options: { attempt?: number; job?: string } = {}): Promise<RunItemOutcome & { attempt: number }> {
  const attempt = options.attempt ?? readAttempts(dir, item.id).length + 1;
  const job = options.job;
  const marker = markRunning(dir, { item: item.id, stage: item.stage, host: hostname(), pid: process.pid, started: new Date().toISOString(), attempt, ...(job ? { job } : {}) });
  const beat = setInterval(marker.beat, HEARTBEAT_EVERY_MS);
  // an item uses the cores its stage holds, no more (the eigensolver and CNN read this)
  process.env.SPRAMNET_THREADS = String(stageByName(plan, item.stage).resources.cores);
  try {
    return { ...(await runItem(plan, dir, item, attempt)), attempt };
  } finally {
    clearInterval(beat);
    marker.clear();
  }
}
