import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { listFailures, liveRunning, readAttempts, type Attempt } from './attempts.js';
import { expandItems, itemId, type Item } from './items.js';
import { resolvePath, type Plan, type Stage } from './plan.js';
import { listShards, quarantineShard, shardPath, verifyShard } from './shards.js';

export type ItemStatus = 'done' | 'running' | 'failed' | 'pending';

export interface ItemState {
  item: Item;
  status: ItemStatus;
  attempts: Attempt[];
  /** Why it failed for good, or why it waits (the first line). */
  reason?: string;
  /** Done items: wall seconds of the computation, the CPU seconds it used, and the cores it held. */
  seconds?: number;
  cpuSeconds?: number;
  cores: number;
}

export interface StageState {
  stage: Stage;
  items: ItemState[];
  /** Train and evaluate stages whose inputs are not complete yet have no items: the reason. */
  waiting?: string;
}

export interface CampaignState {
  plan: Plan;
  dir: string;
  stages: StageState[];
  byId: Map<string, ItemState>;
  /** The checksum of each sound shard (a merge skips what its ledger already holds without reading it). */
  shardSha256: Map<string, string>;
}

/** What is known of a verified shard, cached by its size and time so a status does not reread thousands of files. */
interface IndexEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
  seconds: number;
  cpuSeconds?: number;
  cores: number;
}

const INDEX_FILE = 'shards.index.json';

function readIndex(dir: string): Record<string, IndexEntry> {
  try {
    return JSON.parse(readFileSync(join(dir, INDEX_FILE), 'utf8')) as Record<string, IndexEntry>;
  } catch {
    return {};
  }
}

/**
 * The shards present and sound: each new or changed file is read and its checksum checked (a
 * truncated or altered one is moved to corrupt/ and its item is pending again); unchanged files are
 * taken from the index of the last check.
 */
export function verifiedShards(dir: string): Map<string, IndexEntry> {
  const previous = readIndex(dir);
  const out = new Map<string, IndexEntry>();
  let changed = false;
  for (const id of listShards(dir)) {
    const path = shardPath(dir, id);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    const known = previous[id];
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) {
      out.set(id, known);
      continue;
    }
    const shard = verifyShard(dir, id);
    changed = true;
    if (!shard.ok) {
      quarantineShard(dir, id, shard.reason);
      continue;
    }
    const p = shard.meta!;
    out.set(id, { size: st.size, mtimeMs: st.mtimeMs, sha256: shard.sha256, seconds: p.seconds, ...(p.cpu_seconds !== undefined && p.cpu_seconds !== null ? { cpuSeconds: p.cpu_seconds } : {}), cores: p.cores });
  }
  if (changed || Object.keys(previous).length !== out.size) {
    try {
      writeFileAtomic(join(dir, INDEX_FILE), JSON.stringify(Object.fromEntries(out)));
    } catch {
      // a read-only look (status on a folder one cannot write) still works without the index
    }
  }
  return out;
}

/** SHA-256 of a file (a store trained on together with the campaign's): its content names the train items. */
const fingerprints = new Map<string, { size: number; mtimeMs: number; sha: string }>();
export function fileFingerprint(path: string): string {
  if (!existsSync(path)) return 'missing';
  const st = statSync(path);
  const known = fingerprints.get(path);
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.sha;
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  fingerprints.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha });
  return sha;
}

export function storeFile(dir: string, storeStage: Stage): string {
  if (storeStage.spec.kind !== 'store') throw new Error(`${storeStage.name} is not a store stage`);
  return resolvePath(dir, storeStage.spec.file);
}

const finished = (s: ItemState) => s.status === 'done' || s.status === 'failed';

/**
 * The state of every item of a campaign, from its folder: done (a sound shard), running (a live
 * worker's heartbeat, or `running` from the executor), failed for good (an attempt a rerun would
 * repeat, more attempts than the stage's retries, or an input that failed for good) or pending.
 * Train items exist once every label of their store is done or failed; evaluate items once their
 * train items are.
 */
export function campaignState(plan: Plan, dir: string, options: { running?: ReadonlySet<string>; shards?: Map<string, IndexEntry> } = {}): CampaignState {
  const shards = options.shards ?? verifiedShards(dir);
  const failures = listFailures(dir);
  const live = liveRunning(dir);
  const byId = new Map<string, ItemState>();
  const stages: StageState[] = [];
  const expanded = expandItems(plan);
  const stateOf = (item: Item, stage: Stage): ItemState => {
    const cached = byId.get(item.id);
    if (cached) return cached;
    const shard = shards.get(item.id);
    const attempts = failures.has(item.id) ? readAttempts(dir, item.id) : [];
    let state: ItemState;
    if (shard) state = { item, status: 'done', attempts, seconds: shard.seconds, cpuSeconds: shard.cpuSeconds, cores: shard.cores };
    else if (live.has(item.id) || options.running?.has(item.id)) state = { item, status: 'running', attempts, cores: stage.resources.cores };
    else {
      const last = attempts[attempts.length - 1];
      const inputFailed = item.inputs.map((i) => byId.get(i)).find((s) => s?.status === 'failed');
      if (last && (!last.retryable || attempts.length > stage.retries)) state = { item, status: 'failed', attempts, reason: firstLine(last.error), cores: stage.resources.cores };
      else if (inputFailed) state = { item, status: 'failed', attempts, reason: `its input ${inputFailed.item.stage}/${inputFailed.item.index + 1} failed: ${inputFailed.reason ?? ''}`, cores: stage.resources.cores };
      else state = { item, status: 'pending', attempts, reason: last ? `attempt ${attempts.length} failed: ${firstLine(last.error)}` : undefined, cores: stage.resources.cores };
    }
    byId.set(item.id, state);
    return state;
  };
  for (const stage of plan.stages) {
    const kind = stage.spec.kind;
    if (kind === 'generate' || kind === 'relax' || kind === 'label') {
      stages.push({ stage, items: (expanded.get(stage.name) ?? []).map((item) => stateOf(item, stage)) });
    } else if (kind === 'store') {
      const labels = stage.from.flatMap((f) => stages.find((s) => s.stage.name === f)?.items ?? []);
      stages.push({ stage, items: labels });
    } else if (kind === 'train') {
      const store = stages.find((s) => s.stage.name === stage.from[0])!;
      const open = store.items.filter((s) => !finished(s)).length;
      if (open > 0) {
        stages.push({ stage, items: [], waiting: `${open} label item(s) of store ${store.stage.name} not finished` });
        continue;
      }
      const spec = stage.spec as Extract<Stage['spec'], { kind: 'train' }>;
      const labels = store.items.filter((s) => s.status === 'done').map((s) => s.item.id).sort();
      if (labels.length === 0) {
        stages.push({ stage, items: [], waiting: `store ${store.stage.name} has no labels` });
        continue;
      }
      const storeSpec = store.stage.spec as Extract<Stage['spec'], { kind: 'store' }>;
      const withStores = (spec.with ?? []).map((w) => resolvePath(plan.root, w));
      const items = spec.tasks.map((task, index) => {
        const work = {
          kind: 'train',
          task,
          recipe: spec.recipe,
          descriptor: spec.descriptor,
          epochs: spec.epochs,
          seed: spec.seed ?? 0,
          validation_fraction: spec.validation_fraction ?? 0.1,
          store: storeSpec.file,
          store_origin: storeSpec.origin,
          labels: createHash('sha256').update(labels.join(',')).digest('hex'),
          with: withStores.map((w) => ({ path: w, sha256: fileFingerprint(w) })),
        };
        return stateOf({ id: itemId(work), stage: stage.name, kind: 'train', index, inputs: [], work }, stage);
      });
      stages.push({ stage, items });
    } else {
      const train = stages.find((s) => s.stage.name === stage.from[0])!;
      if (train.items.length === 0 || train.items.some((s) => !finished(s))) {
        stages.push({ stage, items: [], waiting: train.waiting ?? `train stage ${train.stage.name} not finished` });
        continue;
      }
      const spec = stage.spec as Extract<Stage['spec'], { kind: 'evaluate' }>;
      const compare = spec.compare === undefined ? undefined : resolvePath(plan.root, spec.compare);
      const work = { kind: 'evaluate', train: train.stage.name, models: train.items.filter((s) => s.status === 'done').map((s) => s.item.id), compare: compare && { path: compare, sha256: fileFingerprint(compare) } };
      stages.push({ stage, items: [stateOf({ id: itemId(work), stage: stage.name, kind: 'evaluate', index: 0, inputs: [], work }, stage)] });
    }
  }
  return { plan, dir, stages, byId, shardSha256: new Map([...shards].map(([id, e]) => [id, e.sha256])) };
}

export function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/** Items whose inputs are done and that wait for a worker, the last stage of the plan first. */
export function readyItems(state: CampaignState): ItemState[] {
  const depth = stageDepths(state.stages.map((s) => s.stage));
  const order = new Map(state.stages.map((s, k) => [s.stage.name, k]));
  const out: ItemState[] = [];
  for (const s of state.stages) {
    if (s.stage.spec.kind === 'store') continue;
    for (const it of s.items) {
      if (it.status !== 'pending') continue;
      if (it.item.inputs.every((i) => state.byId.get(i)?.status === 'done')) out.push(it);
    }
  }
  // Downstream stages first: a sheet goes on to its labels before the next sheet is made, so labels,
  // the store and the first failures of every stage show early instead of after the last generate
  // item. Stages at one depth (two kinds of sheets feeding one label stage) take turns by index, so
  // a campaign stopped half-way holds both kinds rather than all of one.
  const rank = (it: ItemState) => [-(depth.get(it.item.stage) ?? 0), it.item.index, -(order.get(it.item.stage) ?? 0)];
  return out.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/** Each stage's depth: 0 for stages that read no other, else one more than the deepest it reads. */
function stageDepths(stages: readonly Stage[]): Map<string, number> {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const of = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...(byName.get(name)?.from ?? []).map(of)) + 1;
    depth.set(name, d);
    return d;
  };
  for (const s of stages) of(s.name);
  return depth;
}

export interface StageSummary {
  name: string;
  kind: string;
  items: number;
  done: number;
  running: number;
  failed: number;
  pending: number;
  /** CPU hours of the done items (wall × cores where the CPU time was not recorded). */
  core_hours: number;
  /** Mean wall seconds per done item. */
  seconds_per_item?: number;
  /** Mean CPU seconds per done item: what it costs on a core of its own. */
  cpu_seconds_per_item?: number;
  waiting?: string;
}

export function summarise(state: CampaignState): StageSummary[] {
  return state.stages.map((s) => {
    const count = (status: ItemStatus) => s.items.filter((i) => i.status === status).length;
    const done = s.items.filter((i) => i.status === 'done' && i.seconds !== undefined);
    const seconds = done.reduce((a, i) => a + (i.seconds ?? 0), 0);
    const cpu = (i: ItemState) => i.cpuSeconds ?? (i.seconds ?? 0) * i.cores;
    const isStore = s.stage.spec.kind === 'store';
    return {
      name: s.stage.name,
      kind: s.stage.spec.kind,
      items: s.items.length,
      done: count('done'),
      running: count('running'),
      failed: count('failed'),
      pending: count('pending'),
      core_hours: isStore ? 0 : done.reduce((a, i) => a + cpu(i), 0) / 3600,
      ...(done.length > 0 && !isStore ? { seconds_per_item: seconds / done.length, cpu_seconds_per_item: done.reduce((a, i) => a + cpu(i), 0) / done.length } : {}),
      ...(s.waiting ? { waiting: s.waiting } : {}),
    };
  });
}
