import { basename } from 'node:path';
import { AseDatabase, type StoreRow } from '../data/aseDb.js';
import { releaseThermalPcf } from '../descriptors/releasePcf.js';
import { InputError } from '../errors.js';
import { featurizePcf, featurizeStructure, inputShape, structurePcfForm, type ModelInput } from './modelInput.js';
import { taskMaterial, type TaskSpec } from './taskSpec.js';
import { DEFAULT_MATERIAL, materialByName } from '../materials/material.js';
import { atomicNumber } from '../structure/elements.js';
import { structureStats, type StructureStats } from './domain.js';

/** Inputs and labels of one task, rows in store order (stores in the order given), plus their provenance. */
export interface TaskData {
  spec: TaskSpec;
  input: ModelInput;
  /** count × channels × length */
  x: Float64Array;
  channels: number;
  length: number;
  /** count × outputs, fit space (κ as log10) */
  y: Float64Array;
  outputs: number;
  count: number;
  /** Each row's id in its own store. */
  ids: number[];
  /** Each row's origin (the `origin` key a label or campaign store writes; the public import's rows: "spramnet-public"). */
  origins: string[];
  /** The stores read, in order, and how many rows each gave. */
  stores: Array<{ file: string; rows: number }>;
  /** Per row, the spec's target scale (y = label × scale), when the spec has one. */
  scales?: Float64Array;
  /** Structure tasks: each row's physical statistics (the domain check's reference). */
  stats?: StructureStats[];
}

/** Fit-space values (rows × outputs) back in label units, row by row. */
export function inLabelUnits(values: Float64Array, outputs: number, scales: Float64Array | undefined, rows: ArrayLike<number>): Float64Array {
  if (scales === undefined) return values;
  return values.map((v, k) => v / scales[rows[Math.floor(k / outputs)]]);
}

/** A store (or stores) without a single row that can train a task: callers scoring several tasks skip it. */
export class NoTaskRowsError extends InputError {}

/** Where a row came from: the key label and campaign stores write, or the public import's release id. */
export function rowOrigin(row: StoreRow, file: string): string {
  if (typeof row.keyValues.origin === 'string') return row.keyValues.origin;
  return row.keyValues.release_id !== undefined ? 'spramnet-public' : basename(file);
}

/**
 * The rows of a store that can train a task: those of its material (by their elements; a stored
 * g(r) without atoms counts as carbon's, the public release's) with the task's label and what its input needs —
 * atoms for a structure task; a stored g(r) or atoms (whose thermal g(r) is computed as predict
 * computes it) for a g(r) task. Any store spramnet writes qualifies; the set name does not matter.
 */
export function taskRows(db: AseDatabase, spec: TaskSpec): StoreRow[] {
  const structure = spec.input === 'structure';
  const elements = new Set(materialByName(taskMaterial(spec)).elements.map((s) => atomicNumber(s)));
  // a store may hold several materials (a B–N row's el-DoS lies on another grid): each task takes its material's rows
  const ofMaterial = (r: StoreRow) => r.atoms === undefined ? taskMaterial(spec) === DEFAULT_MATERIAL : Array.from(r.atoms.numbers).every((z) => elements.has(z));
  return db.select().filter((r) => (structure ? r.atoms !== undefined : r.data.rdf !== undefined || r.atoms !== undefined) && ofMaterial(r) && spec.label(r) !== undefined);
}

/**
 * A task's model inputs and labels from one store or several (their rows one after another, each
 * with its origin), featurized by the same path predict uses.
 */
export function loadTaskData(dbFiles: string | readonly string[], spec: TaskSpec, input: ModelInput): TaskData {
  const files = typeof dbFiles === 'string' ? [dbFiles] : [...dbFiles];
  if (files.length === 0) throw new InputError(`task ${spec.name}: no store given`);
  const structure = input.kind === 'spramnet-descriptor';
  if (structure !== (spec.input === 'structure')) throw new InputError(`task ${spec.name} reads ${spec.input === 'structure' ? 'structures' : 'a g(r)'}, not ${input.kind}`);
  const picked: Array<{ row: StoreRow; file: string }> = [];
  const stores: TaskData['stores'] = [];
  for (const file of files) {
    const db = new AseDatabase(file, { mustExist: true });
    try {
      const rows = taskRows(db, spec);
      stores.push({ file, rows: rows.length });
      for (const row of rows) picked.push({ row, file });
    } finally {
      db.close();
    }
  }
  if (picked.length === 0) {
    const what = spec.input === 'structure' ? 'structures' : 'a g(r) or a structure';
    throw new NoTaskRowsError(`${files.join(', ')}: no rows with ${spec.name} labels and ${what}; import the public data (spramnet import spramnet-public …) or label structures into the store (spramnet label ${spec.name} … --db, or a campaign)`);
  }
  const [channels, length] = inputShape(input);
  const width = channels * length;
  const x = new Float64Array(picked.length * width);
  const y = new Float64Array(picked.length * spec.outputs);
  const scales = spec.targetScale && structure ? new Float64Array(picked.length) : undefined;
  const stats = structure ? picked.map(({ row }) => structureStats(row.atoms!)) : undefined;
  picked.forEach(({ row: r, file }, k) => {
    const name = `${file} row ${r.id}${r.keyValues.source !== undefined ? ` (${String(r.keyValues.source)})` : ''}`;
    let features: Float64Array;
    if (input.kind === 'spramnet-descriptor') features = featurizeStructure(r.atoms!, input, name);
    else features = featurizePcf(r.atoms !== undefined ? releaseThermalPcf(r.atoms, input, name, structurePcfForm(input)) : (r.data.rdf as Float64Array), input, name);
    x.set(features, k * width);
    const label = spec.label(r) as ArrayLike<number>;
    if (label.length !== spec.outputs) throw new InputError(`${file}: row ${r.id} has ${label.length} ${spec.name} label values, expected ${spec.outputs}`);
    const scale = scales ? (spec.targetScale as NonNullable<TaskSpec['targetScale']>)(r.atoms!) : 1;
    if (scales) scales[k] = scale;
    for (let o = 0; o < spec.outputs; o++) y[k * spec.outputs + o] = label[o] * scale;
  });
  return {
    spec,
    input,
    x,
    channels,
    length,
    y,
    outputs: spec.outputs,
    count: picked.length,
    ids: picked.map(({ row }) => row.id),
    origins: picked.map(({ row, file }) => rowOrigin(row, file)),
    stores,
    ...(scales ? { scales } : {}),
    ...(stats ? { stats } : {}),
  };
}
