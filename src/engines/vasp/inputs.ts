import { InputError } from '../../errors.js';
import { Atoms } from '../../structure/atoms.js';
import { writePoscar } from '../../structure/io/poscar.js';
import { checkKpoints, defaultKpoints, valenceElectrons } from '../dft.js';

/** Settings of the VASP DOS + optics run that gives both electronic labels (data.md). */
export interface VaspInputOptions {
  kpoints?: readonly number[];
  /** Plane-wave cut-off, eV. */
  encut_eV?: number;
  /** Bands; default twice the occupied count (NELECT), so LOPTICS has empty states well above E_F. */
  nbands?: number;
  /** Gaussian smearing width SIGMA, eV (VASP's convention exp(−(x/SIGMA)²)); 0.2 as in the public DOSCARs. */
  sigma_eV?: number;
  /** Points of the DOS and optics grids. */
  nedos?: number;
  /** Complex shift of the Kramers–Kronig transform, eV. */
  cshift_eV?: number;
}

export interface VaspInputs {
  /** File name → content: INCAR, KPOINTS, POSCAR, README.md (no POTCAR: the user's licence). */
  files: Record<string, string>;
  settings: Record<string, unknown>;
  /** Species in POSCAR order, i.e. the order the POTCAR must follow. */
  species: string[];
}

/**
 * Inputs of a single-point PBE PAW run with the DOS and the frequency-dependent dielectric function
 * (LOPTICS), the run the paper's labels come from: its DOSCAR gives the el-DoS label and the
 * current-current ε₂ in vasprun.xml gives σ. Atoms are grouped by species (stable order) so the
 * POSCAR names each species once and one POTCAR per species suffices.
 */
export function writeVaspInputs(atoms: Atoms, options: VaspInputOptions = {}): VaspInputs {
  if (atoms.length === 0) throw new InputError('VASP needs at least one atom');
  if (!atoms.pbc.every(Boolean)) throw new InputError('VASP cells are periodic on all three axes; give the structure a cell with vacuum along the sheet normal');
  const sorted = groupBySpecies(atoms);
  const kpoints = options.kpoints === undefined ? defaultKpoints(sorted) : checkKpoints(options.kpoints);
  const encut = options.encut_eV ?? 500;
  const sigma = options.sigma_eV ?? 0.2;
  const nedos = options.nedos ?? 2000;
  const cshift = options.cshift_eV ?? 0.1;
  for (const [name, v] of [['encut_eV', encut], ['sigma_eV', sigma], ['nedos', nedos], ['cshift_eV', cshift]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${name} must be a positive number, got ${v}`);
  }
  const nelect = valenceElectrons(sorted);
  const nbands = options.nbands ?? nelect;
  if (nbands !== undefined && !(Number.isInteger(nbands) && nbands > 0)) throw new InputError(`nbands must be a positive whole number, got ${nbands}`);
  const species = [...new Set(sorted.symbols)];
  const incar = [
    `# INCAR written by spramnet: DOS + optics single point for the el-DoS and σ labels (${sorted.formula()})`,
    `SYSTEM = ${sorted.formula()}`,
    '# PBE with PAW data sets: the exchange-correlation comes from the POTCAR (LEXCH = PE)',
    `ENCUT = ${encut}        # eV; 1.25 × ENMAX of the standard C POTCAR (400 eV)`,
    'PREC = Accurate',
    'EDIFF = 1E-6        # tight SCF: optical matrix elements need converged orbitals',
    'ISPIN = 1           # the public DOSCARs hold one spin channel',
    'ISMEAR = 0          # Gaussian smearing: valid for metals and gaps alike (amorphous sheets are both)',
    `SIGMA = ${sigma}         # eV; the public DOSCARs' band tails are Gaussians of 0.143 eV = 0.2/√2: VASP's default. The label adds 0.05 eV`,
    `NEDOS = ${nedos}        # DOS and optics grid points; the public DOSCAR and imag files have 2000`,
    '# the optics grid step (ħω₁, where σ is read) follows from the eigenvalue range: 0.0160–0.0212 eV in the public files',
    'LOPTICS = .TRUE.    # ε(ω): vasprun.xml gets the density-density and current-current blocks; σ uses the latter',
    `CSHIFT = ${cshift}        # eV; complex shift of the Kramers–Kronig transform (VASP's default)`,
    nbands !== undefined
      ? `NBANDS = ${nbands}       # twice the occupied bands: LOPTICS sums over empty states, the default leaves too few`
      : '# NBANDS not set: an element outside the standard valence table; set about twice the occupied bands by hand',
    'ALGO = Normal',
    'LWAVE = .FALSE.',
    'LCHARG = .FALSE.',
    '',
  ].join('\n');
  const kfile = [
    `Gamma-centred grid from spramnet (${kpoints.join(' × ')}; one point along a vacuum axis)`,
    '0',
    'Gamma',
    kpoints.join(' '),
    '0 0 0',
    '',
  ].join('\n');
  const readme = [
    `# VASP run for ${sorted.formula()} (${sorted.length} atoms)`,
    '',
    'Written by `spramnet dft write vasp`: INCAR, KPOINTS, POSCAR. **No POTCAR is written**: VASP\'s PAW',
    `data sets are licensed to you. Concatenate the PBE PAW POTCARs in this order: ${species.join(', ')}`,
    `(e.g. \`cat $VASP_PP_PATH/potpaw_PBE/${species[0]}/POTCAR > POTCAR\`).`,
    '',
    'Run `vasp_std` here, then `spramnet dft read <parent folder>` reads DOSCAR (el-DoS label) and',
    'vasprun.xml (σ label: ε₂ of the current-current block at its first non-zero frequency ħω₁).',
    '',
  ].join('\n');
  return {
    files: { INCAR: incar, KPOINTS: kfile, POSCAR: writePoscar(sorted, { direct: true }), 'README.md': readme },
    settings: { kpoints, encut_eV: encut, nbands: nbands ?? null, ismear: 0, sigma_eV: sigma, nedos, loptics: true, cshift_eV: cshift, xc: 'PBE (POTCAR)' },
    species,
  };
}

/** The same atoms, stably sorted by order of first appearance of their species. */
function groupBySpecies(atoms: Atoms): Atoms {
  const order: number[] = [];
  for (const z of atoms.numbers) if (!order.includes(z)) order.push(z);
  if (order.length <= 1) return atoms;
  const index = Array.from({ length: atoms.length }, (_, i) => i).sort((a, b) => order.indexOf(atoms.numbers[a]) - order.indexOf(atoms.numbers[b]) || a - b);
  const positions = new Float64Array(3 * atoms.length);
  index.forEach((i, k) => positions.set(atoms.positions.subarray(3 * i, 3 * i + 3), 3 * k));
  return new Atoms({ positions, numbers: index.map((i) => atoms.numbers[i]), cell: atoms.cell, pbc: atoms.pbc, info: atoms.info });
}
