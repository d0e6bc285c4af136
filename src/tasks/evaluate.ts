import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { gatherRows } from '../util/rows.js';
import type { TaskModel } from './ensemble.js';
import { loadModelSet } from './predict.js';
import { descriptorChoiceOf, loadTaskData, TASKS, type TaskData, type TaskName } from './taskData.js';
import { finishPhDos, pickExamples, splitRows, taskMetrics } from './trainTask.js';

/** Truth and predictions of one task on a set of rows, with what the report draws. */
export interface TaskEvaluation {
  task: TaskName;
  truth: Float64Array;
  pred: Float64Array;
  outputs: number;
  /** Positions (within these rows) of four examples from ordered to disordered, and their inputs. */
  examples: number[];
  examplesInput: Float64Array;
  inputShape: number[];
  axis: { name: string; values: number[] } | null;
  metrics: Record<string, number>;
  rows: string;
}

export type EvaluationRows = 'validation' | 'all';

/** The model's predictions for rows of a task's data (label units; ph-DoS clipped and normalised). */
function predictRows(model: TaskModel, data: TaskData, rows: Int32Array): Float64Array {
  const width = data.channels * data.length;
  const pred = model.predict(gatherRows(data.x, width, rows), rows.length);
  return data.task === 'ph-dos' ? finishPhDos(pred) : pred;
}

/** The split a model folder's card records (seed and validation share), as `spramnet train` drew it. */
function cardSplit(modelDir: string, task: TaskName): { seed: number; fraction: number } {
  const file = join(modelDir, `${task}.card.json`);
  if (!existsSync(file)) throw new InputError(`${file}: no model card, so the validation rows are unknown; use --rows all`);
  const data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: { seed?: number; validation_fraction?: number; split?: string } }).data ?? {};
  const seed = data.seed ?? Number(/seed (\d+)/.exec(data.split ?? '')?.[1]);
  const fraction = data.validation_fraction ?? 1 / Number(/1\/(\d+) fold/.exec(data.split ?? '')?.[1]);
  if (!Number.isFinite(seed) || !(fraction > 0 && fraction < 1)) throw new InputError(`${file}: the card does not record the split (data.seed, data.validation_fraction)`);
  return { seed, fraction };
}

/**
 * Score the models of a folder on a database: on the validation rows of the split each card records
 * (the same rows as at training time when the database is the one trained on), or on every labelled
 * row (a database the models never saw). Tasks without a model or without labels are left out.
 */
export function evaluateModels(dbFile: string, modelDir: string, rows: EvaluationRows = 'validation', onTask?: (task: TaskName) => void): TaskEvaluation[] {
  const models = loadModelSet(modelDir);
  const out: TaskEvaluation[] = [];
  for (const task of TASKS) {
    const model = models[task];
    if (model === undefined) continue;
    onTask?.(task);
    let data: TaskData;
    try {
      data = loadTaskData(dbFile, task, descriptorChoiceOf(model.descriptor), (model.descriptor as { rMaxCut_A?: number }).rMaxCut_A);
    } catch (error) {
      if (error instanceof InputError && /no .* rows with/.test(error.message)) continue; // the database has no labels of this task
      throw error;
    }
    let chosen: Int32Array;
    if (rows === 'all') chosen = Int32Array.from({ length: data.count }, (_, k) => k);
    else {
      const { seed, fraction } = cardSplit(modelDir, task);
      chosen = splitRows(data.count, seed, fraction).validation;
    }
    const pred = predictRows(model, data, chosen);
    const truth = gatherRows(data.y, data.outputs, chosen);
    const examples = pickExamples(data, chosen);
    out.push({
      task,
      truth,
      pred,
      outputs: data.outputs,
      examples,
      examplesInput: gatherRows(data.x, data.channels * data.length, Int32Array.from(examples, (k) => chosen[k])),
      inputShape: [data.channels, data.length],
      axis: data.axis ?? null,
      metrics: taskMetrics(task, pred, truth),
      rows: rows === 'all' ? `all ${chosen.length} labelled rows of ${dbFile}` : `the ${chosen.length} validation rows of ${dbFile} (the cards' split)`,
    });
  }
  if (out.length === 0) throw new InputError(`${dbFile}: no labelled rows for any model in ${modelDir}`);
  return out;
}
