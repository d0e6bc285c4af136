import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { CELL_POLICIES, runGenerate, type CellPolicy, type GenerateRun } from '../generate/factory.js';
import { integerOption, numberOption } from './common.js';
import { tersoffForceField } from '../generate/forceFields.js';
import { progressBar } from './progress.js';
import { DEFAULT_MATERIAL, isBinary, listMaterials, materialByName, type Material } from '../materials/material.js';

interface CommonOptions {
  atoms: number;
  count: number;
  seed: number;
  dimensions: number;
  vacancies?: number;
  out: string;
  cell: string;
  material?: string;
  potential?: string;
}

/** The --material option: undefined for carbon given by default (the carbon path stays exactly as before). */
function materialOf(o: CommonOptions): Material | undefined {
  if (o.material === undefined) return undefined;
  return materialByName(o.material);
}

/** The force field for Tersoff relaxation and quench: --potential, else the material's default potential. */
function forceFieldOf(o: CommonOptions, material: Material | undefined) {
  if (o.potential !== undefined) return tersoffForceField(o.potential);
  return material === undefined || material.name === DEFAULT_MATERIAL ? tersoffForceField() : tersoffForceField(material.potentials.default);
}

function dimensionsOf(d: number): 2 | 3 {
  if (d !== 2 && d !== 3) throw new InputError(`--dimensions must be 2 or 3, got ${d}`);
  return d;
}

function cellPolicyOption(text: string): CellPolicy {
  if (!(CELL_POLICIES as readonly string[]).includes(text)) throw new InputError(`--cell must be one of ${CELL_POLICIES.join(', ')}, got "${text}"`);
  return text as CellPolicy;
}

function run(base: Omit<GenerateRun, 'onProgress'>): void {
  const bar = progressBar(base.count, `generate ${base.method}`);
  const t0 = Date.now();
  const report = runGenerate({ ...base, onProgress: (done) => bar.update(done) });
  bar.stop();
  const counts = [...new Set(report.atomCounts)].sort((a, b) => a - b);
  console.log(
    `${report.written} structure(s) written to ${report.out}` +
      (report.skipped > 0 ? `, ${report.skipped} already there (resumed)` : '') +
      (counts.length > 0 ? `; atoms used: ${counts.join(', ')}` : '') +
      `; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption('--atoms <n>', 'atoms per sheet (the nearest feasible count is used and reported)', integerOption('--atoms'))
    .requiredOption('--count <k>', 'number of structures', integerOption('--count'))
    .requiredOption('--seed <s>', 'run seed; structure i uses a seed derived from (s, i)', integerOption('--seed'))
    .option('--dimensions <d>', '2: flat (z fixed, c = 10 Å); 3: free to buckle (c = 20 Å)', integerOption('--dimensions'), 2)
    .option('--vacancies <f>', 'fraction of graphene atoms removed first (voids, two-coordinated edges)', numberOption('--vacancies'))
    .option('--cell <policy>', "cell of Tersoff-relaxed sheets: potential (graphene at the potential's own bond length, fixed; as the public thermal sheets), graphene (1.42 Å, fixed) or relaxed (zero in-plane stress)", 'potential')
    .option('--material <name>', `material of the sheets: ${listMaterials().map((m) => [m.name, ...m.aliases].join(' = ')).join(', ')} or a material file (*.toml); default ${DEFAULT_MATERIAL}`)
    .option('--potential <name|file>', "Tersoff set for --relax tersoff and quench (default: the material's, lindsay-broido-2010 for carbon)")
    .requiredOption('--out <dir|db>', 'output directory (POSCAR_0001 …) or ASE SQLite file (*.db); existing structures are kept (resume)');
}

export function registerGenerate(program: Command): void {
  const generate = program.command('generate').description('make amorphous monolayer sheets (carbon; boron nitride with --material bn): WWW bond switching or melt-quench');
  common(
    generate
      .command('www')
      .description('Wooten–Winer–Weaire bond switching from graphene with Metropolis on a Keating valence force field'),
  )
    .option('--temperature <K>', 'Metropolis temperature on the Keating energy, K (a Stone–Wales pair costs ≈ 6 eV)', numberOption('--temperature'))
    .option('--switches <m>', 'switch attempts (default 2 per atom)', integerOption('--switches'))
    .option('--in-plane-scale <s>', 'scale of the graphene cell in x and y (< 1 compresses: a free sheet buckles)', numberOption('--in-plane-scale'))
    .option('--relax <field>', 'final relaxation: keating, or tersoff after it', 'keating')
    .option('--homopolar-penalty <eV>', "two-element materials: energy per homopolar (B–B, N–N) bond in the Metropolis test (default: the material file's)", numberOption('--homopolar-penalty'))
    .option('--swap-fraction <f>', "two-element materials: fraction of attempts that exchange the species of a bonded pair (default: the material file's)", numberOption('--swap-fraction'))
    .option('--pair-switch-fraction <f>', "two-element materials: share of switch attempts that keep B–N alternation (a–b, c–d → a–d, c–b: 4- and 8-rings, no homopolar bond; needs --dimensions 3); default: the material file's", numberOption('--pair-switch-fraction'))
    .action((o: CommonOptions & { temperature?: number; switches?: number; inPlaneScale?: number; relax: string; homopolarPenalty?: number; swapFraction?: number; pairSwitchFraction?: number }) => {
      if (o.relax !== 'keating' && o.relax !== 'tersoff') throw new InputError(`--relax must be keating or tersoff, got "${o.relax}"`);
      const material = materialOf(o);
      const binary = material !== undefined && isBinary(material);
      if (!binary && (o.homopolarPenalty !== undefined || o.swapFraction !== undefined || o.pairSwitchFraction !== undefined)) throw new InputError('--homopolar-penalty, --swap-fraction and --pair-switch-fraction need a two-element --material (e.g. bn)');
      const chemistry = { homopolarPenalty_eV: o.homopolarPenalty, swapFraction: o.swapFraction, pairSwitchFraction: o.pairSwitchFraction };
      const given = Object.fromEntries(Object.entries(chemistry).filter(([, v]) => v !== undefined));
      const forceField = o.relax === 'tersoff' ? forceFieldOf(o, material) : undefined;
      run({
        material,
        ...(Object.keys(given).length > 0 ? { chemistry: given } : {}),
        method: 'www',
        atoms: o.atoms,
        count: o.count,
        seed: o.seed,
        out: o.out,
        www: { dimensions: dimensionsOf(o.dimensions), temperature_K: o.temperature, switches: o.switches, vacancies: o.vacancies, inPlaneScale: o.inPlaneScale },
        relax: o.relax === 'tersoff' ? 'forcefield' : 'keating',
        forceField,
        cell: cellPolicyOption(o.cell),
      });
    });
  common(generate.command('quench').description('melt-quench molecular dynamics with the Tersoff potential (Lindsay–Broido), then relaxation'))
    .option('--rate-K-ps <r>', 'cooling rate, K/ps (the disorder knob)', numberOption('--rate-K-ps'), 1000)
    .option('--melt-K <T>', 'melt temperature, K', numberOption('--melt-K'))
    .option('--melt-ps <t>', 'time at the melt temperature, ps', numberOption('--melt-ps'))
    .option('--timestep-fs <dt>', 'MD time step, fs', numberOption('--timestep-fs'))
    .option('--start <kind>', 'graphene or random', 'graphene')
    .action((o: CommonOptions & { rateKPs: number; meltK?: number; meltPs?: number; timestepFs?: number; start: string }) => {
      const material = materialOf(o);
      run({
        material,
        method: 'quench',
        atoms: o.atoms,
        count: o.count,
        seed: o.seed,
        out: o.out,
        quench: {
          dimensions: dimensionsOf(o.dimensions),
          rate_K_ps: o.rateKPs,
          meltTemperature_K: o.meltK,
          meltTime_ps: o.meltPs,
          timestep_fs: o.timestepFs,
          vacancies: o.vacancies,
          start: o.start as 'graphene' | 'random',
        },
        forceField: forceFieldOf(o, material),
        cell: cellPolicyOption(o.cell),
      });
    });
}
