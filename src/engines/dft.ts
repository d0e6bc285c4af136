import { spawn } from 'node:child_process';
import { InputError, SpramnetError } from '../errors.js';
import { EL_DOS_ENERGIES_EV, EL_DOS_SIGMA_EV } from '../data/labels.js';
import type { Properties } from '../calculators/calculator.js';
import type { Atoms } from '../structure/atoms.js';
import { inPlaneArea, inverse, perpendicularWidths } from '../structure/cell.js';

/**
 * What the DFT engines (GPAW, VASP, Quantum ESPRESSO, finished-run files) share: Kohn–Sham levels
 * with k-point weights, their conversion to the el-DoS label of data.md, the σ label's units, a
 * default k-grid for sheets, and running an external program.
 */

/** Kohn–Sham levels of one run: `eigenvalues_eV[(s * nk + k) * nbands + n]`, weights over k sum to 1. */
export interface KohnShamLevels {
  nspins: 1 | 2;
  nbands: number;
  weights: Float64Array;
  eigenvalues_eV: Float64Array;
  fermi_eV: number;
}

/**
 * The el-DoS label from discrete states (data.md's convention): dos(E) = Σ_i w_i G(E − E_i) / N_atoms
 * on E − E_F ∈ [−2, 2] eV, G a unit-area Gaussian of σ = 0.05 eV. `states_eV` are absolute energies;
 * `weights` are the number of electron states each stands for (2·w_k per Kohn–Sham level without
 * spin polarisation; D_k·ΔE per row of a gridded DoS such as DOSCAR's).
 */
export function broadenedElDos(states_eV: ArrayLike<number>, weights: ArrayLike<number>, fermi_eV: number, atoms: number, sigma_eV = EL_DOS_SIGMA_EV, grid_eV: ArrayLike<number> = EL_DOS_ENERGIES_EV): Float64Array {
  if (states_eV.length !== weights.length) throw new RangeError(`${states_eV.length} energies for ${weights.length} weights`);
  if (!(atoms > 0)) throw new InputError(`number of atoms must be positive, got ${atoms}`);
  if (!(sigma_eV > 0)) throw new InputError(`Gaussian width must be positive, got ${sigma_eV} eV`);
  const out = new Float64Array(grid_eV.length);
  const norm = 1 / (Math.sqrt(2 * Math.PI) * sigma_eV);
  const lo = grid_eV[0] - 8 * sigma_eV;
  const hi = grid_eV[grid_eV.length - 1] + 8 * sigma_eV;
  for (let i = 0; i < states_eV.length; i++) {
    const e = states_eV[i] - fermi_eV;
    if (e < lo || e > hi) continue; // beyond 8σ the Gaussian is < 1e-14 of its peak
    const w = weights[i] * norm;
    for (let m = 0; m < out.length; m++) {
      const x = (grid_eV[m] - e) / sigma_eV;
      out[m] += w * Math.exp(-0.5 * x * x);
    }
  }
  for (let m = 0; m < out.length; m++) out[m] /= atoms;
  return out;
}

/**
 * el-DoS label from Kohn–Sham levels: each level holds 2/nspins electrons times its k-point weight.
 * `dosSmearing_eV` adds the Gaussian smearing VASP puts into its DOSCAR (ISMEAR = 0, SIGMA) before
 * the label's own 0.05 eV: the two Gaussians convolve to one of width √(0.05² + SIGMA²). Zero (the
 * default) is the label of the bare levels.
 */
export function elDosFromLevels(levels: KohnShamLevels, atoms: number, dosSmearing_eV = 0, grid_eV: Float64Array = EL_DOS_ENERGIES_EV, sigma_eV = EL_DOS_SIGMA_EV): Properties['el_dos'] {
  if (!(dosSmearing_eV >= 0)) throw new InputError(`dosSmearing_eV must be ≥ 0, got ${dosSmearing_eV}`);
  const nk = levels.weights.length;
  const expected = levels.nspins * nk * levels.nbands;
  if (levels.eigenvalues_eV.length !== expected) {
    throw new RangeError(`${levels.eigenvalues_eV.length} eigenvalues; expected ${levels.nspins} spins × ${nk} k-points × ${levels.nbands} bands`);
  }
  const occupancy = 2 / levels.nspins;
  const weights = new Float64Array(expected);
  for (let s = 0; s < levels.nspins; s++)
    for (let k = 0; k < nk; k++) weights.fill(occupancy * levels.weights[k], (s * nk + k) * levels.nbands, (s * nk + k + 1) * levels.nbands);
  const sigma = Math.hypot(sigma_eV, dosSmearing_eV);
  return { energy_eV: grid_eV.slice(), dos: broadenedElDos(levels.eigenvalues_eV, weights, levels.fermi_eV, atoms, sigma, grid_eV) };
}

/**
 * The Gaussian smearing already in the public DOSCARs: their band-bottom tails are Gaussians of standard
 * deviation 0.143 ± 0.003 eV (90 files fitted), i.e. VASP's default SIGMA = 0.2 eV in VASP's convention
 * exp(−(x/SIGMA)²). Level-based labels (GPAW, QE) add it by default so they compare with the public ones.
 */
export const PUBLIC_DOSCAR_SMEARING_EV = 0.2 / Math.SQRT2;

/** Weights normalised to sum 1 (QE prints them summing to 2, VASP and GPAW to 1). */
export function normaliseWeights(weights: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k];
  if (!(total > 0)) throw new InputError(`k-point weights sum to ${total}; expected a positive sum`);
  return Float64Array.from(weights, (w) => w / total);
}

import { siemensPerMPerEpsilon2 } from '../data/sigmaUnits.js';
export { SIGMA_HBAR_OMEGA1_EV, siemensPerMPerEpsilon2 } from '../data/sigmaUnits.js';

/** One ε₂(ω) block (xx, yy) on its frequency grid, from an imag file or vasprun.xml. */
export interface Epsilon2Block {
  energy_eV: Float64Array;
  xx: Float64Array;
  yy: Float64Array;
}

/** Where to read the σ label: row 2 of the block (the release's definition) or at a fixed ħω in eV. */
export type SigmaAt = 'row2' | number;

export interface SigmaReading {
  label: { xx: number; yy: number };
  /** Frequency of the label, eV. */
  hbarOmega_eV: number;
  /** True when ε₂ was interpolated (through ω·ε₂, flat at small ω in this block) to a fixed ħω. */
  interpolated: boolean;
}

/**
 * The σ label from the current-current ε₂ block. 'row2' is data.md's definition: the first non-zero
 * frequency of the file's own grid, which VASP sets from the eigenvalue range, so ħω₁ differs between
 * runs (0.0160–0.0212 eV over the public files). A number reads ε₂ at that ħω instead, interpolating
 * ω·ε₂ linearly (exact where ε₂ ∝ 1/ω, which holds to 0.1 % at small ω in this block).
 */
export function sigmaFromEpsilon2(block: Epsilon2Block, at: SigmaAt = 'row2', where = 'ε₂ block'): SigmaReading {
  const w = block.energy_eV;
  if (w.length < 3 || !(w[1] > 0)) throw new InputError(`${where}: expected at least 3 rows with a positive second frequency, found ${w.length} rows`);
  if (at === 'row2') return { label: { xx: block.xx[1], yy: block.yy[1] }, hbarOmega_eV: w[1], interpolated: false };
  if (!(at > 0)) throw new InputError(`σ frequency must be positive, got ${at} eV`);
  // rows from 1 on: VASP repeats row 2 at ω = 0
  let lo = 1;
  while (lo + 2 < w.length && w[lo + 1] < at) lo++;
  const hi = lo + 1;
  if (w[hi] < at) throw new InputError(`${where}: the grid ends at ${w[w.length - 1]} eV, below ħω = ${at} eV`);
  const t = (at - w[lo]) / (w[hi] - w[lo]);
  const value = (c: Float64Array): number => ((1 - t) * w[lo] * c[lo] + t * w[hi] * c[hi]) / at;
  return { label: { xx: value(block.xx), yy: value(block.yy) }, hbarOmega_eV: at, interpolated: true };
}

/**
 * The σ properties from a label read at ħω: σ = ε₀·ω·ε₂ over the cell's volume (vacuum included)
 * and the sheet conductance σ·h, h the cell's height along c (volume / in-plane area; c for
 * orthorhombic cells). σ in S/m does not depend on which ħω the label was read at.
 */
export function sigmaProperties(
  label: { xx: number; yy: number },
  hbarOmega_eV: number,
  atoms?: Atoms,
): Pick<Properties, 'sigma_label' | 'sigma_S_m'> & Partial<Pick<Properties, 'sheet_conductance_S'>> {
  const factor = siemensPerMPerEpsilon2(hbarOmega_eV);
  const sigma = { xx: label.xx * factor, yy: label.yy * factor };
  const out: Pick<Properties, 'sigma_label' | 'sigma_S_m'> & Partial<Pick<Properties, 'sheet_conductance_S'>> = {
    sigma_label: { xx: label.xx, yy: label.yy },
    sigma_S_m: sigma,
  };
  if (atoms !== undefined && inPlaneArea(atoms.cell) > 0 && atoms.volume_A3 > 0) {
    const height_m = (atoms.volume_A3 / inPlaneArea(atoms.cell)) * 1e-10;
    out.sheet_conductance_S = { xx: sigma.xx * height_m, yy: sigma.yy * height_m };
  }
  return out;
}

/**
 * A Γ-centred k-grid for a cell: ⌈L / h_i⌉ points along each periodic axis (h_i the distance between
 * the cell's faces), one point along an axis that is non-periodic or crosses a vacuum gap of at least
 * `vacuum_A` (a sheet's normal). L = 25 Å gives 2 × 2 × 1 for the public 13–15 Å sheets.
 */
export function defaultKpoints(atoms: Atoms, length_A = 25, vacuum_A = 5): [number, number, number] {
  const widths = perpendicularWidths(atoms.cell);
  const inv = atoms.volume_A3 > 0 ? inverse(atoms.cell) : undefined;
  const out: [number, number, number] = [1, 1, 1];
  for (let axis = 0; axis < 3; axis++) {
    if (!atoms.pbc[axis] || inv === undefined) continue;
    if (largestGap(atoms, inv, axis) * widths[axis] >= vacuum_A) continue;
    out[axis] = Math.max(1, Math.ceil(length_A / widths[axis]));
  }
  return out;
}

/** Largest empty interval of the fractional coordinate along one axis (periodic, in [0, 1]). */
function largestGap(atoms: Atoms, inv: Float64Array, axis: number): number {
  const n = atoms.length;
  if (n === 0) return 1;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = atoms.positions.subarray(3 * i, 3 * i + 3);
    const x = p[0] * inv[axis] + p[1] * inv[3 + axis] + p[2] * inv[6 + axis];
    f[i] = x - Math.floor(x);
  }
  f.sort();
  let gap = f[0] + 1 - f[n - 1];
  for (let i = 1; i < n; i++) gap = Math.max(gap, f[i] - f[i - 1]);
  return gap;
}

/** "a,b,c" → three positive integers (the CLI's --kpoints). */
export function parseKpoints(text: string): [number, number, number] {
  const parts = text.split(/[,x\s]+/).filter((s) => s !== '').map(Number);
  if (parts.length !== 3 || !parts.every((k) => Number.isInteger(k) && k >= 1)) {
    throw new InputError(`k-points "${text}": expected three whole numbers ≥ 1 such as 4,4,1`);
  }
  return [parts[0], parts[1], parts[2]];
}

export function checkKpoints(k: readonly number[]): [number, number, number] {
  if (k.length !== 3 || !k.every((x) => Number.isInteger(x) && x >= 1)) throw new InputError(`k-points ${JSON.stringify(k)}: expected three whole numbers ≥ 1`);
  return [k[0], k[1], k[2]];
}

/** An external program failed (non-zero exit, signal, or missing). */
export class EngineError extends SpramnetError {}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Run under `nice -n` (niceness 1–19) so label jobs yield to interactive work. */
  nice?: number;
  /** Called with each complete line the program writes to stdout. */
  onLine?: (line: string) => void;
}

/** Run a program to completion; resolves with its output, rejects with EngineError (last stderr lines). */
export function runProgram(exe: string, args: readonly string[], options: RunOptions): Promise<{ stdout: string; stderr: string }> {
  const [cmd, argv] = options.nice !== undefined ? ['nice', ['-n', String(options.nice), exe, ...args]] : [exe, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (options.onLine === undefined) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => reject(new EngineError(`${exe}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = stderr.trim().split('\n').slice(-8).join('\n');
        reject(new EngineError(`${exe} ${args.join(' ')} ${signal !== null ? `was killed by ${signal}` : `exited with status ${code}`}${tail ? `:\n${tail}` : ''}`));
      }
    });
  });
}

/** Valence electrons of the standard PBE PAW data sets (VASP's recommended POTCARs, pslibrary) for the light elements. */
export const STANDARD_VALENCE: Readonly<Record<string, number>> = { H: 1, B: 3, C: 4, N: 5, O: 6, F: 7, Si: 4, P: 5, S: 6 };

/** Electrons in the cell from STANDARD_VALENCE, or undefined when an element is not in it. */
export function valenceElectrons(atoms: Atoms): number | undefined {
  let total = 0;
  for (const s of atoms.symbols) {
    const v = STANDARD_VALENCE[s];
    if (v === undefined) return undefined;
    total += v;
  }
  return total;
}
