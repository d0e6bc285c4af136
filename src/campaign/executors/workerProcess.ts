import { readPlan } from '../plan.js';
import { workOnItem } from '../runWithMarker.js';
import type { Item } from '../items.js';

/**
 * A worker process of the local executor: the driver forks it, sends it items one at a time over
 * IPC and hears back when each is done (its shard or failure already on disk). If the driver dies,
 * the IPC channel closes and the worker exits as soon as its computation yields to the event loop: an
 * item in one long synchronous step finishes that step first (seen: a ph-DoS item after the driver
 * was SIGKILLed), writes its shard atomically as always, and exits without reporting to the dead
 * driver. Either way nothing is lost or counted twice: the next run finds the shard, or the item
 * pending again.
 */
interface Init {
  type: 'init';
  plan: string;
  /** The plan's text as the driver read it (an edit meanwhile takes effect at the next run). */
  text: string;
  dir: string;
}
interface Run {
  type: 'run';
  item: Item;
  attempt: number;
}

let plan: ReturnType<typeof readPlan> | undefined;
let dir = '';

/** Tell the driver, if it is still there (a send to a dead driver would throw EPIPE). */
function report(message: Record<string, unknown>): void {
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
  else process.exit(1);
}

process.on('disconnect', () => process.exit(1));
process.on('message', (message: Init | Run) => {
  if (message.type === 'init') {
    plan = readPlan(message.plan, message.text);
    dir = message.dir;
    return;
  }
  void (async () => {
    const outcome = await workOnItem(plan!, dir, message.item, { attempt: message.attempt });
    report({ type: 'done', item: message.item.id, ...outcome });
  })().catch((error: unknown) => {
    report({ type: 'done', item: message.item.id, ok: false, seconds: 0, error: String((error as Error)?.stack ?? error), retryable: true, attempt: 0 });
  });
});
