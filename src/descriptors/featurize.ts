import { InputError, errorMessage } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { readStructures, type ReadOptions } from '../structure/io/formats.js';
import { isOrthorhombic } from '../structure/cell.js';
import { angleHistogram, angularDistribution } from './adf.js';
import { sheetMinimumImagePairs } from './sheetPairLoop.js';
import { sheetView } from './sheet.js';
import { bondStatistics } from './bondStatistics.js';
import { ENVIRONMENT_FEATURES, localEnvironment } from './environment.js';
import { releaseGrid, releasePcfFromCounts, releaseThermalPcf, type ReleasePcfGrid, type ReleasePcfOptions } from './releasePcf.js';
import { sheetPairCounts, sheetPairCountsPlain, type SheetPairPlan } from './sheetPairs.js';
import { Grid } from './grid.js';
import { SOAP_DEFAULTS, soapChannel, soapLength } from './soap.js';
import { TB_CHANNEL_LENGTH, tightBindingDosChannel } from './tbDos.js';
import { normalizePairCounts, pairCorrelation, PCF_KINDS, type ImageConvention, type PcfKind } from './pcf.js';

/**
 * Everything that defines a descriptor array; stored with every model so prediction recomputes
 * exactly what the model was trained on. Plain JSON.
 */
export interface DescriptorSpec {
  /** One channel per kind, in this order. */
  pcf: PcfKind[];
  /** Partial g(r) channels [a, b] (of the first pcf kind), after the total ones. */
  partials?: Array<[string, string]>;
  /** Add the bond-angle distribution as a channel, zero-padded to `bins`. */
  adf: boolean;
  /** Add the local-environment statistics (rings, coordination, bonds, buckling; environment.ts) as a last channel, zero-padded to `bins`. */
  environment?: boolean;
  /** Add the mean atom-centred power spectrum (soap.ts, its default setting) as a last channel, zero-padded to `bins`. */
  soap?: boolean;
  /** Add the π tight-binding el-DoS (tbDos.ts) as a last channel, zero-padded to `bins`. */
  tb?: boolean;
  rMax_A: number;
  bins: number;
  images: ImageConvention;
  smearing_A: number;
  adfBins: number;
  adfBondCutoff_A: number;
  /**
   * Soft bins for the g(r) channels and the ADF: each distance or angle spread uniformly over this
   * many bin widths (softBins.ts; 1 shares it linearly between the two nearest bin centres), so
   * the descriptor is continuous in the positions. 0 or absent: hard histograms (the reference).
   */
  binSpread?: number;
  /**
   * Bond statistics (ADF, environment) averaged over bond cut-offs within this window around
   * adfBondCutoff_A, Å (bondStatistics.ts): continuous in the positions. 0 or absent: the hard cut-off.
   */
  bondWindow_A?: number;
}

/**
 * The continuous settings structure models are trained with (`structureInput`): linear sharing
 * between bin centres, and bond statistics over cut-offs in [1.80, 1.90] Å. Without them a pair
 * crossing a bin edge or the bond cut-off by 1e-5 Å moved σ by up to 0.6 % (issue 19).
 */
export const CONTINUOUS_SETTINGS: Readonly<Required<Pick<DescriptorSpec, 'binSpread' | 'bondWindow_A'>>> = Object.freeze({ binSpread: 1, bondWindow_A: 0.1 });

/** The descriptors of data.md: g2d, g3d (160 bins of 0.05 Å to 8 Å, minimum image) and the ADF. */
export const REFERENCE_SPEC: Readonly<DescriptorSpec> = Object.freeze({
  pcf: ['2d', '3d'] as PcfKind[],
  adf: true,
  rMax_A: 8,
  bins: 160,
  images: 'minimum' as ImageConvention,
  smearing_A: 0,
  adfBins: 90,
  adfBondCutoff_A: 1.85,
});

export function descriptorSpec(partial: Partial<DescriptorSpec> = {}): DescriptorSpec {
  const spec: DescriptorSpec = { ...REFERENCE_SPEC, images: 'all', ...partial };
  spec.pcf = [...spec.pcf];
  for (const kind of spec.pcf) if (!PCF_KINDS.includes(kind)) throw new InputError(`unknown g(r) kind "${kind}" (expected ${PCF_KINDS.join(', ')})`);
  if (spec.pcf.length === 0 && !spec.adf) throw new InputError('a descriptor needs at least one g(r) kind or the ADF');
  if (!(spec.rMax_A > 0)) throw new InputError(`r_max must be a positive number of Å, got ${spec.rMax_A}`);
  if (!Number.isInteger(spec.bins) || spec.bins < 1) throw new InputError(`bins must be a whole number ≥ 1, got ${spec.bins}`);
  if (spec.environment && ENVIRONMENT_FEATURES.length > spec.bins) throw new InputError(`the ${ENVIRONMENT_FEATURES.length} environment statistics do not fit in ${spec.bins} bins`);
  if (spec.soap && soapLength(SOAP_DEFAULTS) > spec.bins) throw new InputError(`the ${soapLength(SOAP_DEFAULTS)} power-spectrum values do not fit in ${spec.bins} bins`);
  if (spec.tb && TB_CHANNEL_LENGTH > spec.bins) throw new InputError(`the ${TB_CHANNEL_LENGTH} tight-binding DoS values do not fit in ${spec.bins} bins`);
  if (spec.adf && spec.adfBins > spec.bins) throw new InputError(`the ADF's ${spec.adfBins} bins do not fit in ${spec.bins} bins`);
  if (spec.images !== 'all' && spec.images !== 'minimum') throw new InputError(`images must be "all" or "minimum", got "${spec.images}"`);
  if ((spec.partials?.length ?? 0) > 0 && spec.pcf.length === 0) throw new InputError('partial g(r) channels need a g(r) kind');
  const spread = spec.binSpread ?? 0;
  if (!(spread >= 0 && spread <= 1)) throw new InputError(`the soft-bin spread must lie in [0, 1] bins, got ${spec.binSpread}`);
  if (spread > 0 && spec.smearing_A > 0) throw new InputError('choose either Gaussian smearing or soft bins, not both');
  const window = spec.bondWindow_A ?? 0;
  if (!(window >= 0 && window < spec.adfBondCutoff_A)) throw new InputError(`the bond cut-off window must lie in [0, ${spec.adfBondCutoff_A}) Å, got ${spec.bondWindow_A}`);
  return spec;
}

export function channelNames(spec: DescriptorSpec): string[] {
  return [
    ...spec.pcf.map((k) => `g_${k}`),
    ...(spec.partials ?? []).map(([a, b]) => `g_${spec.pcf[0]}_${a}${b}`),
    ...(spec.adf ? ['adf'] : []),
    ...(spec.environment ? ['environment'] : []),
    ...(spec.soap ? ['soap'] : []),
    ...(spec.tb ? ['tb_el_dos'] : []),
  ];
}

const gridCache = new Map<string, Grid>();

function cachedGrid(stop: number, bins: number, unit: string): Grid {
  const key = `${stop}/${bins}/${unit}`;
  let grid = gridCache.get(key);
  if (grid === undefined) gridCache.set(key, (grid = new Grid(0, stop, bins, unit)));
  return grid;
}

/** The r grid of a spec (one shared object per setting, so its edges are computed once). */
export function rGrid(spec: DescriptorSpec): Grid {
  return cachedGrid(spec.rMax_A, spec.bins, 'Å');
}

export function adfGrid(spec: DescriptorSpec): Grid {
  return cachedGrid(180, spec.adfBins, 'deg');
}

/**
 * The channels of one structure that no descriptor setting changes (the power spectrum and the TB
 * el-DoS depend on the atoms alone), kept while one structure is described under several settings:
 * predict's σ and el-DoS models soften their g(r) differently but share these, the costliest channels.
 */
export interface StructureChannelCache {
  soap?: Float64Array;
  tb?: Float64Array;
}

/** Descriptor of one structure: channels × bins, row-major. */
export function describe(atoms: Atoms, spec: DescriptorSpec, file = 'structure', cache?: StructureChannelCache): Float64Array {
  return describeWithThermal(atoms, spec, undefined, file, cache).values;
}

/**
 * Descriptors of one structure and, when `thermal` is given, its g(r) in the release's thermal
 * normalisation (releasePcf.ts) — from one pair pass when the spec allows it (every periodic image,
 * 2d/3d totals, no Gaussian smearing: what structure models use), so predict visits each pair once.
 */
export function describeWithThermal(atoms: Atoms, spec: DescriptorSpec, thermal: { grid: ReleasePcfGrid; options: ReleasePcfOptions } | undefined, file = 'structure', cache: StructureChannelCache = {}): { values: Float64Array; thermal?: Float64Array } {
  const grid = rGrid(spec);
  const channels = channelNames(spec).length;
  const out = new Float64Array(channels * spec.bins);
  fillOtherChannels(atoms, spec, out, file, cache);
  if (usesSheetPass(spec)) return describeSheetPass(atoms, spec, grid, out, thermal, file);
  const thermalValues = thermal && releaseThermalPcf(atoms, thermal.grid, file, thermal.options);
  if (spec.environment) out.set(localEnvironment(atoms, spec.adfBondCutoff_A, file, { window_A: spec.bondWindow_A ?? 0 }), spec.bins * environmentChannel(spec));
  if (usesSheetKernel(spec)) return { values: describeSheetFast(atoms, spec, grid, out, file), thermal: thermalValues };
  let c = 0;
  const common = { grid, images: spec.images, smearing_A: spec.smearing_A, binSpread: spec.binSpread ?? 0, file };
  for (const kind of spec.pcf) out.set(pairCorrelation(atoms, { ...common, kind }), spec.bins * c++);
  for (const species of spec.partials ?? []) out.set(pairCorrelation(atoms, { ...common, kind: spec.pcf[0], species }), spec.bins * c++);
  if (spec.adf) {
    const adf = angularDistribution(atoms, {
      bondCutoff_A: spec.adfBondCutoff_A,
      grid: adfGrid(spec),
      images: spec.images,
      binSpread: spec.binSpread ?? 0,
      bondWindow_A: spec.bondWindow_A ?? 0,
      file,
    });
    out.set(adf, spec.bins * c++);
  }
  return { values: out, thermal: thermalValues };
}

/** Index of the environment channel: after the g(r) channels and the ADF, before soap and tb. */
function environmentChannel(spec: DescriptorSpec): number {
  return channelNames(spec).length - 1 - (spec.soap ? 1 : 0) - (spec.tb ? 1 : 0);
}

/** The channels no pair pass feeds: the power spectrum (soap) and the tight-binding el-DoS (tb), the last ones. */
function fillOtherChannels(atoms: Atoms, spec: DescriptorSpec, out: Float64Array, file: string, cache: StructureChannelCache): void {
  const channels = channelNames(spec).length;
  const tb = spec.tb ? 1 : 0;
  if (spec.soap) out.set((cache.soap ??= soapChannel(atoms, SOAP_DEFAULTS, file)), spec.bins * (channels - 1 - tb));
  if (spec.tb) out.set((cache.tb ??= tightBindingDosChannel(atoms, file)), spec.bins * (channels - 1));
}

/** The fused reference kernel covers the reference setting: 2d/3d totals, minimum image, hard bins and cut-off. */
function usesSheetKernel(spec: DescriptorSpec): boolean {
  return spec.images === 'minimum' && spec.smearing_A === 0 && !(spec.binSpread ?? 0) && !(spec.bondWindow_A ?? 0) && (spec.partials?.length ?? 0) === 0 && spec.pcf.every((k) => k === '2d' || k === '3d');
}

/** The one-pass path (sheetPairs.ts): every periodic image, 2d/3d totals, no Gaussian smearing. */
export function usesSheetPass(spec: DescriptorSpec): boolean {
  return spec.images === 'all' && spec.smearing_A === 0 && (spec.partials?.length ?? 0) === 0 && spec.pcf.every((k) => k === '2d' || k === '3d');
}

function describeSheetPass(atoms: Atoms, spec: DescriptorSpec, grid: Grid, out: Float64Array, thermal: { grid: ReleasePcfGrid; options: ReleasePcfOptions } | undefined, file: string, plain = false): { values: Float64Array; thermal?: Float64Array } {
  const sheet = sheetView(atoms, file);
  const n = atoms.length;
  if (n === 0) throw new InputError(`${file}: no atoms`);
  const spread = spec.binSpread ?? 0;
  const window_A = spec.bondWindow_A ?? 0;
  const bondsNeeded = spec.adf || spec.environment;
  const plan: SheetPairPlan = {
    r: { grid, spread, inPlane: spec.pcf.includes('2d'), full: spec.pcf.includes('3d') },
    ...(thermal ? { thermal: { grid: releaseGrid(thermal.grid), spread: (thermal.options.softening_A ?? 0) / thermal.grid.step_A } } : {}),
    ...(bondsNeeded ? { bondCutoff_A: spec.adfBondCutoff_A + window_A / 2 } : {}),
  };
  const pairs = plain ? sheetPairCountsPlain(sheet, plan) : sheetPairCounts(sheet, plan);
  const bins = spec.bins;
  let c = 0;
  for (const kind of spec.pcf) {
    const channel = out.subarray(bins * c, bins * ++c);
    channel.set((kind === '2d' ? pairs.inPlane : pairs.full) as Float64Array);
    normalizePairCounts(channel, grid, 'area', n, n / sheet.area_A2);
  }
  if (bondsNeeded) {
    const environment = environmentChannel(spec);
    bondStatistics(
      n,
      pairs.bonds,
      sheet.positions,
      { cutoff_A: spec.adfBondCutoff_A, window_A, ...(spec.adf ? { adf: { grid: adfGrid(spec), spread } } : {}), environment: spec.environment },
      {
        ...(spec.adf ? { adf: out.subarray(bins * c, bins * c + spec.adfBins) } : {}),
        ...(spec.environment ? { environment: out.subarray(bins * environment, bins * environment + ENVIRONMENT_FEATURES.length) } : {}),
      },
    );
  }
  const thermalValues = thermal && releasePcfFromCounts(pairs.thermal as Float64Array, thermal.grid, n, thermal.options.round ?? true);
  return { values: out, thermal: thermalValues };
}

/**
 * The plain reference of the one-pass path: the same descriptors from the general neighbour list
 * (sheetPairCountsPlain); tests hold `describeWithThermal` to it bit for bit.
 */
export function describeWithThermalPlain(atoms: Atoms, spec: DescriptorSpec, thermal: { grid: ReleasePcfGrid; options: ReleasePcfOptions } | undefined, file = 'structure'): { values: Float64Array; thermal?: Float64Array } {
  if (!usesSheetPass(spec)) throw new InputError('the plain one-pass reference covers every-image 2d/3d descriptors only');
  const out = new Float64Array(channelNames(spec).length * spec.bins);
  fillOtherChannels(atoms, spec, out, file, {});
  return describeSheetPass(atoms, spec, rGrid(spec), out, thermal, file, true);
}

function describeSheetFast(atoms: Atoms, spec: DescriptorSpec, grid: Grid, out: Float64Array, file: string): Float64Array {
  if (!isOrthorhombic(atoms.cell)) throw new InputError(`${file}: the minimum-image convention needs an orthorhombic cell`);
  const sheet = sheetView(atoms, file);
  const pairs = sheetMinimumImagePairs(sheet.positions, atoms.cell[0], atoms.cell[4], grid, spec.adfBondCutoff_A);
  const n = atoms.length;
  let c = 0;
  for (const kind of spec.pcf) {
    const channel = out.subarray(spec.bins * c, spec.bins * ++c);
    channel.set(kind === '2d' ? pairs.inPlane : pairs.full);
    normalizePairCounts(channel, grid, 'area', n, n / sheet.area_A2);
  }
  if (spec.adf) {
    const bonds = { start: pairs.bondStart, vectors: pairs.bondVectors };
    out.set(angleHistogram(bonds, n, adfGrid(spec)), spec.bins * c++);
  }
  return out;
}

export interface DescribedStructure {
  file: string;
  /** Frame within a multi-frame file (0 otherwise). */
  frame: number;
  values: Float64Array;
}

export interface BatchResult {
  rows: DescribedStructure[];
  failures: Array<{ file: string; message: string }>;
}

/**
 * Descriptors of many files, in input order; a file that cannot be read or described is reported
 * in `failures` and the rest go on.
 */
export function describeFiles(
  files: readonly string[],
  spec: DescriptorSpec,
  options: { read?: ReadOptions; onProgress?: (done: number, total: number) => void } = {},
): BatchResult {
  const result: BatchResult = { rows: [], failures: [] };
  files.forEach((file, index) => {
    try {
      const frames = readStructures(file, options.read);
      const described = frames.map((atoms, frame) => ({ file, frame, values: describe(atoms, spec, file) }));
      result.rows.push(...described);
    } catch (error) {
      result.failures.push({ file, message: errorMessage(error) });
    }
    options.onProgress?.(index + 1, files.length);
  });
  return result;
}
