import type { Command } from 'commander';
import { readStructure } from '../structure/io/formats.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { errorMessage } from '../errors.js';
import { phononLabel, type PhononLabel } from '../physics/phonons/label.js';
import { DEFAULT_PHONON_RELAX } from '../physics/phonons/calculator.js';
import { DEFAULT_DISPLACEMENT_A, type ForceConstantMethod } from '../physics/phonons/forceConstants.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption } from './common.js';
import { progressBar } from './progress.js';
import { LabelStore } from '../data/labelStore.js';
import { POTENTIAL_HELP, potentialFromOption } from './label.js';

interface PhDosOptions {
  potential: string;
  relax: boolean;
  cell?: boolean;
  fmax: number;
  maxSteps: number;
  displacement: number;
  method: ForceConstantMethod;
  format?: string;
  json?: boolean;
  out?: string;
  db?: string;
}

/** `spramnet label ph-dos FILES`: harmonic Γ frequencies and the ph-DoS label of each structure. */
export function registerLabelPhDos(label: Command): void {
  label
    .command('ph-dos')
    .description('relax each structure (FIRE), then Γ-point phonons by finite differences: 3N frequencies and the ph-DoS label (1-THz bins over [0, 100) THz, unit sum)')
    .argument('<files...>', 'structure files')
    .requiredOption('--potential <name|file>', POTENTIAL_HELP)
    .option('--no-relax', 'use the positions as given (forces should already vanish)')
    .option('--cell', 'relaxation: also relax the in-plane lattice vectors a, b (c fixed)')
    .option('--fmax <eV/Å>', 'relaxation: largest force at convergence', numberOption('--fmax'), DEFAULT_PHONON_RELAX.fmax_eV_A)
    .option('--max-steps <n>', 'relaxation: FIRE step limit', integerOption('--max-steps'), DEFAULT_PHONON_RELAX.maxSteps)
    .option('--displacement <Å>', 'finite-difference step (≤ 0.002 Å for cells with bonds near the Tersoff cut-off)', numberOption('--displacement'), DEFAULT_DISPLACEMENT_A)
    .option('--method <cluster|full>', 'force constants from local clusters (exact for Tersoff, faster) or whole-cell displacements', 'cluster')
    .option('--format <name>', 'structure format instead of guessing')
    .option('--json', 'print the JSON array of labels')
    .option('--out <file>', 'write the JSON array to this file (atomically)')
    .option('--db <file.db>', 'also keep each label in this store (ASE db), committed as it is done; labels already there are skipped')
    .action(async (files: string[], opts: PhDosOptions) => {
      const forceField = potentialFromOption(opts.potential);
      const store = opts.db === undefined ? undefined : new LabelStore(opts.db);
      const settings = { potential: opts.potential, relax: opts.relax, cell: opts.cell === true, fmax_eV_A: opts.fmax, maxSteps: opts.maxSteps, displacement_A: opts.displacement, method: opts.method };
      const labels: PhononLabel[] = [];
      const bar = progressBar(100 * files.length, 'ph-DoS');
      let failed = 0;
      // On a terminal the bar owns stderr: messages wait until it ends; in pipes they go at once.
      const held: Array<() => void> = [];
      const say = (fn: () => void): void => {
        if (process.stderr.isTTY) held.push(fn);
        else fn();
      };
      for (const [k, file] of files.entries()) {
        try {
          const atoms = readStructure(file, { format: opts.format });
          const key = LabelStore.key(atoms, 'ph-dos', settings);
          if (store?.has(key)) {
            say(() => console.error(`${file}: already in ${opts.db}, skipped`));
            continue;
          }
          const record = await phononLabel(
            file,
            atoms,
            forceField,
            {
              displacement_A: opts.displacement,
              method: opts.method,
              relax: opts.relax ? { ...DEFAULT_PHONON_RELAX, fmax_eV_A: opts.fmax, maxSteps: opts.maxSteps, relaxCell: opts.cell === true } : false,
            },
            (fraction) => bar.update(Math.round(100 * (k + fraction))),
          );
          labels.push(record);
          store?.write(key, atoms, 'ph-dos', file, { frequencies_THz: record.frequencies_THz, ph_dos: record.ph_dos }, { engine: 'builtin-tersoff-phonons', settings });
          if (!opts.json) {
            const f = record.frequencies_THz;
            const outside = f.filter((x) => !(x >= 0 && x < 100)).length;
            say(() => console.log(`${file}: ${f.length} modes, lowest ${f[0].toFixed(3)} THz, highest ${f[f.length - 1].toFixed(3)} THz, ${outside} outside [0, 100) THz`));
          }
        } catch (error) {
          failed++;
          const message = `error: ${failureLine(file, errorMessage(error))}`;
          say(() => console.error(message));
        }
        bar.update(100 * (k + 1));
      }
      bar.stop();
      store?.close();
      for (const fn of held) fn();
      const json = JSON.stringify(labels);
      if (opts.out !== undefined) writeFileAtomic(opts.out, json + '\n');
      if (opts.json) console.log(json);
      if (failed > 0) {
        console.error(`${failed} of ${files.length} input(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}
