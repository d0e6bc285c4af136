import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandItems } from './items.js';
import type { Plan, Stage } from './plan.js';
import { runCampaign, type RunCampaignOptions } from './run.js';
import { campaignState, verifiedShards } from './state.js';

/**
 * The cost model of a campaign: seconds per item of each stage, measured on items already done
 * (a campaign folder) or on a pilot (a few items of each stage run here first), times the plan's
 * item counts and cores → core-hours; and the wall time on N nodes of C cores, each stage in waves
 * of as many items as fit (stages one after another: an upper bound, as stages overlap in a run).
 */
export interface StageEstimate {
  stage: string;
  kind: string;
  items: number;
  cores: number;
  /** Items the seconds were measured on. */
  measured: number;
  /** Wall seconds per item on cores of its own (its CPU seconds over its cores). */
  seconds_per_item?: number;
  core_hours?: number;
  wall_hours?: number;
  note?: string;
}

export interface CampaignEstimate {
  plan: string;
  nodes: number;
  cores_per_node: number;
  stages: StageEstimate[];
  core_hours: number;
  wall_hours: number;
  /** The stage with the most core-hours. */
  dominant?: string;
  pilot?: { dir: string; seconds: number };
}

/** A plan cut to `k` items per stage (generate counts and label limits), for the pilot. */
export function pilotPlan(plan: Plan, k: number): Plan {
  const stages: Stage[] = plan.stages
    .filter((s) => s.spec.kind !== 'train' && s.spec.kind !== 'evaluate')
    .map((s) => {
      if (s.spec.kind === 'generate') return { ...s, spec: { ...s.spec, count: Math.min(s.spec.count, k) } };
      if (s.spec.kind === 'label') return { ...s, spec: { ...s.spec, limit: Math.min(s.spec.limit ?? k, k) } };
      return s;
    });
  return { ...plan, stages };
}

/**
 * CPU seconds per done item of each stage, from a campaign folder: what an item costs on cores of its
 * own (wall time on this shared machine would count the other jobs too); wall × cores when the CPU
 * time was not recorded.
 */
export function measuredSeconds(plan: Plan, dir: string): Map<string, number[]> {
  const state = campaignState(plan, dir, { shards: verifiedShards(dir) });
  const out = new Map<string, number[]>();
  for (const s of state.stages) out.set(s.stage.name, s.items.filter((i) => i.status === 'done' && i.seconds !== undefined).map((i) => i.cpuSeconds ?? i.seconds! * i.cores));
  return out;
}

export function estimateFrom(plan: Plan, seconds: Map<string, number[]>, nodes: number, coresPerNode: number): CampaignEstimate {
  const items = expandItems(plan);
  const stages: StageEstimate[] = plan.stages.map((s) => {
    const count = s.spec.kind === 'store' ? 0 : s.spec.kind === 'train' ? s.spec.tasks.length : s.spec.kind === 'evaluate' ? 1 : (items.get(s.name) ?? []).length;
    const measured = seconds.get(s.name) ?? [];
    const base: StageEstimate = { stage: s.name, kind: s.spec.kind, items: count, cores: s.resources.cores, measured: measured.length };
    if (s.spec.kind === 'store') return { ...base, note: 'merged by the driver (seconds)' };
    if (measured.length === 0) return { ...base, note: s.spec.kind === 'train' || s.spec.kind === 'evaluate' ? 'not in the pilot (minutes to an hour, growing with the rows)' : 'no item measured' };
    // CPU seconds per item; on its own cores an item takes that over its cores in wall time
    const cpu = measured.reduce((a, b) => a + b, 0) / measured.length;
    const slots = Math.max(1, Math.floor((nodes * coresPerNode) / s.resources.cores));
    return { ...base, seconds_per_item: cpu / s.resources.cores, core_hours: (count * cpu) / 3600, wall_hours: (Math.ceil(count / slots) * cpu) / s.resources.cores / 3600 };
  });
  const core = stages.reduce((a, s) => a + (s.core_hours ?? 0), 0);
  const wall = stages.reduce((a, s) => a + (s.wall_hours ?? 0), 0);
  const dominant = [...stages].sort((a, b) => (b.core_hours ?? 0) - (a.core_hours ?? 0))[0];
  return { plan: plan.name, nodes, cores_per_node: coresPerNode, stages, core_hours: core, wall_hours: wall, ...(dominant?.core_hours ? { dominant: dominant.stage } : {}) };
}

export interface EstimateOptions {
  nodes?: number;
  coresPerNode?: number;
  /** Items per stage in the pilot (default 2). */
  pilot?: number;
  /** Measured timings from this campaign folder instead of (or before) a pilot. */
  dir?: string;
  /** Where the pilot runs (default a temporary folder, removed afterwards). */
  pilotDir?: string;
  workers?: number;
  events?: RunCampaignOptions['events'];
}

/** Estimate a plan: from a folder's done items when given, else (or for stages it lacks) from a pilot run here. */
export async function estimateCampaign(plan: Plan, options: EstimateOptions = {}): Promise<CampaignEstimate> {
  const nodes = options.nodes ?? 1;
  const cores = options.coresPerNode ?? 64;
  const seconds = options.dir ? measuredSeconds(plan, options.dir) : new Map<string, number[]>();
  const needPilot = plan.stages.some((s) => (s.spec.kind === 'generate' || s.spec.kind === 'relax' || s.spec.kind === 'label') && (seconds.get(s.name) ?? []).length === 0);
  let pilot: CampaignEstimate['pilot'];
  if (needPilot) {
    const dir = options.pilotDir ?? mkdtempSync(join(tmpdir(), 'spramnet-pilot-'));
    const small = pilotPlan(plan, options.pilot ?? 2);
    const started = performance.now();
    try {
      await runCampaign(small, dir, { executor: 'local', workers: options.workers ?? 1, events: options.events });
      for (const [stage, list] of measuredSeconds(small, dir)) if ((seconds.get(stage) ?? []).length === 0) seconds.set(stage, list);
    } finally {
      if (options.pilotDir === undefined) rmSync(dir, { recursive: true, force: true });
    }
    pilot = { dir: options.pilotDir ?? '(temporary, removed)', seconds: (performance.now() - started) / 1000 };
  }
  return { ...estimateFrom(plan, seconds, nodes, cores), ...(pilot ? { pilot } : {}) };
}
