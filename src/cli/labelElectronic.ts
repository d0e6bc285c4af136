import type { Command } from 'commander';
import { readStructure } from '../structure/io/formats.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { errorMessage, InputError } from '../errors.js';
import type { Calculator, PropertyName } from '../calculators/calculator.js';
import { KpmTightBindingCalculator, TightBindingCalculator } from '../physics/tb/calculator.js';
import type { PiModelName } from '../physics/tb/model.js';
import { GpawCalculator } from '../engines/gpaw/gpaw.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption } from './common.js';
import { progressBar } from './progress.js';
import { LabelStore } from '../data/labelStore.js';

/** Engine options the electronic label commands pass on; each engine reads what it knows. */
export interface ElectronicEngineOptions {
  model?: PiModelName;
  mesh?: [number, number, number];
  kLength_A?: number;
  moments?: number;
  randomVectors?: number;
  seed?: number;
  minAtoms?: number;
}

/** Electronic label engines by name; other engines (GPAW) register themselves here. */
export const ELECTRONIC_ENGINES = new Map<string, (options: ElectronicEngineOptions) => Calculator>([
  ['tb', (o) => new TightBindingCalculator({ parameters: o.model ? { model: o.model } : undefined, mesh: o.mesh, kLength_A: o.kLength_A })],
  [
    'tb-kpm',
    (o) => new KpmTightBindingCalculator({ parameters: o.model ? { model: o.model } : undefined, moments: o.moments, randomVectors: o.randomVectors, seed: o.seed, minAtoms: o.minAtoms }),
  ],
  // DFT: GPAW LCAO (el-DoS only); --mesh gives its k-points
  ['gpaw', (o) => new GpawCalculator(o.mesh ? { kpoints: o.mesh } : {})],
]);

export function registerElectronicEngine(name: string, factory: (options: ElectronicEngineOptions) => Calculator): void {
  ELECTRONIC_ENGINES.set(name, factory);
}

export function electronicEngine(name: string, options: ElectronicEngineOptions): Calculator {
  const factory = ELECTRONIC_ENGINES.get(name);
  if (factory === undefined) {
    throw new InputError(`engine ${name}: unknown; expected one of ${[...ELECTRONIC_ENGINES.keys()].join(', ')}`);
  }
  return factory(options);
}

interface CliOptions {
  engine: string;
  db?: string;
  json?: boolean;
  out?: string;
  format?: string;
  model?: PiModelName;
  mesh?: [number, number, number];
  klength?: number;
  moments?: number;
  vectors?: number;
  seed?: number;
  minAtoms?: number;
}

function meshOption(value: string): [number, number, number] {
  const parts = value.split(/[,x×]/).map(Number);
  if (parts.length !== 3 || !parts.every((p) => Number.isInteger(p) && p >= 1)) throw new Error(`--mesh must be three whole numbers like 2,2,1, got "${value}"`);
  return parts as [number, number, number];
}

function addCommon(command: Command): Command {
  return command
    .argument('<files...>', 'structure files (POSCAR/CONTCAR, extended XYZ, LAMMPS data)')
    .option('--engine <name>', 'tb (exact diagonalisation on a k-mesh), tb-kpm (linear-scaling KPM), or a registered engine', 'tb')
    .option('--model <name>', 'π model: pi-normals (p orbitals on local normals, for buckled sheets) or pi-flat', undefined)
    .option('--mesh <n1,n2,n3>', 'tb: Monkhorst–Pack mesh, Γ-centred (default 2,2,1)', meshOption)
    .option('--klength <Å>', 'tb: automatic mesh N_i = max(1, round(l/width_i)) instead of --mesh', numberOption('--klength'))
    .option('--moments <n>', 'tb-kpm: Chebyshev moments (default 7a/σ)', integerOption('--moments'))
    .option('--vectors <n>', 'tb-kpm: random-phase vectors', integerOption('--vectors'))
    .option('--seed <n>', 'tb-kpm: random seed', integerOption('--seed'))
    .option('--min-atoms <n>', 'tb-kpm: repeat small cells to at least this many atoms', integerOption('--min-atoms'))
    .option('--format <name>', 'structure format instead of guessing')
    .option('--json', 'print the JSON array')
    .option('--out <file>', 'write the JSON array to this file (atomically)')
    .option('--db <file.db>', 'also keep each label in this store (ASE db), committed as it is done; labels already there are skipped');
}

async function runLabels(files: string[], opts: CliOptions, property: PropertyName[], label: string, row: (file: string, engine: string, r: Awaited<ReturnType<Calculator['calculate']>>) => Record<string, unknown>, line: (rec: Record<string, unknown>) => string): Promise<void> {
  const engine = electronicEngine(opts.engine, {
    model: opts.model, mesh: opts.mesh, kLength_A: opts.klength, moments: opts.moments, randomVectors: opts.vectors, seed: opts.seed, minAtoms: opts.minAtoms,
  });
  const records: Record<string, unknown>[] = [];
  const store = opts.db === undefined ? undefined : new LabelStore(opts.db);
  const settings = { engine: opts.engine, model: opts.model, mesh: opts.mesh, klength: opts.klength, moments: opts.moments, vectors: opts.vectors, seed: opts.seed, minAtoms: opts.minAtoms };
  const bar = progressBar(files.length, label);
  const held: Array<() => void> = [];
  const say = (fn: () => void): void => (process.stderr.isTTY ? void held.push(fn) : fn());
  let failed = 0;
  for (const [k, file] of files.entries()) {
    try {
      const atoms = readStructure(file, { format: opts.format });
      const key = LabelStore.key(atoms, label, settings);
      if (store?.has(key)) {
        say(() => console.error(`${file}: already in ${opts.db}, skipped`));
        bar.update(k + 1);
        continue;
      }
      const result = await engine.calculate(atoms, property);
      const record = row(file, opts.engine, result);
      records.push(record);
      const { provenance: _provenance, input: _input, ...values } = record;
      store?.write(key, atoms, label, file, values, { ...result.provenance });
      if (!opts.json) say(() => console.log(line(record)));
    } catch (error) {
      failed++;
      const message = `error: ${failureLine(file, errorMessage(error))}`;
      say(() => console.error(message));
    }
    bar.update(k + 1);
  }
  bar.stop();
  store?.close();
  for (const fn of held) fn();
  const json = JSON.stringify(records);
  if (opts.out !== undefined) writeFileAtomic(opts.out, json + '\n');
  if (opts.json) console.log(json);
  if (failed > 0) {
    console.error(`${failed} of ${files.length} input(s) failed`);
    process.exitCode = EXIT_SOME_FAILED;
  }
}

/** `spramnet label el-dos FILES`: the el-DoS label (81 values per atom on E − E_F ∈ [−2, 2] eV). */
export function registerLabelElDos(label: Command): void {
  addCommon(label.command('el-dos').description('electronic DoS label: per atom, E − E_F ∈ [−2, 2] eV step 0.05, Gaussian σ = 0.05 eV (π tight binding)')).action(
    (files: string[], opts: CliOptions) =>
      runLabels(
        files, opts, ['el_dos'], 'el-DoS',
        (file, engine, r) => ({
          input: file,
          engine,
          el_dos: { energy_eV: Array.from(r.properties.el_dos!.energy_eV), dos: Array.from(r.properties.el_dos!.dos) },
          fermi_eV: r.extra?.fermi_eV,
          provenance: r.provenance,
        }),
        (rec) => {
          const dos = (rec.el_dos as { dos: number[] }).dos;
          return `${rec.input}: E_F ${(rec.fermi_eV as number).toFixed(3)} eV, dos(E_F) ${dos[40].toFixed(4)} /eV/atom, max ${Math.max(...dos).toFixed(4)}`;
        },
      ),
  );
}

/** `spramnet label sigma FILES`: σ_xx, σ_yy (S/m over the cell volume) and the sheet conductance (S). */
export function registerLabelSigma(label: Command): void {
  addCommon(label.command('sigma').description('conductivity σ_xx, σ_yy by Kubo–Greenwood (tb: at ħω₁ = 0.0169 eV, Lorentzian η = 0.1 eV; tb-kpm: DC, Gaussian 0.05 eV)')).action(
    (files: string[], opts: CliOptions) =>
      runLabels(
        files, opts, ['sigma_S_m', 'sheet_conductance_S', 'sigma_label'], 'σ',
        (file, engine, r) => {
          const kubo = r.provenance.settings.kubo as { eta_eV?: number; sigma_eV?: number; broadening: string };
          return {
            input: file,
            engine,
            sigma_S_m: r.properties.sigma_S_m,
            sheet_conductance_S: r.properties.sheet_conductance_S,
            sigma_label: r.properties.sigma_label,
            broadening_eV: kubo.eta_eV ?? kubo.sigma_eV,
            broadening: kubo.broadening,
            provenance: r.provenance,
          };
        },
        (rec) => {
          const s = rec.sigma_S_m as { xx: number; yy: number };
          const g = rec.sheet_conductance_S as { xx: number; yy: number };
          return `${rec.input}: σ xx ${s.xx.toPrecision(4)} yy ${s.yy.toPrecision(4)} S/m, sheet xx ${g.xx.toPrecision(4)} yy ${g.yy.toPrecision(4)} S`;
        },
      ),
  );
}
