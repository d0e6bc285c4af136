import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { channelNames, describeFiles, descriptorSpec, REFERENCE_SPEC, type DescriptorSpec } from '../descriptors/featurize.js';
import type { PcfKind, ImageConvention } from '../descriptors/pcf.js';
import { writeNpy } from '../io/npy.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption, speciesOption } from './common.js';
import { progressBar } from './progress.js';
import { materialByName } from '../materials/material.js';

interface DescriptorFlags {
  pcf?: string;
  adf?: boolean;
  environment?: boolean;
  rmax?: number;
  bins?: number;
  images?: string;
  smearing?: number;
  partials?: string;
  adfBins?: number;
  bondCutoff?: number;
  reference?: boolean;
  out: string;
  format?: string;
  species?: string[];
  material?: string;
}

/** Every element pair of a material, alphabetical: B-B, B-N, N-N for boron nitride (none for one element). */
export function materialPartials(elements: readonly string[]): Array<[string, string]> {
  const e = [...elements].sort();
  const out: Array<[string, string]> = [];
  if (e.length < 2) return out;
  for (let i = 0; i < e.length; i++) for (let j = i; j < e.length; j++) out.push([e[i], e[j]]);
  return out;
}

export function specFromFlags(opts: DescriptorFlags): DescriptorSpec {
  if (opts.material !== undefined && opts.partials === undefined) {
    const pairs = materialPartials(materialByName(opts.material).elements);
    if (pairs.length > 0) return specFromFlags({ ...opts, material: undefined, partials: pairs.map((p) => p.join('-')).join(',') });
  }
  if (opts.reference) return descriptorSpec({ ...REFERENCE_SPEC, ...(opts.environment ? { environment: true } : {}) });
  return descriptorSpec({
    pcf: (opts.pcf ?? '2d,3d').split(',').map((s) => s.trim()) as PcfKind[],
    adf: opts.adf ?? false,
    ...(opts.environment ? { environment: true } : {}),
    rMax_A: opts.rmax ?? 8,
    bins: opts.bins ?? 160,
    images: (opts.images ?? 'all') as ImageConvention,
    smearing_A: opts.smearing ?? 0,
    adfBins: opts.adfBins ?? 90,
    adfBondCutoff_A: opts.bondCutoff ?? 1.85,
    partials: opts.partials?.split(',').map((p) => {
      const pair = p.split('-');
      if (pair.length !== 2) throw new InputError(`--partials takes pairs like C-C,C-N, got "${p}"`);
      return pair as [string, string];
    }),
  });
}

export function registerDescriptors(program: Command): void {
  program
    .command('descriptors')
    .description('compute g(r) (and ADF) descriptors of structure files into one .npy of shape (structures, channels, bins)')
    .argument('<files...>', 'structure files; a multi-frame XYZ gives one row per frame')
    .requiredOption('--out <file>', 'output .npy (float64)')
    .option('--pcf <kinds>', 'g(r) kinds, comma-separated: 2d, 3d, quasi2d, bulk', '2d,3d')
    .option('--adf', 'append the bond-angle distribution channel (zero-padded to the bins)')
    .option('--environment', 'append the local-environment channel: rings per atom by size, coordination fractions, bond length mean/std, height std (zero-padded)')
    .option('--rmax <A>', 'largest r, Å', numberOption('--rmax'), 8)
    .option('--bins <n>', 'number of r bins', integerOption('--bins'), 160)
    .option('--images <rule>', 'periodic images: all (correct for any cell) or minimum (the reference featurizer)', 'all')
    .option('--smearing <A>', 'Gaussian smearing width of each distance, Å', numberOption('--smearing'), 0)
    .option('--partials <pairs>', 'partial g(r) channels, e.g. C-C,C-N')
    .option('--material <name>', 'append the partial g(r) of every element pair of this material (bn: B-B, B-N, N-N) unless --partials is given')
    .option('--adf-bins <n>', 'ADF bins over [0°, 180°]', integerOption('--adf-bins'), 90)
    .option('--bond-cutoff <A>', 'bond length cutoff for the ADF, Å', numberOption('--bond-cutoff'), 1.85)
    .option('--reference', 'exactly the descriptors of data.md: --pcf 2d,3d --adf --rmax 8 --bins 160 --images minimum')
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them', speciesOption)
    .action((files: string[], opts: DescriptorFlags) => {
      const spec = specFromFlags(opts);
      const bar = progressBar(files.length, 'descriptors');
      const result = describeFiles(files, spec, {
        read: { format: opts.format, species: opts.species },
        onProgress: (done) => bar.update(done),
      });
      bar.stop();
      for (const f of result.failures) console.error(`error: ${failureLine(f.file, f.message)}`);
      const channels = channelNames(spec);
      if (result.rows.length > 0) {
        const data = new Float64Array(result.rows.length * channels.length * spec.bins);
        result.rows.forEach((row, k) => data.set(row.values, k * row.values.length));
        writeNpy(opts.out, { data, shape: [result.rows.length, channels.length, spec.bins] });
        console.error(`wrote ${opts.out}: ${result.rows.length} × ${channels.length} (${channels.join(', ')}) × ${spec.bins}`);
      }
      if (result.failures.length > 0) {
        console.error(`${result.failures.length} of ${files.length} file(s) failed${result.rows.length === 0 ? '; nothing written' : ' and are left out of the array'}`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}
