import { InputError } from '../errors.js';
import { gatherRows } from '../util/rows.js';
import { loadModelSet } from './predict.js';
import { cardSplit, folderMaterial } from './modelFolder.js';
import { inLabelUnits, loadTaskData, NoTaskRowsError, type TaskData } from './taskData.js';
import { taskSpecs } from './taskSpec.js';
import { pickExamples, splitTaskData } from './train.js';

/** Truth and predictions of one task on a set of rows, with what the report draws. */
export interface TaskEvaluation {
  task: string;
  truth: Float64Array;
  pred: Float64Array;
  outputs: number;
  /** Positions (within these rows) of four examples from ordered to disordered, and their inputs. */
  examples: number[];
  examplesInput: Float64Array;
  inputShape: number[];
  metrics: Record<string, number>;
  /** In words, which rows were scored. */
  rows: string;
  /** What the scored rows are to the model: its validation rows, or rows that include its training rows. */
  rowKind: 'validation' | 'all';
}

export type EvaluationRows = 'validation' | 'all';

/**
 * Score the models of a folder on a store: on the validation rows of the split each card records
 * (the same rows as at training time when the store is the one trained on), or on every labelled
 * row (a store the models never saw). Tasks without a model or without labels are left out.
 */
export function evaluateModels(dbFile: string | readonly string[], modelDir: string, rows: EvaluationRows = 'validation', onTask?: (task: string) => void): TaskEvaluation[] {
  if (rows !== 'validation' && rows !== 'all') throw new InputError(`rows must be validation or all, got "${rows}"`);
  const models = loadModelSet(modelDir);
  const out: TaskEvaluation[] = [];
  for (const spec of taskSpecs(folderMaterial(modelDir))) {
    const model = models[spec.name];
    if (model === undefined) continue;
    onTask?.(spec.name);
    let data: TaskData;
    try {
      data = loadTaskData(dbFile, spec, model.input);
    } catch (error) {
      if (error instanceof NoTaskRowsError) continue; // the store has no labels of this task
      throw error;
    }
    let chosen: Int32Array;
    if (rows === 'all') chosen = Int32Array.from({ length: data.count }, (_, k) => k);
    else {
      const { seed, fraction } = cardSplit(modelDir, spec.name);
      chosen = splitTaskData(data, seed, fraction).validation;
    }
    const width = data.channels * data.length;
    let fit = model.predict(gatherRows(data.x, width, chosen), chosen.length);
    if (spec.finish) fit = spec.finish(fit);
    // figures in label units, row by row (σ: the release's label of each row's own cell); a model
    // trained before target scaling predicts the label itself
    const pred = data.scales && model.manifest.targetScaled ? inLabelUnits(fit, data.outputs, data.scales, chosen) : fit;
    const truth = inLabelUnits(gatherRows(data.y, data.outputs, chosen), data.outputs, data.scales, chosen);
    const examples = pickExamples(data, chosen);
    out.push({
      task: spec.name,
      truth,
      pred,
      outputs: data.outputs,
      examples,
      examplesInput: gatherRows(data.x, width, Int32Array.from(examples, (k) => chosen[k])),
      inputShape: [data.channels, data.length],
      metrics: spec.metrics(pred, truth),
      rows: rows === 'all' ? `all ${chosen.length} labelled rows of ${dbFile}` : `the ${chosen.length} validation rows of ${dbFile} (the cards' split)`,
      rowKind: rows,
    });
  }
  if (out.length === 0) throw new InputError(`${dbFile}: no labelled rows for any model in ${modelDir}`);
  return out;
}
