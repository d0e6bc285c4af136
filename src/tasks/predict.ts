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
import { DEFAULT_MATERIAL, materialByName, materialOfElements, type Material } from '../materials/material.js';
import { checkDomain, combineVerdicts, structureStats, type DomainVerdict } from './domain.js';
import { loadTaskModel, type TaskModel } from './ensemble.js';
import { featurizePcf, featurizeStructureInputs, type PcfInput } from './modelInput.js';
import { taskSpec, taskSpecs, type TaskSpec } from './taskSpec.js';
import { thermalStructure, type ThermalRelaxRecord, type ThermalStructure, type ThermalStructureOptions } from './thermalStructure.js';
import './taskTable.js';

/** The models found in a folder, by task name (a task whose files are absent is simply not offered). */
export type ModelSet = Partial<Record<string, TaskModel>>;

export function loadModelSet(dir: string, tasks?: readonly string[]): ModelSet {
  const set: ModelSet = {};
  const specs = tasks === undefined ? taskSpecs() : tasks.map((t) => taskSpec(t));
  for (const spec of specs) {
    const model = loadTaskModel(dir, spec);
    if (model !== undefined) set[spec.name] = model;
  }
  if (Object.keys(set).length === 0) throw new InputError(`${dir}: no models found (expected <task>.ensemble.json for ${specs.map((s) => s.name).join(', ')})`);
  return set;
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

/** A structure's material by its elements, and why the models cannot judge it when it is not theirs. */
function structureMaterial(atoms: Atoms, modelsMaterial: string): { material: string | null; reason?: string } {
  const symbols = [...new Set(Array.from(atoms.numbers, (z) => SYMBOLS[z]))].sort();
  let material: Material;
  try {
    material = materialOfElements(symbols);
  } catch (error) {
    return { material: null, reason: `${errorMessage(error)}; these models learnt ${modelsMaterial}` };
  }
  if (material.name === modelsMaterial) return { material: material.name };
  return { material: material.name, reason: `a ${material.name} structure (${symbols.join(', ')}); these models learnt ${modelsMaterial}, and no ${material.name} models are loaded` };
}

/** The material of g(r) inputs: the one asked for (refused when unknown or not the models'), else the models'. */
export function pcfInputsMaterial(models: ModelSet, material?: string): string {
  const modelsMaterial = modelSetMaterial(models);
  if (material === undefined) return modelsMaterial;
  const asked = materialByName(material).name;
  if (asked !== modelsMaterial) throw new InputError(`--material ${material}: these models learnt ${modelsMaterial}; no ${asked} models are loaded`);
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
function prepareInput(source: PredictSource, models: ModelSet, specs: TaskSpec[], options: PredictOptions, modelsMaterial: string, pcfMaterial: string): PreparedInput[] {
  const file = sourceName(source);
  try {
    const detected = detectInput(source, { format: options.format });
    const structure = detected.kind === 'structure';
    // a structure feeds every task (g(r) tasks through the release's thermal g(r) computed from it); a g(r) only the g(r) tasks
    const usable = specs.filter((s) => (structure || s.input === 'pcf') && models[s.name] !== undefined);
    if (usable.length === 0) {
      const wanted = specs.filter((s) => structure || s.input === 'pcf').map((s) => s.name);
      throw new InputError(`${file}: no model for a ${structure ? 'structure' : 'g(r)'} input is loaded (${structure ? 'structures' : 'g(r) inputs'} give ${wanted.join(', ') || 'nothing'})`);
    }
    if (!structure) {
      const rows = new Map<string, Float64Array>();
      for (const spec of usable) {
        const input = (models[spec.name] as TaskModel).input;
        if (input.kind !== 'public-thermal-rdf') throw new InputError(`${file}: the ${spec.name} model does not read a g(r)`);
        rows.set(spec.name, readPcfInput(detected, input, options));
      }
      return [{ input: file, rows, material: pcfMaterial }];
    }
    const read = { format: detected.format, species: options.species };
    const frames = detected.frames ?? (detected.text !== undefined ? parseStructures(detected.text, file, read) : readStructures(file, read));
    return frames.map((atoms, index) => {
      const name = frames.length > 1 ? `${file}@${index}` : file;
      try {
        const thermal = usable.some((s) => s.input === 'pcf') ? thermalStructure(atoms, options.thermal, name) : undefined;
        const { material, reason } = structureMaterial(atoms, modelsMaterial);
        return { input: name, rows: structureRows(atoms, name, usable, models, options, thermal), atoms, thermal, material, ...(reason !== undefined ? { materialReason: reason } : {}) };
      } catch (error) {
        return { input: name, rows: new Map(), error: errorMessage(error) };
      }
    });
  } catch (error) {
    return [{ input: file, rows: new Map(), error: errorMessage(error) }];
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

/** Predictions of prepared inputs, in their order: each model predicts all its rows of the batch at once. */
function predictPrepared(prepared: PreparedInput[], models: ModelSet, specs: TaskSpec[]): Prediction[] {
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
  return prepared.map((p, k): Prediction => {
    if (p.error !== undefined) return { input: p.input, error: p.error };
    const out: Prediction = { input: p.input, material: p.material ?? null };
    const stats = p.atoms && structureStats(p.atoms);
    const verdicts = new Map<string, DomainVerdict>();
    for (const [task, row] of p.rows) {
      const ref = models[task]?.domain;
      if (!ref) continue;
      const verdict = checkDomain(ref, row, stats);
      // a g(r) model judging a structure: also what its g(r) cannot show (buckling, other elements)
      const extra = [...(p.materialReason !== undefined ? [p.materialReason] : []), ...(taskSpec(task).input === 'pcf' ? p.thermal?.reasons ?? [] : [])];
      verdicts.set(taskSpec(task).jsonKey, extra.length === 0 ? verdict : { ...verdict, in_domain: false, reasons: [...extra, ...verdict.reasons] });
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
 * the structure tasks (its descriptors computed with each model's own settings) and the g(r) tasks
 * (its thermal g(r)), a g(r) the g(r) tasks. A failing input yields {input, error}; the rest go on.
 * Inputs are read and predicted `batchSize` at a time, so memory does not grow with their number;
 * a prediction does not depend on what else is in the batch. `onInputDone(done, total)` counts inputs.
 */
export function predictStream(
  inputs: readonly PredictSource[],
  models: ModelSet,
  options: PredictOptions,
  onPrediction: (p: Prediction) => void,
  onInputDone?: (done: number, total: number) => void,
): void {
  const specs = taskSpecs();
  const batch = Math.max(1, options.batchSize ?? 64);
  const modelsMaterial = modelSetMaterial(models);
  const pcfMaterial = pcfInputsMaterial(models, options.material); // an unknown or unavailable material fails before any input is read
  for (let from = 0; from < inputs.length; from += batch) {
    const chunk = inputs.slice(from, from + batch);
    const prepared: PreparedInput[] = [];
    chunk.forEach((input, k) => {
      prepared.push(...prepareInput(input, models, specs, options, modelsMaterial, pcfMaterial));
      onInputDone?.(from + k + 1, inputs.length);
    });
    for (const p of predictPrepared(prepared, models, specs)) onPrediction(p);
  }
}

/** All predictions of `predictStream`, in input order. */
export function predictInputs(inputs: readonly PredictSource[], models: ModelSet, options: PredictOptions = {}): Prediction[] {
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
  return [p.input, ...taskSpecs().flatMap((spec) => (p[spec.jsonKey] === undefined ? [] : [spec.summary(p[spec.jsonKey])])), ...flag].join('\t');
}
