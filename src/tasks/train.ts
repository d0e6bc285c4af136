import { mkdirSync } from 'node:fs';
import { complement, kFold, splitRowsByGroup, type Split } from '../data/splits.js';
import { CONTINUOUS_SETTINGS } from '../descriptors/featurize.js';
import { THERMAL_PCF_FOR_PREDICT } from '../descriptors/releasePcf.js';
import { InputError } from '../errors.js';
import '../models/kinds.js';
import { estimatorKind, type Estimator } from '../models/estimator.js';
import type { Matrix } from '../util/matrix.js';
import { gatherRows } from '../util/rows.js';
import { VERSION } from '../version.js';
import { checkDescriptorChoice, structureInput, withRmaxCut, type ContinuousSettings, type DescriptorChoice, type ModelInput } from './modelInput.js';
import { cardFile, cardSplit, checkFolderMaterial, findManifest, folderMaterial, manifestFile, writeJson, writeValidation, type EnsembleManifest, type ModelCard } from './modelFolder.js';
import { compareToReference } from './referenceFigures.js';
import { inLabelUnits, loadTaskData, type TaskData } from './taskData.js';
import { calibrateConformal, conformalBounds, coverage, medianWidth, memberSpread, spreadIn, withHistogramRule, type ConformalCalibration } from './uncertainty.js';
import { recipeOf, taskMaterial, taskSpec, taskSpecs, type RecipeMember, type TaskRecipe, type TaskSpec } from './taskSpec.js';
import { DEFAULT_MATERIAL } from '../materials/material.js';
import { buildDomainReference, distanceRatio, writeDomainReference, type DomainReference } from './domain.js';

export interface TrainTaskOptions {
  /** A recipe of the task (default: the task's default, `ensemble` for the shipped tasks). */
  recipe?: string;
  /** Structure tasks: which descriptor channels (default: the recipe's). */
  descriptor?: DescriptorChoice | string;
  /** Zero g(r) from this r (Å) on: the model learns from shorter range only. */
  rMax_A?: number;
  /** Structure tasks: count every periodic image (`all`, the default: any cell) or the minimum image (the reference featurizer). */
  images?: 'all' | 'minimum';
  /**
   * The continuous descriptors (default true): structure tasks get soft bins and a bond cut-off
   * window (CONTINUOUS_SETTINGS), g(r) tasks record that predict computes a structure's thermal g(r)
   * in the continuous form (THERMAL_PCF_FOR_PREDICT); false: hard histograms, bond cut-off and
   * thermal g(r), as models before them; explicit settings: the soft-bin spread and bond window of
   * structure tasks (refused for g(r) tasks). true, and any setting left out, take the recipe's
   * (TaskRecipe.continuous) where it names them.
   */
  continuous?: boolean | Partial<ContinuousSettings>;
  /** The material whose task this is (default: carbon). */
  material?: string;
  /** false: leave out the task's partial g(r) channels (default: the recipe's choice, with them). */
  partials?: boolean;
  seed?: number;
  validationFraction?: number;
  /** CNN epochs (default: the paper's, 100 for el-DoS and 1000 for the thermal networks). */
  epochs?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** The rows of a fit: training rows, validation rows, and an inner tenth of the training rows (positions in `train`) that weighs the members. */
export interface FitRows extends Split {
  holdOut?: Int32Array;
}

/** Fewer than 4 training rows (tiny test sets): no inner hold-out. */
export function innerSplit(split: Split, seed: number): FitRows {
  if (split.train.length < 4) return split;
  return { ...split, holdOut: kFold(split.train.length, Math.min(10, split.train.length), seed + 1)[0] };
}

/**
 * The descriptors' softening a training uses: false stays hard; true or a partial setting starts
 * from the recipe's (CONTINUOUS_SETTINGS when it names none), overridden by what is given. A g(r)
 * task keeps `true` (its recipes name none), so an explicit setting is refused there as before.
 */
export function continuousFor(recipe: TaskRecipe, continuous: boolean | Partial<ContinuousSettings> = true): boolean | ContinuousSettings {
  if (continuous === false) return false;
  const given = continuous === true ? {} : continuous;
  if (recipe.continuous === undefined && Object.keys(given).length === 0) return true;
  return { ...CONTINUOUS_SETTINGS, ...recipe.continuous, ...given };
}

/** The model input a training of this recipe builds: the options' choices, else the recipe's (so a plain `train` rebuilds a shipped model's input). */
export function trainingInput(spec: TaskSpec, recipe: TaskRecipe, options: Pick<TrainTaskOptions, 'descriptor' | 'rMax_A' | 'images' | 'continuous' | 'partials'> = {}): ModelInput {
  const descriptor = spec.input === 'structure' ? (options.descriptor ?? recipe.descriptor ?? 'pcf') : options.descriptor;
  return modelInputFor(spec, descriptor, options.rMax_A, options.images, continuousFor(recipe, options.continuous), options.partials ?? recipe.partials ?? true);
}

/** The model input of a task: its grid for g(r) tasks, the chosen descriptor channels for structure tasks. */
export function modelInputFor(spec: TaskSpec, descriptor: string | undefined, rMax_A?: number, images: 'all' | 'minimum' = 'all', continuous: boolean | ContinuousSettings = true, partials = true): ModelInput {
  let input: ModelInput;
  if (spec.input === 'pcf') {
    if (descriptor !== undefined) throw new InputError(`task ${spec.name} reads a g(r), so it takes no descriptor choice (got "${descriptor}")`);
    if (spec.pcfGrid === undefined) throw new InputError(`task ${spec.name} reads a g(r) but names no grid`);
    if (typeof continuous === 'object') throw new InputError(`task ${spec.name} reads a g(r): a soft-bin spread and bond window apply to structure tasks only`);
    // the g(r) itself comes from the release; how predict computes it from a structure is recorded
    // with the model (absent, as on models before this setting: the release's hard, rounded form)
    input = continuous !== false ? { ...spec.pcfGrid, fromStructure: { ...THERMAL_PCF_FOR_PREDICT } } : spec.pcfGrid;
  } else input = structureInput(checkDescriptorChoice(descriptor ?? 'pcf', 'descriptor'), images, continuous, partials ? spec.partials : []);
  return withRmaxCut(input, rMax_A);
}

const identity = (v: number): number => v;

/** One member fitted on the training rows, with its predictions for the validation and inner hold-out rows (fit space). */
export interface FittedMember {
  member: RecipeMember;
  estimator: Estimator;
  pred: Float64Array;
  holdOutPred?: Float64Array;
  seconds: number;
}

/**
 * Fit one member of any registered kind. With an inner hold-out the member is first fitted without
 * it (the hold-out may choose its settings: the CNN's epoch, kernel ridge's γ and α) and predicts
 * it, which weighs the members; kinds that refit then fit again on all training rows with what was
 * chosen. Predictions come back in the task's fit space (a log target is exponentiated).
 */
function fitMember(data: TaskData, member: RecipeMember, rows: FitRows, onProgress?: TrainTaskOptions['onProgress']): FittedMember {
  const started = Date.now();
  const kind = estimatorKind(member.kind, `task ${data.spec.name}`);
  const width = data.channels * data.length;
  const forward = member.target === 'log' ? Math.log : identity;
  const back = (m: Matrix): Float64Array => (member.target === 'log' ? Float64Array.from(m.data, Math.exp) : Float64Array.from(m.data));
  const X = (r: Int32Array): Matrix => ({ data: gatherRows(data.x, width, r), rows: r.length, cols: width });
  const Y = (r: Int32Array): Matrix => ({ data: gatherRows(data.y, data.outputs, r).map(forward), rows: r.length, cols: data.outputs });
  const finish = data.spec.finish ?? ((p: Float64Array) => p);
  const unlog = member.target === 'log' ? (v: Float64Array) => v.map(Math.exp) : (v: Float64Array) => v;
  const loss = (p: Float64Array, t: Float64Array): number => data.spec.innerLoss(finish(unlog(p)), unlog(t));
  const progress = (done: number, total: number) => onProgress?.(`${data.spec.name} ${member.kind}`, done, total);
  let estimator: Estimator;
  let holdOutPred: Float64Array | undefined;
  if (rows.holdOut === undefined) {
    estimator = kind.create(member.settings).fit(X(rows.train), Y(rows.train), { loss, onProgress: progress });
  } else {
    const at = (positions: Int32Array) => Int32Array.from(positions, (k) => rows.train[k]);
    const hold = at(rows.holdOut);
    const fitRows = at(complement(rows.train.length, rows.holdOut));
    estimator = kind.create(member.settings).fit(X(fitRows), Y(fitRows), { validation: { x: X(hold), y: Y(hold) }, loss, onProgress: progress });
    holdOutPred = back(estimator.predict(X(hold)));
    if (kind.ensembleFit === 'refit') estimator = kind.create(estimator.refitSettings?.() ?? member.settings).fit(X(rows.train), Y(rows.train), { loss });
  }
  return { member, estimator, pred: back(estimator.predict(X(rows.validation))), holdOutPred, seconds: (Date.now() - started) / 1000 };
}

/**
 * Non-negative weights summing to 1 (a grid of step 1/20 over the simplex) that minimise the inner
 * hold-out loss of the weighted mean. Equal weights when a member has no hold-out predictions.
 */
export function memberWeights(holdOutPreds: (Float64Array | undefined)[], truth: Float64Array, loss: (pred: Float64Array, truth: Float64Array) => number, steps = 20): number[] {
  const n = holdOutPreds.length;
  if (n === 1 || holdOutPreds.some((p) => p === undefined)) return Array.from({ length: n }, () => 1 / n);
  const preds = holdOutPreds as Float64Array[];
  let best = { loss: Infinity, weights: [] as number[] };
  const mix = new Float64Array(truth.length);
  const visit = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) {
      const weights = [...prefix, left].map((w) => w / steps);
      mix.fill(0);
      preds.forEach((p, m) => p.forEach((v, k) => (mix[k] += weights[m] * v)));
      const l = loss(mix, truth);
      if (l < best.loss) best = { loss: l, weights };
      return;
    }
    for (let w = 0; w <= left; w++) visit([...prefix, w], left - w);
  };
  visit([], steps);
  return best.weights;
}

/** Members fitted and weighed; the weighted validation predictions (fit space, finished), the interval calibration and its validation bounds. */
export interface FittedEnsemble {
  members: FittedMember[];
  weights: number[];
  combined: Float64Array;
  truth: Float64Array;
  calibration?: ConformalCalibration;
  bounds?: { low: Float64Array; high: Float64Array };
}

/** Fit and weigh the members, calibrate the intervals (exported for bench/intervals.ts). */
export function fitEnsemble(data: TaskData, members: RecipeMember[], rows: FitRows, onProgress?: TrainTaskOptions['onProgress']): FittedEnsemble {
  const fitted = members.map((m) => fitMember(data, m, rows, onProgress));
  const finish = data.spec.finish ?? ((p: Float64Array) => p);
  const truth = gatherRows(data.y, data.outputs, rows.validation);
  const holdOutTruth = rows.holdOut ? gatherRows(data.y, data.outputs, Int32Array.from(rows.holdOut, (k) => rows.train[k])) : new Float64Array(0);
  const weights = memberWeights(fitted.map((m) => m.holdOutPred), holdOutTruth, (p, t) => data.spec.innerLoss(finish(p), t));
  const combined = new Float64Array(truth.length);
  fitted.forEach((m, j) => m.pred.forEach((v, k) => (combined[k] += weights[j] * v)));
  // intervals: calibrated on the inner hold-out, their bounds on the validation rows measure coverage
  let calibration: ConformalCalibration | undefined;
  let bounds: FittedEnsemble['bounds'];
  if (fitted.every((m) => m.holdOutPred !== undefined) && holdOutTruth.length >= 10 * data.outputs) {
    const rule = data.spec.intervals ?? {};
    const holdPreds = fitted.map((m) => m.holdOutPred as Float64Array);
    const holdRows = Int32Array.from(rows.holdOut!, (k) => rows.train[k]);
    // the hold-out rows' distance to the rows their members were fitted on, as predict measures a new input against all training rows
    const distances = (reference: Int32Array, of: Int32Array) => (rule.scale === 'distance' ? { distanceRatio: distanceRatios(data, reference, of) } : {});
    const holdDifficulty = { spread: spreadIn(rule.space, holdPreds, weights), ...distances(complement(rows.train.length, rows.holdOut!).map((k) => rows.train[k]), holdRows) };
    calibration = withHistogramRule(calibrateConformal(holdOutTruth, finish(memberSpread(holdPreds, weights).mean), holdDifficulty, data.outputs, 0.9, rule), rule, gatherRows(data.y, data.outputs, rows.train));
    const validationDifficulty = { spread: spreadIn(rule.space, fitted.map((m) => m.pred), weights), ...distances(rows.train, rows.validation) };
    bounds = conformalBounds(calibration, finish(Float64Array.from(combined)), validationDifficulty, rule.nonNegative);
  }
  return { members: fitted, weights, combined: finish(combined), truth, calibration, bounds };
}

/** Per row of `of`, its distance ratio (domain.ts) against a domain reference of the `reference` rows. */
function distanceRatios(data: TaskData, reference: Int32Array, of: Int32Array): Float64Array {
  const ref = domainReferenceOf(data, reference);
  const width = data.channels * data.length;
  return Float64Array.from(of, (r) => distanceRatio(ref, data.x.subarray(r * width, (r + 1) * width)));
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`the validation fraction must lie in (0, 1), got ${fraction}`);
}

/** The rows of a task's data a seed and fraction hold out: stratified by origin when the data combine several. */
export function splitTaskData(data: Pick<TaskData, 'origins'>, seed: number, fraction: number): Split {
  return splitRowsByGroup(data.origins, seed, fraction);
}

/** Per origin: its rows in training and validation and, when it has validation rows, its figures there. */
function originFigures(data: TaskData, rows: Split, pred: Float64Array, truth: Float64Array): NonNullable<ModelCard['origins']> {
  const out: NonNullable<ModelCard['origins']> = {};
  for (const origin of [...new Set(data.origins)]) {
    const mine = (r: number) => data.origins[r] === origin;
    const positions = Array.from(rows.validation.keys()).filter((k) => mine(rows.validation[k]));
    const pick = (v: Float64Array) => Float64Array.from(positions.flatMap((k) => Array.from(v.subarray(k * data.outputs, (k + 1) * data.outputs))));
    out[origin] = {
      rows: data.origins.filter((o) => o === origin).length,
      train: Array.from(rows.train).filter(mine).length,
      validation: positions.length,
      ...(positions.length > 0 ? { figures: data.spec.metrics(pick(pred), pick(truth)) } : {}),
    };
  }
  return out;
}

/**
 * Train the model of one task on a store (or several, combined: public + campaign, each row keeping
 * its origin for the split and the card) and write it into `outDir`: the members' files, the
 * ensemble manifest, the card and the validation predictions (model folder layout: modelFolder.ts).
 */
export function trainTask(dbFile: string | readonly string[], task: string, outDir: string, options: TrainTaskOptions = {}): ModelCard {
  const spec = taskSpec(task, options.material);
  const { name: recipeName, recipe } = recipeOf(spec, options.recipe);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InputError(`the seed must be a whole number, got ${seed}`);
  const fraction = options.validationFraction ?? 0.1;
  checkFraction(fraction);
  checkFolderMaterial(outDir, taskMaterial(spec), task); // before hours of training
  const input = trainingInput(spec, recipe, options);
  const data = loadTaskData(dbFile, spec, input);
  const rows = innerSplit(splitTaskData(data, seed, fraction), seed);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const fit = fitEnsemble(data, recipe.members(input, seed, options.epochs), rows, options.onProgress);
  const metadata = { spramnet_task: task, spramnet_input: JSON.stringify(input) };
  const entries = fit.members.map((m, j) => {
    const stem = m.member.stem ?? task;
    const outputNames = spec.outputs > 1 && spec.outputNames ? spec.outputNames.map((n) => `${stem}_${n}`) : [stem];
    return { kind: m.member.kind, files: m.estimator.save(outDir, stem, metadata, outputNames), target: m.member.target ?? 'none', weight: fit.weights[j] };
  });
  const material = taskMaterial(spec);
  const manifest: EnsembleManifest = { format: 'spramnet-ensemble', version: 1, task, outputs: spec.outputs, descriptor: input, members: entries, ...(material !== DEFAULT_MATERIAL ? { material } : {}), ...(data.scales ? { targetScaled: true } : {}), ...(fit.calibration ? { uncertainty: fit.calibration } : {}) };
  writeJson(manifestFile(outDir, task), manifest);
  const finish = spec.finish ?? ((p: Float64Array) => p);
  // figures in label units (σ: the release's label of each row's own cell), comparable with the reference run
  const labels = (v: Float64Array) => inLabelUnits(v, spec.outputs, data.scales, rows.validation);
  const validation = spec.metrics(labels(fit.combined), labels(fit.truth));
  const covered = fit.bounds && coverage(fit.truth, fit.bounds.low, fit.bounds.high, spec.outputs);
  const examples = pickExamples(data, rows.validation);
  const validationFile = writeValidation(
    outDir,
    task,
    { truth: labels(fit.truth), pred: labels(fit.combined), rowIds: Float64Array.from(rows.validation, (r) => data.ids[r]), outputs: spec.outputs, examples, examplesInput: gatherRows(data.x, data.channels * data.length, Int32Array.from(examples, (k) => rows.validation[k])), inputShape: [data.channels, data.length] },
    { descriptor: JSON.stringify(input) },
  );
  const domainFile = writeDomainReference(outDir, task, domainReferenceOf(data, rows.train));
  const card: ModelCard = {
    task,
    material,
    spramnet: VERSION,
    created: new Date().toISOString(),
    recipe: recipeName,
    data: {
      database: data.stores.map((s) => s.file).join(', '),
      ...(data.stores.length > 1 ? { stores: data.stores } : {}),
      rows: data.count,
      train: rows.train.length,
      validation: rows.validation.length,
      split: `seeded 1/${Math.round(1 / fraction)} fold, seed ${seed}${new Set(data.origins).size > 1 ? ', within each origin' : ''}`,
      seed,
      validation_fraction: fraction,
    },
    ...(new Set(data.origins).size > 1 ? { origins: originFigures(data, rows, labels(fit.combined), labels(fit.truth)) } : {}),
    descriptor: input,
    model: { kind: fit.members.length === 1 ? recipe.description : `weighted mean of ${fit.members.length} members (${fit.members.map((m) => m.member.kind).join(', ')})`, weights: fit.weights, weighting: 'non-negative weights summing to 1, chosen on an inner tenth of the training rows' },
    validation,
    members: fit.members.map((m, j) => ({ kind: m.member.kind, weight: fit.weights[j], validation: spec.metrics(labels(finish(m.pred)), labels(fit.truth)), settings: { ...m.estimator.fitted(), ...(m.member.target === 'log' ? { target: 'log' } : {}) }, seconds: m.seconds })),
    reference: compareToReference(spec.reference?.(input), validation),
    ...(fit.calibration && covered
      ? {
          uncertainty: {
            level: fit.calibration.level,
            method: fit.calibration.method,
            calibration_rows: fit.calibration.rows,
            coverage_validation: covered.overall,
            coverage_per_output: covered.perOutput,
            // log10 for κ (fit space) and for σ (log10 of high/low); spectra: per point, in their units
            median_width_per_output: medianWidth(fit.calibration, fit.bounds!.low, fit.bounds!.high, spec.outputs),
          },
        }
      : {}),
    training_seconds: (Date.now() - started) / 1000,
    files: [`${task}.ensemble.json`, ...entries.flatMap((e) => e.files), validationFile, domainFile],
  };
  writeJson(cardFile(outDir, task), card);
  return card;
}

/** The domain reference of a task's training rows: its model inputs and, for structures, their statistics. */
export function domainReferenceOf(data: TaskData, trainRows: Int32Array): DomainReference {
  const width = data.channels * data.length;
  return buildDomainReference(gatherRows(data.x, width, trainRows), trainRows.length, width, data.input.kind === 'spramnet-descriptor' ? 'log(x+1e-4)' : 'none', data.stats && Array.from(trainRows, (r) => data.stats![r]));
}

/**
 * Write the domain reference of every task of a model folder from the store it was trained on
 * (the training rows of each card's split): for folders trained before domain checks existed.
 */
export function writeDomainReferences(dbFile: string, modelDir: string): string[] {
  const written: string[] = [];
  for (const spec of taskSpecs(folderMaterial(modelDir))) {
    const manifest = findManifest(modelDir, spec.name, spec.outputs);
    if (manifest === undefined) continue;
    const data = loadTaskData(dbFile, spec, manifest.descriptor);
    const { seed, fraction } = cardSplit(modelDir, spec.name);
    written.push(writeDomainReference(modelDir, spec.name, domainReferenceOf(data, splitTaskData(data, seed, fraction).train)));
  }
  return written;
}

/**
 * The validation figure (the task's main figure) of members fitted on a seeded split of `data`, as
 * `trainTask` would fit them; nothing is written. The experiments compare settings with it.
 */
export function scoreMembers(data: TaskData, members: RecipeMember[], seed: number, validationFraction = 0.1): number {
  checkFraction(validationFraction);
  const rows = innerSplit(splitTaskData(data, seed, validationFraction), seed);
  const fit = fitEnsemble(data, members, rows);
  const labels = (v: Float64Array) => inLabelUnits(v, data.outputs, data.scales, rows.validation);
  return data.spec.metrics(labels(fit.combined), labels(fit.truth))[data.spec.mainFigure];
}

/** Four of `rows` from the most to the least ordered (by their first channel's highest value): the report's examples. */
export function pickExamples(data: TaskData, rows: Int32Array): number[] {
  const width = data.channels * data.length;
  const peak = Array.from(rows, (r) => Math.max(...data.x.subarray(r * width, r * width + data.length)));
  const order = Array.from(rows.keys()).sort((a, b) => peak[b] - peak[a]);
  return [0, 1, 2, 3].map((q) => order[Math.min(order.length - 1, Math.round((q * (order.length - 1)) / 3))]);
}
