import { readPlan } from '../plan.js';
import { workOnItem } from '../runWithMarker.js';
import type { Item } from '../items.js';

/**
 * A worker process of the local executor: the driver forks it, sends it items one at a time over
 * IPC and hears back when each is done (its shard or failure already on disk). If the driver dies,
 * the IPC channel closes and the worker exits at once: nothing of it outlives the driver, and the
 * item in hand is simply pending again for the next run.
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

process.on('disconnect', () => process.exit(1));
process.on('message', (message: Init | Run) => {
  if (message.type === 'init') {
    plan = readPlan(message.plan, message.text);
    dir = message.dir;
    return;
  }
  void (async () => {
    const outcome = await workOnItem(plan!, dir, message.item, { attempt: message.attempt });
    process.send?.({ type: 'done', item: message.item.id, ...outcome });
  })().catch((error: unknown) => {
    process.send?.({ type: 'done', item: message.item.id, ok: false, seconds: 0, error: String((error as Error)?.stack ?? error), retryable: true, attempt: 0 });
  });
});
