/**
 * Where a store's stiff and imaginary Γ modes come from: per ph-DoS row (relaxed atoms and
 * `frequencies_THz`), the pairs its relaxed structure holds in the potential's switching shell
 * (src/physics/phonons/switchingShell.ts) against its modes at or above 100 THz and below −0.1 THz,
 * grouped by generator (`gen_method`, and "-disordered" for vacancy fractions above 5 %).
 *   node dist/bench/phononShell.js STORE.db [potential, default lindsay-broido-2010]
 * Prints one JSON line: per group the medians and the sheets with no shell pair, and over all rows
 * the Spearman rank correlation of shell pairs with each mode count, and how many rows have exactly
 * one mode ≥ 100 THz per shell pair.
 */
import { potentialByName } from '../src/calculators/registry.js';
import { AseDatabase } from '../src/data/aseDb.js';
import { switchingShellReport } from '../src/physics/phonons/switchingShell.js';
import { spearman } from './correlation.js';

const [file, potential = 'lindsay-broido-2010'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node dist/bench/phononShell.js STORE.db [potential]');
  process.exit(2);
}
const shells = potentialByName(potential).forceField.switchingShells ?? [];
const db = new AseDatabase(file, { mustExist: true });
const rows = db.select().filter((r) => r.atoms !== undefined && r.data.frequencies_THz instanceof Float64Array);
db.close();

interface Sheet {
  group: string;
  shell: number;
  edge: number;
  stiff: number;
  imaginary: number;
}
const sheets: Sheet[] = rows.map((r) => {
  const f = Array.from(r.data.frequencies_THz as Float64Array);
  const report = switchingShellReport(r.atoms!, shells);
  const vacancies = Number(r.keyValues.gen_vacancies ?? 0);
  return {
    group: `${String(r.keyValues.gen_method ?? 'unknown')}${vacancies > 0.05 ? '-disordered' : ''}`,
    shell: report.pairs_in_shell,
    edge: report.pairs_at_edge,
    stiff: f.filter((x) => x >= 100).length,
    imaginary: f.filter((x) => x < -0.1).length,
  };
});

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const groups: Record<string, Sheet[]> = {};
for (const s of sheets) (groups[s.group] ??= []).push(s);
console.log(
  JSON.stringify({
    bench: 'phonon-shell',
    store: file,
    potential,
    shells,
    rows: sheets.length,
    groups: Object.fromEntries(
      Object.entries(groups).map(([g, v]) => [
        g,
        {
          rows: v.length,
          shell_pairs_median: median(v.map((s) => s.shell)),
          stiff_modes_median: median(v.map((s) => s.stiff)),
          imaginary_modes_median: median(v.map((s) => s.imaginary)),
          rows_without_shell_pairs: v.filter((s) => s.shell === 0).length,
          rows_without_stiff_modes: v.filter((s) => s.stiff === 0).length,
        },
      ]),
    ),
    spearman_shell_vs_stiff: spearman(sheets.map((s) => s.shell), sheets.map((s) => s.stiff)),
    spearman_shell_vs_imaginary: spearman(sheets.map((s) => s.shell), sheets.map((s) => s.imaginary)),
    rows_one_stiff_mode_per_shell_pair: sheets.filter((s) => s.stiff === s.shell).length,
    rows_with_shell_pairs_and_stiff_modes: sheets.filter((s) => s.shell > 0 && s.stiff > 0).length,
    rows_without_shell_pairs_with_stiff_modes: sheets.filter((s) => s.shell === 0 && s.stiff > 0).length,
  }),
);
