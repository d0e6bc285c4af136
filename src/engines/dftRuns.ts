import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CalculationResult, PropertyName } from '../calculators/calculator.js';
import { errorMessage, InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { readFileOrFail } from '../io/readFile.js';
import { Atoms } from '../structure/atoms.js';
import { readStructure, readStructures } from '../structure/io/formats.js';
import { elDosFromLevels, PUBLIC_DOSCAR_SMEARING_EV } from './dft.js';
import { parseGpawResult } from './gpaw/gpaw.js';
import { parsePwOutput, pwLevels, writePwInput } from './qe/pw.js';
import { writeVaspInputs } from './vasp/inputs.js';
import { FileLabelCalculator, findVaspFiles, vaspStructureFile } from './vasp/files.js';

/** Labels read from one finished run folder. */
export interface RunLabels {
  input: string;
  engine: 'vasp' | 'qe' | 'gpaw';
  result: CalculationResult;
}

/** pw.x output files of a folder: *.out, *.log, *.pwo that start a PWSCF run. */
export function findPwOutputs(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.(out|log|pwo)$/i.test(n) && statSync(join(dir, n)).isFile())
    .map((n) => join(dir, n))
    .filter((f) => readFileOrFail(f, 'utf8').slice(0, 20000).includes('Program PWSCF'));
}

/**
 * The labels a finished run left in a folder (`dosSmearing_eV`: for runs read as Kohn–Sham levels,
 * the DOSCAR-like smearing before the label's 0.05 eV, by default the public DOSCARs'): VASP (DOSCAR / vasprun.xml / imag → el-DoS and σ, the
 * cell from CONTCAR/POSCAR for the sheet conductance) or Quantum ESPRESSO (pw.x output → energy and
 * el-DoS from the Kohn–Sham levels).
 */
export async function readRunLabels(dir: string, options: { dosSmearing_eV?: number } = {}): Promise<RunLabels> {
  const smearing = options.dosSmearing_eV ?? PUBLIC_DOSCAR_SMEARING_EV;
  const vasp = findVaspFiles(dir);
  if (vasp.doscar !== undefined || vasp.vasprun !== undefined || vasp.imag !== undefined) {
    const structure = vaspStructureFile(dir);
    const atoms = structure !== undefined ? readStructure(structure, { format: 'vasp' }) : new Atoms({ positions: [] });
    const props: PropertyName[] = [];
    if (vasp.doscar !== undefined || vasp.vasprun !== undefined) props.push('el_dos');
    if (vasp.imag !== undefined || vasp.vasprun !== undefined) props.push('sigma_label', 'sigma_S_m', ...(structure !== undefined ? (['sheet_conductance_S'] as const) : []));
    const result = await new FileLabelCalculator(vasp).calculate(atoms, props);
    if (structure === undefined && props.includes('sigma_label')) {
      result.extra = { ...result.extra, missing: [...((result.extra?.missing as string[] | undefined) ?? []), 'sheet_conductance_S (no CONTCAR or POSCAR in the folder)'] };
    }
    return { input: dir, engine: 'vasp', result };
  }
  if (existsSync(join(dir, 'result.json')) && existsSync(join(dir, 'gpaw_run.py'))) {
    const file = join(dir, 'result.json');
    const { result, levels } = parseGpawResult(readFileOrFail(file, 'utf8'), file);
    if (!(result.natoms > 0)) throw new InputError(`${file}: no atom count (written by an older spramnet); rerun the folder`);
    return {
      input: dir,
      engine: 'gpaw',
      result: {
        properties: { el_dos: elDosFromLevels(levels, result.natoms, smearing), energy_eV: result.energy_eV },
        provenance: { engine: 'gpaw', version: result.gpaw_version, settings: { result: file, el_dos: 'Kohn–Sham levels, unit-area Gaussian σ = 0.05 eV, per atom, E − E_F', dos_smearing_eV: smearing } },
        extra: { fermi_eV: result.fermi_eV, kpoints: levels.weights.length, nbands: levels.nbands, seconds: result.seconds },
      },
    };
  }
  const outputs = findPwOutputs(dir);
  if (outputs.length > 1) throw new InputError(`${dir}: ${outputs.length} pw.x outputs (${outputs.join(', ')}); expected one`);
  if (outputs.length === 1) {
    const file = outputs[0];
    const out = parsePwOutput(readFileOrFail(file, 'utf8'), file);
    const levels = pwLevels(out, file);
    return {
      input: dir,
      engine: 'qe',
      result: {
        properties: { el_dos: elDosFromLevels(levels, out.atoms, smearing), ...(out.energy_eV !== undefined ? { energy_eV: out.energy_eV } : {}) },
        provenance: {
          engine: 'quantum-espresso',
          version: out.version,
          settings: { output: file, el_dos: 'Kohn–Sham levels, unit-area Gaussian σ = 0.05 eV, per atom, E − E_F', dos_smearing_eV: smearing },
        },
        extra: { fermi_eV: out.fermi_eV, kpoints: levels.weights.length, nbands: levels.nbands, nspins: levels.nspins },
      },
    };
  }
  throw new InputError(`${dir}: no finished run found (expected DOSCAR, vasprun.xml or imag files, a pw.x output *.out/*.log, or a GPAW result.json)`);
}

export type InputEngine = 'vasp' | 'qe';

export interface WriteRunOptions {
  engine: InputEngine;
  out: string;
  kpoints?: readonly number[];
  /** Species → pseudopotential file (Quantum ESPRESSO). */
  pseudopotentials?: Record<string, string>;
  pseudoDir?: string;
  /** Read options for the structure files. */
  format?: string;
  species?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

export interface WriteRunReport {
  written: Array<{ input: string; folder: string; atoms: number; settings: Record<string, unknown> }>;
  failures: Array<{ input: string; message: string }>;
}

/**
 * Input folders for a DFT code, one per structure (per frame of a multi-frame file), each written
 * whole or not at all: the files go to a hidden temporary folder that is renamed into place.
 * A folder that already exists is left alone and reported, so a rerun only adds what is missing;
 * the parent folder is made with the first run folder (no inputs written, no folder).
 */
export function writeRunFolders(files: readonly string[], options: WriteRunOptions): WriteRunReport {
  const report: WriteRunReport = { written: [], failures: [] };
  files.forEach((input, index) => {
    try {
      const frames = readStructures(input, { format: options.format, species: options.species });
      frames.forEach((atoms, frame) => {
        const name = basename(input).replace(/\.[^.]*$/, '').replace(/[^\w.-]/g, '_') + (frames.length > 1 ? `_frame${frame}` : '');
        const folder = join(options.out, name || `structure${index}`);
        if (existsSync(folder)) throw new InputError(`${folder} exists already; remove it to write it again`);
        let contents: Record<string, string>;
        let settings: Record<string, unknown>;
        if (options.engine === 'vasp') {
          const v = writeVaspInputs(atoms, { kpoints: options.kpoints });
          contents = v.files;
          settings = v.settings;
        } else {
          const q = writePwInput(atoms, { kpoints: options.kpoints, pseudopotentials: options.pseudopotentials ?? {}, pseudoDir: options.pseudoDir });
          contents = { 'pw.in': q.text, 'README.md': qeReadme(atoms.formula()) };
          settings = q.settings;
        }
        const temp = join(options.out, `.${basename(folder)}.${process.pid}.tmp`);
        // the parent only once there is something to put in it: a run that fails leaves nothing behind
        mkdirSync(options.out, { recursive: true });
        rmSync(temp, { recursive: true, force: true });
        mkdirSync(temp);
        for (const [file, text] of Object.entries(contents)) writeFileAtomic(join(temp, file), text);
        renameSync(temp, folder);
        report.written.push({ input: frames.length > 1 ? `${input}[${frame}]` : input, folder, atoms: atoms.length, settings });
      });
    } catch (error) {
      report.failures.push({ input, message: errorMessage(error) });
    }
    options.onProgress?.(index + 1, files.length);
  });
  return report;
}

function qeReadme(formula: string): string {
  return [
    `# pw.x run for ${formula}`,
    '',
    'Written by `spramnet dft write qe`. The pseudopotentials named in ATOMIC_SPECIES are yours: put them in',
    'the folder given by pseudo_dir (or $ESPRESSO_PSEUDO). Run `pw.x -in pw.in > pw.out`, then',
    '`spramnet dft read <parent folder>` turns pw.out into the el-DoS label (σ needs a VASP LOPTICS run).',
    '',
  ].join('\n');
}

export interface ReadRunReport {
  runs: RunLabels[];
  failures: Array<{ input: string; message: string }>;
}

/** Labels of every finished run under `dir` (its sub-folders, or `dir` itself when it is a run). */
export async function readRunFolders(dir: string, onProgress?: (done: number, total: number) => void, options: { dosSmearing_eV?: number } = {}): Promise<ReadRunReport> {
  const subfolders = readdirSync(dir)
    .filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory())
    .sort()
    .map((n) => join(dir, n));
  const ownFiles = readdirSync(dir).some((n) => /^(DOSCAR|vasprun|imag|result\.json$)|\.(out|log|pwo)$/i.test(n) && statSync(join(dir, n)).isFile());
  const folders = ownFiles || subfolders.length === 0 ? [dir] : subfolders;
  const report: ReadRunReport = { runs: [], failures: [] };
  for (const [index, folder] of folders.entries()) {
    try {
      report.runs.push(await readRunLabels(folder, options));
    } catch (error) {
      report.failures.push({ input: folder, message: errorMessage(error) });
    }
    onProgress?.(index + 1, folders.length);
  }
  return report;
}

/** JSON-ready form of one run's labels (typed arrays as plain arrays). */
export function runLabelsJson(run: RunLabels): Record<string, unknown> {
  const p = run.result.properties;
  return {
    input: run.input,
    engine: run.engine,
    ...(p.el_dos !== undefined ? { el_dos: { energy_eV: Array.from(p.el_dos.energy_eV), dos: Array.from(p.el_dos.dos) } } : {}),
    ...(p.sigma_label !== undefined ? { sigma_label: p.sigma_label } : {}),
    ...(p.sigma_S_m !== undefined ? { sigma_S_m: p.sigma_S_m } : {}),
    ...(p.sheet_conductance_S !== undefined ? { sheet_conductance_S: p.sheet_conductance_S } : {}),
    ...(p.energy_eV !== undefined ? { energy_eV: p.energy_eV } : {}),
    provenance: run.result.provenance,
    ...(run.result.extra !== undefined ? { extra: run.result.extra } : {}),
  };
}
