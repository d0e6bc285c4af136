import type { Command } from 'commander';
import { readStructures } from '../structure/io/formats.js';
import { inPlaneArea, perpendicularWidths } from '../structure/cell.js';
import type { Atoms } from '../structure/atoms.js';
import { FORMATS } from '../structure/io/formats.js';
import { speciesOption, runBatch } from './common.js';

/** The facts a scientist checks first about a structure file. */
export function structureSummary(atoms: Atoms): Record<string, unknown> {
  const widths = perpendicularWidths(atoms.cell);
  const area = inPlaneArea(atoms.cell);
  const counts: Record<string, number> = {};
  for (const s of atoms.symbols) counts[s] = (counts[s] ?? 0) + 1;
  return {
    atoms: atoms.length,
    formula: atoms.formula(),
    species: counts,
    cell_A: [0, 1, 2].map((r) => Array.from(atoms.cell.subarray(3 * r, 3 * r + 3))),
    lengths_A: [0, 1, 2].map((r) => Math.hypot(...atoms.cell.subarray(3 * r, 3 * r + 3))),
    perpendicular_widths_A: widths.map((w) => (Number.isFinite(w) ? w : null)),
    periodic: { a: atoms.pbc[0], b: atoms.pbc[1], c: atoms.pbc[2] },
    volume_A3: atoms.volume_A3,
    in_plane_area_A2: area,
    areal_density_per_A2: area > 0 ? atoms.length / area : null,
    density_per_A3: atoms.volume_A3 > 0 ? atoms.length / atoms.volume_A3 : null,
    comment: atoms.info.comment ?? null,
  };
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print atoms, species, cell, density and periodic axes of structure files; --formats lists the readers')
    .argument('[files...]', 'structure files (POSCAR/CONTCAR, extended XYZ, LAMMPS data)')
    .option('--formats', 'list the structure formats')
    .option('--format <name>', 'read as this format instead of guessing')
    .option('--species <list>', 'species for files that do not name them, comma-separated', speciesOption)
    .option('--json', 'print JSON')
    .action((files: string[], opts: { formats?: boolean; format?: string; species?: string[]; json?: boolean }) => {
      if (opts.formats || files.length === 0) {
        for (const f of FORMATS) console.log(`${f.name.padEnd(12)} ${f.description}  [${f.namePatterns.map(String).join(' ')}]`);
        return;
      }
      const report: Array<Record<string, unknown>> = [];
      runBatch(files, (file) => {
        readStructures(file, { format: opts.format, species: opts.species }).forEach((atoms, frame) => {
          const summary = { file, frame, ...structureSummary(atoms) };
          report.push(summary);
          if (!opts.json) printSummary(summary);
        });
      });
      if (opts.json) console.log(JSON.stringify(report, null, 1));
    });
}

function printSummary(s: Record<string, unknown>): void {
  const fmt = (x: unknown): string => (typeof x === 'number' ? Number(x.toPrecision(8)).toString() : String(x));
  const cell = s.cell_A as number[][];
  const periodic = s.periodic as Record<string, boolean>;
  console.log(`${s.file}${(s.frame as number) > 0 ? ` [frame ${s.frame}]` : ''}`);
  console.log(`  atoms      ${s.atoms}  (${s.formula})`);
  console.log(`  cell (Å)   a = [${cell[0].map(fmt).join(', ')}]`);
  console.log(`             b = [${cell[1].map(fmt).join(', ')}]`);
  console.log(`             c = [${cell[2].map(fmt).join(', ')}]`);
  console.log(`  periodic   ${Object.entries(periodic).map(([k, v]) => `${k}:${v ? 'yes' : 'no'}`).join(' ')}`);
  console.log(`  area       ${fmt(s.in_plane_area_A2)} Å²   areal density ${fmt(s.areal_density_per_A2)} /Å²`);
  console.log(`  volume     ${fmt(s.volume_A3)} Å³   density ${fmt(s.density_per_A3)} /Å³`);
}
