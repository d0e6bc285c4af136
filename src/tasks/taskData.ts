import { AseDatabase, type StoreRow } from '../data/aseDb.js';
import { EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ } from '../data/labels.js';
import { localEnvironment } from '../descriptors/environment.js';
import { REFERENCE_SPEC, type DescriptorSpec } from '../descriptors/featurize.js';
import { InputError } from '../errors.js';

export type TaskName = 'el-dos' | 'sigma' | 'ph-dos' | 'kappa';
export const TASKS: readonly TaskName[] = ['el-dos', 'sigma', 'ph-dos', 'kappa'];
/** Structure-task inputs: g2d + g3d, optionally the ADF and the local-environment statistics as extra channels. */
export type DescriptorChoice = 'pcf' | 'pcf+adf' | 'pcf+env' | 'pcf+adf+env';
export const DESCRIPTOR_CHOICES: readonly DescriptorChoice[] = ['pcf', 'pcf+adf', 'pcf+env', 'pcf+adf+env'];

/** The public thermal set's g(r): 100 bins of 0.1 Å from 0 Å, in the release's own normalisation. */
export const THERMAL_GRID = Object.freeze({ kind: 'public-thermal-rdf', bins: 100, step_A: 0.1, start_A: 0 });

/** Inputs and targets of one task, rows in database order, plus their provenance. */
export interface TaskData {
  task: TaskName;
  /** count × channels × length */
  x: Float64Array;
  channels: number;
  length: number;
  /** count × outputs; κ as log10(κ / (W/(m·K))) */
  y: Float64Array;
  outputs: number;
  count: number;
  ids: number[];
  /** Descriptor settings, as a model file records them (with `rMaxCut_A` when g(r) beyond it is zeroed). */
  descriptor: ({ kind: 'spramnet-descriptor'; spec: DescriptorSpec; channels: number[] } | typeof THERMAL_GRID) & { rMaxCut_A?: number };
  axis?: { name: string; values: number[] };
}

/**
 * Zero every g(r) bin not wholly below `rMaxCut_A` in one row of model inputs laid out as the
 * stored descriptor says (g2d and g3d are the first two structure channels; the thermal g(r) is the
 * only channel). The ADF and environment channels are not functions of r and stay. Returns the row.
 */
export function applyRmaxCut(row: Float64Array, descriptor: unknown): Float64Array {
  const d = descriptor as { kind?: string; rMaxCut_A?: number; spec?: DescriptorSpec; channels?: number[] };
  if (d?.rMaxCut_A === undefined) return row;
  const structure = d.kind === 'spramnet-descriptor';
  const length = structure ? (d.spec as DescriptorSpec).bins : THERMAL_GRID.bins;
  const step = structure ? (d.spec as DescriptorSpec).rMax_A / length : THERMAL_GRID.step_A;
  const keep = Math.round(d.rMaxCut_A / step);
  const gChannels = structure ? (d.channels ?? []).filter((c) => c < 2).length : 1;
  for (let c = 0; c < gChannels; c++) row.fill(0, c * length + keep, (c + 1) * length);
  return row;
}

/** The choice a model's stored descriptor was made with (its channel numbers), so it can be loaded again. */
export function descriptorChoiceOf(descriptor: unknown): DescriptorChoice {
  const channels = (descriptor as { channels?: number[] } | undefined)?.channels ?? [0, 1];
  const adf = channels.includes(2);
  const environment = channels.includes(3);
  return adf ? (environment ? 'pcf+adf+env' : 'pcf+adf') : environment ? 'pcf+env' : 'pcf';
}

function pick(rows: StoreRow[], has: (r: StoreRow) => boolean): StoreRow[] {
  return rows.filter(has);
}

/** A task's inputs and labels from a database; `rMaxCut_A` zeroes g(r) from that r on (applyRmaxCut). */
export function loadTaskData(dbFile: string, task: TaskName, descriptor: DescriptorChoice = 'pcf', rMaxCut_A?: number): TaskData {
  const data = loadUncut(dbFile, task, descriptor);
  if (rMaxCut_A === undefined) return data;
  const step = data.length === 160 ? 0.05 : THERMAL_GRID.step_A;
  if (!(rMaxCut_A >= 8 * step && Math.round(rMaxCut_A / step) <= data.length)) throw new InputError(`r_max ${rMaxCut_A} Å is outside the g(r) grid (${8 * step} … ${data.length * step} Å)`);
  const cut = { ...data, descriptor: { ...data.descriptor, rMaxCut_A } };
  const width = data.channels * data.length;
  for (let r = 0; r < data.count; r++) applyRmaxCut(cut.x.subarray(r * width, (r + 1) * width), cut.descriptor);
  return cut;
}

function loadUncut(dbFile: string, task: TaskName, descriptor: DescriptorChoice): TaskData {
  if (!TASKS.includes(task)) throw new InputError(`unknown task "${task}" (expected ${TASKS.join(', ')})`);
  const db = new AseDatabase(dbFile);
  try {
    if (task === 'el-dos' || task === 'sigma') {
      const rows = pick(db.select({ set: 'electron' }), (r) => r.data.descriptor_reference !== undefined && (task === 'el-dos' ? r.data.el_dos !== undefined : r.keyValues.sigma_xx !== undefined));
      if (rows.length === 0) throw new InputError(`${dbFile}: no electron rows with ${task} labels; import the data first (spramnet import spramnet-public …)`);
      if (!DESCRIPTOR_CHOICES.includes(descriptor)) throw new InputError(`unknown descriptor "${descriptor}" (expected ${DESCRIPTOR_CHOICES.join(', ')})`);
      const adf = descriptor.includes('adf');
      const environment = descriptor.endsWith('env');
      // channel numbers in the layout predict computes: g2d, g3d, adf, [environment]
      const channels = [0, 1, ...(adf ? [2] : []), ...(environment ? [3] : [])];
      const x = new Float64Array(rows.length * channels.length * 160);
      rows.forEach((r, k) => {
        const d = r.data.descriptor_reference as Float64Array;
        channels.forEach((c, m) => {
          if (c < 3) x.set(d.subarray(160 * c, 160 * (c + 1)), (k * channels.length + m) * 160);
          else {
            if (r.atoms === undefined) throw new InputError(`${dbFile}: row ${r.id} has no structure for the environment statistics`);
            x.set(localEnvironment(r.atoms, REFERENCE_SPEC.adfBondCutoff_A, String(r.keyValues.source ?? r.id)), (k * channels.length + m) * 160);
          }
        });
      });
      const outputs = task === 'el-dos' ? 81 : 2;
      const y = new Float64Array(rows.length * outputs);
      rows.forEach((r, k) => {
        if (task === 'el-dos') y.set(r.data.el_dos as Float64Array, k * 81);
        else y.set([Number(r.keyValues.sigma_xx), Number(r.keyValues.sigma_yy)], k * 2);
      });
      return {
        task,
        x,
        channels: channels.length,
        length: 160,
        y,
        outputs,
        count: rows.length,
        ids: rows.map((r) => r.id),
        descriptor: { kind: 'spramnet-descriptor', spec: { ...REFERENCE_SPEC, adf, ...(environment ? { environment } : {}) }, channels },
        axis: task === 'el-dos' ? { name: 'energy_eV', values: Array.from(EL_DOS_ENERGIES_EV) } : undefined,
      };
    }
    const set = task === 'ph-dos' ? 'phonon' : 'kappa';
    const rows = pick(db.select({ set }), (r) => r.data.rdf !== undefined && (task === 'ph-dos' ? r.data.ph_dos !== undefined : r.keyValues.kappa_W_mK !== undefined));
    if (rows.length === 0) throw new InputError(`${dbFile}: no ${set} rows with ${task} labels; import the data first`);
    const outputs = task === 'ph-dos' ? 100 : 1;
    const x = new Float64Array(rows.length * 100);
    const y = new Float64Array(rows.length * outputs);
    rows.forEach((r, k) => {
      x.set(r.data.rdf as Float64Array, k * 100);
      if (task === 'ph-dos') y.set(r.data.ph_dos as Float64Array, k * 100);
      else y[k] = Math.log10(Number(r.keyValues.kappa_W_mK));
    });
    return {
      task,
      x,
      channels: 1,
      length: 100,
      y,
      outputs,
      count: rows.length,
      ids: rows.map((r) => r.id),
      descriptor: THERMAL_GRID,
      axis: task === 'ph-dos' ? { name: 'frequency_THz', values: Array.from(PH_DOS_BIN_CENTRES_THZ) } : undefined,
    };
  } finally {
    db.close();
  }
}
