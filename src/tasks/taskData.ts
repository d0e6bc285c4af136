import { AseDatabase } from '../data/aseDb.js';
import { InputError } from '../errors.js';
import { featurizePcf, featurizeStructure, inputShape, type ModelInput } from './modelInput.js';
import type { TaskSpec } from './taskSpec.js';

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
}

/**
 * A task's model inputs and labels from a store: every row of the task's set that has a label and
 * what the input needs (a structure, or a stored g(r)), featurized by the same path predict uses.
 */
export function loadTaskData(dbFile: string, spec: TaskSpec, input: ModelInput): TaskData {
  const db = new AseDatabase(dbFile);
  try {
    const structure = input.kind === 'spramnet-descriptor';
    if (structure !== (spec.input === 'structure')) throw new InputError(`task ${spec.name} reads ${spec.input === 'structure' ? 'structures' : 'a g(r)'}, not ${input.kind}`);
    const rows = db.select({ set: spec.dataset }).filter((r) => (structure ? r.atoms !== undefined : r.data.rdf !== undefined) && spec.label(r) !== undefined);
    if (rows.length === 0) throw new InputError(`${dbFile}: no ${spec.dataset} rows with ${spec.name} labels; import the data first (spramnet import spramnet-public …)`);
    const [channels, length] = inputShape(input);
    const width = channels * length;
    const x = new Float64Array(rows.length * width);
    const y = new Float64Array(rows.length * spec.outputs);
    rows.forEach((r, k) => {
      const name = String(r.keyValues.source ?? `row ${r.id}`);
      x.set(input.kind === 'spramnet-descriptor' ? featurizeStructure(r.atoms!, input, name) : featurizePcf(r.data.rdf as Float64Array, input, name), k * width);
      const label = spec.label(r) as ArrayLike<number>;
      if (label.length !== spec.outputs) throw new InputError(`${dbFile}: row ${r.id} has ${label.length} ${spec.name} label values, expected ${spec.outputs}`);
      y.set(label, k * spec.outputs);
    });
    return { spec, input, x, channels, length, y, outputs: spec.outputs, count: rows.length, ids: rows.map((r) => r.id) };
  } finally {
    db.close();
  }
}
