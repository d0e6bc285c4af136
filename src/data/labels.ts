import { ParseError } from '../errors.js';
import { LineReader, scanNumbers } from '../structure/io/text.js';

/** σ(ω → 0) of one structure: xx and yy, in the release's units. */
export interface Sigma {
  xx: number;
  yy: number;
}

/**
 * σ from an `imag_NNNN.dat` optical-conductivity file (data.md): two blocks of rows `ħω xx yy`
 * separated by blank lines and a stray XML fragment; the second block is the real conductivity
 * and σ is its second row (the first non-zero frequency, ħω ≈ 0.017 eV; line 2016 in the public
 * files). An empty file means σ is missing: undefined, not zero.
 */
export function parseSigma(text: string, file = 'imag.dat'): Sigma | undefined {
  if (text.trim() === '') return undefined;
  const r = new LineReader(file, text);
  const row = new Float64Array(3);
  const numeric = (k: number): boolean => scanNumbers(r.lines[k], 3, row, 0) === 3;
  let k = 0;
  while (k < r.count && !numeric(k)) k++;
  const firstStart = k;
  while (k < r.count && numeric(k)) k++;
  const firstRows = k - firstStart;
  if (firstRows === 0) throw r.error(firstStart, 'expected rows of "ħω xx yy"');
  while (k < r.count && !numeric(k)) k++;
  const secondStart = k;
  if (secondStart >= r.count) throw r.error(r.count, `file ends after the first block (${firstRows} rows): expected a second block, the real conductivity`);
  if (secondStart + 1 >= r.count || !numeric(secondStart + 1)) throw r.error(secondStart + 1, 'the second block needs at least 2 rows (σ is its second row)');
  const [omega, xx, yy] = row;
  if (!(omega > 0)) throw r.error(secondStart + 1, `expected the first non-zero frequency in row 2 of the second block, found ħω = ${omega}`);
  if (!Number.isFinite(xx) || !Number.isFinite(yy)) throw new ParseError(file, secondStart + 2, 'σ is not finite');
  return { xx, yy };
}

/** The el-DoS energy grid of data.md: E − E_F from −2 to 2 eV in steps of 0.05 eV (81 points). */
export const EL_DOS_ENERGIES_EV = Float64Array.from({ length: 81 }, (_, k) => (k - 40) / 20);
export const EL_DOS_SIGMA_EV = 0.05;

/**
 * el-DoS label from a VASP DOSCAR (data.md): the total DoS per atom, broadened with a unit-area
 * Gaussian of σ = 0.05 eV, dos(E) = Σ_k D_k ΔE G(E − E_k), on E − E_F ∈ [−2, 2] eV.
 * Header line 6 is "Emax Emin NEDOS E_F weight", then NEDOS rows "E DOS integrated-DOS"; ΔE is the
 * grid step (Emax − Emin)/(NEDOS − 1).
 * The number of atoms is DOSCAR line 1's first field.
 */
export function parseDoscar(text: string, file = 'DOSCAR'): Float64Array {
  const r = new LineReader(file, text);
  const atoms = r.integer(r.line(0, 'the number of ions').trim().split(/\s+/)[0], 0, 'the number of ions', 1);
  const [emax, emin, nedosRaw, fermi] = r.numbers(5, 4, '"Emax Emin NEDOS E_F"');
  const nedos = Math.round(nedosRaw);
  if (!(nedos >= 2)) throw r.error(5, `NEDOS = ${nedosRaw}: expected at least 2 energy rows`);
  const energy = new Float64Array(nedos);
  const dos = new Float64Array(nedos);
  const row = new Float64Array(2);
  for (let k = 0; k < nedos; k++) {
    const line = 6 + k;
    if (line >= r.count) throw r.error(line, `file ends early: expected ${nedos} DoS rows (NEDOS), found ${k}`);
    if (scanNumbers(r.lines[line], 2, row, 0) !== 2) throw r.error(line, `expected "E DOS …", found "${r.lines[line].trim()}"`);
    energy[k] = row[0];
    dos[k] = row[1];
  }
  // the grid step from the header: the printed energies are rounded to 1 meV, their spacing is not exact
  const dE = (emax - emin) / (nedos - 1);
  if (!(dE > 0)) throw r.error(5, `Emax ${emax} must exceed Emin ${emin}`);
  const out = new Float64Array(EL_DOS_ENERGIES_EV.length);
  const norm = 1 / (Math.sqrt(2 * Math.PI) * EL_DOS_SIGMA_EV);
  const reach = 8 * EL_DOS_SIGMA_EV;
  for (let m = 0; m < out.length; m++) {
    const e = fermi + EL_DOS_ENERGIES_EV[m];
    let s = 0;
    const k0 = Math.max(0, Math.floor((e - reach - energy[0]) / dE));
    const k1 = Math.min(nedos - 1, Math.ceil((e + reach - energy[0]) / dE));
    for (let k = k0; k <= k1; k++) {
      const x = (e - energy[k]) / EL_DOS_SIGMA_EV;
      s += dos[k] * dE * norm * Math.exp(-0.5 * x * x);
    }
    out[m] = s / atoms;
  }
  return out;
}

/** ph-DoS label (data.md): eigenfrequencies histogrammed in 1-THz bins over [0, 100) THz, divided by the sum. */
export const PH_DOS_BIN_CENTRES_THZ = Float64Array.from({ length: 100 }, (_, k) => k + 0.5);

export function phononDos(frequencies_THz: ArrayLike<number>, file = 'w.npy'): Float64Array {
  const out = new Float64Array(100);
  let total = 0;
  for (let k = 0; k < frequencies_THz.length; k++) {
    const f = frequencies_THz[k];
    if (!Number.isFinite(f)) throw new ParseError(file, undefined, `frequency ${k} is ${f}; expected finite THz values`);
    if (f >= 0 && f < 100) {
      out[Math.floor(f)]++;
      total++;
    }
  }
  if (total === 0) throw new ParseError(file, undefined, 'no frequency lies in [0, 100) THz');
  for (let k = 0; k < 100; k++) out[k] /= total;
  return out;
}
