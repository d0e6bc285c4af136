import { channelNames, CONTINUOUS_SETTINGS, describe, describeWithThermal, type DescriptorSpec, REFERENCE_SPEC, type StructureChannelCache } from '../descriptors/featurize.js';
import { releaseThermalPcf, type ReleasePcfOptions } from '../descriptors/releasePcf.js';
import { ParseError, InputError } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import type { ImageConvention } from '../descriptors/pcf.js';

/**
 * What a model reads, recorded once in its ensemble manifest: either descriptors computed from a
 * structure (a DescriptorSpec and which of its channels, in the layout g2d, g3d, adf, environment),
 * or a g(r) on an explicit grid in the public thermal set's normalisation. `rMaxCut_A`: g(r) bins
 * not wholly below it are zeroed, in training and in predict alike (the one r_max mechanism).
 */
export interface StructureInput {
  kind: 'spramnet-descriptor';
  spec: DescriptorSpec;
  /**
   * Channel numbers of `describe(atoms, {...spec, adf: true})`: without partials 0 g2d, 1 g3d, 2 adf,
   * 3 environment, 4 soap (only with the environment), 5 tight-binding el-DoS (only with soap); the
   * spec's partial g(r) channels (two-element materials) come after g3d and shift the rest.
   */
  channels: number[];
  rMaxCut_A?: number;
}

export interface PcfInput {
  kind: 'public-thermal-rdf';
  bins: number;
  step_A: number;
  start_A: number;
  rMaxCut_A?: number;
  /**
   * How predict computes this g(r) from a structure (releasePcf.ts). Absent: the release's own form
   * (hard bins, rounded to 0.001; RELEASE_PCF_FORM), which is what models trained before the
   * continuous descriptors were written for; models trained since record THERMAL_PCF_FOR_PREDICT.
   */
  fromStructure?: ReleasePcfOptions;
}

/** The release's own form of a structure's thermal g(r): hard bins, rounded as its files are. */
export const RELEASE_PCF_FORM: Readonly<Required<ReleasePcfOptions>> = Object.freeze({ round: true, softening_A: 0 });

/** How predict computes a g(r) input from a structure: `override` if given, else the model's record, else the release form. */
export function structurePcfForm(input: PcfInput, override?: ReleasePcfOptions): Required<ReleasePcfOptions> {
  const form = override ?? input.fromStructure ?? RELEASE_PCF_FORM;
  return { round: form.round ?? true, softening_A: form.softening_A ?? 0 };
}

export type ModelInput = StructureInput | PcfInput;

/** The public thermal set's g(r): 100 bins of 0.1 Å from 0 Å, in the release's own normalisation. */
export const THERMAL_GRID: Readonly<PcfInput> = Object.freeze({ kind: 'public-thermal-rdf', bins: 100, step_A: 0.1, start_A: 0 });

/**
 * Structure-task inputs: g2d + g3d, optionally the ADF, the local-environment statistics and (after
 * them) the mean atom-centred power spectrum (soap.ts) and the tight-binding el-DoS (tbDos.ts) as
 * extra channels.
 */
export type DescriptorChoice = 'pcf' | 'pcf+adf' | 'pcf+env' | 'pcf+adf+env' | 'pcf+env+soap' | 'pcf+adf+env+soap' | 'pcf+env+soap+tb' | 'pcf+adf+env+soap+tb';
export const DESCRIPTOR_CHOICES: readonly DescriptorChoice[] = ['pcf', 'pcf+adf', 'pcf+env', 'pcf+adf+env', 'pcf+env+soap', 'pcf+adf+env+soap', 'pcf+env+soap+tb', 'pcf+adf+env+soap+tb'];

export function checkDescriptorChoice(choice: string, where = 'descriptor'): DescriptorChoice {
  if (!DESCRIPTOR_CHOICES.includes(choice as DescriptorChoice)) throw new InputError(`${where} must be one of ${DESCRIPTOR_CHOICES.join(', ')}, got "${choice}"`);
  return choice as DescriptorChoice;
}

/**
 * The model input of a descriptor choice on the descriptor grids of data.md, counting either
 * every periodic image (`all`: the physical g(r), any cell) or the minimum image only (`minimum`:
 * the reference featurizer, which truncates g(r) beyond half the cell width and needs an
 * orthorhombic cell). `continuous` (the default) adds CONTINUOUS_SETTINGS: soft bins and a bond
 * cut-off window, so the model's predictions are continuous functions of the positions; false gives
 * the reference's hard histograms and cut-off (models trained before these settings existed); explicit
 * settings choose the soft-bin spread and the window (narrower stays closer to the hard histograms).
 */
export function structureInput(choice: DescriptorChoice, images: ImageConvention = 'minimum', continuous: boolean | ContinuousSettings = true, partials: ReadonlyArray<readonly [string, string]> = []): StructureInput {
  checkDescriptorChoice(choice);
  if (images !== 'all' && images !== 'minimum') throw new InputError(`images must be all or minimum, got "${images}"`);
  const adf = choice.includes('adf');
  const environment = choice.includes('env');
  const soap = choice.includes('soap');
  const tb = choice.endsWith('+tb');
  const spec: DescriptorSpec = {
    ...REFERENCE_SPEC,
    images,
    adf,
    ...(partials.length > 0 ? { partials: partials.map(([a, b]) => [a, b] as [string, string]) } : {}),
    ...(environment ? { environment } : {}),
    ...(soap ? { soap } : {}),
    ...(tb ? { tb } : {}),
    ...continuousSettings(continuous),
  };
  const wanted = ['g_2d', 'g_3d', ...partials.map(([a, b]) => `g_2d_${a}${b}`), ...(adf ? ['adf'] : []), ...(environment ? ['environment'] : []), ...(soap ? ['soap'] : []), ...(tb ? ['tb_el_dos'] : [])];
  return { kind: 'spramnet-descriptor', spec, channels: wanted.map((name) => channelNumber(spec, name)) };
}

/** The names of a structure input's channels, in its row's order ("g_2d", "g_2d_BN", "environment", …). */
export function inputChannelNames(input: StructureInput): string[] {
  const all = channelNames({ ...input.spec, adf: true });
  return input.channels.map((c) => all[c]);
}

/** A channel's number in the full descriptor of a spec (the ADF included), by name. */
function channelNumber(spec: DescriptorSpec, name: string): number {
  const k = channelNames({ ...spec, adf: true }).indexOf(name);
  if (k < 0) throw new InputError(`descriptor channel "${name}" is not part of this setting`);
  return k;
}

/** How far a structure input's histograms and bond cut-off are softened (featurize.ts DescriptorSpec). */
export type ContinuousSettings = Readonly<Required<Pick<DescriptorSpec, 'binSpread' | 'bondWindow_A'>>>;

function continuousSettings(continuous: boolean | ContinuousSettings): Partial<ContinuousSettings> {
  if (continuous === true) return CONTINUOUS_SETTINGS;
  if (continuous === false) return {};
  const { binSpread, bondWindow_A } = continuous;
  if (!(binSpread > 0 && binSpread <= 1)) throw new InputError(`the soft-bin spread must lie in (0, 1] bins, got ${binSpread}`);
  if (!(bondWindow_A > 0 && bondWindow_A < REFERENCE_SPEC.adfBondCutoff_A)) throw new InputError(`the bond cut-off window must lie in (0, ${REFERENCE_SPEC.adfBondCutoff_A}) Å, got ${bondWindow_A}`);
  return { binSpread, bondWindow_A };
}

/** The choice a structure input was made with (its channel names; partial g(r) channels ride along with "pcf"). */
export function descriptorChoiceOf(input: ModelInput): DescriptorChoice | undefined {
  if (input.kind !== 'spramnet-descriptor') return undefined;
  const names = inputChannelNames(input);
  const adf = names.includes('adf');
  const environment = names.includes('environment');
  const soap = (names.includes('soap') ? '+soap' : '') + (names.includes('tb_el_dos') ? '+tb' : '');
  return ((adf ? (environment ? 'pcf+adf+env' : 'pcf+adf') : environment ? 'pcf+env' : 'pcf') + soap) as DescriptorChoice;
}

/** [channels, bins per channel] of the model's input rows. */
export function inputShape(input: ModelInput): [number, number] {
  return input.kind === 'spramnet-descriptor' ? [input.channels.length, input.spec.bins] : [1, input.bins];
}

/** Width of the r bins of the input's g(r) channels, Å. */
export function inputStep_A(input: ModelInput): number {
  return input.kind === 'spramnet-descriptor' ? input.spec.rMax_A / input.spec.bins : input.step_A;
}

/** Channels that are functions of r (g2d, g3d, partial g(r), a thermal g(r)); the ADF, environment, soap and tb are not: they come after them. */
function gChannels(input: ModelInput): number {
  return input.kind === 'spramnet-descriptor' ? inputChannelNames(input).filter((name) => name.startsWith('g_')).length : 1;
}

/** The input with g(r) zeroed from `rMaxCut_A` on; refused outside the grid. */
export function withRmaxCut(input: ModelInput, rMaxCut_A: number | undefined): ModelInput {
  if (rMaxCut_A === undefined) return input;
  const step = inputStep_A(input);
  const [, bins] = inputShape(input);
  if (!(rMaxCut_A >= 8 * step && Math.round(rMaxCut_A / step) <= bins)) throw new InputError(`r_max ${rMaxCut_A} Å is outside the g(r) grid (${8 * step} … ${bins * step} Å)`);
  return { ...input, rMaxCut_A };
}

/** Zero every g(r) bin not wholly below the input's `rMaxCut_A` in one row, in place; returns the row. */
export function applyRmaxCut(row: Float64Array, input: ModelInput): Float64Array {
  if (input.rMaxCut_A === undefined) return row;
  const [, bins] = inputShape(input);
  const keep = Math.round(input.rMaxCut_A / inputStep_A(input));
  for (let c = 0; c < gChannels(input); c++) row.fill(0, c * bins + keep, (c + 1) * bins);
  return row;
}

/**
 * One model-input row from a structure: the descriptors with the input's settings (computed with
 * the ADF so inputs with and without it share one computation, cached in `cache` per setting), its
 * channels picked, the r_max cut applied. The one featurize path of import, training and predict.
 */
export function featurizeStructure(atoms: Atoms, input: StructureInput, name = 'structure', cache?: Map<string, Float64Array>): Float64Array {
  const spec = { ...input.spec, adf: true };
  const key = JSON.stringify(spec);
  let full = cache?.get(key);
  if (full === undefined) {
    full = describe(atoms, spec, name);
    cache?.set(key, full);
  }
  return pickChannels(full, input);
}

/** The channels of an input picked from a full descriptor row, the r_max cut applied. */
function pickChannels(full: Float64Array, input: StructureInput): Float64Array {
  const bins = input.spec.bins;
  const out = new Float64Array(input.channels.length * bins);
  input.channels.forEach((c, m) => out.set(full.subarray(c * bins, (c + 1) * bins), m * bins));
  return applyRmaxCut(out, input);
}

export interface StructureInputsOptions {
  /** How the thermal g(r) of g(r) inputs is computed from the structure, for every input (default: each input's own record, structurePcfForm). */
  thermal?: ReleasePcfOptions;
  /** Compute the thermal g(r) from these atoms instead (e.g. the structure relaxed with the thermal set's potential). */
  thermalAtoms?: Atoms;
}

/**
 * The model-input rows of one structure for several models at once, in the order of `inputs`:
 * structure inputs share one descriptor computation per setting, and g(r) inputs get the
 * structure's g(r) in the release's thermal normalisation — from the same pair pass as the
 * descriptors when the settings allow (describeWithThermal), so predict visits each pair once.
 */
export function featurizeStructureInputs(atoms: Atoms, inputs: readonly ModelInput[], name = 'structure', options: StructureInputsOptions = {}): Float64Array[] {
  const specs = new Map<string, DescriptorSpec>();
  for (const input of inputs) if (input.kind === 'spramnet-descriptor') specs.set(JSON.stringify({ ...input.spec, adf: true }), { ...input.spec, adf: true });
  const grids = new Map<string, PcfInput>();
  const forms = new Map<string, Required<ReleasePcfOptions>>();
  const gridKey = (input: PcfInput) => `${input.start_A}/${input.step_A}/${input.bins}/${JSON.stringify(structurePcfForm(input, options.thermal))}`;
  for (const input of inputs) {
    if (input.kind !== 'public-thermal-rdf') continue;
    grids.set(gridKey(input), input);
    forms.set(gridKey(input), structurePcfForm(input, options.thermal));
  }
  const described = new Map<string, Float64Array>();
  const thermal = new Map<string, Float64Array>();
  const [first] = specs.keys();
  // models whose settings differ only in their g(r) softening share the atoms-only channels
  const shared: StructureChannelCache = {};
  // one thermal grid from the same atoms: ride along with the first descriptor computation
  const together = first !== undefined && grids.size === 1 && options.thermalAtoms === undefined;
  for (const [key, spec] of specs) {
    if (together && key === first) {
      const [thermalKey, grid] = [...grids][0];
      const both = describeWithThermal(atoms, spec, { grid, options: forms.get(thermalKey) as Required<ReleasePcfOptions> }, name, shared);
      described.set(key, both.values);
      thermal.set(thermalKey, both.thermal as Float64Array);
    } else described.set(key, describe(atoms, spec, name, shared));
  }
  for (const [key, grid] of grids) if (!thermal.has(key)) thermal.set(key, releaseThermalPcf(options.thermalAtoms ?? atoms, grid, name, forms.get(key)));
  return inputs.map((input) =>
    input.kind === 'spramnet-descriptor'
      ? pickChannels(described.get(JSON.stringify({ ...input.spec, adf: true })) as Float64Array, input)
      : featurizePcf(thermal.get(gridKey(input)) as Float64Array, input, name),
  );
}

/** One model-input row from a g(r) already on the input's grid (a fresh array, r_max cut applied). */
export function featurizePcf(g: ArrayLike<number>, input: PcfInput, name = 'g(r)'): Float64Array {
  if (g.length !== input.bins) throw new InputError(`${name}: a g(r) for this model must hold ${input.bins} values (bins of ${input.step_A} Å from ${input.start_A} Å), found ${g.length}`);
  return applyRmaxCut(Float64Array.from(g), input);
}

/** A stored model input, checked (manifests and model files are read back through this). */
export function parseModelInput(value: unknown, file: string): ModelInput {
  const v = value as { kind?: unknown; spec?: unknown; channels?: unknown; bins?: number; step_A?: number; start_A?: number } | null;
  if (v?.kind === 'spramnet-descriptor') {
    if (typeof v.spec !== 'object' || v.spec === null || !Array.isArray(v.channels)) throw new ParseError(file, undefined, 'a structure model input needs "spec" and "channels"');
    return v as unknown as StructureInput;
  }
  if (v?.kind === 'public-thermal-rdf') {
    if (!(Number.isInteger(v.bins) && (v.bins as number) > 0 && (v.step_A as number) > 0 && Number.isFinite(v.start_A))) throw new ParseError(file, undefined, 'a g(r) model input needs "bins", "step_A" and "start_A"');
    return v as unknown as PcfInput;
  }
  throw new ParseError(file, undefined, `unknown model input kind "${String(v?.kind)}" (expected spramnet-descriptor or public-thermal-rdf)`);
}
