import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Atoms } from '../../structure/atoms.js';
import { SYMBOLS } from '../../structure/elements.js';
import { writeLammpsData } from '../../structure/io/lammpsData.js';
import { fields } from '../../structure/io/text.js';
import { LammpsError, lammpsHeader, runLammps } from './run.js';
import { tensorFromLammps, toLammpsCell, vectorsFromLammps, withCell } from './frame.js';

/**
 * One LAMMPS force evaluation (`run 0`) of a many-body potential given as a `pair_style` and a
 * potential file mapped to elements (`pair_coeff * * FILE El1 El2 …`, types in order of first
 * appearance, as `writeLammpsData` numbers them).
 */
export interface LammpsPotential {
  /** e.g. "tersoff". */
  pairStyle: string;
  /** Path of the potential file (copied into the run directory). */
  file: string;
}

/**
 * LAMMPS' metal-unit conversion from eV/Å³ to bar (force->nktv2p in update.cpp). Pressures and
 * per-atom "stress" come in bar and bar·Å³.
 */
export const NKTV2P_METAL = 1.6021765e6;

export interface LammpsSinglePoint {
  energy_eV: number;
  /** Original frame, eV/Å. */
  forces_eV_A: Float64Array;
  /** Total virial W = Σ r ⊗ f (eV), original frame, row-major (symmetrised by LAMMPS' pressure). */
  virial_eV: Float64Array;
  /** `compute pe/atom`, eV (when asked for). */
  energies_eV?: Float64Array;
  /**
   * `compute stress/atom NULL virial` turned into virials: W_i = −S_i / nktv2p (eV), 6 per atom in
   * LAMMPS' order xx yy zz xy xz yz with xy = Σ r_x f_y, in LAMMPS' frame (see `frame`).
   */
  stressAtomVirials_eV?: Float64Array;
  /** The cell as LAMMPS saw it and the rotation back. */
  frame: ReturnType<typeof toLammpsCell>;
  version?: string;
}

/**
 * What every LAMMPS run of a structure with a potential starts with: the data file (cell reduced
 * and rotated into LAMMPS' frame), the potential file, and the commands up to `pair_coeff`. Other
 * runs (MD, heat flux) append their own commands and pass `files` to `runLammps`; vectors they read
 * back (velocities, forces, heat currents) return to the caller's frame with `vectorsFromLammps`
 * and `frame.q`. Atom ids are the atoms' order (1-based).
 */
export interface LammpsSetup {
  files: Record<string, string | Uint8Array>;
  commands: string[];
  frame: ReturnType<typeof toLammpsCell>;
  /** Element of each LAMMPS atom type (type k + 1). */
  typeSymbols: string[];
}

export function lammpsSetup(atoms: Atoms, potential: LammpsPotential): LammpsSetup {
  const frame = toLammpsCell(atoms.cell);
  const data = writeLammpsData(withCell(atoms, frame.reduced));
  const typeSymbols = [...new Set(atoms.numbers)].map((z) => SYMBOLS[z]);
  const potentialName = `potential.${basename(potential.file).replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const boundary = atoms.pbc.map((p) => (p ? 'p' : 's')).join(' ');
  const commands = lammpsHeader(potential.pairStyle, `* * ${potentialName} ${typeSymbols.join(' ')}`, boundary);
  return { files: { 'structure.data': data, [potentialName]: readFileSync(potential.file) }, commands, frame, typeSymbols };
}

export async function lammpsSinglePoint(
  atoms: Atoms,
  potential: LammpsPotential,
  options: { perAtom?: boolean; dir?: string; keep?: boolean } = {},
): Promise<LammpsSinglePoint> {
  const { files, commands, frame } = lammpsSetup(atoms, potential);
  const perAtom = options.perAtom === true;
  const script = [
    ...commands,
    'compute pv all pressure NULL virial',
    ...(perAtom ? ['compute pea all pe/atom', 'compute sa all stress/atom NULL virial'] : []),
    `dump forces all custom 1 forces.dump id fx fy fz${perAtom ? ' c_pea c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] c_sa[6]' : ''}`,
    'dump_modify forces sort id format float %.17g',
    'thermo_style custom step pe c_pv[1]',
    'run 0',
    'print "pe $(pe:%.17g) vol $(vol:%.17g) pv $(c_pv[1]:%.17g) $(c_pv[2]:%.17g) $(c_pv[3]:%.17g) $(c_pv[4]:%.17g) $(c_pv[5]:%.17g) $(c_pv[6]:%.17g)" file result.txt screen no',
    '',
  ].join('\n');
  const run = await runLammps(script, files, options.dir);
  try {
    const result = fields(run.read('result.txt').trim());
    const num = (k: number): number => {
      const v = Number(result[k]);
      if (!Number.isFinite(v)) throw new LammpsError(`unexpected LAMMPS result line in ${run.dir}/result.txt: ${result.join(' ')}`);
      return v;
    };
    const energy_eV = num(1);
    const volume = num(3);
    const pv = [5, 6, 7, 8, 9, 10].map(num); // xx yy zz xy xz yz, bar
    const w = pv.map((p) => (p * volume) / NKTV2P_METAL);
    const virialL = Float64Array.from([w[0], w[3], w[4], w[3], w[1], w[5], w[4], w[5], w[2]]);
    const n = atoms.length;
    const forcesL = new Float64Array(3 * n);
    const energies = perAtom ? new Float64Array(n) : undefined;
    const stress = perAtom ? new Float64Array(6 * n) : undefined;
    const lines = run.read('forces.dump').split('\n');
    const header = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
    for (let i = 0; i < n; i++) {
      const parts = fields(lines[header + 1 + i] ?? '');
      if (Number(parts[0]) !== i + 1) throw new LammpsError(`forces.dump in ${run.dir}: expected atom ${i + 1} on line ${header + 2 + i}`);
      for (let d = 0; d < 3; d++) forcesL[3 * i + d] = Number(parts[1 + d]);
      if (energies && stress) {
        energies[i] = Number(parts[4]);
        for (let c = 0; c < 6; c++) stress[6 * i + c] = -Number(parts[5 + c]) / NKTV2P_METAL;
      }
    }
    const out: LammpsSinglePoint = {
      energy_eV,
      forces_eV_A: vectorsFromLammps(forcesL, frame.q),
      virial_eV: tensorFromLammps(virialL, frame.q),
      frame,
    };
    if (energies) out.energies_eV = energies;
    if (stress) out.stressAtomVirials_eV = stress;
    return out;
  } finally {
    if (!options.keep) run.cleanup();
  }
}
