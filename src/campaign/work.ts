import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LabelKind } from '../calculators/registry.js';
import { potentialByName } from '../calculators/registry.js';
import { InputError, SpramnetError, errorMessage } from '../errors.js';
import { generateStructure, type CellPolicy, type GenerateRun } from '../generate/factory.js';
import { runLabels, type LabelRecord } from '../labels/runLabels.js';
import { relaxFire } from '../physics/relax/fire.js';
import type { Atoms } from '../structure/atoms.js';
import { VERSION } from '../version.js';
import type { Item } from './items.js';
import type { Plan } from './plan.js';
import { stageByName } from './plan.js';
import { readShard, writeShard, type ShardBody, type ShardCheck } from './shards.js';
import { recordAttempt } from './attempts.js';
import { cpuSecondsSoFar } from './cpuTime.js';
import { runTrainItem, runEvaluateItem } from './modelItems.js';

/** An item's work failed in a way a rerun would repeat (bad input, a setting the engine refuses). */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof SpramnetError);
}

/** An item started before its input was done (a hand-submitted array): no attempt is spent, it simply waits. */
export class InputNotReady extends Error {}

/** The structure an item's result holds, following the chain to the item that last moved the atoms. */
export function structureOfItem(dir: string, id: string, read: (dir: string, id: string) => ShardCheck = readShard, depth = 0): Atoms {
  const shard = read(dir, id);
  if (!shard.ok) throw new InputNotReady(`input item ${id}: its result is not available (${shard.reason})`);
  const atoms = shard.body.result.atoms as Atoms | undefined;
  if (atoms !== undefined) return atoms;
  if (shard.body.inputs.length === 0 || depth > 50) throw new InputError(`input item ${id} holds no structure`);
  return structureOfItem(dir, shard.body.inputs[0], read, depth + 1);
}

/** A numeric generator setting (already resolved for this structure), or undefined. */
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The generator run of one generate item (its settings are those of its structure alone). */
export function generateRunOf(work: Record<string, unknown>): GenerateRun {
  const s = (work.settings ?? {}) as Record<string, unknown>;
  const method = work.method as 'www' | 'quench';
  const atoms = work.atoms as number;
  const needsForceField = method === 'quench' || s.relax === 'tersoff';
  const switches = num(s.switches) ?? (num(s.switches_per_atom) !== undefined ? Math.round(num(s.switches_per_atom)! * atoms) : undefined);
  return {
    method,
    count: (work.index as number) + 1,
    seed: work.seed as number,
    out: '',
    atoms,
    www: { dimensions: s.dimensions as 2 | 3 | undefined, temperature_K: num(s.temperature_K), switches, vacancies: num(s.vacancies), inPlaneScale: num(s.in_plane_scale) },
    quench: { dimensions: s.dimensions as 2 | 3 | undefined, rate_K_ps: num(s.rate_K_ps), meltTemperature_K: num(s.melt_K), meltTime_ps: num(s.melt_ps), timestep_fs: num(s.timestep_fs), vacancies: num(s.vacancies), start: s.start as 'graphene' | 'random' | undefined },
    relax: s.relax === 'tersoff' ? 'forcefield' : 'keating',
    forceField: needsForceField ? potentialByName((s.potential as string | undefined) ?? undefined).forceField : undefined,
    cell: s.cell as CellPolicy | undefined,
  };
}

/** The per-item folder an engine may keep resumable state in (MD checkpoints, DFT run files). */
export function workDirOf(dir: string, id: string): string {
  return join(dir, 'work', id);
}

type Result = { result: Record<string, unknown>; engine?: string; settings?: unknown };

async function computeStructureItem(dir: string, item: Item, onProgress?: (fraction: number) => void): Promise<Result> {
  const w = item.work;
  if (item.kind === 'generate') {
    const g = generateStructure(generateRunOf(w), w.index as number);
    return { result: { atoms: g.atoms, generator: g.provenance }, engine: `generate-${String(w.method)}`, settings: w.settings };
  }
  const atoms = structureOfItem(dir, item.inputs[0]);
  if (item.kind === 'relax') {
    const r = relaxFire(atoms, potentialByName(w.potential as string).forceField, { fmax_eV_A: w.fmax_eV_A as number, maxSteps: w.max_steps as number, relaxCell: w.cell as boolean, cellShape: 'orthorhombic' });
    if (!(r.record.fmax_eV_A <= (w.fmax_eV_A as number))) throw new InputError(`relaxation did not converge: largest force ${r.record.fmax_eV_A.toExponential(2)} eV/Å after ${r.record.steps} FIRE steps (fmax ${String(w.fmax_eV_A)})`);
    return { result: { atoms: r.atoms, relaxation: r.record }, engine: `fire-${String(w.potential)}`, settings: { fmax_eV_A: w.fmax_eV_A, max_steps: w.max_steps, cell: w.cell } };
  }
  if (item.kind === 'label') {
    const kind = w.label as LabelKind;
    let record: LabelRecord | undefined;
    let failure: unknown;
    const workDir = workDirOf(dir, item.id);
    mkdirSync(workDir, { recursive: true });
    await runLabels({
      kind,
      engine: w.engine as string,
      settings: w.settings as Record<string, unknown>,
      context: { workDir },
      sources: [{ name: `${item.stage}/${item.index}`, atoms }],
      sinks: [{ put: (r) => void (record = r) }],
      total: 1,
      onProgress: onProgress ? (done) => onProgress(Math.min(1, done)) : undefined,
      onFailed: (_input, message, error) => void (failure = error ?? new InputError(message)),
    });
    if (record === undefined) throw failure ?? new Error('the label engine returned nothing');
    const r = record as LabelRecord;
    // the raw result, not store values: the store is a view the merge builds (labelRows.ts), so a
    // change of the store schema (a κ convention, say) needs a merge, never a recomputation
    return {
      result: { label: kind, properties: r.result.properties, provenance: jsonSafe(r.result.provenance), extra: jsonSafe(r.result.extra ?? {}), ...(r.result.atoms ? { atoms: r.result.atoms } : {}) },
      engine: r.result.provenance.engine,
      settings: r.result.provenance.settings,
    };
  }
  throw new InputError(`item ${item.id}: a ${item.kind} item is not a structure item`);
}

/** JSON-safe copy of free-form side information (typed arrays kept, functions and undefined dropped). */
function jsonSafe(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function').map(([k, v]) => [k, jsonSafe(v)]));
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

export interface RunItemOutcome {
  ok: boolean;
  seconds: number;
  error?: string;
  retryable?: boolean;
}

/**
 * Compute one item and write its shard (or, when it fails, its attempt record): what a worker of
 * any executor does with an item. `attempt` counts from 1.
 */
export async function runItem(plan: Plan, dir: string, item: Item, attempt: number, onProgress?: (fraction: number) => void): Promise<RunItemOutcome> {
  const stage = stageByName(plan, item.stage);
  const started = new Date();
  const t0 = performance.now();
  const cpu0 = cpuSecondsSoFar();
  try {
    const out = item.kind === 'train' ? await runTrainItem(plan, dir, item) : item.kind === 'evaluate' ? await runEvaluateItem(plan, dir, item) : await computeStructureItem(dir, item, onProgress);
    const seconds = (performance.now() - t0) / 1000;
    const body: ShardBody = {
      item: item.id,
      stage: item.stage,
      kind: item.kind,
      inputs: item.inputs,
      result: out.result,
      provenance: {
        spramnet: VERSION,
        node: process.version,
        host: hostname(),
        pid: process.pid,
        started: started.toISOString(),
        finished: new Date().toISOString(),
        seconds,
        cpu_seconds: cpuSecondsSoFar() - cpu0,
        cores: stage.resources.cores,
        attempt,
        ...(out.engine ? { engine: out.engine } : {}),
        ...(out.settings !== undefined ? { settings: out.settings } : {}),
        ...(process.env.SLURM_JOB_ID ? { slurm_job: `${process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? ''}` } : {}),
      },
    };
    writeShard(dir, body);
    return { ok: true, seconds };
  } catch (error) {
    const seconds = (performance.now() - t0) / 1000;
    const message = errorMessage(error);
    if (error instanceof InputNotReady) return { ok: false, seconds, error: message, retryable: true };
    const retryable = isRetryable(error);
    recordAttempt(dir, item, { attempt, host: hostname(), pid: process.pid, started: started.toISOString(), finished: new Date().toISOString(), seconds, error: message, retryable });
    return { ok: false, seconds, error: message, retryable };
  }
}
