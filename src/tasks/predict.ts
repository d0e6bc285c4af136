import { EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ } from '../data/labels.js';
import { describe, type DescriptorSpec } from '../descriptors/featurize.js';
import { Grid } from '../descriptors/grid.js';
import { parseMeasuredPcf, readMeasuredPcf, resamplePcf } from '../descriptors/measured.js';
import { errorMessage, InputError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { readFileOrFail } from '../io/readFile.js';
import { FORMATS, parseStructures, readStructure } from '../structure/io/formats.js';
import { loadTaskModel, type TaskModel } from './ensemble.js';
import { applyRmaxCut, THERMAL_GRID, TASKS, type TaskName } from './taskData.js';
import { finishPhDos } from './trainTask.js';

/** The models found in a folder, by task (a task whose files are absent is simply not offered). */
export type ModelSet = Partial<Record<TaskName, TaskModel>>;

export function loadModelSet(dir: string, tasks?: readonly TaskName[]): ModelSet {
  const set: ModelSet = {};
  for (const task of TASKS) {
    if (tasks !== undefined && !tasks.includes(task)) continue;
    const model = loadTaskModel(dir, task);
    if (model !== undefined) set[task] = model;
  }
  if (Object.keys(set).length === 0) throw new InputError(`${dir}: no models found (expected <task>.ensemble.json, or el-dos.safetensors, sigma_xx.json + sigma_yy.json, ph-dos.safetensors, kappa.safetensors)`);
  return set;
}

/** One input's predictions in the JSON contract of `spramnet predict --json`. */
export interface Prediction {
  input: string;
  el_dos?: { energy_eV: number[]; dos: number[] };
  sigma?: { xx: number; yy: number };
  ph_dos?: { frequency_THz: number[]; dos: number[] };
  kappa?: { W_mK: number };
  error?: string;
}

/**
 * The channels a model was trained on. Descriptors are computed once per structure and setting
 * (with the ADF, so models with and without it share them) and cached in `cache`.
 */
function descriptorOf(atoms: ReturnType<typeof readStructure>, stored: unknown, file: string, cache: Map<string, Float64Array>): Float64Array {
  const d = stored as { kind: string; spec: DescriptorSpec; channels: number[] };
  if (d?.kind !== 'spramnet-descriptor') throw new InputError(`${file}: the model was not trained on structure descriptors`);
  const spec = { ...d.spec, adf: true };
  const key = JSON.stringify(spec);
  let full = cache.get(key);
  if (full === undefined) cache.set(key, (full = describe(atoms, spec, file)));
  const out = new Float64Array(d.channels.length * d.spec.bins);
  d.channels.forEach((c, m) => out.set((full as Float64Array).subarray(c * d.spec.bins, (c + 1) * d.spec.bins), m * d.spec.bins));
  return out;
}

/** Extensions read as a two-column text g(r) (unless the content is a structure file). */
const TEXT_PCF = /\.(gr|txt|csv|rdf|dat)$/i;

/** Below this r (Å) carbon has no pairs: a g(r) that starts later is taken as 0 there. */
const CLOSEST_APPROACH_A = 1.0;

/**
 * What an input is: a g(r) .npy, a text g(r), or a structure. Text extensions are read here once
 * (their content decides), and the text is handed on so the file is not read again.
 */
type InputKind = { kind: 'npy' } | { kind: 'pcf-text'; text: string } | { kind: 'structure'; text?: string };

function classifyInput(file: string): InputKind {
  if (file.endsWith('.npy')) return { kind: 'npy' };
  if (!TEXT_PCF.test(file)) return { kind: 'structure' };
  const text = readFileOrFail(file, 'utf8');
  const head = text.slice(0, 4096);
  return FORMATS.some((f) => f.sniff(head)) ? { kind: 'structure', text } : { kind: 'pcf-text', text };
}

/** Whether an input is a g(r) (for the thermal models) rather than a structure. */
export function isPcfInput(file: string): boolean {
  return classifyInput(file).kind !== 'structure';
}

/**
 * A g(r) on the public thermal grid (100 bins of 0.1 Å from 0 Å, values at the bin centres): a .npy
 * of exactly 100 values as the release stores it, or a two-column text (r in Å, g) resampled
 * linearly onto the bin centres (`text`: its content, when already read). Either must be in the
 * release's own normalisation, which the thermal models were trained on.
 */
export function readThermalPcf(file: string, text?: string): Float64Array {
  if (file.endsWith('.npy')) {
    const g = readNpy(file).data;
    if (g.length !== THERMAL_GRID.bins) throw new InputError(`${file}: a g(r) .npy must hold ${THERMAL_GRID.bins} values (bins of ${THERMAL_GRID.step_A} Å from ${THERMAL_GRID.start_A} Å), found ${g.length}`);
    return Float64Array.from(g);
  }
  const measured = text === undefined ? readMeasuredPcf(file, { kind: 'text' }) : parseMeasuredPcf(text, file, { kind: 'text' });
  const grid = new Grid(THERMAL_GRID.start_A, THERMAL_GRID.start_A + THERMAL_GRID.bins * THERMAL_GRID.step_A, THERMAL_GRID.bins);
  if (measured.r_A[0] > CLOSEST_APPROACH_A) throw new InputError(`${file}: g(r) starts at r = ${measured.r_A[0]} Å; the thermal models need it from ${CLOSEST_APPROACH_A} Å (below that it is taken as 0)`);
  return resamplePcf(measured, grid, { zeroBelowData: true });
}

/** What one input contributes before the models run: its model inputs per task, or why it failed. */
interface PreparedInput {
  input: string;
  rows: Partial<Record<TaskName, Float64Array>>;
  error?: string;
}

function prepareInput(input: string, models: ModelSet): PreparedInput {
  try {
    const what = classifyInput(input);
    if (what.kind !== 'structure') {
      if (!models['ph-dos'] && !models.kappa) throw new InputError(`${input}: no ph-DoS or κ model is loaded for a g(r) input`);
      const g = readThermalPcf(input, what.kind === 'pcf-text' ? what.text : undefined);
      const rows: PreparedInput['rows'] = {};
      for (const task of ['ph-dos', 'kappa'] as const) {
        const model = models[task];
        if (model) rows[task] = applyRmaxCut(Float64Array.from(g), model.descriptor);
      }
      return { input, rows };
    }
    const atoms = what.text === undefined ? readStructure(input) : parseStructures(what.text, input)[0];
    if (!models['el-dos'] && !models.sigma) throw new InputError(`${input}: no el-DoS or σ model is loaded for a structure input`);
    const cache = new Map<string, Float64Array>();
    const rows: PreparedInput['rows'] = {};
    for (const task of ['el-dos', 'sigma'] as const) {
      const model = models[task];
      if (model) rows[task] = applyRmaxCut(descriptorOf(atoms, model.descriptor, input, cache), model.descriptor); // a fresh array per model
    }
    return { input, rows };
  } catch (error) {
    return { input, rows: {}, error: errorMessage(error) };
  }
}

/**
 * Predict every task that applies to an input: a structure file gives el-DoS and σ (its
 * descriptors computed with each model's own settings); a g(r) (.npy or two-column text) gives
 * ph-DoS and κ. A failing input yields {input, error}; the rest go on. Inputs are read first and
 * each model then predicts all its rows in one batch (the CNNs and kernel products run faster so).
 */
export function predictInputs(inputs: readonly string[], models: ModelSet): Prediction[] {
  const prepared = inputs.map((input) => prepareInput(input, models));
  const outputs = new Map<TaskName, Map<number, Float64Array>>();
  for (const task of TASKS) {
    const model = models[task];
    const which = prepared.flatMap((p, k) => (p.rows[task] ? [k] : []));
    if (!model || which.length === 0) continue;
    const width = (prepared[which[0]].rows[task] as Float64Array).length;
    const x = new Float64Array(which.length * width);
    which.forEach((k, m) => x.set(prepared[k].rows[task] as Float64Array, m * width));
    let y = model.predict(x, which.length);
    if (task === 'ph-dos') y = finishPhDos(y);
    const per = y.length / which.length;
    outputs.set(task, new Map(which.map((k, m) => [k, y.subarray(m * per, (m + 1) * per)])));
  }
  return prepared.map((p, k): Prediction => {
    if (p.error !== undefined) return { input: p.input, error: p.error };
    const out: Prediction = { input: p.input };
    const of = (task: TaskName) => outputs.get(task)?.get(k);
    const el = of('el-dos');
    if (el) out.el_dos = { energy_eV: Array.from(EL_DOS_ENERGIES_EV), dos: Array.from(el) };
    const sigma = of('sigma');
    if (sigma) out.sigma = { xx: sigma[0], yy: sigma[1] };
    const ph = of('ph-dos');
    if (ph) out.ph_dos = { frequency_THz: Array.from(PH_DOS_BIN_CENTRES_THZ), dos: Array.from(ph) };
    const kappa = of('kappa');
    if (kappa) out.kappa = { W_mK: 10 ** kappa[0] };
    return out;
  });
}
