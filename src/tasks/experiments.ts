import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { structureInput, type ContinuousSettings, type ModelInput } from './modelInput.js';
import { loadTaskData } from './taskData.js';
import { recipeOf, taskMaterial, taskSpec } from './taskSpec.js';
import { continuousFor, modelInputFor, scoreMembers, trainingInput, trainTask } from './train.js';

export interface AdfExperiment {
  task: 'el-dos';
  epochs: number;
  seeds: number[];
  pcf: number[];
  pcfAdf: number[];
  /** mean(PCF+ADF) / mean(PCF) − 1: negative when the ADF helps. */
  relativeChange: number;
}

/** Validation MSE of the paper's el-DoS network with and without the ADF channel, over seeds. */
export function adfExperiment(dbFile: string, seeds: number[], epochs: number, onStep?: (done: number, total: number) => void, validationFraction = 0.1): AdfExperiment {
  const spec = taskSpec('el-dos');
  const paper = recipeOf(spec, 'paper').recipe;
  const pcf = loadTaskData(dbFile, spec, structureInput('pcf'));
  const withAdf = loadTaskData(dbFile, spec, structureInput('pcf+adf'));
  const result: AdfExperiment = { task: 'el-dos', epochs, seeds, pcf: [], pcfAdf: [], relativeChange: NaN };
  seeds.forEach((seed, k) => {
    result.pcf.push(scoreMembers(pcf, paper.members(pcf.input, seed, epochs), seed, validationFraction));
    onStep?.(2 * k + 1, 2 * seeds.length);
    result.pcfAdf.push(scoreMembers(withAdf, paper.members(withAdf.input, seed, epochs), seed, validationFraction));
    onStep?.(2 * k + 2, 2 * seeds.length);
  });
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  result.relativeChange = mean(result.pcfAdf) / mean(result.pcf) - 1;
  return result;
}

export interface RangeExperiment {
  task: string;
  epochs: number;
  seed: number;
  rMax_A: number[];
  /** The task's main validation figure at each r_max. */
  error: number[];
}

/**
 * Validation error of the task's paper model against the g(r) cut-off r_max: where the information
 * sits. The cut is the one r_max mechanism (bins from r_max on zeroed), as `train --rmax` applies it.
 */
export function rangeExperiment(dbFile: string, task: string, rMax_A: number[], epochs: number, seed = 0, onStep?: (done: number, total: number) => void, validationFraction = 0.1): RangeExperiment {
  const spec = taskSpec(task);
  const paper = recipeOf(spec, 'paper').recipe;
  const error = rMax_A.map((r, k) => {
    const data = loadTaskData(dbFile, spec, modelInputFor(spec, spec.input === 'structure' ? 'pcf' : undefined, r));
    const e = scoreMembers(data, paper.members(data.input, seed, epochs), seed, validationFraction);
    onStep?.(k + 1, rMax_A.length);
    return e;
  });
  return { task, epochs, seed, rMax_A, error };
}

export interface FoldsExperiment {
  task: string;
  recipe: string;
  /** What the runs were trained with beyond the recipe's name (absent in files written before it was kept). */
  settings?: FoldsSettings;
  /** One seed per run: the seed draws the validation fold (and seeds the training). */
  seeds: number[];
  /** The card's validation figures of each run, in seed order. */
  validation: Record<string, number>[];
  /** The task's main figure per run, its mean and the reference run's. */
  main: { figure: string; values: number[]; mean: number; reference: number };
}

/** A folds run's model input beyond the recipe: two runs resume into one file only when these match. */
export interface FoldsSettings {
  material: string;
  /** Structure tasks: the descriptor channels; g(r) tasks: absent. */
  descriptor?: string;
  /** Structure tasks: false (hard), or the soft-bin spread and bond window used. */
  continuous?: false | ContinuousSettings;
  partials: boolean;
}

export interface FoldsOptions {
  recipe?: string;
  material?: string;
  descriptor?: string;
  /** As trainTask's: false hard, true or a partial setting from the recipe's. */
  continuous?: boolean | Partial<ContinuousSettings>;
  partials?: boolean;
  epochs?: number;
  validationFraction?: number;
  previous?: FoldsExperiment;
  onRun?: (partial: FoldsExperiment) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * The validation figures of a task's recipe over several validation folds (one seed each): how much
 * of a single fold's figure is the fold. Runs already in `previous` are kept when it was made with
 * the same task, recipe and settings, so an interrupted experiment resumes; a `previous` made
 * otherwise is refused, so a file never mixes two models' folds. `onRun` receives the result after
 * every run for saving.
 */
export function foldsExperiment(dbFile: string, task: string, seeds: number[], options: FoldsOptions = {}): FoldsExperiment {
  const spec = taskSpec(task, options.material);
  const { name: recipe, recipe: chosen } = recipeOf(spec, options.recipe);
  if (seeds.length === 0) throw new InputError('the folds experiment needs at least one seed');
  const figure = spec.mainFigure;
  const structure = spec.input === 'structure';
  const continuous = continuousFor(chosen, options.continuous);
  const partials = options.partials ?? chosen.partials ?? true;
  const defaultInput = trainingInput(spec, chosen, { descriptor: options.descriptor, continuous, partials });
  const settings: FoldsSettings = {
    material: taskMaterial(spec),
    ...(structure ? { descriptor: options.descriptor ?? chosen.descriptor ?? 'pcf', continuous: continuous === false ? false : inputContinuous(defaultInput) } : {}),
    partials: partials && (spec.partials?.length ?? 0) > 0,
  };
  const ref = spec.reference?.(defaultInput);
  const reference = ref?.lower[figure] ?? ref?.higher[figure] ?? NaN;
  const done = new Map<number, Record<string, number>>();
  const previous = options.previous;
  if (previous !== undefined) {
    const theirs = { task: previous.task, recipe: previous.recipe, ...(previous.settings ? { settings: previous.settings } : {}) };
    const ours = { task, recipe, ...(previous.settings ? { settings } : {}) };
    if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
      throw new InputError(`the earlier folds file holds another experiment (${JSON.stringify(theirs)}; this one: ${JSON.stringify({ task, recipe, settings })}): give another --out`);
    }
    previous.seeds.forEach((s, k) => done.set(s, previous.validation[k]));
  }
  const result = (): FoldsExperiment => {
    const finished = seeds.filter((s) => done.has(s));
    const values = finished.map((s) => (done.get(s) as Record<string, number>)[figure]);
    return { task, recipe, settings, seeds: finished, validation: finished.map((s) => done.get(s) as Record<string, number>), main: { figure, values, mean: values.reduce((a, b) => a + b, 0) / values.length, reference } };
  };
  for (const seed of seeds) {
    if (done.has(seed)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'spramnet-folds-'));
    try {
      const card = trainTask(dbFile, task, dir, { recipe, material: options.material, descriptor: options.descriptor, continuous, partials: options.partials, seed, epochs: options.epochs, validationFraction: options.validationFraction, onProgress: options.onProgress });
      done.set(seed, card.validation);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    options.onRun?.(result());
  }
  return result();
}

/** The soft-bin spread and bond window a structure input was built with. */
function inputContinuous(input: ModelInput): ContinuousSettings | undefined {
  if (input.kind !== 'spramnet-descriptor') return undefined;
  const { binSpread, bondWindow_A } = input.spec;
  return binSpread === undefined || bondWindow_A === undefined ? undefined : { binSpread, bondWindow_A };
}

/** A folds experiment saved earlier (to resume), undefined when the file does not exist; refused when it is not one. */
export function readFoldsExperiment(file: string): FoldsExperiment | undefined {
  if (!existsSync(file)) return undefined;
  let value: FoldsExperiment;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as FoldsExperiment;
  } catch {
    throw new InputError(`${file}: exists but is not a folds experiment (JSON); move it away or pick another --out`);
  }
  if (!Array.isArray(value?.seeds) || !Array.isArray(value?.validation)) throw new InputError(`${file}: exists but is not a folds experiment (no seeds and validation lists); move it away or pick another --out`);
  return value;
}
