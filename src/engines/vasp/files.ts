import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type Properties, type PropertyName } from '../../calculators/calculator.js';
import { parseDoscar, EL_DOS_ENERGIES_EV } from '../../data/labels.js';
import { InputError } from '../../errors.js';
import { readFileOrFail } from '../../io/readFile.js';
import type { Atoms } from '../../structure/atoms.js';
import { LineReader, fields, scanNumbers } from '../../structure/io/text.js';
import { broadenedElDos, siemensPerMPerEpsilon2, sigmaProperties, type SigmaAt, type SigmaReading } from '../dft.js';
import { sigmaFromImag } from './imag.js';
import { elDosFromVasprun, parseVasprun, sigmaFromDielectric, type Vasprun } from './vasprun.js';

/** The files of one finished VASP run; any subset. */
export interface VaspRunFiles {
  doscar?: string;
  /** The release's imag_NNNN.dat (two ε₂ blocks; σ is row 2 of the second). */
  imag?: string;
  vasprun?: string;
}

/** DOSCAR, vasprun.xml and an imag file in a folder (DOSCAR_NNNN and imag_NNNN.dat names too). */
export function findVaspFiles(dir: string): VaspRunFiles {
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile());
  const pick = (pattern: RegExp, what: string): string | undefined => {
    const hits = names.filter((n) => pattern.test(n));
    if (hits.length > 1) throw new InputError(`${dir}: ${hits.length} ${what} files (${hits.join(', ')}); expected one`);
    return hits.length === 1 ? join(dir, hits[0]) : undefined;
  };
  return {
    doscar: pick(/^DOSCAR(_\w+)?$/, 'DOSCAR'),
    imag: pick(/^imag(_\w+)?(\.dat)?$/, 'imag'),
    vasprun: pick(/^vasprun(_\w+)?\.xml$/, 'vasprun.xml'),
  };
}

const ATOMS_OF_DOSCAR = (text: string): number => Number(text.slice(0, text.indexOf('\n')).trim().split(/\s+/)[0]);

/**
 * el-DoS of a DOSCAR: parseDoscar (data.md's label) for one spin channel; a spin-polarised DOSCAR
 * (rows "E up down int-up int-down") has both channels summed, on the same header grid step.
 */
export function elDosFromDoscar(text: string, file = 'DOSCAR'): Float64Array {
  const r = new LineReader(file, text);
  const first = fields(r.line(6, 'the first DoS row'));
  if (first.length !== 5) return parseDoscar(text, file);
  const atoms = r.integer(fields(r.line(0, 'the number of ions'))[0], 0, 'the number of ions', 1);
  const [emax, emin, nedosRaw, fermi] = r.numbers(5, 4, '"Emax Emin NEDOS E_F"');
  const nedos = Math.round(nedosRaw);
  const dE = (emax - emin) / (nedos - 1);
  if (!(nedos >= 2 && dE > 0)) throw r.error(5, `expected NEDOS ≥ 2 and Emax > Emin, found ${nedosRaw}, ${emax}, ${emin}`);
  const energy = new Float64Array(nedos);
  const states = new Float64Array(nedos);
  const row = new Float64Array(3);
  for (let k = 0; k < nedos; k++) {
    if (scanNumbers(r.line(6 + k, `${nedos} DoS rows (NEDOS)`), 3, row, 0) !== 3) throw r.error(6 + k, 'expected "E DOS(up) DOS(down) …"');
    energy[k] = row[0];
    states[k] = (row[1] + row[2]) * dE;
  }
  return broadenedElDos(energy, states, fermi, atoms);
}

/**
 * ASE-style calculator over the files a VASP run left (the public release's layout): el-DoS from the
 * DOSCAR (parseDoscar, the canonical label) or else vasprun.xml's total DoS; σ from the imag file
 * (parseSigma) or else vasprun.xml's current-current ε₂. `atoms` supplies the cell for the sheet
 * conductance and is checked against the run's atom count.
 */
export class FileLabelCalculator implements Calculator {
  readonly name = 'vasp-files';
  readonly implementedProperties: readonly PropertyName[] = ['el_dos', 'sigma_label', 'sigma_S_m', 'sheet_conductance_S'];
  readonly files: VaspRunFiles;

  /** Where σ is read: 'row2' (data.md, the default) or a fixed ħω in eV (grid-independent labels). */
  readonly sigmaAt: SigmaAt;

  /** A folder to search (findVaspFiles) or the files by role. */
  constructor(files: VaspRunFiles | string, options: { sigmaAt?: SigmaAt } = {}) {
    this.files = typeof files === 'string' ? findVaspFiles(files) : { ...files };
    this.sigmaAt = options.sigmaAt ?? 'row2';
    if (this.files.doscar === undefined && this.files.imag === undefined && this.files.vasprun === undefined) {
      throw new InputError(`${typeof files === 'string' ? files : 'FileLabelCalculator'}: no DOSCAR, imag or vasprun.xml file`);
    }
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[], _options: CalculateOptions = {}): Promise<CalculationResult> {
    checkImplemented(this, properties);
    const out: Partial<Properties> = {};
    const settings: Record<string, unknown> = { files: { ...this.files } };
    const missing: string[] = [];
    let vasprun: Vasprun | undefined;
    const readVasprun = (): Vasprun | undefined => {
      if (vasprun === undefined && this.files.vasprun !== undefined) vasprun = parseVasprun(readFileOrFail(this.files.vasprun, 'utf8'), this.files.vasprun);
      return vasprun;
    };
    const checkCount = (count: number, file: string): void => {
      if (atoms.length > 0 && count !== atoms.length) throw new InputError(`${file} is for ${count} atoms, the structure has ${atoms.length}`);
    };

    if (properties.includes('el_dos')) {
      if (this.files.doscar !== undefined) {
        const text = readFileOrFail(this.files.doscar, 'utf8');
        checkCount(ATOMS_OF_DOSCAR(text), this.files.doscar);
        out.el_dos = { energy_eV: EL_DOS_ENERGIES_EV.slice(), dos: elDosFromDoscar(text, this.files.doscar) };
        settings.el_dos = 'DOSCAR total DoS (spins summed), unit-area Gaussian σ = 0.05 eV, per atom, E − E_F (data.md)';
      } else if (readVasprun() !== undefined) {
        const v = readVasprun() as Vasprun;
        checkCount(v.atoms, this.files.vasprun as string);
        out.el_dos = elDosFromVasprun(v, this.files.vasprun);
        settings.el_dos = 'vasprun.xml total DoS (spins summed), unit-area Gaussian σ = 0.05 eV, per atom, E − E_F';
      } else missing.push('el_dos (no DOSCAR or vasprun.xml)');
    }

    const wantSigma = properties.some((p) => p === 'sigma_label' || p === 'sigma_S_m' || p === 'sheet_conductance_S');
    if (wantSigma) {
      let reading: SigmaReading | undefined;
      if (this.files.imag !== undefined) {
        reading = sigmaFromImag(readFileOrFail(this.files.imag, 'utf8'), this.files.imag, this.sigmaAt);
        if (reading === undefined) missing.push(`σ (${this.files.imag} is empty: missing, not zero)`);
        else settings.sigma = 'imag file, second (current-current) ε₂ block';
      } else if (readVasprun() !== undefined) {
        const s = sigmaFromDielectric(readVasprun() as Vasprun, this.files.vasprun, this.sigmaAt);
        reading = s;
        settings.sigma = `vasprun.xml, ${s.block}`;
      } else missing.push('σ (no imag file or vasprun.xml)');
      if (reading !== undefined) {
        const sigma = sigmaProperties(reading.label, reading.hbarOmega_eV, atoms.volume_A3 > 0 ? atoms : undefined);
        if (properties.includes('sigma_label')) out.sigma_label = sigma.sigma_label;
        if (properties.includes('sigma_S_m')) out.sigma_S_m = sigma.sigma_S_m;
        if (properties.includes('sheet_conductance_S')) {
          if (sigma.sheet_conductance_S !== undefined) out.sheet_conductance_S = sigma.sheet_conductance_S;
          else missing.push('sheet_conductance_S (the structure has no 3D cell)');
        }
        settings.sigma_at = this.sigmaAt === 'row2' ? 'row 2 of the block (data.md)' : `${this.sigmaAt} eV (interpolated through ω·ε₂)`;
        settings.sigma_hbar_omega_eV = reading.hbarOmega_eV;
        settings.sigma_interpolated = reading.interpolated;
        settings.siemens_per_m_per_label = siemensPerMPerEpsilon2(reading.hbarOmega_eV);
      }
    }
    return {
      properties: out,
      provenance: { engine: 'vasp-files', version: readVasprun()?.version, settings },
      ...(missing.length > 0 ? { extra: { missing } } : {}),
    };
  }
}

/** Does a folder look like a finished VASP run? */
export function isVaspRun(dir: string): boolean {
  const f = findVaspFiles(dir);
  return f.doscar !== undefined || f.vasprun !== undefined || f.imag !== undefined;
}

/** The structure file a VASP run folder holds (CONTCAR, then POSCAR), if any. */
export function vaspStructureFile(dir: string): string | undefined {
  for (const name of ['CONTCAR', 'POSCAR']) if (existsSync(join(dir, name)) && statSync(join(dir, name)).size > 0) return join(dir, name);
  const poscar = readdirSync(dir).find((n) => /^POSCAR_\w+$/.test(n));
  return poscar === undefined ? undefined : join(dir, poscar);
}

