import { createHash } from 'node:crypto';
import { structureSeed } from '../generate/seeds.js';
import type { Plan, Stage, StageKind } from './plan.js';

/**
 * The items of a campaign: every piece of work named by the hash of what it computes — its inputs'
 * names and its settings — so an item that exists is never computed again, an edited plan recomputes
 * only the items whose inputs or settings changed, and two stages asking for the same work share it.
 * A generate item is (method, settings of structure i, seed, i); a relax or label item is (its
 * settings, the name of the item whose structure it reads). Train and evaluate items are named once
 * their inputs are complete (by the labels in the store and the settings).
 */
export interface Item {
  id: string;
  stage: string;
  kind: StageKind;
  /** Position in its stage. */
  index: number;
  /** Items whose results this one reads (relax, label: the structure's item). */
  inputs: string[];
  /** What the item computes, fully resolved and JSON-safe (what its id is the hash of, with the inputs). */
  work: Record<string, unknown>;
}

export function itemId(work: unknown): string {
  return createHash('sha256').update(JSON.stringify(work)).digest('hex').slice(0, 32);
}

/** A uniform number in [0, 1) for structure `index` and setting `key`, from the stage seed: same plan, same draws. */
function uniform(seed: number, index: number, key: string): number {
  let h = 0;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return structureSeed(structureSeed(seed, index), h) / 2 ** 32;
}

/** A generator setting for structure `index`: a list cycles, a {min, max} range is drawn (integers for whole-number ranges of atoms). */
export function settingFor(value: unknown, seed: number, index: number, key: string, integer = false): unknown {
  if (Array.isArray(value)) return value[index % value.length];
  if (value !== null && typeof value === 'object' && 'min' in value && 'max' in value) {
    const { min, max } = value as { min: number; max: number };
    const u = uniform(seed, index, key);
    return integer ? min + Math.floor(u * (max - min + 1)) : min + u * (max - min);
  }
  return value;
}

function generateItems(plan: Plan, stage: Stage): Item[] {
  if (stage.spec.kind !== 'generate') throw new Error('not a generate stage');
  const spec = stage.spec;
  const seed = spec.seed ?? plan.seed;
  return Array.from({ length: spec.count }, (_, index) => {
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec.settings ?? {})) settings[key] = settingFor(value, seed, index, key);
    const work = { kind: 'generate', method: spec.method, seed, index, atoms: settingFor(spec.atoms, seed, index, 'atoms', true), settings };
    return { id: itemId(work), stage: stage.name, kind: 'generate' as const, index, inputs: [], work };
  });
}

/** The first `limit` of `items`, spread evenly over them (every item when there is no limit). */
function spread<T>(items: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  return Array.from({ length: limit }, (_, k) => items[Math.floor((k * items.length) / limit)]);
}

function structureItems(stage: Stage, upstream: readonly Item[]): Item[] {
  const spec = stage.spec;
  let work: Record<string, unknown>;
  let chosen: readonly Item[] = upstream;
  if (spec.kind === 'relax') work = { kind: 'relax', potential: spec.potential ?? 'lindsay-broido-2010', fmax_eV_A: spec.fmax_eV_A, max_steps: spec.max_steps, cell: spec.cell };
  else if (spec.kind === 'label') {
    work = { kind: 'label', label: spec.label, engine: stage.engine, settings: stage.engineSettings };
    chosen = spread(upstream, spec.limit);
  } else throw new Error(`stage ${stage.name} does not read structures`);
  return chosen.map((input, index) => {
    const full = { ...work, input: input.id };
    return { id: itemId(full), stage: stage.name, kind: spec.kind, index, inputs: [input.id], work: full };
  });
}

/**
 * Every structure item of the plan (generate, relax, label), by stage in plan order. Train and
 * evaluate stages have no items here: they are named when what they read is complete.
 */
export function expandItems(plan: Plan): Map<string, Item[]> {
  const out = new Map<string, Item[]>();
  for (const stage of plan.stages) {
    const kind = stage.spec.kind;
    if (kind === 'generate') out.set(stage.name, generateItems(plan, stage));
    else if (kind === 'relax' || kind === 'label') out.set(stage.name, structureItems(stage, stage.from.flatMap((f) => out.get(f) ?? [])));
    else out.set(stage.name, []);
  }
  return out;
}
