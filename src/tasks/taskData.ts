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
  /** Descriptor settings, as a model file records them. */
  descriptor: { kind: 'spramnet-descriptor'; spec: DescriptorSpec; channels: number[] } | typeof THERMAL_GRID;
  axis?: { name: string; values: number[] };
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

export function loadTaskData(dbFile: string, task: TaskName, descriptor: DescriptorChoice = 'pcf'): TaskData {
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
