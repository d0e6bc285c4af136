/**
 * Campaign runner benchmarks, each printing one JSON line:
 *   node dist/bench/campaign.js local [items]   the local executor with 2 workers against 1 on the same items
 *                                               (fresh folders; ratio of wall times; this machine has 2 cores)
 *   node dist/bench/campaign.js slurm [items]   the same items through real sbatch arrays against the local
 *                                               executor with as many slots as the Slurm node has cores:
 *                                               seconds of scheduling per item beside the item's own time
 *   node dist/bench/campaign.js merge [shards]  merging that many label shards into a fresh store (seconds)
 * The items: small WWW sheets (≈ 0.1 s) and Green–Kubo κ of each with the built-in MD (40 ps, ≈ 2 s of CPU).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandItems } from '../src/campaign/items.js';
import { mergeStores } from '../src/campaign/merge.js';
import { readPlan } from '../src/campaign/plan.js';
import { runCampaign } from '../src/campaign/run.js';
import { writeShard, type ShardBody } from '../src/campaign/shards.js';
import { campaignState } from '../src/campaign/state.js';
import { Atoms } from '../src/structure/atoms.js';
import { seededRandom } from '../src/util/random.js';
import { smallPlan } from '../test/campaign/helpers.js';

const mode = process.argv[2] ?? 'local';

/** The fault tests' plan (WWW sheets → built-in GK κ → store) with `items` sheets of 48 atoms and 40 ps of MD each. */
function planFile(dir: string, items: number): string {
  const file = join(dir, 'plan.toml');
  writeFileSync(file, smallPlan(1, 40, { name: 'bench', seed: 3, count: items, atoms: '48' }));
  return file;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

const itemSeconds = (dir: string, file: string): number => {
  const state = campaignState(readPlan(file), dir);
  return state.stages.flatMap((s) => s.items).reduce((a, s) => a + (s.seconds ?? 0), 0);
};

async function local(items: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-bench-campaign-'));
  const plan = readPlan(planFile(dir, items));
  // warm-up: the same kind of work once, so neither run pays first-call costs
  await runCampaign(readPlan(planFile(join(dir), 2)), join(dir, 'warm'), { workers: 1 });
  const one = await timed(() => runCampaign(plan, join(dir, 'one'), { workers: 1 }));
  const two = await timed(() => runCampaign(plan, join(dir, 'two'), { workers: 2 }));
  console.log(JSON.stringify({ bench: 'campaign-local', items: 2 * items, cores: availableParallelism(), seconds_1_worker: one, seconds_2_workers: two, speedup_2_vs_1: one / two, item_cpu_seconds: itemSeconds(join(dir, 'two'), plan.file) }));
  rmSync(dir, { recursive: true, force: true });
}

async function slurm(items: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-bench-slurm-'));
  const plan = readPlan(planFile(dir, items));
  const slots = availableParallelism();
  const viaLocal = await timed(() => runCampaign(plan, join(dir, 'local'), { workers: slots }));
  const viaSlurm = await timed(() => runCampaign(plan, join(dir, 'slurm'), { executor: 'slurm', pollSeconds: 1 }));
  const count = [...expandItems(plan).values()].flat().length;
  console.log(
    JSON.stringify({
      bench: 'campaign-slurm',
      items: count,
      slots,
      seconds_local: viaLocal,
      seconds_slurm: viaSlurm,
      ratio_slurm_to_local: viaSlurm / viaLocal,
      // what Slurm adds per item (submission, scheduling, task start, the driver's poll), item for item
      overhead_s_per_item: ((viaSlurm - viaLocal) * slots) / count,
      item_s_mean: itemSeconds(join(dir, 'slurm'), plan.file) / count,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** Synthetic finished items: a generate shard (a 100-atom sheet) and a ph-DoS label shard each, then one merge. */
function merge(shards: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-bench-merge-'));
  const file = join(dir, 'plan.toml');
  writeFileSync(file, `name = "merge"\n[stages.sheets]\nkind = "generate"\nmethod = "www"\ncount = ${shards}\natoms = 100\n[stages.ph]\nkind = "label"\nlabel = "ph-dos"\nfrom = "sheets"\n[stages.store]\nkind = "store"\nfrom = "ph"\n`);
  const plan = readPlan(file);
  const items = expandItems(plan);
  const rand = seededRandom(1);
  const provenance = { spramnet: 'bench', node: process.version, host: 'bench', pid: 0, started: '', finished: '', seconds: 1, cores: 1, attempt: 1 };
  const t0 = performance.now();
  mkdirSync(join(dir, 'shards'), { recursive: true });
  items.get('sheets')!.forEach((g, k) => {
    const atoms = new Atoms({ positions: Array.from({ length: 300 }, () => 20 * rand()), symbols: Array(100).fill('C'), cell: [20, 0, 0, 0, 20, 0, 0, 0, 10], pbc: [true, true, true] });
    writeShard(dir, { item: g.id, stage: 'sheets', kind: 'generate', inputs: [], result: { atoms, generator: { index: k } }, provenance } as ShardBody);
    const label = items.get('ph')![k];
    const frequencies = Float64Array.from({ length: 300 }, () => 60 * rand());
    const dos = Float64Array.from({ length: 100 }, () => rand() / 50);
    writeShard(dir, { item: label.id, stage: 'ph', kind: 'label', inputs: label.inputs, result: { label: 'ph-dos', properties: { frequencies_THz: frequencies, ph_dos: { frequency_THz: dos, dos } }, provenance: { engine: 'bench', settings: {} }, extra: {} }, provenance } as ShardBody);
  });
  const writing = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const state = campaignState(plan, dir);
  const stateSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const [report] = mergeStores(plan, dir, state);
  const mergeSeconds = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  mergeStores(plan, dir, campaignState(plan, dir));
  const again = (performance.now() - t3) / 1000;
  console.log(JSON.stringify({ bench: 'campaign-merge', label_shards: shards, rows: report.rows, seconds_merge: mergeSeconds, seconds_state_first_look: stateSeconds, seconds_look_and_merge_again_nothing_new: again, seconds_writing_shards: writing }));
  rmSync(dir, { recursive: true, force: true });
}

if (mode === 'local') await local(Number(process.argv[3] ?? 10));
else if (mode === 'slurm') await slurm(Number(process.argv[3] ?? 10));
else if (mode === 'merge') merge(Number(process.argv[3] ?? 10000));
else throw new Error(`usage: node dist/bench/campaign.js local|slurm|merge [n]`);
