import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { Item } from './items.js';

/**
 * What happened to an item besides its result: every failed attempt (the error's message, whether a
 * rerun could help, the host, the end of its log) in failures/<id>.json, and while a worker holds
 * it, a heartbeat file in running/<id>.json. Both are small JSON files written atomically, so any
 * process (the driver, `campaign status`, a worker on another node) reads a whole one or none.
 */
export interface Attempt {
  attempt: number;
  host: string;
  pid?: number;
  started?: string;
  finished: string;
  seconds?: number;
  error: string;
  /** False when a rerun would fail the same way (bad input, a setting refused). */
  retryable: boolean;
  /** The last lines of the task's log (Slurm), when there is one. */
  log?: string;
  /** Slurm job and task of the attempt. */
  job?: string;
}

export interface FailureRecord {
  item: string;
  stage: string;
  attempts: Attempt[];
}

const failurePath = (dir: string, id: string) => join(dir, 'failures', `${id}.json`);

export function readAttempts(dir: string, id: string): Attempt[] {
  const path = failurePath(dir, id);
  if (!existsSync(path)) return [];
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as FailureRecord).attempts;
  } catch {
    return [];
  }
}

export function recordAttempt(dir: string, item: Pick<Item, 'id' | 'stage'>, attempt: Attempt): void {
  mkdirSync(join(dir, 'failures'), { recursive: true });
  const attempts = readAttempts(dir, item.id).filter((a) => a.attempt !== attempt.attempt);
  const record: FailureRecord = { item: item.id, stage: item.stage, attempts: [...attempts, attempt].sort((a, b) => a.attempt - b.attempt) };
  writeFileAtomic(failurePath(dir, item.id), JSON.stringify(record, null, 1) + '\n');
}

/** Every item with a failure record (ids). */
export function listFailures(dir: string): Set<string> {
  const root = join(dir, 'failures');
  if (!existsSync(root)) return new Set();
  return new Set(readdirSync(root).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
}

/** Forget an item's failed attempts (a plan edit or `campaign run --retry-failed` gives it a fresh start). */
export function clearAttempts(dir: string, id: string): void {
  rmSync(failurePath(dir, id), { force: true });
}

export interface RunningMarker {
  item: string;
  stage: string;
  host: string;
  pid: number;
  started: string;
  attempt: number;
  job?: string;
}

const runningPath = (dir: string, id: string) => join(dir, 'running', `${id}.json`);

/** A worker took the item: a heartbeat file whose time it refreshes (touch) while it works. */
export function markRunning(dir: string, marker: RunningMarker): { beat: () => void; clear: () => void } {
  mkdirSync(join(dir, 'running'), { recursive: true });
  const path = runningPath(dir, marker.item);
  writeFileAtomic(path, JSON.stringify(marker) + '\n');
  return {
    beat: () => {
      const now = new Date();
      try {
        utimesSync(path, now, now);
      } catch {
        // removed meanwhile: the item is over
      }
    },
    clear: () => rmSync(path, { force: true }),
  };
}

/** How long a heartbeat may be silent before its worker counts as gone (another host's, whose process we cannot see). */
export const HEARTBEAT_STALE_MS = 5 * 60_000;
export const HEARTBEAT_EVERY_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The items a live worker holds now: on this host its process must exist (whatever its heartbeat's
 * age: a worker inside one long synchronous step, such as a 10⁵-step relaxation, cannot beat until
 * the step ends); elsewhere its heartbeat must be recent.
 */
export function liveRunning(dir: string): Map<string, RunningMarker> {
  const root = join(dir, 'running');
  const out = new Map<string, RunningMarker>();
  if (!existsSync(root)) return out;
  const here = hostname();
  for (const f of readdirSync(root)) {
    if (!f.endsWith('.json')) continue;
    const path = join(root, f);
    try {
      const marker = JSON.parse(readFileSync(path, 'utf8')) as RunningMarker;
      const fresh = Date.now() - statSync(path).mtimeMs < HEARTBEAT_STALE_MS;
      if (marker.host === here ? alive(marker.pid) : fresh) out.set(marker.item, marker);
    } catch {
      // a marker removed while we read it
    }
  }
  return out;
}

/** Remove the markers of workers that are gone (their items are pending again). */
export function clearStaleRunning(dir: string): void {
  const root = join(dir, 'running');
  if (!existsSync(root)) return;
  const live = liveRunning(dir);
  for (const f of readdirSync(root)) if (f.endsWith('.json') && !live.has(f.slice(0, -5))) rmSync(join(root, f), { force: true });
}
