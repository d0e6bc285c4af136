import type { Command } from 'commander';
import { DEFAULT_POTENTIAL } from '../calculators/registry.js';
import type { Calculator } from '../calculators/calculator.js';
import { errorMessage, InputError } from '../errors.js';
import { LammpsCalculator } from '../engines/lammps/calculator.js';
import { TersoffCalculator } from '../physics/tersoff/calculator.js';
import { readStructures } from '../structure/io/formats.js';
import { EXIT_SOME_FAILED, failureLine, speciesOption } from './common.js';

export interface CalcRecord {
  input: string;
  energy_eV: number;
  forces_eV_A: number[][];
  /** ASE convention, Voigt xx yy zz yz xz xy, eV/Å³. */
  stress_eV_A3: number[];
}

/** The calculator behind `spramnet calc`: the built-in Tersoff or LAMMPS with the same file. */
export function potentialCalculator(engine: string, potential: string): Calculator {
  if (engine === 'builtin') return new TersoffCalculator(potential);
  if (engine === 'lammps') return new LammpsCalculator({ potential });
  throw new InputError(`--engine must be builtin or lammps, got "${engine}"`);
}

export function registerCalc(program: Command): void {
  program
    .command('calc')
    .description('energy, forces and stress of structure files with a Tersoff potential (built-in or LAMMPS)')
    .argument('<files...>', 'structure files (POSCAR/CONTCAR, extended XYZ, LAMMPS data)')
    .option('--potential <name|file>', 'lindsay-broido-2010, tersoff-1988 or a LAMMPS .tersoff file', DEFAULT_POTENTIAL)
    .option('--engine <name>', 'builtin or lammps', 'builtin')
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them, comma-separated', speciesOption)
    .option('--json', 'print a JSON array of {input, energy_eV, forces_eV_A, stress_eV_A3}')
    .action(async (files: string[], opts: { potential: string; engine: string; format?: string; species?: string[]; json?: boolean }) => {
      const calculator = potentialCalculator(opts.engine, opts.potential);
      const records: CalcRecord[] = [];
      let failed = 0;
      for (const file of files) {
        try {
          const frames = readStructures(file, { format: opts.format, species: opts.species });
          for (let k = 0; k < frames.length; k++) {
            const atoms = frames[k];
            const { properties } = await calculator.calculate(atoms, ['energy_eV', 'forces_eV_A', 'stress_eV_A3']);
            const forces = properties.forces_eV_A as Float64Array;
            const record: CalcRecord = {
              input: frames.length > 1 ? `${file}@${k}` : file,
              energy_eV: properties.energy_eV as number,
              forces_eV_A: Array.from({ length: atoms.length }, (_, i) => Array.from(forces.subarray(3 * i, 3 * i + 3))),
              stress_eV_A3: Array.from(properties.stress_eV_A3 as Float64Array),
            };
            records.push(record);
            if (!opts.json) printRecord(record);
          }
        } catch (error) {
          failed++;
          console.error(`error: ${failureLine(file, errorMessage(error))}`);
        }
      }
      if (opts.json) console.log(JSON.stringify(records));
      if (failed > 0) {
        console.error(`${failed} of ${files.length} input(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}

function printRecord(r: CalcRecord): void {
  const n = r.forces_eV_A.length;
  const fmax = Math.max(0, ...r.forces_eV_A.map((f) => Math.hypot(f[0], f[1], f[2])));
  const g = (x: number, digits = 6): string => Number(x.toPrecision(digits)).toString();
  console.log(r.input);
  console.log(`  energy      ${g(r.energy_eV, 12)} eV   (${g(r.energy_eV / n, 9)} eV/atom, ${n} atoms)`);
  console.log(`  max |F|     ${g(fmax)} eV/Å`);
  console.log(`  stress      ${r.stress_eV_A3.map((s) => g(s)).join(' ')} eV/Å³ (xx yy zz yz xz xy)`);
}
