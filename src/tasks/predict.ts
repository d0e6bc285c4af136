import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Grid } from '../descriptors/grid.js';
import type { ReleasePcfOptions } from '../descriptors/releasePcf.js';
import { parseMeasuredPcf, resamplePcf } from '../descriptors/measured.js';
import { errorMessage, InputError } from '../errors.js';
import { detectInput, statedNumberDensity, type DetectedInput, type InputSource } from '../inputs/detect.js';
import { parseNpy, readNpy } from '../io/npy.js';
import { readFileOrFail } from '../io/readFile.js';
import { parseStructures, readStructures } from '../structure/io/formats.js';
import type { Atoms } from '../structure/atoms.js';
import { SYMBOLS } from '../structure/elements.js';
import { DEFAULT_MATERIAL, listMaterials, materialByName, materialOfElements, type Material } from '../materials/material.js';
import { checkDomain, combineVerdicts, structureStats, type DomainVerdict } from './domain.js';
import { loadTaskModel, type TaskModel } from './ensemble.js';
import { featurizePcf, featurizeStructureInputs, type PcfInput } from './modelInput.js';
import { taskNames, taskSpec, taskSpecs, type TaskSpec } from './taskSpec.js';
import { folderMaterial } from './modelFolder.js';
import { thermalStructure, type ThermalRelaxRecord, type ThermalStructure, type ThermalStructureOptions } from './thermalStructure.js';
import './allTasks.js';

/** The models found in a folder, by task name (a task whose files are absent is simply not offered); all of one material. */
export type ModelSet = Partial<Record<string, TaskModel>>;

/** Model sets by the material they learnt: predict hands each structure to its material's set. */
export type ModelSets = ReadonlyMap<string, ModelSet>;

/** The models of a folder (its material's tasks, or those named). */
export function loadModelSet(dir: string, tasks?: readonly string[]): ModelSet {
  const { set, specs } = modelsInFolder(dir, folderMaterial(dir), tasks);
  if (Object.keys(set).length === 0) throw new InputError(`${dir}: no models found (expected <task>.ensemble.json for ${specs.map((s) => s.name).join(', ')})`);
  return set;
}

function modelsInFolder(dir: string, material: string, tasks?: readonly string[]): { set: ModelSet; specs: TaskSpec[] } {
  const set: ModelSet = {};
  const specs = tasks === undefined ? taskSpecs(material) : tasks.map((t) => taskSpec(t, material));
  for (const spec of specs) {
    const model = loadTaskModel(dir, spec);
    if (model !== undefined) set[spec.name] = model;
  }
  return { set, specs };
}

/**
 * The model folders shipped with the package: carbon's in `root`, and each material's own folder
 * (its material file's `models.folder`, relative to the package) when it holds models.
 */
export function shippedModelFolders(root: string): string[] {
  const folders = [root];
  for (const m of listMaterials()) {
    const dir = join(root, '..', m.models.folder);
    if (m.name !== DEFAULT_MATERIAL && existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.ensemble.json'))) folders.push(dir);
  }
  return folders;
}

/**
 * Model sets from several folders, by material (two folders of one material are refused). Tasks
 * named are loaded where a folder's material has them; each folder must offer at least one.
 */
export function loadModelSets(dirs: readonly string[], tasks?: readonly string[]): ModelSets {
  const sets = new Map<string, ModelSet>();
  for (const dir of dirs) {
    const material = folderMaterial(dir);
    if (sets.has(material)) throw new InputError(`${dir}: a second folder of ${material} models; give one folder per material`);
    if (dirs.length === 1) {
      sets.set(material, loadModelSet(dir, tasks));
      continue;
    }
    // several folders: each offers what it has of the tasks named (its material may lack some)
    const { set } = modelsInFolder(dir, material, tasks?.filter((t) => taskNames(material).includes(t)));
    if (Object.keys(set).length > 0) sets.set(material, set);
  }
  if (sets.size === 0) throw new InputError(`${dirs.join(', ')}: no models found${tasks === undefined ? '' : ` for ${tasks.join(', ')}`}`);
  return sets;
}

/** The specs of the tasks loaded, material by material in load order (what the CSV's columns come from). */
export function loadedTaskSpecs(models: ModelSets): TaskSpec[] {
  return [...models].flatMap(([material, set]) => Object.keys(set).map((task) => taskSpec(task, material)));
}

/** One input's predictions in the JSON contract of `spramnet predict --json` (one key per task). */
export interface Prediction {
  input: string;
  /** The material predicted for: a structure's by its elements (null when they match no material), a g(r)'s as given or the models'. */
  material?: string | null;
  el_dos?: { energy_eV: number[]; dos: number[]; band90?: { low: number[]; high: number[] } };
  /** In the release's label units for the input's own cell (see `unit`). */
  sigma?: { xx: number; yy: number; unit?: string; interval90?: { xx: [number, number]; yy: [number, number] } };
  sheet_conductance?: { xx_S: number; yy_S: number; xx_e2_h: number; yy_e2_h: number; interval90?: Record<string, [number, number]> };
  ph_dos?: { frequency_THz: number[]; dos: number[]; band90?: { low: number[]; high: number[] } };
  /** W_mK and interval90 in the public labels' convention; beside them the 3.35 Å convention and the sheet conductance κ·t (kappaConvention.ts). */
  kappa?: { W_mK: number; interval90?: [number, number]; W_mK_3p35A?: number; W_mK_3p35A_range?: [number, number]; W_mK_3p35A_interval90?: [number, number]; sheet_conductance_W_K?: number; sheet_conductance_W_K_range?: [number, number]; sheet_conductance_W_K_interval90?: [number, number]; convention?: string };
  /** Structures: how the structure was relaxed before its thermal g(r) (see thermalStructure). */
  thermal_relax?: ThermalRelaxRecord;
  domain?: { in_domain: boolean; score: number; reasons: string[]; per_task?: Record<string, { in_domain: boolean; score: number }> };
  error?: string;
  [task: string]: unknown;
}

export interface PredictOptions {
  /** Structure format for every structure input (as `info --format`). */
  format?: string;
  /** Species for structure files that do not name them (a LAMMPS data file without Masses comments, VASP 4). */
  species?: readonly string[];
  /** Number density ρ₀ (atoms/Å³) for PDFgetX3 `.gr` inputs that do not state it. */
  numberDensity_A3?: number;
  /**
   * How a structure's thermal g(r) is computed, for every g(r) model (releasePcf.ts). Default: each
   * model's own record (PcfInput.fromStructure; models without one get the release's hard, rounded form).
   */
  thermalPcf?: ReleasePcfOptions;
  /** Inputs prepared and predicted together (default 64): memory stays flat in the number of inputs. */
  batchSize?: number;
  /** How a structure is relaxed before its thermal g(r) (ph-DoS, κ); `{ relax: false }` uses it as given. */
  thermal?: ThermalStructureOptions;
  /** The material of g(r) inputs (a name or alias of materials/; default: the models' own). Structures say theirs by their elements. */
  material?: string;
}

/** The material a model set learnt: its manifests' (absent: carbon); a set that mixes materials is refused. */
export function modelSetMaterial(models: ModelSet): string {
  const names = new Set(Object.values(models).map((m) => m?.manifest.material ?? DEFAULT_MATERIAL));
  if (names.size > 1) throw new InputError(`the models mix materials (${[...names].join(', ')}): load one material's folder at a time`);
  return [...names][0] ?? DEFAULT_MATERIAL;
}

/** One set or several, as sets by material. */
function asModelSets(models: ModelSet | ModelSets): ModelSets {
  return models instanceof Map ? (models as ModelSets) : new Map([[modelSetMaterial(models as ModelSet), models as ModelSet]]);
}

/**
 * The set a structure is predicted with: its material's (by its elements) when loaded; else the
 * first set, with the reason its predictions are out of domain (another material, or elements
 * that match no material).
 */
function structureMaterial(atoms: Atoms, sets: ModelSets): { material: string | null; set: string; reason?: string } {
  const symbols = [...new Set(Array.from(atoms.numbers, (z) => SYMBOLS[z]))].sort();
  const loaded = [...sets.keys()];
  const fallback = loaded[0];
  const learnt = loaded.length === 1 ? `these models learnt ${fallback}` : `the models loaded learnt ${loaded.join(', ')}`;
  let material: Material;
  try {
    material = materialOfElements(symbols);
  } catch (error) {
    return { material: null, set: fallback, reason: `${errorMessage(error)}; ${learnt}` };
  }
  if (sets.has(material.name)) return { material: material.name, set: material.name };
  return { material: material.name, set: fallback, reason: `a ${material.name} structure (${symbols.join(', ')}); ${learnt}, and no ${material.name} models are loaded` };
}

/**
 * The material of g(r) inputs: the one asked for (refused when unknown or not loaded); without
 * one, the one material whose loaded models read a g(r) (or the only one loaded), refused (naming
 * them) when several do.
 */
export function pcfInputsMaterial(models: ModelSet | ModelSets, material?: string): string {
  const sets = asModelSets(models);
  const loaded = [...sets.keys()];
  if (material === undefined) {
    const reading = loaded.filter((m) => Object.values(sets.get(m) as ModelSet).some((model) => model?.input.kind === 'public-thermal-rdf'));
    if (reading.length <= 1) return reading[0] ?? loaded[0];
    throw new InputError(`a g(r) does not say its material and models of ${reading.join(', ')} read one: give --material (${reading.join(' or ')})`);
  }
  const asked = materialByName(material).name;
  if (!sets.has(asked)) throw new InputError(`--material ${material}: ${loaded.length === 1 ? `these models learnt ${loaded[0]}` : `the models loaded learnt ${loaded.join(', ')}`}; no ${asked} models are loaded`);
  return asked;
}

/** An input of predict: a file path, or a source held in memory (name + text, bytes or parsed structures). */
export type PredictSource = string | InputSource;

const sourceName = (source: PredictSource): string => (typeof source === 'string' ? source : source.name);

/** Below this r (Å) carbon has no pairs: a g(r) that starts later is taken as 0 there. */
const CLOSEST_APPROACH_A = 1.0;

/**
 * A g(r) on a model's grid: a .npy of exactly its bins as the release stores it, or a two-column
 * text (r in Å, g) or a PDFgetX3 .gr (G(r) converted to g(r) with the number density) resampled
 * linearly onto the bin centres. Either must be in the normalisation the model was trained on.
 */
export function readPcfInput(input: DetectedInput, grid: PcfInput, options: PredictOptions = {}): Float64Array {
  const file = input.file;
  if (input.kind === 'pcf-npy') {
    const g = Float64Array.from((input.bytes ? parseNpy(input.bytes, file) : readNpy(file)).data);
    checkPcfValues(g, file);
    clipSmallNegatives(g);
    if (g.length === grid.bins) checkReleaseNormalisation(g, grid, file);
    return featurizePcf(g, grid, file);
  }
  let measured;
  const text = input.text ?? readFileOrFail(file, 'utf8');
  if (input.kind === 'reduced-pdf-gr') {
    const density = options.numberDensity_A3 ?? statedNumberDensity(text);
    if (density === undefined) throw new InputError(`${file}: a PDFgetX3 .gr file holds the reduced G(r) = 4πrρ₀(g(r) − 1), not g(r); its header states no number density, so give ρ₀ in atoms/Å³ (--density) to convert it`);
    measured = parseMeasuredPcf(text, file, { kind: 'gr', numberDensity_A3: density });
  } else measured = parseMeasuredPcf(text, file, { kind: 'text' });
  if (measured.r_A[0] > CLOSEST_APPROACH_A) throw new InputError(`${file}: g(r) starts at r = ${measured.r_A[0]} Å; the thermal models need it from ${CLOSEST_APPROACH_A} Å (below that it is taken as 0)`);
  checkPcfValues(measured.g, file, measured.r_A);
  clipSmallNegatives(measured.g);
  const g = resamplePcf(measured, new Grid(grid.start_A, grid.start_A + grid.bins * grid.step_A, grid.bins), { zeroBelowData: true });
  checkReleaseNormalisation(g, grid, file);
  return featurizePcf(g, grid, file);
}

/**
 * A g(r) is a density of pairs: every value finite and not below −0.01 (the first offender is
 * named). Values in [−0.01, 0) — rounding, or noise of a measurement converted from G(r) — are
 * taken as 0.
 */
const NEGATIVE_TOLERANCE = 0.01;

function checkPcfValues(g: ArrayLike<number>, file: string, r_A?: ArrayLike<number>): void {
  for (let k = 0; k < g.length; k++) {
    if (!Number.isFinite(g[k]) || g[k] < -NEGATIVE_TOLERANCE) {
      const where = r_A ? `at r = ${r_A[k]} Å (data row ${k + 1})` : `in bin ${k}`;
      throw new InputError(`${file}: g(r) is ${g[k]} ${where}; a g(r) must be a finite number ≥ 0 everywhere (cut noisy data below the first peak, or set it to 0)`);
    }
  }
}

/** Values in [−tolerance, 0) set to 0. */
function clipSmallNegatives<T extends { [k: number]: number; length: number }>(g: T): T {
  for (let k = 0; k < g.length; k++) if (g[k] < 0) g[k] = 0;
  return g;
}

/**
 * The thermal models read g(r) in the public release's normalisation (descriptors/releasePcf.ts),
 * whose large-r level is (10/9)·π·ρ·Δr ≈ 0.13 for a carbon sheet (Δr = 0.1 Å); a g(r) normalised
 * to tend to 1 would be read as an 8× denser sheet. Its mean over r ≥ 6 Å must lie in [0.06, 0.3].
 */
export const RELEASE_TAIL_RANGE: readonly [number, number] = [0.06, 0.3];

function checkReleaseNormalisation(g: ArrayLike<number>, grid: PcfInput, file: string): void {
  const from = Math.ceil((6 - grid.start_A) / grid.step_A);
  if (from >= g.length) return;
  let tail = 0;
  for (let k = from; k < g.length; k++) tail += g[k] / (g.length - from);
  if (tail < RELEASE_TAIL_RANGE[0] || tail > RELEASE_TAIL_RANGE[1]) {
    throw new InputError(
      `${file}: g(r) averages ${tail.toPrecision(3)} beyond 6 Å, but the thermal models read the public release's normalisation, (pairs per atom in a 0.1 Å bin, each pair once) / (0.9 r), which levels off near 0.13 for a carbon sheet; ${tail > 0.5 ? 'this g(r) looks normalised to tend to 1: multiply it by (10/9)·π·ρ·Δr (ρ in atoms/Å², Δr = 0.1 Å), or give the structure itself' : 'give it in that normalisation, or give the structure itself'}`,
    );
  }
}

/** What one input contributes before the models run: its model-input rows per task, or why it failed. */
interface PreparedInput {
  input: string;
  /** The material whose models predict it (a key of the model sets). */
  set: string;
  rows: Map<string, Float64Array>;
  /** The structure, for tasks whose target scales with it (σ: the cell height). */
  atoms?: Atoms;
  /** The structure the g(r) tasks read (relaxed with the thermal labels' potential) and what was done. */
  thermal?: ThermalStructure;
  material?: string | null;
  /** Why the models cannot judge the input's material (added to every task's domain verdict). */
  materialReason?: string;
  error?: string;
}

/** Each frame of a multi-frame file is an input of its own, named `file@index` (0-based, as ASE's `file@index`). */
function prepareInput(source: PredictSource, sets: ModelSets, options: PredictOptions, pcfMaterial: string | undefined): PreparedInput[] {
  const file = sourceName(source);
  const failed = (input: string, error: unknown): PreparedInput => ({ input, set: '', rows: new Map(), error: errorMessage(error) });
  try {
    const detected = detectInput(source, { format: options.format });
    if (detected.kind !== 'structure') {
      const set = pcfMaterial ?? pcfInputsMaterial(sets); // several materials read a g(r) and none is given: this input fails, the rest go on
      const models = sets.get(set) as ModelSet;
      const usable = taskSpecs(set).filter((s) => s.input === 'pcf' && models[s.name] !== undefined);
      if (usable.length === 0) throw new InputError(`${file}: no model for a g(r) input is loaded (${set} g(r) inputs give ${taskSpecs(set).filter((s) => s.input === 'pcf').map((s) => s.name).join(', ') || 'nothing'})`);
      const rows = new Map<string, Float64Array>();
      for (const spec of usable) {
        const input = (models[spec.name] as TaskModel).input;
        if (input.kind !== 'public-thermal-rdf') throw new InputError(`${file}: the ${spec.name} model does not read a g(r)`);
        rows.set(spec.name, readPcfInput(detected, input, options));
      }
      return [{ input: file, set, rows, material: set }];
    }
    const read = { format: detected.format, species: options.species };
    const frames = detected.frames ?? (detected.text !== undefined ? parseStructures(detected.text, file, read) : readStructures(file, read));
    return frames.map((atoms, index) => {
      const name = frames.length > 1 ? `${file}@${index}` : file;
      try {
        const { material, set, reason } = structureMaterial(atoms, sets);
        const models = sets.get(set) as ModelSet;
        // a structure feeds every task (g(r) tasks through the release's thermal g(r) computed from it)
        const usable = taskSpecs(set).filter((s) => models[s.name] !== undefined);
        if (usable.length === 0) throw new InputError(`${name}: no ${set} model for a structure input is loaded`);
        const thermal = usable.some((s) => s.input === 'pcf') ? thermalStructure(atoms, options.thermal, name) : undefined;
        return { input: name, set, rows: structureRows(atoms, name, usable, models, options, thermal), atoms, thermal, material, ...(reason !== undefined ? { materialReason: reason } : {}) };
      } catch (error) {
        return failed(name, error);
      }
    });
  } catch (error) {
    return [failed(file, error)];
  }
}

/** The model-input rows of one structure for the usable tasks: one descriptor computation shared by all of them. */
function structureRows(atoms: Atoms, name: string, usable: TaskSpec[], models: ModelSet, options: PredictOptions, thermal: ThermalStructure | undefined): Map<string, Float64Array> {
  const inputs = usable.map((spec) => (models[spec.name] as TaskModel).input);
  // a structure the thermal relaxation moved gets its thermal g(r) from the relaxed atoms (a second pair pass)
  const thermalAtoms = thermal && thermal.atoms !== atoms ? thermal.atoms : undefined;
  const rows = featurizeStructureInputs(atoms, inputs, name, { thermal: options.thermalPcf, ...(thermalAtoms ? { thermalAtoms } : {}) });
  return new Map(usable.map((spec, k) => [spec.name, rows[k]]));
}

/** Predictions of prepared inputs, in their order: each material's models predict all their rows of the batch at once. */
function predictPrepared(prepared: PreparedInput[], sets: ModelSets): Prediction[] {
  const out: Prediction[] = prepared.map((p) => ({ input: p.input, error: p.error }));
  for (const [set, models] of sets) {
    const which = prepared.flatMap((p, k) => (p.error === undefined && p.set === set ? [k] : []));
    if (which.length === 0) continue;
    const predicted = predictOneSet(which.map((k) => prepared[k]), models, taskSpecs(set));
    which.forEach((k, m) => (out[k] = predicted[m]));
  }
  return out;
}

/** Predictions of prepared inputs of one material's set. */
function predictOneSet(prepared: PreparedInput[], models: ModelSet, specs: TaskSpec[]): Prediction[] {
  const outputs = new Map<string, Map<number, { y: Float64Array; low?: Float64Array; high?: Float64Array }>>();
  for (const spec of specs) {
    const model = models[spec.name];
    const which = prepared.flatMap((p, k) => (p.rows.has(spec.name) ? [k] : []));
    if (!model || which.length === 0) continue;
    const width = (prepared[which[0]].rows.get(spec.name) as Float64Array).length;
    const x = new Float64Array(which.length * width);
    which.forEach((k, m) => x.set(prepared[k].rows.get(spec.name) as Float64Array, m * width));
    const { mean, low, high } = model.predictWithIntervals(x, which.length);
    const y = spec.finish ? spec.finish(mean) : mean;
    const per = y.length / which.length;
    const part = (a: Float64Array | undefined, m: number) => a?.subarray(m * per, (m + 1) * per);
    outputs.set(spec.name, new Map(which.map((k, m) => [k, { y: part(y, m) as Float64Array, low: part(low, m), high: part(high, m) }])));
  }
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  return prepared.map((p, k): Prediction => {
    const out: Prediction = { input: p.input, material: p.material ?? null };
    const stats = p.atoms && structureStats(p.atoms);
    const verdicts = new Map<string, DomainVerdict>();
    for (const [task, row] of p.rows) {
      const ref = models[task]?.domain;
      const spec = byName.get(task) as TaskSpec;
      if (!ref) continue;
      const verdict = checkDomain(ref, row, stats);
      // a g(r) model judging a structure: also what its g(r) cannot show (buckling, other elements)
      const extra = [...(p.materialReason !== undefined ? [p.materialReason] : []), ...(spec.input === 'pcf' ? p.thermal?.reasons ?? [] : [])];
      verdicts.set(spec.jsonKey, extra.length === 0 ? verdict : { ...verdict, in_domain: false, reasons: [...extra, ...verdict.reasons] });
    }
    for (const spec of specs) {
      const o = outputs.get(spec.name)?.get(k);
      if (!o) continue;
      const scale = spec.targetScale && p.atoms ? spec.targetScale(p.atoms) : undefined;
      Object.assign(out, spec.toJson(o.y, { low: o.low, high: o.high, scale, unscaledModel: scale !== undefined && !models[spec.name]!.manifest.targetScaled }));
    }
    if (p.thermal) out.thermal_relax = p.thermal.record;
    if (verdicts.size > 0) out.domain = combineVerdicts(verdicts);
    return out;
  });
}

/**
 * Predict every task that applies to each input, handing each prediction to `onPrediction` as soon
 * as its batch is done, in input order (a multi-frame file gives one per frame): a structure gives
 * its material's structure tasks (its descriptors computed with each model's own settings) and g(r)
 * tasks (its thermal g(r)), a g(r) the g(r) tasks of its material (`options.material`, or the one
 * material loaded). `models` is one folder's set or sets by material (loadModelSets). A failing
 * input yields {input, error}; the rest go on. Inputs are read and predicted `batchSize` at a time,
 * so memory does not grow with their number; a prediction does not depend on what else is in the
 * batch. `onInputDone(done, total)` counts inputs.
 */
export function predictStream(
  inputs: readonly PredictSource[],
  models: ModelSet | ModelSets,
  options: PredictOptions,
  onPrediction: (p: Prediction) => void,
  onInputDone?: (done: number, total: number) => void,
): void {
  const sets = asModelSets(models);
  const batch = Math.max(1, options.batchSize ?? 64);
  // an unknown or unloaded material fails before any input is read
  const pcfMaterial = options.material !== undefined ? pcfInputsMaterial(sets, options.material) : undefined;
  for (let from = 0; from < inputs.length; from += batch) {
    const chunk = inputs.slice(from, from + batch);
    const prepared: PreparedInput[] = [];
    chunk.forEach((input, k) => {
      prepared.push(...prepareInput(input, sets, options, pcfMaterial));
      onInputDone?.(from + k + 1, inputs.length);
    });
    for (const p of predictPrepared(prepared, sets)) onPrediction(p);
  }
}

/** All predictions of `predictStream`, in input order. */
export function predictInputs(inputs: readonly PredictSource[], models: ModelSet | ModelSets, options: PredictOptions = {}): Prediction[] {
  const out: Prediction[] = [];
  predictStream(inputs, models, options, (p) => out.push(p));
  return out;
}

/** One line per prediction for a terminal: each task's short summary. */
export function predictionSummary(p: Prediction): string {
  if (p.error !== undefined) return `${p.input}\terror: ${p.error}`;
  const outside = Object.entries(p.domain?.per_task ?? {}).filter(([, v]) => !v.in_domain).map(([task]) => task);
  const reasons = p.domain?.reasons ?? [];
  const flag = p.domain && !p.domain.in_domain ? [`OUT OF DOMAIN for ${outside.join(', ') || 'this input'}: ${reasons[0] ?? ''}${reasons.length > 1 ? ` (+${reasons.length - 1} more in --json)` : ''}`] : [];
  return [p.input, ...taskSpecs(p.material ?? DEFAULT_MATERIAL).flatMap((spec) => (p[spec.jsonKey] === undefined ? [] : [spec.summary(p[spec.jsonKey])])), ...flag].join('\t');
}
