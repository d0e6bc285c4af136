import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_FIGURES } from './reference.js';
import { loadTaskData, type TaskData, type TaskName } from './taskData.js';
import { scoreCnnTask, trainTask, type Recipe } from './trainTask.js';

/** The task's inputs cut to r < r_max (every g(r) channel keeps its first bins; the ADF is dropped). */
export function truncateToRmax(data: TaskData, rMax_A: number): TaskData {
  const step = data.length === 160 ? 0.05 : 0.1;
  const bins = Math.round(rMax_A / step);
  if (bins < 8 || bins > data.length) throw new RangeError(`r_max ${rMax_A} Å gives ${bins} bins; expected 8…${data.length}`);
  const gChannels = data.task === 'el-dos' || data.task === 'sigma' ? Math.min(2, data.channels) : 1;
  const x = new Float64Array(data.count * gChannels * bins);
  for (let r = 0; r < data.count; r++) {
    for (let c = 0; c < gChannels; c++) x.set(data.x.subarray((r * data.channels + c) * data.length, (r * data.channels + c) * data.length + bins), (r * gChannels + c) * bins);
  }
  return { ...data, x, channels: gChannels, length: bins };
}

export interface AdfExperiment {
  task: 'el-dos';
  epochs: number;
  seeds: number[];
  pcf: number[];
  pcfAdf: number[];
  /** mean(PCF+ADF) / mean(PCF) − 1: negative when the ADF helps. */
  relativeChange: number;
}

/** Validation MSE of the el-DoS network with and without the ADF channel, over seeds. */
export function adfExperiment(dbFile: string, seeds: number[], epochs: number, onStep?: (done: number, total: number) => void, validationFraction = 0.1): AdfExperiment {
  const pcf = loadTaskData(dbFile, 'el-dos', 'pcf');
  const withAdf = loadTaskData(dbFile, 'el-dos', 'pcf+adf');
  const result: AdfExperiment = { task: 'el-dos', epochs, seeds, pcf: [], pcfAdf: [], relativeChange: NaN };
  seeds.forEach((seed, k) => {
    result.pcf.push(scoreCnnTask(pcf, seed, epochs, validationFraction));
    onStep?.(2 * k + 1, 2 * seeds.length);
    result.pcfAdf.push(scoreCnnTask(withAdf, seed, epochs, validationFraction));
    onStep?.(2 * k + 2, 2 * seeds.length);
  });
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  result.relativeChange = mean(result.pcfAdf) / mean(result.pcf) - 1;
  return result;
}

export interface RangeExperiment {
  task: TaskName;
  epochs: number;
  seed: number;
  rMax_A: number[];
  /** The task's validation figure at each r_max (MSE, or mean |Δlog10 κ| for κ). */
  error: number[];
}

/** Validation error against the g(r) cut-off r_max: where the information sits. */
export function rangeExperiment(dbFile: string, task: TaskName, rMax_A: number[], epochs: number, seed = 0, onStep?: (done: number, total: number) => void, validationFraction = 0.1): RangeExperiment {
  const data = loadTaskData(dbFile, task, 'pcf');
  const error = rMax_A.map((r, k) => {
    const e = scoreCnnTask(truncateToRmax(data, r), seed, epochs, validationFraction);
    onStep?.(k + 1, rMax_A.length);
    return e;
  });
  return { task, epochs, seed, rMax_A, error };
}

export interface FoldsExperiment {
  task: TaskName;
  recipe: Recipe;
  /** One seed per run: the seed draws the validation fold (and seeds the training). */
  seeds: number[];
  /** The card's validation figures of each run, in seed order. */
  validation: Record<string, number>[];
  /** The task's main figure (MSE, mean |Δlog10 κ|, σ_xx RMSE) per run, its mean and the reference run's. */
  main: { figure: string; values: number[]; mean: number; reference: number };
}

const MAIN_FIGURE: Record<TaskName, { figure: string; reference: number }> = {
  'el-dos': { figure: 'mse', reference: REFERENCE_FIGURES['el-dos'].lower.mse },
  sigma: { figure: 'xx_rmse', reference: REFERENCE_FIGURES.sigma.lower.xx_rmse },
  'ph-dos': { figure: 'mse', reference: REFERENCE_FIGURES['ph-dos'].lower.mse },
  kappa: { figure: 'log10Mae', reference: REFERENCE_FIGURES.kappa.lower.log10Mae },
};

/**
 * The validation figures of a task's recipe over several validation folds (one seed each): how much
 * of a single fold's figure is the fold. Runs already in `previous` (same task and recipe) are kept,
 * so an interrupted experiment resumes; `onRun` receives the result after every run for saving.
 */
export function foldsExperiment(
  dbFile: string,
  task: TaskName,
  seeds: number[],
  options: { recipe?: Recipe; epochs?: number; validationFraction?: number; previous?: FoldsExperiment; onRun?: (partial: FoldsExperiment) => void; onProgress?: (stage: string, done: number, total: number) => void } = {},
): FoldsExperiment {
  const recipe = options.recipe ?? 'ensemble';
  const { figure, reference } = MAIN_FIGURE[task];
  const done = new Map<number, Record<string, number>>();
  if (options.previous?.task === task && options.previous.recipe === recipe) options.previous.seeds.forEach((s, k) => done.set(s, options.previous!.validation[k]));
  const result = (): FoldsExperiment => {
    const finished = seeds.filter((s) => done.has(s));
    const values = finished.map((s) => (done.get(s) as Record<string, number>)[figure]);
    return { task, recipe, seeds: finished, validation: finished.map((s) => done.get(s) as Record<string, number>), main: { figure, values, mean: values.reduce((a, b) => a + b, 0) / values.length, reference } };
  };
  for (const seed of seeds) {
    if (done.has(seed)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'spramnet-folds-'));
    try {
      const card = trainTask(dbFile, task, dir, { recipe, seed, epochs: options.epochs, validationFraction: options.validationFraction, onProgress: options.onProgress });
      done.set(seed, card.validation);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    options.onRun?.(result());
  }
  return result();
}
