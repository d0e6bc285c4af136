import type { Atoms } from '../../structure/atoms.js';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type PropertyName } from '../../calculators/calculator.js';
import { PH_DOS_BIN_CENTRES_THZ, phononDos } from '../../data/labels.js';
import { VERSION } from '../../version.js';
import { ConvergenceError } from '../../errors.js';
import type { ForceField } from '../forceField.js';
import { relaxFire, type FireOptions } from '../relax/fire.js';
import { DEFAULT_DISPLACEMENT_A, type ForceConstantMethod } from './forceConstants.js';
import { gammaFrequencies } from './gamma.js';

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
      const relaxed = relaxFire(atoms, this.forceField, { ...relaxSettings, onMaxSteps: 'return' });
      // a harmonic analysis about a point that is not a minimum is no label: refuse, saying how far it got
      if (!relaxed.record.converged) {
        const { fmax_eV_A: asked, maxSteps } = relaxed.record.settings;
        throw new ConvergenceError(
          `no phonon label: the relaxation before it did not converge (largest force ${relaxed.record.fmax_eV_A.toExponential(2)} eV/Å after ${relaxed.record.steps} FIRE steps; asked ${asked} eV/Å within ${maxSteps} steps); raise the step limit or fmax, or relax the structure first`,
        );
      }
      structure = relaxed.atoms;
      relaxRecord = { ...relaxed.record };
    }
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
      },
      ...(structure !== atoms ? { atoms: structure } : {}),
    };
  }
}
