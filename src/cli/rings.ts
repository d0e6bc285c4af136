import type { Command } from 'commander';
import { readStructures } from '../structure/io/formats.js';
import { ringStatistics, ringSummary, type RingSummary } from '../generate/rings.js';
import { bondChemistry } from '../generate/chemistry.js';
import { numberOption, integerOption, runBatch, speciesOption } from './common.js';

export function registerRings(program: Command): void {
  program
    .command('rings')
    .description(
      'shortest-path ring statistics (Franzblau SP rings, sizes 3…11 and 12+ up to --max-ring), coordination and bond lengths of sheets; ' +
        'ring_fractions are rings of a size over all rings, coordination "2" counts ≤ 2 bonds and "4" ≥ 4',
    )
    .argument('<files...>', 'structure files (POSCAR/CONTCAR, extended XYZ, LAMMPS data)')
    .option('--cutoff <A>', 'bond cut-off, Å', numberOption('--cutoff'), 1.85)
    .option('--max-ring <n>', 'largest ring searched', integerOption('--max-ring'), 20)
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them, comma-separated', speciesOption)
    .option('--json', 'print JSON')
    .action((files: string[], o: { cutoff: number; maxRing: number; format?: string; species?: string[]; json?: boolean }) => {
      const out: Array<RingSummary & { bonds?: Record<string, number>; homopolar_fraction?: number }> = [];
      runBatch(files, (file) => {
        const frames = readStructures(file, { format: o.format, species: o.species });
        frames.forEach((atoms, frame) => {
          const input = frames.length > 1 ? `${file}@${frame}` : file;
          const summary = ringSummary(input, ringStatistics(atoms, { bondCutoff_A: o.cutoff, maxRing: o.maxRing, file }));
          // several elements (a-BN): the bonds by element pair and the homopolar fraction; one-element output is unchanged
          const chem = new Set(atoms.numbers).size > 1 ? bondChemistry(atoms, o.cutoff) : undefined;
          const s = chem === undefined ? summary : { ...summary, bonds: chem.pairs, homopolar_fraction: chem.homopolarFraction };
          out.push(s);
          if (!o.json) {
            const pct = (x: number): string => (100 * x).toFixed(1);
            console.log(`${input}`);
            console.log(`  rings %       ${Object.entries(s.ring_fractions).map(([k, v]) => `${k}:${pct(v)}`).join(' ')}`);
            console.log(`  coordination % ${Object.entries(s.coordination).map(([k, v]) => `${k}:${pct(v)}`).join(' ')}`);
            console.log(`  bond length   ${s.bond_length_A.mean.toFixed(4)} ± ${s.bond_length_A.std.toFixed(4)} Å`);
            if (chem !== undefined) console.log(`  bonds         ${Object.entries(chem.pairs).map(([k, v]) => `${k}:${v}`).join(' ')}; homopolar ${pct(chem.homopolarFraction)} %`);
          }
        });
      });
      if (o.json) console.log(JSON.stringify(out));
    });
}
