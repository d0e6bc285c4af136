import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { parseKpoints, PUBLIC_DOSCAR_SMEARING_EV } from '../engines/dft.js';
import { readRunFolders, runLabelsJson, writeRunFolders, type InputEngine } from '../engines/dftRuns.js';
import { runGpawFolders } from '../engines/gpaw/batch.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption, speciesOption } from './common.js';
import { progressBar, stagedProgress } from './progress.js';

function pseudoOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([A-Z][a-z]?)=(.+)$/.exec(value.trim());
  if (m === null) throw new InputError(`--pseudo "${value}": expected SYMBOL=FILE, e.g. C=C.pbe-n-kjpaw_psl.1.0.0.UPF`);
  return { ...previous, [m[1]]: m[2] };
}

/** `spramnet dft write vasp|qe` and `spramnet dft read`: inputs for DFT codes and labels from finished runs. */
export function registerDft(program: Command): void {
  const dft = program.command('dft').description('DFT label runs: write VASP / Quantum ESPRESSO inputs, read labels from finished runs');
  dft
    .command('write')
    .description('one input folder per structure for a DOS (+ optics) run; VASP POTCARs and QE pseudopotentials are yours')
    .argument('<engine>', 'vasp or qe')
    .argument('<files...>', 'structure files')
    .requiredOption('--out <dir>', 'parent folder of the run folders')
    .option('--kpoints <a,b,c>', 'Γ-centred k-grid (default: ⌈25 Å / cell width⌉, 1 along the vacuum)')
    .option('--pseudo <SYMBOL=FILE>', 'pseudopotential file per species (qe; repeat per species)', pseudoOption)
    .option('--pseudo-dir <dir>', 'folder holding the pseudopotentials (qe: pseudo_dir)')
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them', speciesOption)
    .action((engine: string, files: string[], opts: { out: string; kpoints?: string; pseudo?: Record<string, string>; pseudoDir?: string; format?: string; species?: string[] }) => {
      if (engine !== 'vasp' && engine !== 'qe') throw new InputError(`engine "${engine}": expected vasp or qe`);
      const bar = progressBar(files.length, `dft write ${engine}`);
      const report = writeRunFolders(files, {
        engine: engine as InputEngine,
        out: opts.out,
        kpoints: opts.kpoints !== undefined ? parseKpoints(opts.kpoints) : undefined,
        pseudopotentials: opts.pseudo,
        pseudoDir: opts.pseudoDir,
        format: opts.format,
        species: opts.species,
        onProgress: (done) => bar.update(done),
      });
      bar.stop();
      for (const w of report.written) console.log(`${w.folder}  (${w.atoms} atoms, k-points ${(w.settings.kpoints as number[]).join('×')})`);
      for (const f of report.failures) console.error(`error: ${failureLine(f.input, f.message)}`);
      if (report.failures.length > 0) {
        console.error(`${report.failures.length} of ${files.length} input(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
      if (engine === 'vasp' && report.written.length > 0) console.error('note: no POTCAR written (VASP licence): see README.md in each folder');
    });
  dft
    .command('gpaw')
    .description('run GPAW (LCAO, PBE) on structure files here, one folder per structure; finished folders are reused; then `dft read`')
    .argument('<files...>', 'structure files')
    .requiredOption('--out <dir>', 'parent folder of the run folders')
    .option('--kpoints <a,b,c>', 'Γ-centred k-grid (default: ⌈25 Å / cell width⌉, 1 along the vacuum)')
    .option('--basis <name>', 'LCAO basis (sz, szp, dzp)', 'dzp')
    .option('--smearing <eV>', 'Fermi–Dirac width, eV', numberOption('--smearing'), 0.05)
    .option('--nice <n>', 'run GPAW under nice -n', integerOption('--nice'))
    .option('--dos-smearing <eV>', 'Gaussian smearing (std. dev.) of the DoS before the label\'s 0.05 eV, as in a DOSCAR; default: the public DOSCARs\' 0.1414 (VASP SIGMA 0.2)', numberOption('--dos-smearing'), PUBLIC_DOSCAR_SMEARING_EV)
    .option('--python <exe>', 'Python with GPAW', '/usr/bin/python3')
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them', speciesOption)
    .action(async (files: string[], opts: { out: string; kpoints?: string; basis: string; smearing: number; nice?: number; dosSmearing: number; python: string; format?: string; species?: string[] }) => {
      const progress = stagedProgress();
      const report = await runGpawFolders(files, {
        out: opts.out,
        kpoints: opts.kpoints !== undefined ? parseKpoints(opts.kpoints) : undefined,
        basis: opts.basis,
        smearing_eV: opts.smearing,
        nice: opts.nice,
        dosSmearing_eV: opts.dosSmearing,
        python: opts.python,
        format: opts.format,
        species: opts.species,
        onProgress: progress.onProgress,
      });
      progress.stop();
      for (const d of report.done) console.log(`${d.folder}  (${d.atoms} atoms, ${d.reused ? 'reused' : `${d.seconds.toFixed(1)} s`})`);
      for (const f of report.failures) console.error(`error: ${failureLine(f.input, f.message)}`);
      if (report.failures.length > 0) {
        console.error(`${report.failures.length} of ${files.length} input(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
  dft
    .command('read')
    .description('el-DoS and σ labels from finished runs: each sub-folder (or DIR itself) with VASP DOSCAR/vasprun.xml/imag, a pw.x output or a GPAW result.json')
    .argument('<dir>', 'folder of run folders')
    .option('--json', 'print JSON: [{input, engine, el_dos: {energy_eV, dos}, sigma_label?, sigma_S_m?, sheet_conductance_S?, …}]')
    .option('--dos-smearing <eV>', 'for runs read as Kohn–Sham levels (QE, GPAW): Gaussian smearing before the label\'s 0.05 eV; default: the public DOSCARs\' 0.1414', numberOption('--dos-smearing'), PUBLIC_DOSCAR_SMEARING_EV)
    .action(async (dir: string, opts: { json?: boolean; dosSmearing: number }) => {
      const bar = progressBar(2, 'dft read');
      let total = 0;
      const report = await readRunFolders(
        dir,
        (done, n) => {
          total = n;
          bar.update(done);
        },
        { dosSmearing_eV: opts.dosSmearing },
      );
      bar.stop();
      for (const f of report.failures) console.error(`error: ${failureLine(f.input, f.message)}`);
      if (opts.json) console.log(JSON.stringify(report.runs.map(runLabelsJson), null, 1));
      else {
        for (const run of report.runs) {
          const p = run.result.properties;
          const dos = p.el_dos?.dos;
          const parts = [`${run.input}  ${run.engine}`];
          if (dos !== undefined) parts.push(`el-DoS at E_F ${dos[40].toPrecision(4)} /eV/atom`);
          if (p.sigma_label !== undefined) parts.push(`σ label xx ${p.sigma_label.xx} yy ${p.sigma_label.yy}`);
          if (p.sheet_conductance_S !== undefined) parts.push(`sheet conductance xx ${p.sheet_conductance_S.xx.toPrecision(4)} S`);
          const missing = run.result.extra?.missing as string[] | undefined;
          if (missing !== undefined) parts.push(`missing: ${missing.join('; ')}`);
          console.log(parts.join('  |  '));
        }
      }
      if (report.failures.length > 0) {
        console.error(`${report.failures.length} of ${total} run folder(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}
