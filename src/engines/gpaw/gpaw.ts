import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type PropertyName } from '../../calculators/calculator.js';
import { ParseError, InputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import type { Atoms } from '../../structure/atoms.js';
import { EL_DOS_SIGMA_EV } from '../../data/labels.js';
import { checkKpoints, defaultKpoints, elDosFromLevels, EngineError, normaliseWeights, PUBLIC_DOSCAR_SMEARING_EV, runProgram, type KohnShamLevels } from '../dft.js';

/** Settings of a GPAW LCAO run; everything that changes the numbers ends up in the provenance. */
export interface GpawSettings {
  /** Γ-centred Monkhorst–Pack grid; default from the cell (defaultKpoints). */
  kpoints?: readonly number[];
  /** LCAO basis set name (GPAW's gpaw-data: sz, szp, dzp). */
  basis?: string;
  xc?: string;
  /** Fermi–Dirac smearing width kT, eV. */
  smearing_eV?: number;
  /** Most SCF iterations before GPAW gives up. */
  maxiter?: number;
}

export interface GpawOptions extends GpawSettings {
  /** Python with GPAW (Debian's python3-gpaw lives under /usr/bin/python3). */
  python?: string;
  /**
   * Folder for the run's files (gpaw_run.py, gpaw.txt, result.json, gpaw.gpw); a fresh temporary one by
   * default. A folder holding a finished run of the same script is read instead of run again (resume).
   */
  workDir?: string;
  /** Keep the temporary folder (always kept when workDir is given). */
  keep?: boolean;
  /** Niceness of the GPAW process. */
  nice?: number;
  /**
   * Gaussian smearing (standard deviation) of the DoS before the label's 0.05 eV, as VASP's SIGMA
   * smears a DOSCAR (elDosFromLevels); by default the public DOSCARs' (PUBLIC_DOSCAR_SMEARING_EV), 0 for
   * the bare levels. Not part of the SCF: changing it reuses a finished run.
   */
  dosSmearing_eV?: number;
  /** The el-DoS energies (E − E_F, eV) and Gaussian σ; default data.md's [−2, 2] eV grid and 0.05 eV (a material's: materials/*.toml). */
  grid_eV?: Float64Array;
  dosSigma_eV?: number;
}

interface ResolvedSettings {
  kpoints: [number, number, number];
  basis: string;
  xc: string;
  smearing_eV: number;
  maxiter: number;
}

function resolve(atoms: Atoms, s: GpawSettings): ResolvedSettings {
  const smearing = s.smearing_eV ?? 0.05;
  if (!(smearing >= 0)) throw new InputError(`smearing_eV must be ≥ 0, got ${smearing}`);
  if (s.basis !== undefined && !/^[\w.-]+$/.test(s.basis)) throw new InputError(`basis "${s.basis}": expected a name such as dzp`);
  if (s.xc !== undefined && !/^[\w.-]+$/.test(s.xc)) throw new InputError(`xc "${s.xc}": expected a name such as PBE`);
  return {
    kpoints: s.kpoints === undefined ? defaultKpoints(atoms) : checkKpoints(s.kpoints),
    basis: s.basis ?? 'dzp',
    xc: s.xc ?? 'PBE',
    smearing_eV: smearing,
    maxiter: s.maxiter ?? 333,
  };
}

const array = (values: ArrayLike<number>): string => `[${Array.from(values, (v) => String(v)).join(', ')}]`;

/**
 * The Python script of one GPAW LCAO SCF run on `atoms`: structure inline (exact decimal round trip),
 * results written atomically to result.json (energy, Fermi level, eigenvalues per spin and k-point,
 * IBZ weights, version), the calculator to gpaw.gpw so others can read the same run.
 */
export function gpawScript(atoms: Atoms, settings: GpawSettings = {}): string {
  const s = resolve(atoms, settings);
  const symbols = JSON.stringify(atoms.symbols);
  return `# GPAW LCAO single point written by spramnet: ${atoms.formula()}, ${atoms.length} atoms
import json, os, time
import numpy as np
from ase import Atoms
import gpaw
from gpaw import GPAW, FermiDirac

atoms = Atoms(symbols=${symbols},
              positions=np.array(${array(atoms.positions)}).reshape(-1, 3),
              cell=np.array(${array(atoms.cell)}).reshape(3, 3),
              pbc=[${atoms.pbc.map((p) => (p ? 'True' : 'False')).join(', ')}])
atoms.calc = GPAW(mode='lcao', basis='${s.basis}', xc='${s.xc}',
                  kpts={'size': (${s.kpoints.join(', ')}), 'gamma': True},
                  occupations=FermiDirac(${s.smearing_eV}),
                  maxiter=${s.maxiter}, nbands='nao', txt='gpaw.txt')
start = time.time()
energy = atoms.get_potential_energy()
calc = atoms.calc
nspins = calc.get_number_of_spins()
weights = calc.get_k_point_weights()
eigenvalues = [calc.get_eigenvalues(kpt=k, spin=s).tolist() for s in range(nspins) for k in range(len(weights))]
calc.write('gpaw.gpw')
result = dict(natoms=len(atoms), energy_eV=float(energy), fermi_eV=float(calc.get_fermi_level()), nspins=int(nspins),
              nbands=int(calc.get_number_of_bands()), weights=[float(w) for w in weights],
              eigenvalues_eV=eigenvalues, gpaw_version=gpaw.__version__, seconds=time.time() - start)
with open('result.json.tmp', 'w') as f:
    json.dump(result, f)
os.replace('result.json.tmp', 'result.json')
`;
}

/** What the script writes to result.json. */
export interface GpawResult {
  natoms: number;
  energy_eV: number;
  fermi_eV: number;
  nspins: 1 | 2;
  nbands: number;
  weights: number[];
  eigenvalues_eV: number[][];
  gpaw_version: string;
  seconds: number;
}

/** Kohn–Sham levels from a result.json, checked for shape. */
export function parseGpawResult(text: string, file = 'result.json'): { result: GpawResult; levels: KohnShamLevels } {
  let result: GpawResult;
  try {
    result = JSON.parse(text) as GpawResult;
  } catch (error) {
    throw new ParseError(file, undefined, `not JSON: ${(error as Error).message}`);
  }
  const nk = result.weights?.length ?? 0;
  if (!(nk > 0) || (result.nspins !== 1 && result.nspins !== 2) || !Array.isArray(result.eigenvalues_eV) || result.eigenvalues_eV.length !== result.nspins * nk) {
    throw new ParseError(file, undefined, 'expected weights, nspins (1 or 2) and eigenvalues_eV with one row per spin and k-point');
  }
  const eigenvalues = new Float64Array(result.nspins * nk * result.nbands);
  result.eigenvalues_eV.forEach((row, k) => {
    if (row.length !== result.nbands) throw new ParseError(file, undefined, `eigenvalue row ${k} has ${row.length} bands, expected ${result.nbands}`);
    eigenvalues.set(row, k * result.nbands);
  });
  if (!Number.isFinite(result.fermi_eV) || !Number.isFinite(result.energy_eV)) throw new ParseError(file, undefined, 'energy_eV and fermi_eV must be finite');
  return {
    result,
    levels: { nspins: result.nspins, nbands: result.nbands, weights: normaliseWeights(result.weights), eigenvalues_eV: eigenvalues, fermi_eV: result.fermi_eV },
  };
}

/**
 * GPAW behind the calculator contract: an LCAO (dzp, PBE, Fermi–Dirac) SCF in a child Python,
 * giving the total energy and the el-DoS label from the Kohn–Sham levels with data.md's Gaussian.
 */
export class GpawCalculator implements Calculator {
  readonly name = 'gpaw';
  readonly implementedProperties: readonly PropertyName[] = ['energy_eV', 'el_dos'];
  readonly options: GpawOptions;

  constructor(options: GpawOptions = {}) {
    this.options = { ...options };
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[], options: CalculateOptions = {}): Promise<CalculationResult> {
    checkImplemented(this, properties);
    if (atoms.length === 0) throw new InputError('GPAW needs at least one atom');
    const settings = resolve(atoms, this.options);
    const dir = this.options.workDir ?? mkdtempSync(join(tmpdir(), 'spramnet-gpaw-'));
    mkdirSync(dir, { recursive: true });
    const script = gpawScript(atoms, settings);
    const scriptFile = join(dir, 'gpaw_run.py');
    const file = join(dir, 'result.json');
    // resume: a finished run of the same script in the same folder is read, not repeated
    const reused = existsSync(file) && existsSync(scriptFile) && readFileSync(scriptFile, 'utf8') === script;
    options.onProgress?.(0);
    // the SCF log's "iter:" lines are the only progress GPAW gives; polled, not streamed
    const poll = setInterval(() => {
      try {
        const iterations = (readFileSync(join(dir, 'gpaw.txt'), 'utf8').match(/^iter:/gm) ?? []).length;
        options.onProgress?.(Math.min(0.95, iterations / (iterations + 10)));
      } catch {
        // no log yet
      }
    }, 2000);
    try {
      if (!reused) {
        rmSync(file, { force: true });
        writeFileAtomic(scriptFile, script);
        await runProgram(this.options.python ?? '/usr/bin/python3', ['gpaw_run.py'], {
          cwd: dir,
          env: { OMP_NUM_THREADS: '1' },
          signal: options.signal,
          nice: this.options.nice,
        });
      }
      clearInterval(poll);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new EngineError(`GPAW finished but wrote no ${file}`);
      }
      const { result, levels } = parseGpawResult(text, file);
      options.onProgress?.(1);
      return {
        properties: {
          ...(properties.includes('energy_eV') ? { energy_eV: result.energy_eV } : {}),
          ...(properties.includes('el_dos') ? { el_dos: elDosFromLevels(levels, atoms.length, this.options.dosSmearing_eV ?? PUBLIC_DOSCAR_SMEARING_EV, this.options.grid_eV, this.options.dosSigma_eV) } : {}),
        },
        provenance: {
          engine: 'gpaw',
          version: result.gpaw_version,
          settings: {
            mode: 'lcao',
            basis: settings.basis,
            xc: settings.xc,
            kpoints: settings.kpoints,
            kpoints_gamma_centred: true,
            occupations: `Fermi-Dirac ${settings.smearing_eV} eV`,
            el_dos: `Kohn–Sham levels, unit-area Gaussian σ = ${this.options.dosSigma_eV ?? EL_DOS_SIGMA_EV} eV, per atom, E − E_F`,
            dos_smearing_eV: this.options.dosSmearing_eV ?? PUBLIC_DOSCAR_SMEARING_EV,
            ...(this.options.grid_eV ? { el_dos_grid_eV: { min: this.options.grid_eV[0], max: this.options.grid_eV[this.options.grid_eV.length - 1], points: this.options.grid_eV.length } } : {}),
          },
        },
        extra: {
          seconds: result.seconds,
          fermi_eV: result.fermi_eV,
          irreducible_kpoints: levels.weights.length,
          nbands: levels.nbands,
          reused,
          ...(this.options.workDir !== undefined || this.options.keep ? { workDir: dir } : {}),
        },
      };
    } finally {
      clearInterval(poll);
      if (this.options.workDir === undefined && !this.options.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}
