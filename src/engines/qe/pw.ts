import { InputError, ParseError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { MASSES_AMU, SYMBOLS } from '../../structure/elements.js';
import { LineReader } from '../../structure/io/text.js';
import { checkKpoints, defaultKpoints, normaliseWeights, valenceElectrons, type KohnShamLevels } from '../dft.js';

/** QE's Rydberg in eV (Modules/constants.f90, CODATA 2018: AUTOEV / 2). */
export const RY_EV = 13.605693122994;

export interface PwInputOptions {
  /** Pseudopotential file per species, e.g. { C: 'C.pbe-n-kjpaw_psl.1.0.0.UPF' }; every species needs one. */
  pseudopotentials: Record<string, string>;
  pseudoDir?: string;
  kpoints?: readonly number[];
  /** Wave-function cut-off, Ry (the density's is 8× for PAW/ultrasoft). */
  ecutwfc_Ry?: number;
  ecutrho_Ry?: number;
  /** Gaussian smearing width, eV (written as degauss in Ry). */
  smearing_eV?: number;
  /** Bands; default 1.5 × the occupied count when the valence is known (states above E_F for the label window). */
  nbnd?: number;
  prefix?: string;
}

/**
 * pw.x input of an SCF single point: ibrav = 0 with CELL_PARAMETERS and ATOMIC_POSITIONS in Å,
 * Γ-centred automatic k-points, Gaussian smearing, verbosity 'high' (pw.x omits the eigenvalues of
 * runs with more than 100 k-points otherwise). Numbers are written in full so positions round-trip.
 */
export function writePwInput(atoms: Atoms, options: PwInputOptions): { text: string; settings: Record<string, unknown> } {
  if (atoms.length === 0) throw new InputError('pw.x needs at least one atom');
  if (!atoms.pbc.every(Boolean)) throw new InputError('pw.x cells are periodic on all three axes; give the structure a cell with vacuum along the sheet normal');
  const species = [...new Set(atoms.symbols)];
  const missing = species.filter((s) => options.pseudopotentials[s] === undefined);
  if (missing.length > 0) {
    throw new InputError(`no pseudopotential for ${missing.join(', ')}: pass --pseudo ${missing[0]}=FILE.UPF for each species (${species.join(', ')})`);
  }
  for (const [s, f] of Object.entries(options.pseudopotentials)) {
    if (!/^[\w.+-]+$/.test(f)) throw new InputError(`pseudopotential file name "${f}" for ${s}: expected a plain file name (the folder goes in --pseudo-dir)`);
  }
  const kpoints = options.kpoints === undefined ? defaultKpoints(atoms) : checkKpoints(options.kpoints);
  const ecutwfc = options.ecutwfc_Ry ?? 60;
  const ecutrho = options.ecutrho_Ry ?? 8 * ecutwfc;
  const smearing = options.smearing_eV ?? 0.05;
  if (!(ecutwfc > 0 && ecutrho >= 4 * ecutwfc && smearing > 0)) throw new InputError(`need ecutwfc > 0, ecutrho ≥ 4·ecutwfc and smearing > 0 (got ${ecutwfc}, ${ecutrho}, ${smearing})`);
  const electrons = valenceElectrons(atoms);
  const nbnd = options.nbnd ?? (electrons === undefined ? undefined : Math.ceil((electrons / 2) * 1.5));
  const quote = (s: string): string => `'${s.replace(/'/g, '')}'`;
  const cell = [0, 1, 2].map((r) => Array.from(atoms.cell.subarray(3 * r, 3 * r + 3), String).join(' '));
  const lines = [
    `! pw.x SCF written by spramnet for the el-DoS label: ${atoms.formula()}, ${atoms.length} atoms`,
    '&CONTROL',
    "  calculation = 'scf'",
    `  prefix = ${quote(options.prefix ?? 'spramnet')}`,
    "  outdir = './tmp'",
    ...(options.pseudoDir !== undefined ? [`  pseudo_dir = ${quote(options.pseudoDir)}`] : []),
    "  verbosity = 'high'",
    '/',
    '&SYSTEM',
    '  ibrav = 0',
    `  nat = ${atoms.length}`,
    `  ntyp = ${species.length}`,
    `  ecutwfc = ${ecutwfc}`,
    `  ecutrho = ${ecutrho}`,
    "  occupations = 'smearing'",
    "  smearing = 'gaussian'",
    `  degauss = ${smearing / RY_EV}`,
    ...(nbnd !== undefined ? [`  nbnd = ${nbnd}`] : []),
    '/',
    '&ELECTRONS',
    `  conv_thr = ${(1e-9 * atoms.length).toExponential(1)}`,
    '  mixing_beta = 0.4',
    '/',
    'ATOMIC_SPECIES',
    ...species.map((s) => `  ${s} ${MASSES_AMU[SYMBOLS.indexOf(s)]} ${options.pseudopotentials[s]}`),
    'CELL_PARAMETERS angstrom',
    ...cell.map((c) => `  ${c}`),
    'ATOMIC_POSITIONS angstrom',
    ...atoms.symbols.map((s, i) => `  ${s} ${Array.from(atoms.positions.subarray(3 * i, 3 * i + 3), String).join(' ')}`),
    'K_POINTS automatic',
    `  ${kpoints.join(' ')} 0 0 0`,
    '',
  ];
  return {
    text: lines.join('\n'),
    settings: { kpoints, ecutwfc_Ry: ecutwfc, ecutrho_Ry: ecutrho, smearing: 'gaussian', smearing_eV: smearing, nbnd: nbnd ?? null, pseudopotentials: { ...options.pseudopotentials } },
  };
}

export interface PwOutput {
  version: string | undefined;
  atoms: number;
  /** Final total energy ("!" line), eV. */
  energy_eV: number | undefined;
  fermi_eV: number | undefined;
  levels: KohnShamLevels | undefined;
  /** "JOB DONE." was printed: pw.x ended normally. */
  jobDone: boolean;
  converged: boolean;
}

const NUMBER = /-?\d+\.\d+(?:[eE][-+]?\d+)?/g;

/**
 * pw.x standard output: version, atoms, the last "!" total energy, the Fermi energy (or the highest
 * occupied level of an insulator), the k-point weights of the header and the eigenvalues of the last
 * "End of self-consistent calculation" (or band-structure) block, spin up then down for LSDA.
 * Eigenvalues are read with a number pattern since Fortran runs wide negative values together.
 */
export function parsePwOutput(text: string, file = 'pw.out'): PwOutput {
  const r = new LineReader(file, text);
  const out: PwOutput = { version: undefined, atoms: 0, energy_eV: undefined, fermi_eV: undefined, levels: undefined, jobDone: false, converged: false };
  let weights: number[] | undefined;
  let lsda = false;
  let bandsStart = -1;
  for (let k = 0; k < r.count; k++) {
    const line = r.lines[k];
    if (out.version === undefined && /Program PWSCF/.test(line)) out.version = /v\.(\S+)/.exec(line)?.[1];
    else if (/number of atoms\/cell\s*=/.test(line)) out.atoms = r.integer(line.split('=')[1]?.trim(), k, 'the number of atoms', 1);
    else if (/^\s*!\s+total energy\s*=/.test(line)) out.energy_eV = ryLine(r, k) * RY_EV;
    else if (/the Fermi energy is/.test(line)) out.fermi_eV = firstNumber(r, k);
    else if (/the spin up\/dw Fermi energies are/.test(line)) out.fermi_eV = firstNumber(r, k);
    else if (/highest occupied, lowest unoccupied level/.test(line)) out.fermi_eV = firstNumber(r, k);
    else if (/highest occupied level/.test(line)) out.fermi_eV = firstNumber(r, k);
    else if (/number of k points=/.test(line)) {
      const n = r.integer(/number of k points=\s*(\d+)/.exec(line)?.[1], k, 'the number of k points', 1);
      if (/set verbosity='high'/.test(r.lines[k + 2] ?? '')) continue;
      weights = [];
      for (let i = 0; i < n; i++) {
        const m = /wk\s*=\s*(\S+)/.exec(r.line(k + 2 + i, `k-point ${i + 1} of ${n}`));
        if (m === null) throw r.error(k + 2 + i, `expected "k(…) = (…), wk = …" for k-point ${i + 1} of ${n}`);
        weights.push(Number(m[1]));
      }
    } else if (/SPIN UP/.test(line)) lsda = true;
    else if (/End of (self-consistent|band structure) calculation/.test(line)) {
      bandsStart = k;
      if (/band structure/.test(line)) out.converged = true; // non-SCF runs print no convergence line
    }
    else if (/convergence has been achieved/.test(line)) out.converged = true;
    else if (/JOB DONE/.test(line)) out.jobDone = true;
  }
  if (out.atoms === 0) throw r.error(undefined, 'no "number of atoms/cell" line: not a pw.x output?');
  if (bandsStart >= 0 && out.fermi_eV !== undefined) {
    if (weights === undefined) throw r.error(undefined, "the k-point list is not printed (more than 100 k-points): rerun pw.x with verbosity = 'high'");
    out.levels = readBands(r, bandsStart, weights, lsda, out.fermi_eV);
  }
  return out;
}

function ryLine(r: LineReader, k: number): number {
  const m = /=\s*(-?\d+\.\d+)\s*Ry/.exec(r.lines[k]);
  if (m === null) throw r.error(k, `expected "total energy = … Ry", found "${r.lines[k].trim()}"`);
  return Number(m[1]);
}

function firstNumber(r: LineReader, k: number): number {
  const m = r.lines[k].match(NUMBER);
  if (m === null) throw r.error(k, `expected an energy in eV, found "${r.lines[k].trim()}"`);
  return Number(m[0]);
}

function readBands(r: LineReader, start: number, weights: number[], lsda: boolean, fermi_eV: number): KohnShamLevels {
  // LSDA: the header lists each k-point once (QE's summary skips the replicated spin-down copies)
  const nk = weights.length;
  const spins: number[][][] = [[]];
  let current: number[] | undefined;
  let skippingOccupations = false;
  for (let k = start + 1; k < r.count; k++) {
    const line = r.lines[k];
    if (/SPIN DOWN/.test(line)) {
      spins.push([]);
      current = undefined;
    } else if (/^\s*k\s*=.*bands \(ev\)/.test(line)) {
      current = [];
      spins[spins.length - 1].push(current);
      skippingOccupations = false;
    } else if (/occupation numbers/.test(line)) skippingOccupations = true;
    else if (/Fermi energ|highest occupied|total energy|Writing output|convergence/.test(line)) break;
    else if (current !== undefined && !skippingOccupations && !/SPIN UP|^\s*-+\s*$/.test(line)) {
      const values = line.match(NUMBER);
      if (values !== null) current.push(...values.map(Number));
    }
  }
  const nspins = lsda ? 2 : 1;
  if (spins.length !== nspins || spins.some((s) => s.length !== nk)) {
    throw r.error(start, `expected ${nk} k-point blocks of eigenvalues${lsda ? ' per spin' : ''}, found ${spins.map((s) => s.length).join(' + ')}`);
  }
  const nbands = spins[0][0].length;
  const values = new Float64Array(nspins * nk * nbands);
  spins.forEach((s, si) =>
    s.forEach((bands, kk) => {
      if (bands.length !== nbands) throw r.error(start, `k-point ${kk + 1} has ${bands.length} eigenvalues, expected ${nbands}`);
      values.set(bands, (si * nk + kk) * nbands);
    }),
  );
  return { nspins, nbands, weights: normaliseWeights(weights), eigenvalues_eV: values, fermi_eV };
}

/** The levels of a finished run, or a ParseError saying what the output lacks. */
export function pwLevels(out: PwOutput, file = 'pw.out'): KohnShamLevels {
  if (!out.jobDone) throw new ParseError(file, undefined, 'pw.x did not finish (no "JOB DONE")');
  if (!out.converged) throw new ParseError(file, undefined, 'the SCF did not converge (no "convergence has been achieved")');
  if (out.levels === undefined) throw new ParseError(file, undefined, 'no eigenvalues with a Fermi energy in the output');
  return out.levels;
}
