/**
 * How two stores' el-DoS labels of the same structures agree: a campaign's π tight-binding reference
 * store against its GPAW one (issue 22: the TB held against DFT, as bench/tbValidate.ts does for
 * carbon against the public DFT labels). Structures are matched by their atoms (numbers, positions
 * and cell, exactly: both label items read one generate item's structure).
 *   node dist/bench/storeAgreement.js A.db B.db [--window LO,HI]
 * Prints one JSON line: per structure Pearson r of the two spectra over the window (E − E_F, eV;
 * default the whole grid), raw and on deviations from each store's own mean spectrum over the
 * matched structures (what the structure adds beyond the material's average), with their median
 * and 10th percentile, and the states each store holds in the window (mean ∫ dos dE per atom).
 */
import { AseDatabase, type StoreRow } from '../src/data/aseDb.js';
import { pearson } from './correlation.js';

const argv = process.argv.slice(2);
const files = argv.filter((a, k) => !a.startsWith('--') && argv[k - 1] !== '--window');
const windowAt = argv.indexOf('--window');
if (files.length !== 2) {
  console.error('usage: node dist/bench/storeAgreement.js A.db B.db [--window LO,HI]');
  process.exit(2);
}
const [lo, hi] = windowAt >= 0 ? argv[windowAt + 1].split(',').map(Number) : [-Infinity, Infinity];

/** The structure's identity: element numbers, positions and cell to 1e-6 Å (a structure written to a text format and read back matches). */
const micro = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Math.round(v * 1e6) / 1e6 + 0);
const keyOf = (row: StoreRow): string => (row.atoms ? JSON.stringify([Array.from(row.atoms.numbers), micro(row.atoms.positions), micro(row.atoms.cell)]) : `row ${row.id}`);

/** The label's energy grid from its provenance (TB: dos.energies_eV; GPAW: el_dos_grid_eV); absent: data.md's [−2, 2] eV. */
function gridOf(row: StoreRow, points: number): number[] {
  const text = row.keyValues.provenance_el_dos;
  const settings = (typeof text === 'string' ? JSON.parse(text) : {}).settings ?? {};
  const tb = settings.dos?.energies_eV as { first: number; last: number; count: number } | undefined;
  const gpaw = settings.el_dos_grid_eV as { min: number; max: number; points: number } | undefined;
  const [first, last, count] = tb ? [tb.first, tb.last, tb.count] : gpaw ? [gpaw.min, gpaw.max, gpaw.points] : [-2, 2, 81];
  if (count !== points) throw new Error(`row ${row.id}: ${points} el-DoS values on a grid of ${count}`);
  return Array.from({ length: count }, (_, k) => first + ((last - first) * k) / (count - 1));
}

function spectra(file: string): Map<string, { dos: Float64Array; energies: number[] }> {
  const db = new AseDatabase(file, { mustExist: true });
  const out = new Map<string, { dos: Float64Array; energies: number[] }>();
  for (const row of db.select()) {
    const dos = row.data.el_dos;
    if (dos instanceof Float64Array && row.atoms) out.set(keyOf(row), { dos, energies: gridOf(row, dos.length) });
  }
  db.close();
  return out;
}

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))];
};

const a = spectra(files[0]);
const b = spectra(files[1]);
const matched = [...a.keys()].filter((k) => b.has(k));
if (matched.length === 0) {
  console.log(JSON.stringify({ bench: 'store-agreement', a: files[0], b: files[1], matched: 0 }));
  process.exit(0);
}
const energies = a.get(matched[0])!.energies;
const points = energies.length;
for (const k of matched)
  for (const store of [a, b]) {
    const e = store.get(k)!.energies;
    if (e.length !== points || e.some((v, i) => Math.abs(v - energies[i]) > 1e-9)) throw new Error(`${files[0]} and ${files[1]}: the el-DoS labels are not on one grid`);
  }
const inWindow = energies.map((e) => e >= lo - 1e-9 && e <= hi + 1e-9);
const pick = (v: Float64Array) => Array.from(v).filter((_, k) => inWindow[k]);
const mean = (store: typeof a) => {
  const m = new Float64Array(points);
  for (const k of matched) store.get(k)!.dos.forEach((v, i) => (m[i] += v / matched.length));
  return m;
};
const ma = mean(a);
const mb = mean(b);
const raw: number[] = [];
const deviations: number[] = [];
for (const k of matched) {
  const x = a.get(k)!.dos;
  const y = b.get(k)!.dos;
  raw.push(pearson(pick(x), pick(y)));
  deviations.push(pearson(pick(x.map((v, i) => v - ma[i])), pick(y.map((v, i) => v - mb[i]))));
}
const step = energies[1] - energies[0];
const states = (m: Float64Array) => pick(m).reduce((s, v) => s + v * step, 0);
console.log(
  JSON.stringify({
    bench: 'store-agreement',
    a: files[0],
    b: files[1],
    matched: matched.length,
    window_eV: [Math.max(lo, energies[0]), Math.min(hi, energies[points - 1])],
    pearson_raw: { median: quantile(raw, 0.5), p10: quantile(raw, 0.1), per_structure: raw },
    pearson_deviations: matched.length > 2 ? { median: quantile(deviations, 0.5), p10: quantile(deviations, 0.1) } : null,
    states_per_atom_in_window: { a: states(ma), b: states(mb) },
  }),
);
