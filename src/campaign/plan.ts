import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import * as z from 'zod';
import { DEFAULT_MATERIAL, materialByName } from '../materials/material.js';
import { engineSettings, LABEL_KINDS, labelKind } from '../calculators/registry.js';
import { expandItems } from './items.js';
import { InputError, ParseError } from '../errors.js';
import { readFileOrFail } from '../io/readFile.js';
import { taskNames, taskSpec, recipeOf } from '../tasks/taskSpec.js';
import '../tasks/allTasks.js';
import { zodMessages } from '../util/zodMessages.js';

/**
 * A campaign plan: named stages and what flows between them, read from TOML or YAML and checked
 * before anything runs. Stage kinds:
 * - generate: structures by WWW bond switching or melt-quench (method, count, seed, atoms, settings);
 * - relax: FIRE relaxation of another stage's structures with a potential;
 * - label: one label kind (ph-dos, kappa, el-dos, sigma) with an engine and its settings;
 * - store: the label stages whose results go into the campaign's store (ASE SQLite, one row per labelled structure);
 * - train: models of tasks on the store, optionally with other stores (the public one);
 * - evaluate: the campaign's report (label distributions against a reference store, the models' validation).
 * Every stage may state its resources per item (cores, memory, time) and its retries.
 */

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name of letters, digits, - and _, starting with a letter');
const positive = z.number().positive();
const whole = z.number().int().positive();

export const ResourcesSchema = z.strictObject({
  cores: whole.default(1),
  memory_MB: whole.default(2000),
  time_min: positive.default(60),
});
export type Resources = z.output<typeof ResourcesSchema>;

/** A generator setting: one value, a list (structure i takes element i mod length) or a uniform range drawn per structure. */
const number = z.number();
const range = z.strictObject({ min: z.number(), max: z.number() });
const sweep = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);
const numeric = z.union([number, z.array(number).min(1), range]);

const wwwSettings = z.strictObject({
  dimensions: sweep(z.union([z.literal(2), z.literal(3)])).optional(),
  temperature_K: numeric.optional(),
  switches: numeric.optional(),
  switches_per_atom: numeric.optional(),
  vacancies: numeric.optional(),
  in_plane_scale: numeric.optional(),
  relax: z.enum(['keating', 'tersoff']).optional(),
  cell: z.enum(['potential', 'graphene', 'relaxed']).optional(),
  potential: z.string().optional(),
  /** materials/*.toml by name or alias (default carbon); two-element materials take the next two as overrides. */
  material: z.string().optional(),
  homopolar_penalty_eV: numeric.optional(),
  swap_fraction: numeric.optional(),
  pair_switch_fraction: numeric.optional(),
});

const quenchSettings = z.strictObject({
  dimensions: sweep(z.union([z.literal(2), z.literal(3)])).optional(),
  rate_K_ps: numeric.optional(),
  melt_K: numeric.optional(),
  melt_ps: numeric.optional(),
  timestep_fs: numeric.optional(),
  vacancies: numeric.optional(),
  start: z.enum(['graphene', 'random']).optional(),
  cell: z.enum(['potential', 'graphene', 'relaxed']).optional(),
  potential: z.string().optional(),
});

const common = { resources: ResourcesSchema.partial().optional(), retries: z.number().int().nonnegative().optional(), description: z.string().optional() };
const from = z.union([name, z.array(name).min(1)]);

const GenerateStage = z.strictObject({
  kind: z.literal('generate'),
  method: z.enum(['www', 'quench']),
  count: whole,
  seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  atoms: z.union([whole, z.array(whole).min(1), z.strictObject({ min: whole, max: whole })]),
  settings: z.record(z.string(), z.unknown()).optional(),
  ...common,
});

const RelaxStage = z.strictObject({
  kind: z.literal('relax'),
  from,
  potential: z.string().optional(),
  fmax_eV_A: positive.default(1e-3),
  max_steps: whole.default(100000),
  cell: z.boolean().default(false),
  ...common,
});

const LabelStage = z.strictObject({
  kind: z.literal('label'),
  label: z.enum(LABEL_KINDS),
  from,
  engine: z.string().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Label only this many of the input structures, spread evenly over them (κ for a subset, say). */
  limit: whole.optional(),
  ...common,
});

const StoreStage = z.strictObject({
  kind: z.literal('store'),
  from,
  file: z.string().default('store.db'),
  /** The `origin` of the store's rows (default: "campaign:<plan name>"). */
  origin: z.string().optional(),
  description: z.string().optional(),
});

const TrainStage = z.strictObject({
  kind: z.literal('train'),
  from: name.optional(),
  tasks: z.array(z.string()).min(1),
  recipe: z.string().optional(),
  descriptor: z.string().optional(),
  /** Other stores to train on together with the campaign's (paths relative to the plan file). */
  with: z.array(z.string()).optional(),
  epochs: whole.optional(),
  seed: z.number().int().nonnegative().optional(),
  validation_fraction: positive.max(0.9).optional(),
  ...common,
});

const EvaluateStage = z.strictObject({
  kind: z.literal('evaluate'),
  from: name.optional(),
  /** A store to compare the campaign's label distributions with (the public one), relative to the plan file. */
  compare: z.string().optional(),
  ...common,
});

export type StageSpec = z.output<typeof GenerateStage> | z.output<typeof RelaxStage> | z.output<typeof LabelStage> | z.output<typeof StoreStage> | z.output<typeof TrainStage> | z.output<typeof EvaluateStage>;
export type StageKind = StageSpec['kind'];
const STAGE_SCHEMAS: Record<StageKind, z.ZodObject> = { generate: GenerateStage, relax: RelaxStage, label: LabelStage, store: StoreStage, train: TrainStage, evaluate: EvaluateStage };

const PlanSchema = z.strictObject({
  name,
  description: z.string().optional(),
  seed: z.number().int().nonnegative().default(0),
  defaults: z.strictObject({ ...ResourcesSchema.partial().shape, retries: z.number().int().nonnegative().optional() }).optional(),
  slurm: z
    .strictObject({
      partition: z.string().optional(),
      account: z.string().optional(),
      /** Extra `#SBATCH` lines, e.g. "--qos=normal" (the leading "#SBATCH " is added). */
      sbatch: z.array(z.string()).optional(),
      /** Shell lines run before each task (module loads, environment). */
      setup: z.array(z.string()).optional(),
      /** Seconds between the driver's looks at squeue. */
      poll_s: positive.optional(),
    })
    .optional(),
  stages: z.record(name, z.record(z.string(), z.unknown())),
});

/** A stage as the runner uses it: its spec, name, the stages it reads, resources and retries resolved. */
export interface Stage {
  name: string;
  spec: StageSpec;
  from: string[];
  resources: Resources;
  retries: number;
  /** label stages: the engine's settings checked and completed with defaults. */
  engineSettings?: Record<string, unknown>;
  engine?: string;
}

export interface Plan {
  file: string;
  /** The folder paths in the plan are relative to. */
  root: string;
  name: string;
  description?: string;
  seed: number;
  slurm: NonNullable<z.output<typeof PlanSchema>['slurm']>;
  stages: Stage[];
  /** The plan's text and its SHA-256. */
  text: string;
  sha256: string;
}

export const DEFAULT_RETRIES = 2;

const GENERATE_SETTINGS = { www: wwwSettings, quench: quenchSettings } as const;

function check<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(zodMessages(parsed.error, schema, where, value).join('\n'));
  return parsed.data;
}

/** The plan's text as an object: TOML (`.toml`) or YAML (`.yaml`, `.yml`), parse errors with their line. */
export function parsePlanText(text: string, file: string): unknown {
  if (/\.ya?ml$/i.test(file)) {
    try {
      return parseYaml(text);
    } catch (error) {
      if (error instanceof YAMLParseError) throw new ParseError(file, error.linePos?.[0].line, error.message.split('\n')[0]);
      throw error;
    }
  }
  if (!/\.toml$/i.test(file)) throw new InputError(`${file}: a plan is a .toml or .yaml file`);
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) throw new ParseError(file, error.line, error.message.split('\n')[0].replace(/^Invalid TOML document: /, ''));
    throw error;
  }
}

/**
 * Read and check a plan: every key, stage kind, engine, label kind, task and setting is validated
 * (an unknown one is named with the known ones) and every `from` must name an earlier-usable stage,
 * before anything runs.
 */
export function readPlan(file: string, text = readFileOrFail(file, 'utf8')): Plan {
  const raw = parsePlanText(text, file);
  const plan = check(PlanSchema, raw, file);
  const defaults = plan.defaults ?? {};
  const entries = Object.entries(plan.stages);
  if (entries.length === 0) throw new InputError(`${file}: stages: the plan has no stages`);
  const stages: Stage[] = [];
  const known = new Map<string, StageKind>();
  for (const [stageName, body] of entries) {
    const where = `${file}: stages.${stageName}`;
    const kind = (body as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || !(kind in STAGE_SCHEMAS)) {
      throw new InputError(`${where}.kind: ${kind === undefined ? 'missing' : `unknown stage kind "${String(kind)}"`} (known: ${Object.keys(STAGE_SCHEMAS).join(', ')})`);
    }
    const spec = check(STAGE_SCHEMAS[kind as StageKind], body, where) as StageSpec;
    const fromList = 'from' in spec && spec.from !== undefined ? (Array.isArray(spec.from) ? spec.from : [spec.from]) : [];
    const stage: Stage = {
      name: stageName,
      spec,
      from: fromList,
      resources: check(ResourcesSchema, { ...pick(defaults, ['cores', 'memory_MB', 'time_min']), ...('resources' in spec ? spec.resources : {}) }, `${where}.resources`),
      retries: ('retries' in spec ? spec.retries : undefined) ?? defaults.retries ?? DEFAULT_RETRIES,
    };
    checkStage(stage, known, where, dirname(resolve(file)));
    known.set(stageName, spec.kind);
    stages.push(stage);
  }
  // train and evaluate default to the only store / train stage
  for (const s of stages) {
    if (s.from.length === 0 && (s.spec.kind === 'train' || s.spec.kind === 'evaluate')) {
      const want = s.spec.kind === 'train' ? 'store' : 'train';
      const candidates = stages.filter((t) => t.spec.kind === want);
      if (candidates.length !== 1) throw new InputError(`${file}: stages.${s.name}.from: name the ${want} stage it reads (${candidates.length === 0 ? `the plan has no ${want} stage` : `the plan has ${candidates.map((c) => c.name).join(', ')}`})`);
      s.from = [candidates[0].name];
    }
  }
  const checked: Plan = { file, root: dirname(resolve(file)), name: plan.name, description: plan.description, seed: plan.seed, slurm: plan.slurm ?? {}, stages, text, sha256: createHash('sha256').update(text).digest('hex') };
  checkStoreKinds(checked);
  return checked;
}

function pick<T extends object>(o: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as Partial<T>;
}

/** What each stage kind may read. */
const READS: Record<StageKind, readonly StageKind[]> = {
  generate: [],
  relax: ['generate', 'relax', 'label'],
  label: ['generate', 'relax', 'label'],
  store: ['label'],
  train: ['store'],
  evaluate: ['train'],
};

function checkStage(stage: Stage, known: ReadonlyMap<string, StageKind>, where: string, root: string): void {
  const spec = stage.spec;
  for (const f of stage.from) {
    const kind = known.get(f);
    if (kind === undefined) throw new InputError(`${where}.from: "${f}" is not a stage above this one (stages above: ${[...known.keys()].join(', ') || 'none'})`);
    if (!READS[spec.kind].includes(kind)) throw new InputError(`${where}.from: a ${spec.kind} stage cannot read the ${kind} stage "${f}" (it reads ${READS[spec.kind].join(', ') || 'nothing'})`);
  }
  if (spec.kind === 'generate') {
    const settingsSchema = GENERATE_SETTINGS[spec.method];
    check(settingsSchema, spec.settings ?? {}, `${where}.settings`);
    const material = (spec.settings ?? {}).material;
    if (typeof material === 'string') {
      try {
        const m = materialByName(material);
        if (spec.method === 'quench' && m.name !== DEFAULT_MATERIAL) throw new InputError(`quench of ${m.name} is not implemented yet; use method "www"`);
      } catch (error) {
        throw error instanceof InputError ? new InputError(`${where}.settings.material: ${error.message}`) : error;
      }
    }
    if (typeof spec.atoms === 'object' && !Array.isArray(spec.atoms) && spec.atoms.max < spec.atoms.min) throw new InputError(`${where}.atoms: max ${spec.atoms.max} is below min ${spec.atoms.min}`);
  } else if (spec.kind === 'label') {
    stage.engine = (() => {
      try {
        const kind = labelKind(spec.label);
        const engine = spec.engine ?? kind.defaultEngine;
        if (!kind.engines.has(engine)) throw new InputError(`${where}.engine: unknown engine "${engine}" for ${spec.label} (known: ${[...kind.engines.keys()].join(', ')})`);
        return engine;
      } catch (error) {
        throw error instanceof InputError && !error.message.startsWith(where) ? new InputError(`${where}: ${error.message}`) : error;
      }
    })();
    stage.engineSettings = engineSettings(spec.label, stage.engine, spec.settings ?? {}, `${where}.settings`);
  } else if (spec.kind === 'train') {
    for (const task of spec.tasks) {
      if (!taskNames().includes(task)) throw new InputError(`${where}.tasks: unknown task "${task}" (known: ${taskNames().join(', ')})`);
      try {
        recipeOf(taskSpec(task), spec.recipe);
      } catch (error) {
        throw new InputError(`${where}.recipe: ${(error as Error).message}`);
      }
    }
    for (const w of spec.with ?? []) resolvePath(root, w);
  }
}

/**
 * A store row holds one label of each kind, so two label stages of one kind may feed one store only
 * when they label different structures (spare sheets from a stage of their own, say): refused when
 * any structure — by the generate item at the root of its lineage, which two stages asking for the
 * same work share — would get both.
 */
function checkStoreKinds(plan: Plan): void {
  const items = expandItems(plan);
  const rootOf = new Map<string, string>();
  for (const list of items.values()) for (const item of list) rootOf.set(item.id, item.kind === 'generate' ? item.id : (rootOf.get(item.inputs[0]) ?? item.inputs[0]));
  for (const store of plan.stages.filter((s) => s.spec.kind === 'store')) {
    const seen = new Map<string, { stage: string; roots: Set<string> }>();
    for (const f of store.from) {
      const label = stageByName(plan, f).spec;
      if (label.kind !== 'label') continue;
      const mine = items.get(f) ?? [];
      const other = seen.get(label.label);
      if (other !== undefined) {
        const shared = mine.find((i) => other.roots.has(rootOf.get(i.id)!));
        if (shared !== undefined) {
          throw new InputError(
            `${plan.file}: stages.${store.name}.from: "${other.stage}" and "${f}" both give ${label.label} labels to the same structures (${f} item ${shared.index + 1} among them); a store row holds one label of each kind (use two store stages, or give the second label stage structures of its own)`,
          );
        }
        mine.forEach((i) => other.roots.add(rootOf.get(i.id)!));
      } else seen.set(label.label, { stage: f, roots: new Set(mine.map((i) => rootOf.get(i.id)!)) });
    }
  }
}

export function resolvePath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

export function stageByName(plan: Plan, stageName: string): Stage {
  const s = plan.stages.find((x) => x.name === stageName);
  if (s === undefined) throw new InputError(`${plan.file}: no stage "${stageName}" (stages: ${plan.stages.map((x) => x.name).join(', ')})`);
  return s;
}
