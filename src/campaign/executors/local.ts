import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recordAttempt } from '../attempts.js';
import type { Item } from '../items.js';
import type { Plan } from '../plan.js';
import { stageByName } from '../plan.js';
import type { CampaignEvents, Executor } from './executor.js';
import { hostname } from 'node:os';

const WORKER = fileURLToPath(new URL('./workerProcess.js', import.meta.url));

interface Worker {
  process: ChildProcess;
  item?: Item;
  started?: number;
  timer?: NodeJS.Timeout;
  attempt?: number;
  /** Set when the driver itself killed the worker (time limit): the message recorded then. */
  killedFor?: string;
}

/**
 * The local executor: a pool of worker processes on this machine (default one per core), items
 * handed out as their inputs finish, an item's cores taking that many pool slots. A worker that dies
 * mid-item (killed, out of memory) has the attempt recorded and is replaced; a worker over its
 * stage's time limit is killed and its attempt recorded. Nothing needs setting up.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly workers: Worker[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly plan: Plan,
    private readonly dir: string,
    readonly slots: number,
    private readonly events: CampaignEvents = {},
  ) {}

  /** Items being computed now. */
  running(): Set<string> {
    return new Set(this.workers.flatMap((w) => (w.item ? [w.item.id] : [])));
  }

  private busySlots(): number {
    return this.workers.reduce((a, w) => a + (w.item ? stageByName(this.plan, w.item.stage).resources.cores : 0), 0);
  }

  /** Can an item of this many cores start now? (An item wider than the pool starts when the pool is idle.) */
  canStart(cores: number): boolean {
    const busy = this.busySlots();
    return busy === 0 || busy + Math.min(cores, this.slots) <= this.slots;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private spawn(): Worker {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    child.send({ type: 'init', plan: this.plan.file, text: this.plan.text, dir: this.dir });
    const worker: Worker = { process: child };
    child.on('message', (m: { type: string; item: string; ok: boolean; error?: string; seconds: number; retryable?: boolean; attempt: number }) => {
      if (m.type !== 'done' || worker.item?.id !== m.item) return;
      const item = worker.item;
      clearTimeout(worker.timer);
      worker.item = undefined;
      if (m.ok) this.events.onDone?.(item, m.seconds);
      else this.events.onFailed?.(item, m.error ?? 'failed', m.retryable ?? true);
      this.wake();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(worker.timer);
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      const item = worker.item;
      if (item && !this.closed) {
        const why = worker.killedFor ?? `worker process ended ${signal ? `by signal ${signal}` : `with exit code ${code}`} while computing it`;
        const attempt = worker.attempt ?? 0;
        recordAttempt(this.dir, item, { attempt, host: hostname(), pid: child.pid, finished: new Date().toISOString(), seconds: worker.started ? (Date.now() - worker.started) / 1000 : undefined, error: why, retryable: true });
        this.events.onFailed?.(item, why, true);
      }
      this.wake();
    });
    this.workers.push(worker);
    return worker;
  }

  start(item: Item, attempt: number): void {
    const worker = this.workers.find((w) => w.item === undefined && w.process.connected) ?? this.spawn();
    worker.item = item;
    worker.started = Date.now();
    worker.attempt = attempt;
    worker.killedFor = undefined;
    const limit_ms = stageByName(this.plan, item.stage).resources.time_min * 60_000;
    worker.timer = setTimeout(() => {
      worker.killedFor = `exceeded the stage's time limit of ${stageByName(this.plan, item.stage).resources.time_min} min`;
      worker.process.kill('SIGKILL');
    }, limit_ms);
    worker.timer.unref(); // a time limit never keeps the driver alive by itself
    worker.process.send({ type: 'run', item, attempt });
    this.events.onStarted?.(item);
  }

  /** Resolves when a worker finishes, fails or dies (or after `ms`). */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stop every worker (the items in hand are pending again). */
  close(): void {
    this.closed = true;
    for (const w of this.workers) {
      clearTimeout(w.timer);
      w.process.kill('SIGTERM');
    }
  }

  /** The pid of the worker computing an item (tests kill it). */
  pidOf(id: string): number | undefined {
    return this.workers.find((w) => w.item?.id === id)?.process.pid;
  }
}
