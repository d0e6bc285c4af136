import { AseDatabase } from '../data/aseDb.js';
import { InputError } from '../errors.js';
import { featurizePcf, featurizeStructure, inputShape, type ModelInput } from './modelInput.js';
import type { TaskSpec } from './taskSpec.js';
import { structureStats, type StructureStats } from './domain.js';

/** Inputs and labels of one task, rows in database order, plus their provenance. */
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
  ids: number[];
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

/**
 * A task's model inputs and labels from a store: every row of the task's set that has a label and
 * what the input needs (a structure, or a stored g(r)), featurized by the same path predict uses.
 */
export function loadTaskData(dbFile: string, spec: TaskSpec, input: ModelInput): TaskData {
  const db = new AseDatabase(dbFile, { mustExist: true });
  try {
    const structure = input.kind === 'spramnet-descriptor';
    if (structure !== (spec.input === 'structure')) throw new InputError(`task ${spec.name} reads ${spec.input === 'structure' ? 'structures' : 'a g(r)'}, not ${input.kind}`);
    const rows = db.select({ set: spec.dataset }).filter((r) => (structure ? r.atoms !== undefined : r.data.rdf !== undefined) && spec.label(r) !== undefined);
    if (rows.length === 0) throw new InputError(`${dbFile}: no ${spec.dataset} rows with ${spec.name} labels; import the data first (spramnet import spramnet-public …)`);
    const [channels, length] = inputShape(input);
    const width = channels * length;
    const x = new Float64Array(rows.length * width);
    const y = new Float64Array(rows.length * spec.outputs);
    const scales = spec.targetScale && structure ? new Float64Array(rows.length) : undefined;
    const stats = structure ? rows.map((r) => structureStats(r.atoms!)) : undefined;
    rows.forEach((r, k) => {
      const name = String(r.keyValues.source ?? `row ${r.id}`);
      x.set(input.kind === 'spramnet-descriptor' ? featurizeStructure(r.atoms!, input, name) : featurizePcf(r.data.rdf as Float64Array, input, name), k * width);
      const label = spec.label(r) as ArrayLike<number>;
      if (label.length !== spec.outputs) throw new InputError(`${dbFile}: row ${r.id} has ${label.length} ${spec.name} label values, expected ${spec.outputs}`);
      const scale = scales ? (spec.targetScale as NonNullable<TaskSpec['targetScale']>)(r.atoms!) : 1;
      if (scales) scales[k] = scale;
      for (let o = 0; o < spec.outputs; o++) y[k * spec.outputs + o] = label[o] * scale;
    });
    return { spec, input, x, channels, length, y, outputs: spec.outputs, count: rows.length, ids: rows.map((r) => r.id), ...(scales ? { scales } : {}), ...(stats ? { stats } : {}) };
  } finally {
    db.close();
  }
}
