import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ParseError } from '../errors.js';
import { DEFAULT_MATERIAL } from '../materials/material.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { readFileOrFail } from '../io/readFile.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors.js';
import { parseModelInput, type ModelInput } from './modelInput.js';
import type { ReferenceComparison } from './referenceFigures.js';
import type { ConformalCalibration } from './uncertainty.js';

/**
 * The layout of a model folder, known here only. Per task `<task>`:
 *   <task>.ensemble.json        the manifest: model input, members (kind, files, target, weight)
 *   <task>.card.json            the card: data, split, figures, members, reference comparison
 *   <task>.validation.safetensors  truth and predictions on the validation rows (for the report)
 *   member files                named by the manifest
 * and experiment-<name>.json for experiment results. A folder from before ensembles holds only the
 * paper's files (`<task>.safetensors`, or sigma_xx.json + sigma_yy.json): read as one member.
 */
export const MANIFEST_FORMAT = 'spramnet-ensemble';
export const MANIFEST_VERSION = 1;

export interface MemberEntry {
  kind: string;
  /** One file, or for trees one file per output (σ: xx, yy). */
  files: string[];
  /** The member was fitted on this function of the label (σ's kernel ridge fits log σ). */
  target: 'none' | 'log';
  /** Its weight in the ensemble (weights sum to 1; absent: equal weights). */
  weight?: number;
}

export interface EnsembleManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  task: string;
  outputs: number;
  /** The model input (historical name kept so older folders read unchanged). */
  descriptor: ModelInput;
  members: MemberEntry[];
  /** The members learnt label × the task's target scale (σ: the sheet quantity). Absent: the label. */
  targetScaled?: boolean;
  /** Calibration of the 90 % intervals (absent: the model gives none). */
  uncertainty?: ConformalCalibration;
  /** The material it learnt (a materials/*.toml name). Absent: carbon, as every folder before materials. */
  material?: string;
}

/** What a model card records. */
export interface ModelCard {
  task: string;
  /** The material it learnt (absent: carbon). */
  material?: string;
  spramnet: string;
  created: string;
  recipe: string;
  data: { database: string; stores?: Array<{ file: string; rows: number }>; rows: number; train: number; validation: number; split: string; seed: number; validation_fraction: number };
  /** Stores of several origins: each origin's rows and its own validation figures. */
  origins?: Record<string, { rows: number; train: number; validation: number; figures?: Record<string, number> }>;
  descriptor: ModelInput;
  model: Record<string, unknown>;
  /** The task's figures on the validation rows, for the ensemble. */
  validation: Record<string, number>;
  /** The same figures for each member alone. */
  members: { kind: string; weight: number; validation: Record<string, number>; settings: Record<string, unknown>; seconds: number }[];
  reference: ReferenceComparison[];
  /** The intervals' level and their measured coverage on the validation rows. */
  uncertainty?: { level: number; method: string; calibration_rows: number; coverage_validation: number; coverage_per_output: number[]; median_width_per_output?: number[] };
  training_seconds: number;
  files: string[];
}

export const manifestFile = (dir: string, task: string): string => join(dir, `${task}.ensemble.json`);
export const cardFile = (dir: string, task: string): string => join(dir, `${task}.card.json`);
export const validationFileName = (task: string): string => `${task}.validation.safetensors`;
export const experimentFile = (dir: string, name: string): string => join(dir, `experiment-${name}.json`);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileOrFail(file).toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ParseError(file, undefined, `not valid JSON: ${error.message}`);
    throw error;
  }
}

export function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
}

/** A manifest, checked field by field. */
export function readManifest(file: string): EnsembleManifest {
  const m = readJson(file) as EnsembleManifest;
  if (m?.format !== MANIFEST_FORMAT) throw new ParseError(file, undefined, `not a spramnet ensemble (format "${String(m?.format)}", expected "${MANIFEST_FORMAT}")`);
  if (m.version > MANIFEST_VERSION) throw new ParseError(file, undefined, `ensemble version ${m.version} is newer than this spramnet reads (${MANIFEST_VERSION}); upgrade spramnet`);
  if (!Array.isArray(m.members) || m.members.length === 0) throw new ParseError(file, undefined, 'field "members" must be a non-empty list');
  if (!(Number.isInteger(m.outputs) && m.outputs > 0)) throw new ParseError(file, undefined, `field "outputs" must be a whole number ≥ 1, got ${JSON.stringify(m.outputs)}`);
  m.descriptor = parseModelInput(m.descriptor, file);
  m.members.forEach((e, k) => {
    if (typeof e.kind !== 'string') throw new ParseError(file, undefined, `members[${k}].kind must name a model kind`);
    if (!Array.isArray(e.files) || e.files.length === 0) throw new ParseError(file, undefined, `members[${k}].files must list the member's files`);
    if (e.target !== 'none' && e.target !== 'log') throw new ParseError(file, undefined, `members[${k}].target is "${e.target}", expected none or log`);
    if (e.weight !== undefined && !(Number.isFinite(e.weight) && e.weight >= 0)) throw new ParseError(file, undefined, `members[${k}].weight must be a number ≥ 0, got ${JSON.stringify(e.weight)}`);
  });
  const total = m.members.reduce((s, e) => s + (e.weight ?? 1 / m.members.length), 0);
  if (Math.abs(total - 1) > 1e-6) throw new ParseError(file, undefined, `the members' weights must sum to 1, they sum to ${total}`);
  return m;
}

/**
 * The manifest of a task in a folder: its ensemble file, or one built for the paper's single-model
 * files of a folder from before ensembles; undefined when the task has no model there.
 */
export function findManifest(dir: string, task: string, outputs: number): EnsembleManifest | undefined {
  const file = manifestFile(dir, task);
  if (existsSync(file)) return readManifest(file);
  const legacy = (entry: MemberEntry, input: unknown, from: string): EnsembleManifest => ({ format: MANIFEST_FORMAT, version: 1, task, outputs, descriptor: parseModelInput(input, from), members: [entry] });
  const trees = [`${task}_xx.json`, `${task}_yy.json`];
  if (outputs === 2 && trees.every((f) => existsSync(join(dir, f)))) {
    const first = join(dir, trees[0]);
    const attributes = (readJson(first) as { learner?: { attributes?: Record<string, string> } }).learner?.attributes ?? {};
    return legacy({ kind: 'gbdt', files: trees, target: 'none' }, JSON.parse(attributes.spramnet_descriptor ?? 'null'), first);
  }
  const cnn = join(dir, `${task}.safetensors`);
  if (existsSync(cnn)) {
    const info = JSON.parse(readSafetensors(cnn).metadata.info ?? '{}') as { descriptor?: unknown };
    return legacy({ kind: 'cnn', files: [`${task}.safetensors`], target: 'none' }, info.descriptor, cnn);
  }
  return undefined;
}

/** A card as data (undefined when the folder has none). */
export function readCard(dir: string, task: string): ModelCard | undefined {
  const file = cardFile(dir, task);
  if (!existsSync(file)) return undefined;
  const card = readJson(file) as ModelCard;
  if (typeof card !== 'object' || card === null || card.task !== task) throw new ParseError(file, undefined, `not the card of task ${task}`);
  return card;
}

/** The split a card records (seed and validation share), as `spramnet train` drew it. */
export function cardSplit(dir: string, task: string): { seed: number; fraction: number } {
  const card = readCard(dir, task);
  if (card === undefined) throw new InputError(`${cardFile(dir, task)}: no model card, so the validation rows are unknown; use --rows all`);
  const { seed, validation_fraction: fraction } = card.data ?? {};
  if (!Number.isInteger(seed) || !(fraction > 0 && fraction < 1)) throw new InputError(`${cardFile(dir, task)}: the card does not record the split (data.seed, data.validation_fraction)`);
  return { seed, fraction };
}

/** Truth and predictions of the validation rows, and the inputs of a few examples, as saved at training time. */
export interface ValidationRecord {
  truth: Float64Array | Float32Array;
  pred: Float64Array | Float32Array;
  rowIds: Float64Array | Float32Array;
  outputs: number;
  examples: number[];
  examplesInput: Float64Array | Float32Array;
  inputShape: number[];
}

export function writeValidation(dir: string, task: string, record: ValidationRecord, metadata: Record<string, string>): string {
  const rows = record.truth.length / record.outputs;
  const file = validationFileName(task);
  writeSafetensors(
    join(dir, file),
    new Map([
      ['truth', { data: record.truth, shape: [rows, record.outputs] }],
      ['pred', { data: record.pred, shape: [rows, record.outputs] }],
      ['row_ids', { data: record.rowIds, shape: [rows] }],
      ['examples', { data: Float64Array.from(record.examples), shape: [record.examples.length] }],
      ['examples_input', { data: record.examplesInput, shape: [record.examples.length, ...record.inputShape] }],
    ]),
    { format: 'spramnet-validation', task, ...metadata },
  );
  return file;
}

export function readValidation(dir: string, task: string): ValidationRecord | undefined {
  const file = join(dir, validationFileName(task));
  if (!existsSync(file)) return undefined;
  const { tensors } = readSafetensors(file);
  const get = (k: string) => {
    const t = tensors.get(k);
    if (t === undefined) throw new ParseError(file, undefined, `missing tensor ${k}`);
    return t;
  };
  return {
    truth: get('truth').data,
    pred: get('pred').data,
    rowIds: tensors.get('row_ids')?.data ?? new Float64Array(0),
    outputs: get('truth').shape[1],
    examples: Array.from(get('examples').data),
    examplesInput: get('examples_input').data,
    inputShape: get('examples_input').shape.slice(1),
  };
}

/** Experiment results saved in a folder, by name (experiment-<name>.json). */
export function readExperiments(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) {
    const m = /^experiment-(.+)\.json$/.exec(f);
    if (m) out.set(m[1], readJson(join(dir, f)));
  }
  return out;
}

/**
 * The material a model folder learnt: its manifests' `material` (absent: carbon, as every folder
 * before materials); a folder that mixes materials is refused.
 */
export function folderMaterial(dir: string): string {
  if (!existsSync(dir)) throw new InputError(`${dir}: no such model folder`);
  const names = new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ensemble.json'))
      .map((f) => readManifest(join(dir, f)).material ?? DEFAULT_MATERIAL),
  );
  if (names.size > 1) throw new InputError(`${dir}: the models mix materials (${[...names].join(', ')}): one folder per material`);
  return [...names][0] ?? DEFAULT_MATERIAL;
}

/** Refuses to write a `material` model into a folder that holds another material's (one folder per material). */
export function checkFolderMaterial(dir: string, material: string, task: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ensemble.json') && x !== `${task}.ensemble.json`)) {
    const other = readManifest(join(dir, f)).material ?? DEFAULT_MATERIAL;
    if (other !== material) throw new InputError(`${dir} holds ${other} models (${f}); a ${material} model goes into a folder of its own (one folder per material)`);
  }
}
