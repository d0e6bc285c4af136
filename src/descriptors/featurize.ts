import { InputError, errorMessage } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { readStructures, type ReadOptions } from '../structure/io/formats.js';
import { isOrthorhombic } from '../structure/cell.js';
import { angleHistogram, angularDistribution } from './adf.js';
import { sheetMinimumImagePairs } from './sheetPairLoop.js';
import { sheetView } from './sheet.js';
import { ENVIRONMENT_FEATURES, localEnvironment } from './environment.js';
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
}

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

/** Descriptor of one structure: channels × bins, row-major. */
export function describe(atoms: Atoms, spec: DescriptorSpec, file = 'structure'): Float64Array {
  const grid = rGrid(spec);
  const channels = channelNames(spec).length;
  const out = new Float64Array(channels * spec.bins);
  const soap = spec.soap ? 1 : 0;
  const tb = spec.tb ? 1 : 0;
  if (spec.environment) out.set(localEnvironment(atoms, spec.adfBondCutoff_A, file), spec.bins * (channels - 1 - soap - tb));
  if (spec.soap) out.set(soapChannel(atoms, SOAP_DEFAULTS, file), spec.bins * (channels - 1 - tb));
  if (spec.tb) out.set(tightBindingDosChannel(atoms, file), spec.bins * (channels - 1));
  if (usesSheetKernel(spec)) return describeSheetFast(atoms, spec, grid, out, file);
  let c = 0;
  const common = { grid, images: spec.images, smearing_A: spec.smearing_A, file };
  for (const kind of spec.pcf) out.set(pairCorrelation(atoms, { ...common, kind }), spec.bins * c++);
  for (const species of spec.partials ?? []) out.set(pairCorrelation(atoms, { ...common, kind: spec.pcf[0], species }), spec.bins * c++);
  if (spec.adf) {
    const adf = angularDistribution(atoms, {
      bondCutoff_A: spec.adfBondCutoff_A,
      grid: adfGrid(spec),
      images: spec.images,
      file,
    });
    out.set(adf, spec.bins * c++);
  }
  return out;
}

/** The fused kernel covers the reference setting: 2d/3d totals, minimum image, no smearing. */
function usesSheetKernel(spec: DescriptorSpec): boolean {
  return spec.images === 'minimum' && spec.smearing_A === 0 && (spec.partials?.length ?? 0) === 0 && spec.pcf.every((k) => k === '2d' || k === '3d');
}

function describeSheetFast(atoms: Atoms, spec: DescriptorSpec, grid: Grid, out: Float64Array, file: string): Float64Array {
  if (!isOrthorhombic(atoms.cell)) throw new InputError(`${file}: the minimum-image convention needs an orthorhombic cell`);
  const sheet = sheetView(atoms, file);
  const pairs = sheetMinimumImagePairs(sheet.positions, atoms.cell[0], atoms.cell[4], grid, spec.adfBondCutoff_A);
  const n = atoms.length;
  let c = 0;
  for (const kind of spec.pcf) {
    const counts = (kind === '2d' ? pairs.inPlane : pairs.full).slice();
    out.set(normalizePairCounts(counts, grid, 'area', n, n / sheet.area_A2), spec.bins * c++);
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
