import type { Atoms } from '../../structure/atoms.js';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type PropertyName } from '../../calculators/calculator.js';
import { PH_DOS_BIN_CENTRES_THZ, phononDos } from '../../data/labels.js';
import { VERSION } from '../../version.js';
import { ConvergenceError } from '../../errors.js';
import type { ForceField } from '../forceField.js';
import { relaxFire, type FireOptions, type RelaxResult } from '../relax/fire.js';
import { DEFAULT_DISPLACEMENT_A, type ForceConstantMethod } from './forceConstants.js';
import { gammaFrequencies } from './gamma.js';
import { switchingShellReport } from './switchingShell.js';
import { neighborList } from '../../structure/neighbors.js';
import { SYMBOLS } from '../../structure/elements.js';

/** Closer than this, two atoms are no structure a harmonic label describes (C–C bonds are ≥ 1.2 Å; N₂ is 1.10 Å). */
export const COLLAPSED_PAIR_A = 1.0;

/**
 * Refuse a structure (after its relaxation) with two atoms closer than COLLAPSED_PAIR_A: a potential
 * that lets atoms fall onto each other gives frequencies of hundreds of THz, not a label. Found with
 * BNC.tersoff, whose B–B and N–N terms attract at every distance: homopolar pairs of a-BN sheets
 * relax to 0.67–0.9 Å (docs/materials/boron-nitride.md).
 */
function refuseCollapsed(atoms: Atoms, potential: string): void {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, COLLAPSED_PAIR_A);
  let worst: [number, number, number] | undefined;
  let count = 0;
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      if (j < i) continue;
      count++;
      if (worst === undefined || list.distances[e] < worst[2]) worst = [i, j, list.distances[e]];
    }
  }
  if (worst === undefined) return;
  const [i, j, d] = worst;
  const pair = `${SYMBOLS[atoms.numbers[i]]}–${SYMBOLS[atoms.numbers[j]]}`;
  throw new ConvergenceError(
    `no phonon label: ${count} pair(s) of atoms closer than ${COLLAPSED_PAIR_A} Å with ${potential}, closest atoms ${i + 1} and ${j + 1} (${pair}) at ${d.toFixed(3)} Å: the potential collapses them` +
      (atoms.numbers[i] === atoms.numbers[j] && atoms.numbers[i] !== 6 ? ` (a homopolar ${pair} pair; BNC.tersoff's B–B and N–N terms attract at every distance)` : ''),
  );
}

export interface PhononCalculatorOptions {
  /** Finite-difference step, Å (see forceConstants: ≤ 0.002 Å for cells with bonds near the cut-off). */
  displacement_A?: number;
  method?: ForceConstantMethod;
  /** FIRE settings of the relaxation done first, or false to use the structure as given. */
  relax?: false | Omit<FireOptions, 'onStep'>;
}

/**
 * Default relaxation before phonons: positions only, to 0.01 eV/Å within 10⁵ FIRE steps (the closed
 * loop's labels were made so). Not 1e-4: on generated 800-atom Lindsay–Broido sheets FIRE stalls at
 * 4–6e-3 eV/Å (ASE's FIRE and FIRE 2.0 alike, dtMax 1 or 0.25; 3 of 30 sheets unconverged after 10⁵
 * steps in the lead's run), while 0.01 was reached on each (bench/phononRelax.ts, docs/factory.md).
 * A relaxation that does not converge is refused, never labelled.
 */
export const DEFAULT_PHONON_RELAX: Omit<FireOptions, 'onStep'> = { fmax_eV_A: 0.01, maxSteps: 100000, relaxCell: false };

/** Restarts after a relaxation of positions and cell stops unconverged at its step limit (see relaxForPhonons). */
export const PHONON_RELAX_RESTARTS = 1;

export interface RelaxRestart {
  /** FIRE steps of the positions-only relaxation, and of the positions-and-cell one after it. */
  positions_steps: number;
  steps: number;
  fmax_eV_A: number;
  converged: boolean;
}

/**
 * The relaxation before a phonon label. With the cell free, FIRE can stall on soft, vacancy-rich
 * sheets: 5 of the thermal campaign's 160 disordered WWW sheets (7–9 % vacancies) stopped at 10⁵
 * steps with 0.012–0.13 eV/Å left. Relaxing the positions alone from there, then positions and cell
 * again (fresh FIRE state each time, the same settings), converged all five in one restart
 * (2 616–81 263 steps of positions, then 270–12 312 with the cell; 197–310 CPU s per item in all).
 * A relaxation that converges at first never reaches the restarts, so its label is what it was.
 */
export function relaxForPhonons(atoms: Atoms, forceField: ForceField, settings: Omit<FireOptions, 'onStep'>): { relaxed: RelaxResult; restarts: RelaxRestart[] } {
  let relaxed = relaxFire(atoms, forceField, { ...settings, onMaxSteps: 'return' });
  const restarts: RelaxRestart[] = [];
  for (let round = 0; !relaxed.record.converged && settings.relaxCell === true && round < PHONON_RELAX_RESTARTS; round++) {
    const positions = relaxFire(relaxed.atoms, forceField, { ...settings, relaxCell: false, onMaxSteps: 'return' });
    relaxed = relaxFire(positions.atoms, forceField, { ...settings, onMaxSteps: 'return' });
    restarts.push({ positions_steps: positions.record.steps, steps: relaxed.record.steps, fmax_eV_A: relaxed.record.fmax_eV_A, converged: relaxed.record.converged });
  }
  return { relaxed, restarts };
}

/**
 * Harmonic Γ-point phonons of a cell under a built-in force field, as a Calculator: optional FIRE
 * relaxation, central-difference force constants, eigenvalues of the dynamical matrix; frequencies
 * (3N, ascending, THz) and the ph-DoS label of data.md (1-THz bins over [0, 100) THz, unit sum).
 */
export class PhononCalculator implements Calculator {
  readonly name = 'builtin-phonons';
  readonly implementedProperties: readonly PropertyName[] = ['frequencies_THz', 'ph_dos'];
  readonly forceField: ForceField;
  readonly options: PhononCalculatorOptions;

  constructor(forceField: ForceField, options: PhononCalculatorOptions = {}) {
    this.forceField = forceField;
    this.options = options;
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[], options: CalculateOptions = {}): Promise<CalculationResult> {
    checkImplemented(this, properties);
    options.signal?.throwIfAborted();
    const relaxSettings = this.options.relax === undefined ? DEFAULT_PHONON_RELAX : this.options.relax;
    let structure = atoms;
    let relaxRecord: Record<string, unknown> | false = false;
    if (relaxSettings !== false) {
      const { relaxed, restarts } = relaxForPhonons(atoms, this.forceField, relaxSettings);
      // a harmonic analysis about a point that is not a minimum is no label: refuse, saying how far it got
      if (!relaxed.record.converged) {
        const { fmax_eV_A: asked, maxSteps } = relaxed.record.settings;
        const restarted = restarts.length > 0 ? ` and ${restarts.length} restart(s) from positions alone` : '';
        throw new ConvergenceError(
          `no phonon label: the relaxation before it did not converge (largest force ${relaxed.record.fmax_eV_A.toExponential(2)} eV/Å after ${relaxed.record.steps} FIRE steps${restarted}; asked ${asked} eV/Å within ${maxSteps} steps); raise the step limit or fmax, or relax the structure first`,
        );
      }
      structure = relaxed.atoms;
      relaxRecord = { ...relaxed.record, ...(restarts.length > 0 ? { restarts } : {}) };
    }
    refuseCollapsed(structure, this.forceField.name);
    options.onProgress?.(0.1);
    const displacement_A = this.options.displacement_A ?? DEFAULT_DISPLACEMENT_A;
    const method = this.options.method ?? 'cluster';
    const phonons = gammaFrequencies(structure, this.forceField, {
      displacement_A,
      method,
      onProgress: (done, total) => {
        options.signal?.throwIfAborted();
        options.onProgress?.(0.1 + (0.8 * done) / total);
      },
    });
    options.onProgress?.(1);
    const frequencies_THz = phonons.frequencies_THz;
    const shells = this.forceField.switchingShells;
    return {
      properties: {
        ...(properties.includes('frequencies_THz') ? { frequencies_THz } : {}),
        ...(properties.includes('ph_dos') ? { ph_dos: { frequency_THz: Float64Array.from(PH_DOS_BIN_CENTRES_THZ), dos: phononDos(frequencies_THz, atoms.info.file?.toString() ?? 'structure') } } : {}),
      },
      provenance: {
        engine: this.name,
        version: VERSION,
        settings: { potential: this.forceField.name, displacement_A, forceConstantMethod: method, relax: relaxSettings === false ? false : relaxSettings },
      },
      extra: {
        relaxation: relaxRecord,
        timing_s: phonons.timing_s,
        lowestFrequency_THz: frequencies_THz[0],
        highestFrequency_THz: frequencies_THz[frequencies_THz.length - 1],
        // Imaginary modes (a flat sheet under in-plane compression is a saddle for buckling) and
        // cut-off artefacts above the label's range are both left out of the ph-DoS histogram.
        modesBelowMinus0p1THz: frequencies_THz.filter((f) => f < -0.1).length,
        modesAbove100THz: frequencies_THz.filter((f) => f >= 100).length,
        // pairs in the potential's switching shell, where those modes come from (switchingShell.ts)
        ...(shells ? { switchingShell: switchingShellReport(structure, shells) } : {}),
      },
      ...(structure !== atoms ? { atoms: structure } : {}),
    };
  }
}
