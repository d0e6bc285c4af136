import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { estimateCampaign, type CampaignEstimate } from '../campaign/estimate.js';
import { batchEntry } from '../campaign/executors/slurm.js';
import { acquireDriverLock } from '../campaign/lock.js';
import { mergeStores, type MergeReport } from '../campaign/merge.js';
import { writeCampaignReportNow } from '../campaign/modelItems.js';
import { readPlan, type Plan } from '../campaign/plan.js';
import { workOnItem } from '../campaign/runWithMarker.js';
import { runCampaign, type ExecutorName } from '../campaign/run.js';
import { writeScripts } from '../campaign/scripts.js';
import { campaignState, storeFile, summarise, type CampaignState, type StageSummary } from '../campaign/state.js';
import { integerOption, numberOption } from './common.js';
import { progressBar, type Progress } from './progress.js';

const hours = (h: number | undefined): string => (h === undefined ? '—' : h < 0.1 ? `${(h * 60).toFixed(1)} min` : `${h.toFixed(2)} h`);

/** A folder a run has made (its campaign.json): report and merge read one and create nothing. */
function existingCampaign(dir: string): void {
  if (!existsSync(join(dir, 'campaign.json'))) throw new InputError(`${dir}: not a campaign folder (no campaign.json); start one with \`spramnet campaign run PLAN --dir ${dir}\``);
}

/** Merge the done items into the stores as the driver would, holding its lock (refused in words while a driver runs: it merges itself). */
function mergeAsDriver(plan: Plan, dir: string): MergeReport[] {
  const release = acquireDriverLock(dir);
  try {
    return mergeStores(plan, dir, campaignState(plan, dir));
  } finally {
    release();
  }
}

/** The campaign's store (the first store stage's file). */
function storeOf(state: CampaignState): string | undefined {
  const store = state.plan.stages.find((s) => s.spec.kind === 'store');
  return store && storeFile(state.dir, store);
}

/** Remaining time: each stage's open items × its mean seconds per item, spread over `parallel` slots. */
function etaHours(stages: StageSummary[], parallel: number): number | undefined {
  let total = 0;
  for (const s of stages) {
    const open = s.pending + s.running;
    if (open === 0) continue;
    if (s.seconds_per_item === undefined) return undefined;
    total += (open * s.seconds_per_item) / Math.max(1, parallel);
  }
  return total / 3600;
}

function statusTable(state: CampaignState, parallel: number): string {
  const stages = summarise(state);
  const lines = [`campaign ${state.plan.name} (${state.dir})`, 'stage            kind      items   done  running  failed  pending    core-h  wall s/item  CPU s/item'];
  for (const s of stages) {
    lines.push(
      `${s.name.padEnd(16)} ${s.kind.padEnd(8)} ${String(s.items).padStart(6)} ${String(s.done).padStart(6)} ${String(s.running).padStart(8)} ${String(s.failed).padStart(7)} ${String(s.pending).padStart(8)}  ${s.core_hours.toFixed(3).padStart(8)}  ${s.seconds_per_item === undefined ? '          —' : s.seconds_per_item.toFixed(1).padStart(11)}  ${s.cpu_seconds_per_item === undefined ? '         —' : s.cpu_seconds_per_item.toFixed(1).padStart(10)}${s.waiting ? `  (waits: ${s.waiting})` : ''}`,
    );
  }
  const eta = etaHours(stages, parallel);
  const open = stages.some((s) => s.pending + s.running > 0 || s.waiting !== undefined);
  lines.push(`core-hours spent: ${stages.reduce((a, s) => a + s.core_hours, 0).toFixed(3)}; ${!open ? 'nothing left to do' : `ETA ${eta === undefined ? 'unknown until an item of each open stage is done' : `${hours(eta)} at ${parallel} item(s) at a time (wall seconds per item as measured here)`}`}`);
  const store = storeOf(state);
  if (store) lines.push(`store: ${store}`);
  const failed = state.stages.flatMap((s) => s.items.filter((i) => i.status === 'failed').map((i) => `  ${s.stage.name} #${i.item.index + 1} (${i.item.id.slice(0, 12)}): ${i.reason ?? ''}`));
  if (failed.length > 0) lines.push(`failed for good (${failed.length}):`, ...failed.slice(0, 30), ...(failed.length > 30 ? [`  … and ${failed.length - 30} more`] : []));
  return lines.join('\n');
}

function estimateTable(e: CampaignEstimate): string {
  const lines = [`estimate of ${e.plan} on ${e.nodes} node(s) × ${e.cores_per_node} cores`, 'stage            kind      items  cores  measured  s/item      core-h      wall'];
  for (const s of e.stages) {
    lines.push(`${s.stage.padEnd(16)} ${s.kind.padEnd(8)} ${String(s.items).padStart(6)} ${String(s.cores).padStart(6)} ${String(s.measured).padStart(9)} ${s.seconds_per_item === undefined ? '       —' : s.seconds_per_item.toFixed(1).padStart(8)}  ${s.core_hours === undefined ? '         —' : s.core_hours.toFixed(2).padStart(10)}  ${hours(s.wall_hours).padStart(9)}${s.note ? `  (${s.note})` : ''}`);
  }
  lines.push(`total: ${e.core_hours.toFixed(1)} core-hours, ${hours(e.wall_hours)} wall${e.dominant ? `; dominated by ${e.dominant}` : ''}${e.pilot ? `; pilot ran ${e.pilot.seconds.toFixed(0)} s` : ''}`);
  return lines.join('\n');
}

/** One bar per stage on a terminal (done of items, ETA); nothing in pipes but failures and the end. */
function stageBars(): { onState: (state: CampaignState) => void; stop: () => void } {
  const bars = new Map<string, Progress>();
  let current: string | undefined;
  return {
    onState: (state) => {
      if (!process.stderr.isTTY) return;
      const open = summarise(state).find((s) => s.items > 0 && s.done + s.failed < s.items && s.kind !== 'store');
      if (open === undefined) return;
      if (current !== open.name) {
        if (current !== undefined) bars.get(current)?.stop();
        bars.set(open.name, progressBar(open.items, `${open.name} (${open.kind})`));
        current = open.name;
      }
      bars.get(open.name)!.update(open.done + open.failed);
    },
    stop: () => {
      for (const b of bars.values()) b.stop();
    },
  };
}

export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('run a plan of stages (generate → relax → label → store → train → evaluate) on this machine or a Slurm cluster; resumable, every item computed once');

  campaign
    .command('run')
    .description('run the plan until every item is done or has failed for good; run again after any kill to pick up where it stopped')
    .argument('<plan>', 'plan file (.toml or .yaml)')
    .requiredOption('--dir <dir>', 'campaign folder: shards, logs, the store, models, the report')
    .option('--executor <local|slurm>', 'local worker pool (default) or Slurm arrays (submits and watches squeue)', 'local')
    .option('--workers <n>', 'local: worker processes (default one per core)', integerOption('--workers'))
    .option('--poll <s>', 'seconds between looks at the queue / the folder', numberOption('--poll'))
    .option('--retry-failed', 'give the items that failed for good a fresh start (after fixing their cause)')
    .option('--json', 'print the final status as JSON')
    .action(async (planFile: string, o: { dir: string; executor: string; workers?: number; poll?: number; json?: boolean; retryFailed?: boolean }) => {
      if (o.executor !== 'local' && o.executor !== 'slurm') throw new InputError(`--executor must be local or slurm, got "${o.executor}"`);
      const plan = readPlan(planFile);
      const bars = stageBars();
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const say = (line: string) => (process.stderr.isTTY ? undefined : console.error(line));
      const report = await runCampaign(plan, o.dir, {
        executor: o.executor as ExecutorName,
        workers: o.workers,
        pollSeconds: o.poll,
        retryFailed: o.retryFailed,
        signal: controller.signal,
        events: {
          onState: bars.onState,
          onFailed: (item, error, retryable) => say(`${item.stage} ${item.id.slice(0, 12)}: ${retryable ? 'attempt failed (will retry)' : 'failed'}: ${error.split('\n')[0]}`),
          onSubmitted: (job, stage, n) => say(`submitted ${stage}: ${n} task(s) as Slurm job ${job}`),
        },
      });
      bars.stop();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const state = campaignState(plan, o.dir);
      if (o.json) console.log(JSON.stringify({ finished: report.finished, stages: report.stages, store: storeOf(state) ?? null }));
      else console.error(statusTable(state, o.workers ?? 1));
      if (!report.finished) process.exitCode = 130;
      else if (report.stages.some((s) => s.failed > 0)) process.exitCode = 1;
    });

  campaign
    .command('status')
    .description('per stage: items done, running, failed and pending, core-hours spent, ETA, and the failed items with their first error line')
    .argument('<plan>', 'plan file')
    .requiredOption('--dir <dir>', 'campaign folder')
    .option('--workers <n>', 'parallel items assumed for the ETA (default: the last run\'s local workers, else 1)', integerOption('--workers'))
    .option('--json', 'print {"stages": [{"name", "items", "done", "running", "failed", "pending", …}], "store": PATH}')
    .action((planFile: string, o: { dir: string; workers?: number; json?: boolean }) => {
      const plan = readPlan(planFile);
      const state = campaignState(plan, o.dir);
      if (o.json) {
        const stages = summarise(state);
        const failures = state.stages.flatMap((s) => s.items.filter((i) => i.status === 'failed').map((i) => ({ stage: s.stage.name, index: i.item.index, item: i.item.id, error: i.reason ?? '' })));
        console.log(JSON.stringify({ campaign: plan.name, dir: resolve(o.dir), stages, failures, core_hours: stages.reduce((a, s) => a + s.core_hours, 0), eta_hours: etaHours(stages, o.workers ?? 1) ?? null, store: storeOf(state) ?? null }));
      } else console.log(statusTable(state, o.workers ?? 1));
    });

  campaign
    .command('estimate')
    .description('the cost of the plan: seconds per item from a pilot (a few items of each stage run here) or a campaign folder, → core-hours and the wall time on N nodes of C cores')
    .argument('<plan>', 'plan file')
    .option('--nodes <n>', 'nodes of the cluster', integerOption('--nodes'), 1)
    .option('--cores <c>', 'cores per node', integerOption('--cores'), 64)
    .option('--pilot <k>', 'items per stage in the pilot', integerOption('--pilot'), 2)
    .option('--dir <dir>', 'take the seconds per item from this campaign folder\'s done items (a pilot runs only for stages it lacks)')
    .option('--pilot-dir <dir>', 'keep the pilot here (default: a temporary folder)')
    .option('--json', 'print the estimate as JSON')
    .action(async (planFile: string, o: { nodes: number; cores: number; pilot: number; dir?: string; pilotDir?: string; json?: boolean }) => {
      const plan = readPlan(planFile);
      const e = await estimateCampaign(plan, { nodes: o.nodes, coresPerNode: o.cores, pilot: o.pilot, dir: o.dir, pilotDir: o.pilotDir });
      console.log(o.json ? JSON.stringify(e) : estimateTable(e));
    });

  campaign
    .command('scripts')
    .description('write the Slurm batch scripts of the plan (one sbatch --array per stage, and submit.sh chaining them) to inspect or submit by hand')
    .argument('<plan>', 'plan file')
    .requiredOption('--dir <dir>', 'campaign folder (the scripts go to <dir>/slurm/scripts)')
    .action((planFile: string, o: { dir: string }) => {
      const files = writeScripts(readPlan(planFile), o.dir);
      console.log(files.join('\n'));
    });

  campaign
    .command('merge')
    .description('merge the done items into the campaign\'s store now (run does this itself; for scripts submitted by hand)')
    .argument('<plan>', 'plan file')
    .requiredOption('--dir <dir>', 'campaign folder')
    .action((planFile: string, o: { dir: string }) => {
      const plan = readPlan(planFile);
      existingCampaign(o.dir);
      for (const m of mergeAsDriver(plan, o.dir)) console.log(`${m.store}: ${m.rows} rows (${m.written} written, ${m.removed} removed)`);
    });

  campaign
    .command('report')
    .description('merge what is done and write the campaign\'s report as it stands (labels so far against the reference store, the models if trained): DIR/report/now.html unless --out')
    .argument('<plan>', 'plan file')
    .requiredOption('--dir <dir>', 'campaign folder')
    .option('--out <file.html>', 'report file (a .json summary is written beside it)')
    .action((planFile: string, o: { dir: string; out?: string }) => {
      const plan = readPlan(planFile);
      existingCampaign(o.dir);
      // only the driver merges: with one running, report the store as it last merged it
      try {
        mergeAsDriver(plan, o.dir);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        console.error('a driver is running: the store as it last merged it');
      }
      const { file } = writeCampaignReportNow(plan, o.dir, o.out === undefined ? undefined : resolve(o.out));
      console.log(file);
    });

  campaign
    .command('work', { hidden: true })
    .description('compute one item of a batch file (what a Slurm array task runs)')
    .argument('<plan>', 'plan file')
    .requiredOption('--dir <dir>', 'campaign folder')
    .requiredOption('--batch <file>', 'batch file written by the driver or `campaign scripts`')
    .requiredOption('--index <i>', 'index in the batch (SLURM_ARRAY_TASK_ID)', integerOption('--index'))
    .action(async (planFile: string, o: { dir: string; batch: string; index: number }) => {
      const plan = readPlan(planFile);
      const { item, attempt } = batchEntry(o.batch, o.index);
      const job = process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? ''}` : undefined;
      const outcome = await workOnItem(plan, o.dir, item, { attempt, job });
      console.error(`${item.stage} ${item.id}: ${outcome.ok ? `done in ${outcome.seconds.toFixed(1)} s` : `failed: ${outcome.error}`}`);
      if (!outcome.ok) process.exitCode = 1;
    });
}
