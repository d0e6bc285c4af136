import { ParseError } from '../../errors.js';
import { LineReader, scanNumbers } from '../../structure/io/text.js';
import { broadenedElDos, normaliseWeights, sigmaFromEpsilon2, type Epsilon2Block, type KohnShamLevels, type SigmaAt, type SigmaReading } from '../dft.js';
import type { Properties } from '../../calculators/calculator.js';
import { EL_DOS_ENERGIES_EV } from '../../data/labels.js';

/** One `<dielectricfunction>` block's imaginary part: energy grid and the tensor columns by name. */
export interface DielectricImag {
  /** The block's comment attribute ("density-density", "current-current"), if VASP wrote one. */
  comment: string | undefined;
  /** 1-based line of the block in the file, for messages. */
  line: number;
  energy_eV: Float64Array;
  /** xx, yy, zz, xy, yz, zx as the `<field>` tags name them. */
  components: Record<string, Float64Array>;
}

export interface Vasprun {
  version: string | undefined;
  atoms: number;
  fermi_eV: number | undefined;
  /** The last `<eigenvalues>` block with the `<kpoints>` weights. */
  levels: KohnShamLevels | undefined;
  /** Total DoS of the last `<dos>` block, spins summed, states/eV per cell. */
  dos: { energy_eV: Float64Array; total: Float64Array } | undefined;
  dielectric: DielectricImag[];
}

const attr = (line: string, name: string): string | undefined => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1];
const textOf = (line: string): string => line.replace(/<[^>]*>/g, '').trim();

/**
 * A vasprun.xml as VASP writes it (one element per line): atom count, Fermi level, k-point weights,
 * the final eigenvalues, the total DoS and every dielectric function's imaginary part. A line-based
 * scan, not a general XML parser: vasprun files of large cells are tens of MB.
 */
export function parseVasprun(text: string, file = 'vasprun.xml'): Vasprun {
  const r = new LineReader(file, text);
  const out: Vasprun = { version: undefined, atoms: 0, fermi_eV: undefined, levels: undefined, dos: undefined, dielectric: [] };
  let weights: number[] | undefined;
  let eig: { nspins: number; rows: number[][][] } | undefined; // [spin][kpoint][band]
  const row = new Float64Array(7);
  let k = 0;
  const skipTo = (closing: string): void => {
    while (k < r.count && !r.lines[k].includes(closing)) k++;
  };
  for (; k < r.count; k++) {
    const line = r.lines[k];
    if (out.version === undefined && line.includes('name="version"')) out.version = textOf(line);
    else if (/^\s*<(eigenvalues|projected|dos)_kpoints_opt/.test(line)) skipTo(`</${/<(\w+)/.exec(line)?.[1]}>`); // VASP 6 band-structure extras
    else if (line.includes('<atoms>')) out.atoms = r.integer(textOf(line), k, 'the number of atoms', 1);
    else if (/^\s*<kpoints>/.test(line) && weights === undefined) {
      // the first top-level <kpoints> is the SCF mesh; its "weights" varray sums to 1
      for (; k < r.count && !r.lines[k].includes('</kpoints>'); k++) {
        if (r.lines[k].includes('name="weights"')) {
          weights = [];
          for (k++; k < r.count && !r.lines[k].includes('</varray>'); k++) weights.push(vectorValue(r, k, 1)[0]);
        }
      }
    } else if (/^\s*<eigenvalues>/.test(line)) {
      eig = { nspins: 0, rows: [] };
      for (k++; k < r.count && !r.lines[k].includes('</eigenvalues>'); k++) {
        const l = r.lines[k];
        if (l.includes('<set comment="spin')) {
          eig.nspins++;
          eig.rows.push([]);
        } else if (l.includes('<set comment="kpoint')) eig.rows[eig.nspins - 1].push([]);
        else if (l.includes('<r>')) {
          const spin = eig.rows[eig.nspins - 1];
          if (spin === undefined || spin.length === 0) throw r.error(k, 'eigenvalue row outside a spin and k-point set');
          spin[spin.length - 1].push(rowValues(r, k, row, 1)[0]);
        }
      }
    } else if (/^\s*<dos>/.test(line)) {
      for (k++; k < r.count && !r.lines[k].includes('</dos>'); k++) {
        const l = r.lines[k];
        if (l.includes('name="efermi"')) out.fermi_eV = vectorValue(r, k, 1)[0];
        else if (/^\s*<total>/.test(l)) out.dos = totalDos(r, k, (end) => (k = end));
        else if (/^\s*<partial>/.test(l)) skipTo('</partial>');
      }
    } else if (/^\s*<dielectricfunction/.test(line)) {
      const start = k;
      const comment = attr(line, 'comment');
      for (k++; k < r.count && !r.lines[k].includes('</dielectricfunction>'); k++) {
        if (!/^\s*<imag>/.test(r.lines[k])) continue;
        const fields: string[] = [];
        const columns: number[][] = [];
        for (k++; k < r.count && !r.lines[k].includes('</imag>'); k++) {
          const l = r.lines[k];
          if (l.includes('<field')) fields.push(textOf(l));
          else if (l.includes('<r>')) {
            const values = rowValues(r, k, row, fields.length);
            values.forEach((v, c) => (columns[c] ??= []).push(v));
          }
        }
        if (fields[0] !== 'energy' || columns.length === 0) throw r.error(start, 'dielectric function without an "energy" field and rows');
        const components: Record<string, Float64Array> = {};
        fields.slice(1).forEach((name, c) => (components[name] = Float64Array.from(columns[c + 1])));
        out.dielectric.push({ comment, line: start + 1, energy_eV: Float64Array.from(columns[0]), components });
      }
    }
  }
  if (out.atoms === 0) throw r.error(undefined, 'no <atoms> count in <atominfo>');
  if (eig !== undefined && weights !== undefined && eig.nspins > 0) {
    const nk = eig.rows[0].length;
    const nbands = eig.rows[0][0]?.length ?? 0;
    if (nk !== weights.length) throw r.error(undefined, `${nk} k-point sets of eigenvalues but ${weights.length} k-point weights`);
    const values = new Float64Array(eig.nspins * nk * nbands);
    eig.rows.forEach((spin, s) =>
      spin.forEach((bands, kk) => {
        if (bands.length !== nbands) throw r.error(undefined, `spin ${s + 1} k-point ${kk + 1} has ${bands.length} bands, expected ${nbands}`);
        values.set(bands, (s * nk + kk) * nbands);
      }),
    );
    if (out.fermi_eV !== undefined) {
      out.levels = { nspins: eig.nspins === 2 ? 2 : 1, nbands, weights: normaliseWeights(weights), eigenvalues_eV: values, fermi_eV: out.fermi_eV };
    }
  }
  return out;
}

function rowValues(r: LineReader, k: number, row: Float64Array, count: number): number[] {
  const inner = r.lines[k].replace(/<\/?r>/g, ' ');
  const got = scanNumbers(inner, count, row, 0);
  if (got < count) throw r.error(k, `expected ${count} numbers in <r>, found "${r.lines[k].trim()}"`);
  return Array.from(row.subarray(0, count));
}

function vectorValue(r: LineReader, k: number, count: number): number[] {
  const row = new Float64Array(count);
  const inner = textOf(r.lines[k]);
  if (scanNumbers(inner, count, row, 0) < count) throw r.error(k, `expected ${count} number(s), found "${r.lines[k].trim()}"`);
  return Array.from(row);
}

function totalDos(r: LineReader, start: number, done: (end: number) => void): { energy_eV: Float64Array; total: Float64Array } {
  const energy: number[] = [];
  const total: number[] = [];
  const row = new Float64Array(3);
  let spin = -1;
  let index = 0;
  let k = start + 1;
  for (; k < r.count && !r.lines[k].includes('</total>'); k++) {
    const l = r.lines[k];
    if (l.includes('<set comment="spin')) {
      spin++;
      index = 0;
    } else if (l.includes('<r>')) {
      const [e, d] = rowValues(r, k, row, 2);
      if (spin === 0) {
        energy.push(e);
        total.push(d);
      } else {
        if (index >= energy.length || Math.abs(energy[index] - e) > 1e-3) throw r.error(k, `spin ${spin + 1} DoS row ${index + 1} is at ${e} eV, spin 1 at ${energy[index]}`);
        total[index] += d;
      }
      index++;
    }
  }
  done(k);
  if (energy.length < 2) throw r.error(start, 'the total DoS needs at least 2 rows');
  return { energy_eV: Float64Array.from(energy), total: Float64Array.from(total) };
}

/**
 * el-DoS label from vasprun.xml's total DoS, the same quantity as the DOSCAR's: each grid row holds
 * D_k·ΔE states, broadened and divided by the atoms as data.md says (parseDoscar for DOSCAR files).
 */
export function elDosFromVasprun(v: Vasprun, file = 'vasprun.xml'): Properties['el_dos'] {
  if (v.dos === undefined || v.fermi_eV === undefined) throw new ParseError(file, undefined, 'no <dos> block with efermi and a total DoS');
  const { energy_eV, total } = v.dos;
  const dE = (energy_eV[energy_eV.length - 1] - energy_eV[0]) / (energy_eV.length - 1);
  if (!(dE > 0)) throw new ParseError(file, undefined, 'the DoS energies do not increase');
  const states = Float64Array.from(total, (d) => d * dE);
  const dos = broadenedElDos(energy_eV, states, v.fermi_eV, v.atoms);
  return { energy_eV: EL_DOS_ENERGIES_EV.slice(), dos };
}

export interface SigmaFromDielectric extends SigmaReading {
  /** Which block: its comment, or its position among unlabelled blocks. */
  block: string;
}

/** The current-current ε₂ block of a vasprun.xml (xx, yy). */
export function currentCurrentBlock(v: Vasprun, file = 'vasprun.xml'): { block: Epsilon2Block; name: string } {
  const named = v.dielectric.find((d) => d.comment !== undefined && /current|velocity/i.test(d.comment));
  const unlabelled = v.dielectric.filter((d) => d.comment === undefined || /INVERSE MACROSCOPIC/i.test(d.comment));
  const found = named ?? (unlabelled.length >= 2 ? unlabelled[1] : undefined);
  if (found === undefined) {
    throw new ParseError(file, undefined, `no current-current dielectric function (found ${v.dielectric.length} block(s)); expected a LOPTICS run of VASP ≥ 5.4`);
  }
  const { xx, yy } = found.components;
  if (xx === undefined || yy === undefined) throw new ParseError(file, found.line, 'the dielectric function has no xx and yy fields');
  return { block: { energy_eV: found.energy_eV, xx, yy }, name: named !== undefined ? (found.comment as string) : 'second unlabelled <dielectricfunction>' };
}

/**
 * The σ label from a vasprun.xml (data.md): ε₂ (xx, yy) of the current-current block, row 2 by
 * default as the release reads its imag files. VASP ≥ 6 names the blocks; VASP 5.4 writes two
 * unlabelled ones, density-density first (as pymatgen reads them); the public imag files hold their
 * imaginary parts in that order.
 */
export function sigmaFromDielectric(v: Vasprun, file = 'vasprun.xml', at: SigmaAt = 'row2'): SigmaFromDielectric {
  const { block, name } = currentCurrentBlock(v, file);
  return { ...sigmaFromEpsilon2(block, at, `${file} ${name}`), block: name };
}
