/**
 * Validation of the π tight-binding engine against the public DFT labels (data.md).
 *   node dist/bench/tbValidate.js [--ids all|train|check|buckled|flat|every:N|train-every:N] [--model pi-normals|pi-flat]
 *        [--mesh 2,2,1] [--sigma] [--out DIR] [--t0 −2.7 --beta 3.37 --cutoff 2.6 --ratio 3.55]
 *   node dist/bench/tbValidate.js --kcheck          (k-mesh convergence on 10 structures)
 * Split: ids ≡ 0..8 (mod 10) are for fitting/choosing settings, ids ≡ 9 (mod 10) the check.
 * Prints, per subset (buckled WWW ids 1–2000, flat quench 2001–4000): Pearson r of TB vs DFT el-DoS per
 * structure, raw and on deviations from each set's own subset-mean spectrum (median, 10th percentile);
 * with --sigma, Spearman ρ of TB vs DFT sheet σ (label·c) per component. --out saves eldos.npy
 * [n, 81] (id order), ids.npy, sigma_S_m.npy [n, 2], sigma_label.npy [n, 2], fermi_eV.npy.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EL_DOS_ENERGIES_EV, parseDoscar, parseSigma } from '../src/data/labels.js';
import { writeNpy } from '../src/io/npy.js';
import { readPoscar } from '../src/structure/io/poscar.js';
import { tightBindingExact } from '../src/physics/tb/exact.js';
import type { PiModelParameters } from '../src/physics/tb/model.js';
import { pearson, ranks } from './correlation.js';
import { unpackShared } from './shared.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string): string | undefined => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : fallback;
};
const flag = (name: string): boolean => argv.includes(`--${name}`);
const dataDir = existsSync('/work/data/raw_dataset_electron') ? '/work/data/raw_dataset_electron' : join(unpackShared('electron', 'raw_dataset_electron/POSCAR'), '..');
const allIds = readdirSync(join(dataDir, 'POSCAR')).map((f) => Number(f.replace('POSCAR_', ''))).sort((a, b) => a - b);
const idFilter = option('ids', 'all')!;
const ids = allIds.filter((id) => {
  if (idFilter === 'all') return true;
  if (idFilter === 'train') return id % 10 !== 9;
  if (idFilter === 'check') return id % 10 === 9;
  if (idFilter === 'buckled') return id <= 2000;
  if (idFilter === 'flat') return id > 2000;
  if (idFilter.startsWith('every:')) return id % Number(idFilter.slice(6)) === 0;
  if (idFilter.startsWith('train-every:')) return id % 10 !== 9 && id % Number(idFilter.slice(12)) === 0;
  throw new Error(`--ids ${idFilter}?`);
});
const parameters: Partial<PiModelParameters> = {};
if (option('model')) parameters.model = option('model') as PiModelParameters['model'];
if (option('t0')) parameters.t0_eV = Number(option('t0'));
if (option('beta')) parameters.beta = Number(option('beta'));
if (option('cutoff')) parameters.cutoff_A = Number(option('cutoff'));
if (option('ratio')) parameters.ppSigmaRatio = Number(option('ratio'));
const dosSigma = option('dossigma') === undefined ? undefined : Number(option('dossigma'));
const shift = Number(option('shift', '0'));
const kubo: Record<string, number> = {};
if (option('eta')) kubo.eta_eV = Number(option('eta'));
if (option('kT')) kubo.kT_eV = Number(option('kT'));
const kLength = option('klength') === undefined ? undefined : Number(option('klength'));
const mesh = (option('mesh', '2,2,1')!.split(',').map(Number) as [number, number, number]);
const pad = (id: number): string => String(id).padStart(4, '0');
const load = (id: number) => {
  const file = join(dataDir, 'POSCAR', `POSCAR_${pad(id)}`);
  return readPoscar(readFileSync(file, 'utf8'), file);
};

if (flag('kcheck')) {
  // the 0.05-eV DoS on the label grid for meshes 1…6 against 8×8, on 10 training structures
  console.log('id  atoms  max|Δdos|/max(dos) vs 8x8 Γ-centred for meshes 1,2,3,4,6 (and MP-shifted 2)');
  for (const id of [2, 150, 700, 1201, 1850, 2002, 2400, 2903, 3300, 3888]) {
    const atoms = load(id);
    const ref = tightBindingExact(atoms, { mesh: [8, 8, 1] }).el_dos.dos;
    const peak = Math.max(...ref);
    const diff = (m: number, gamma = true): string => {
      const d = tightBindingExact(atoms, { mesh: [m, m, 1], gammaCentred: gamma }).el_dos.dos;
      return (Math.max(...d.map((v, k) => Math.abs(v - ref[k]))) / peak).toFixed(3);
    };
    console.log(id, atoms.length, [1, 2, 3, 4, 6].map((m) => diff(m)).join(' '), diff(2, false));
  }
  process.exit(0);
}

const n = ids.length;
const tb = new Float64Array(n * 81);
const dft = new Float64Array(n * 81);
const tbSigma = new Float64Array(n * 2);
const tbLabel = new Float64Array(n * 2);
const dftSigma = new Float64Array(n * 2).fill(NaN);
const fermi = new Float64Array(n);
const withSigma = flag('sigma');
const t0 = performance.now();
ids.forEach((id, row) => {
  const atoms = load(id);
  const r = tightBindingExact(atoms, { parameters, mesh, kLength_A: kLength, conductivity: withSigma, kubo, dosSigma_eV: dosSigma, grid_eV: EL_DOS_ENERGIES_EV.map((e) => e + shift) });
  tb.set(r.el_dos.dos, row * 81);
  fermi[row] = r.fermi_eV;
  dft.set(parseDoscar(readFileSync(join(dataDir, 'DOSCAR', `DOSCAR_${pad(id)}`), 'utf8')), row * 81);
  if (r.conductivity) {
    tbSigma.set(r.conductivity.optical_S_m, 2 * row);
    tbLabel.set(r.conductivity.label, 2 * row);
    const s = parseSigma(readFileSync(join(dataDir, 'imag', `imag_${pad(id)}.dat`), 'utf8'));
    if (s) (dftSigma[2 * row] = s.xx), (dftSigma[2 * row + 1] = s.yy);
  }
  if ((row + 1) % 200 === 0) console.error(`${row + 1}/${n}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
});
const seconds = (performance.now() - t0) / 1000;

const quantile = (a: number[], q: number): number => {
  const s = [...a].sort((x, y) => x - y);
  const p = q * (s.length - 1);
  const lo = Math.floor(p);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (p - lo);
};

const subsets: Array<[string, (id: number) => boolean, number]> = [
  ['buckled WWW (1–2000)', (id) => id <= 2000, 20],
  ['flat quench (2001–4000)', (id) => id > 2000, 10],
];
console.log(`TB ${JSON.stringify({ ...parameters, ...kubo, dosSigma_eV: dosSigma ?? 0.05, shift_eV: shift, ...(kLength === undefined ? { mesh } : { kLength_A: kLength }) })} on ${n} structures (--ids ${idFilter}), ${seconds.toFixed(0)} s (${((1000 * seconds) / n).toFixed(0)} ms each)`);
console.log('subset                      n     raw r median  p10    deviation r median  p10   σ Spearman xx   yy   (n σ)');
for (const [name, inside, c] of subsets) {
  const rows = ids.map((id, row) => (inside(id) ? row : -1)).filter((r) => r >= 0);
  if (rows.length === 0) continue;
  const meanOf = (x: Float64Array): Float64Array => {
    const m = new Float64Array(81);
    for (const r of rows) for (let k = 0; k < 81; k++) m[k] += x[r * 81 + k] / rows.length;
    return m;
  };
  const mt = meanOf(tb);
  const md = meanOf(dft);
  const raw: number[] = [];
  const dev: number[] = [];
  for (const r of rows) {
    const a = tb.subarray(r * 81, r * 81 + 81);
    const b = dft.subarray(r * 81, r * 81 + 81);
    raw.push(pearson(a, b));
    dev.push(pearson(a.map((v, k) => v - mt[k]), b.map((v, k) => v - md[k])));
  }
  let sigmaText = '';
  if (withSigma) {
    const spear = [0, 1].map((axis) => {
      const ok = rows.filter((r) => Number.isFinite(dftSigma[2 * r + axis]));
      const x = ranks(ok.map((r) => tbLabel[2 * r + axis] * c));
      const y = ranks(ok.map((r) => dftSigma[2 * r + axis] * c));
      return [pearson(x, y), ok.length];
    });
    sigmaText = `   ${spear[0][0].toFixed(3)}  ${spear[1][0].toFixed(3)}  (${spear[0][1]})`;
  }
  console.log(`${name.padEnd(26)} ${String(rows.length).padStart(5)}   ${quantile(raw, 0.5).toFixed(3)}  ${quantile(raw, 0.1).toFixed(3)}          ${quantile(dev, 0.5).toFixed(3)}  ${quantile(dev, 0.1).toFixed(3)}${sigmaText}`);
}
const out = option('out');
if (out !== undefined) {
  mkdirSync(out, { recursive: true });
  writeNpy(join(out, 'eldos.npy'), { data: tb, shape: [n, 81] });
  writeNpy(join(out, 'ids.npy'), { data: Float64Array.from(ids), shape: [n] });
  writeNpy(join(out, 'fermi_eV.npy'), { data: fermi, shape: [n] });
  if (withSigma) {
    writeNpy(join(out, 'sigma_S_m.npy'), { data: tbSigma, shape: [n, 2] });
    writeNpy(join(out, 'sigma_label.npy'), { data: tbLabel, shape: [n, 2] });
  }
  console.log(`saved ${out}/eldos.npy [${n}, 81], ids.npy${withSigma ? ', sigma_S_m.npy, sigma_label.npy' : ''}, fermi_eV.npy`);
}
