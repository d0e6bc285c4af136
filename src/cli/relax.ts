import type { Command } from 'commander';
import { formatStructures, readStructure, detectFormat } from '../structure/io/formats.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { relaxFire } from '../physics/relax/fire.js';
import { integerOption, numberOption } from './common.js';
import { DEFAULT_POTENTIAL, POTENTIAL_HELP, potentialByName } from '../calculators/registry.js';

interface RelaxOptions {
  potential: string;
  fmax: number;
  maxSteps: number;
  cell?: boolean;
  out: string;
  format?: string;
  outFormat?: string;
  json?: boolean;
}

/** `spramnet relax FILE`: FIRE relaxation of positions (and with --cell the in-plane cell). */
export function registerRelax(program: Command): void {
  program
    .command('relax')
    .description('relax a structure with FIRE under a built-in potential; with --cell the in-plane lattice vectors a, b relax too (c fixed)')
    .argument('<file>', 'structure file')
    .option('--potential <name|file>', POTENTIAL_HELP, DEFAULT_POTENTIAL)
    .requiredOption('--out <file>', 'relaxed structure (written atomically; format from the name, else VASP)')
    .option('--fmax <eV/Å>', 'largest force at convergence', numberOption('--fmax'), 1e-4)
    .option('--max-steps <n>', 'FIRE step limit', integerOption('--max-steps'), 100000)
    .option('--cell', 'also relax a and b in-plane')
    .option('--format <name>', 'input format instead of guessing')
    .option('--out-format <name>', 'output format instead of guessing from --out')
    .option('--json', 'print the relaxation record as JSON')
    .action((file: string, opts: RelaxOptions) => {
      const atoms = readStructure(file, { format: opts.format });
      const forceField = potentialByName(opts.potential).forceField;
      const { atoms: relaxed, record } = relaxFire(atoms, forceField, { fmax_eV_A: opts.fmax, maxSteps: opts.maxSteps, relaxCell: opts.cell === true });
      let format = opts.outFormat;
      if (format === undefined) {
        try {
          format = detectFormat(opts.out).name;
        } catch {
          format = 'vasp';
        }
      }
      writeFileAtomic(opts.out, formatStructures([relaxed], format));
      if (opts.json) console.log(JSON.stringify({ input: file, output: opts.out, potential: forceField.name, ...record }));
      else console.log(`${file} → ${opts.out}: ${record.steps} FIRE steps, largest force ${record.fmax_eV_A.toExponential(2)} eV/Å, energy ${record.energy_eV.toFixed(6)} eV (${forceField.name})`);
    });
}
