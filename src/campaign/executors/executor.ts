import type { Item } from '../items.js';

/** What a driver hears from its executor. */
export interface CampaignEvents {
  onStarted?(item: Item): void;
  onDone?(item: Item, seconds: number): void;
  onFailed?(item: Item, error: string, retryable: boolean): void;
  /** Slurm: an array job submitted for these items. */
  onSubmitted?(job: string, stage: string, items: number): void;
}

/**
 * Where items run. The driver asks which items are running, whether one of `cores` may start, starts
 * it, and waits for news; the executor writes nothing of the results itself (workers write shards).
 */
export interface Executor {
  readonly name: string;
  running(): Set<string>;
  canStart(cores: number): boolean;
  start(item: Item, attempt: number): void;
  /** Submit what start() collected (Slurm: one array per stage); local: nothing to do. */
  flush?(): void;
  /** Resolves on news from a worker, or after `ms`. */
  next(ms: number): Promise<void>;
  /** Refresh what is running from outside (Slurm: squeue), recording tasks that vanished. */
  poll?(): void;
  close(): void;
}
