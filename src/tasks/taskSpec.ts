import type { StoreRow } from '../data/aseDb.js';
import type { Atoms } from '../structure/atoms.js';
import { InputError } from '../errors.js';
import { DEFAULT_MATERIAL } from '../materials/material.js';
import type { ModelInput, DescriptorChoice, PcfInput, ContinuousSettings } from './modelInput.js';
import type { ReferenceFigures } from './referenceFigures.js';
import type { IntervalRule } from './uncertainty.js';
import type { CsvColumnSpec } from '../web/csv.js';

/**
 * One property spramnet predicts, described completely: what it reads, where its labels come
 * from, its output axis and units, how predictions are finished and scored, how it is trained and
 * shown. Training, predict, evaluation, experiments, the report and the CLI iterate over the
 * registered specs; adding a property is one file that registers one.
 */
export interface OutputAxis {
  /** JSON name with unit, e.g. "energy_eV". */
  name: string;
  /** Axis title with unit for charts. */
  label: string;
  values: Float64Array;
}

/** A member of a recipe: a registered model kind with its settings. */
export interface RecipeMember {
  kind: string;
  settings: Record<string, unknown>;
  /** The member is fitted on log(label) and its predictions exponentiated (keeps errors relative). */
  target?: 'none' | 'log';
  /** File stem (default: the task name); trees name one file per output. */
  stem?: string;
}

export interface TaskRecipe {
  description: string;
  /** Structure tasks: which descriptor channels (default of the recipe). */
  descriptor?: DescriptorChoice;
  /** false: leave out the task's partial g(r) channels (a recipe on the total g(r) alone, as the paper's). */
  partials?: boolean;
  /** Structure tasks: how far its descriptors are softened (absent: CONTINUOUS_SETTINGS), so a plain `train` rebuilds the shipped model. */
  continuous?: ContinuousSettings;
  /** The members for an input of this shape and a seed. */
  members(input: ModelInput, seed: number, epochs?: number): RecipeMember[];
}

/** How the report and the terminal show a task. */
export type TaskDisplay =
  | { kind: 'spectrum'; valueLabel: string; errorLabel: string }
  | {
      kind: 'scalars';
      /** From fit space to the shown value (κ: 10^v). */
      shown: (v: number) => number;
      valueLabel: string;
      truthSource: string;
      /** Error histogram: relative error of the shown value, or log10 of predicted/true. */
      error: 'relative' | 'log10-ratio';
    };

export interface TaskSpec {
  /** CLI and file name, e.g. "el-dos": unique within its material. */
  name: string;
  /** The material whose labels it learns (a materials/*.toml name). Absent: carbon. */
  material?: string;
  title: string;
  /** Key of the predict JSON, e.g. "el_dos". */
  jsonKey: string;
  /** A structure (descriptors are computed) or a g(r) on a grid. */
  input: 'structure' | 'pcf';
  /** The g(r) grid of pcf tasks. */
  pcfGrid?: PcfInput;
  /** Structure tasks of materials with several elements: the partial in-plane g(r) channels their inputs carry (after the totals). */
  partials?: ReadonlyArray<readonly [string, string]>;
  /** A row's label in fit space (κ: log10), or undefined when the row has none. */
  label(row: StoreRow): ArrayLike<number> | undefined;
  outputs: number;
  /** Names of scalar outputs (σ: xx, yy): trees write one file per name. */
  outputNames?: readonly string[];
  axis?: OutputAxis;
  /** From raw model output (fit space) to the finished prediction (ph-DoS: clipped at 0, unit sum). */
  finish?(pred: Float64Array): Float64Array;
  /** How the 90 % intervals are calibrated and bounded (uncertainty.ts); default: fit space, the members' spread. */
  intervals?: IntervalRule;
  /** data.md's figures from finished predictions and truth (fit space). */
  metrics(pred: Float64Array, truth: Float64Array): Record<string, number>;
  /** The figure that sums a task up (in metrics), for experiments. */
  mainFigure: string;
  /** Readable names of the metrics, with units. */
  metricNames: Record<string, string>;
  /** The loss that weighs ensemble members and picks settings on the inner hold-out (finished predictions, fit space). */
  innerLoss(pred: Float64Array, truth: Float64Array): number;
  recipes: Record<string, TaskRecipe>;
  defaultRecipe: string;
  /** The reference run's figures for a model input (el-DoS with the ADF has its own). */
  reference?(input: ModelInput): ReferenceFigures | undefined;
  /**
   * The fit target is the label times this factor of the structure (σ: the cell's height in Å, so
   * the model learns the sheet quantity σ·c, which does not depend on the vacuum). Figures are
   * still computed in label units, row by row.
   */
  targetScale?(atoms: Atoms): number;
  /**
   * The top-level entries of `predict --json` for one finished prediction (fit space), with its
   * 90 % interval bounds when the model is calibrated and the structure's target scale.
   */
  toJson(y: Float64Array, context: JsonContext): Record<string, unknown>;
  /** One short terminal summary of a prediction, from its JSON fragment. */
  summary(json: unknown): string;
  display: TaskDisplay;
  /** Its columns in `predict --csv` and the page's CSV: scalar results read from its JSON (absent: none). */
  csv?: readonly CsvColumnSpec[];
}

export interface JsonContext {
  low?: Float64Array;
  high?: Float64Array;
  /** targetScale of the input's structure. */
  scale?: number;
  /** The model learnt the plain label (trained before target scaling): the values are labels, not label × scale. */
  unscaledModel?: boolean;
}

/** Tasks by material, then by name: each material has its own el-dos, sigma, … (its grids and labels). */
const REGISTRY = new Map<string, Map<string, TaskSpec>>();

/** The material a task learns (carbon when the spec names none). */
export const taskMaterial = (spec: TaskSpec): string => spec.material ?? DEFAULT_MATERIAL;

/** Make a task known to training, predict, evaluation, the report and the CLI. */
export function registerTask(spec: TaskSpec): void {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new InputError(`task name "${spec.name}": use lower-case letters, digits and dashes`);
  if (!(spec.defaultRecipe in spec.recipes)) throw new InputError(`task ${spec.name}: default recipe "${spec.defaultRecipe}" is not one of its recipes`);
  const material = taskMaterial(spec);
  if (!REGISTRY.has(material)) REGISTRY.set(material, new Map());
  (REGISTRY.get(material) as Map<string, TaskSpec>).set(spec.name, spec);
}

/** Remove a task (tests that register toy tasks clean up with it). */
export function unregisterTask(name: string, material: string = DEFAULT_MATERIAL): void {
  REGISTRY.get(material)?.delete(name);
}

/** The materials some task is registered for. */
export function taskMaterials(): string[] {
  return [...REGISTRY.keys()].filter((m) => (REGISTRY.get(m)?.size ?? 0) > 0);
}

/** A material's task names (default: carbon's). */
export function taskNames(material: string = DEFAULT_MATERIAL): string[] {
  return [...(REGISTRY.get(material)?.keys() ?? [])];
}

/** A material's tasks (default: carbon's). */
export function taskSpecs(material: string = DEFAULT_MATERIAL): TaskSpec[] {
  return [...(REGISTRY.get(material)?.values() ?? [])];
}

/** Every registered task of every material. */
export function allTaskSpecs(): TaskSpec[] {
  return [...REGISTRY.values()].flatMap((tasks) => [...tasks.values()]);
}

export function taskSpec(name: string, material: string = DEFAULT_MATERIAL): TaskSpec {
  const spec = REGISTRY.get(material)?.get(name);
  if (spec === undefined) {
    const known = taskNames(material);
    if (known.length === 0) throw new InputError(`no tasks are known for material "${material}" (materials with tasks: ${taskMaterials().join(', ')})`);
    throw new InputError(`unknown task "${name}" (expected ${known.join(', ')}${material === DEFAULT_MATERIAL ? '' : `: the tasks of ${material}`})`);
  }
  return spec;
}

/** A comma-separated task list of a material, checked ("el-dos,sigma"). */
export function parseTaskList(value: string, material: string = DEFAULT_MATERIAL): string[] {
  return value.split(',').map((s) => taskSpec(s.trim(), material).name);
}

/** The spec's recipe by name, refused in words when unknown. */
export function recipeOf(spec: TaskSpec, name: string | undefined): { name: string; recipe: TaskRecipe } {
  const chosen = name ?? spec.defaultRecipe;
  const recipe = spec.recipes[chosen];
  if (recipe === undefined) throw new InputError(`task ${spec.name}: unknown recipe "${chosen}" (expected ${Object.keys(spec.recipes).join(', ')})`);
  return { name: chosen, recipe };
}

/** The CSV result columns of these tasks, in their order, each name once (tasks of several materials share theirs). */
export function csvColumnsOf(specs: readonly TaskSpec[]): CsvColumnSpec[] {
  const seen = new Set<string>();
  return specs.flatMap((spec) => spec.csv ?? []).filter((c) => !seen.has(c.name) && (seen.add(c.name), true));
}
