import type { Atoms } from '../../structure/atoms.js';
import { checkImplemented, type CalculationResult, type Calculator, type PropertyName, type Properties } from '../../calculators/calculator.js';
import { InputError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { loadTersoff, type TersoffParameters } from './params.js';
import { Tersoff, type TersoffOptions } from './tersoff.js';

/** ASE's stress (eV/Å³, Voigt xx yy zz yz xz xy) from a virial W = Σ r ⊗ f: σ = −sym(W)/V. */
export function stressFromVirial(virial_eV: ArrayLike<number>, volume_A3: number): Float64Array {
  if (!(volume_A3 > 0)) throw new InputError('stress needs a 3D cell with a non-zero volume');
  const w = (a: number, b: number): number => (virial_eV[3 * a + b] + virial_eV[3 * b + a]) / 2;
  return Float64Array.from([w(0, 0), w(1, 1), w(2, 2), w(1, 2), w(0, 2), w(0, 1)], (v) => (v === 0 ? 0 : -v / volume_A3));
}

/** The built-in Tersoff behind the Calculator contract (energy, forces, stress). */
export class TersoffCalculator implements Calculator {
  readonly name = 'builtin-tersoff';
  readonly implementedProperties: readonly PropertyName[] = ['energy_eV', 'forces_eV_A', 'stress_eV_A3'];
  readonly forceField: Tersoff;
  private readonly parameters: TersoffParameters;

  /** `potential`: a shipped set name, a `.tersoff` path, or parsed parameters. */
  constructor(potential: string | TersoffParameters, options: TersoffOptions = {}) {
    this.parameters = typeof potential === 'string' ? loadTersoff(potential) : potential;
    this.forceField = new Tersoff(this.parameters, options);
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[]): Promise<CalculationResult> {
    checkImplemented(this, properties);
    const r = this.forceField.compute(atoms);
    const out: Partial<Properties> = {};
    if (properties.includes('energy_eV')) out.energy_eV = r.energy_eV;
    if (properties.includes('forces_eV_A')) out.forces_eV_A = r.forces_eV_A;
    if (properties.includes('stress_eV_A3')) out.stress_eV_A3 = stressFromVirial(r.virial_eV, atoms.volume_A3);
    return {
      properties: out,
      provenance: {
        engine: 'builtin-tersoff',
        version: VERSION,
        settings: { potential: this.parameters.name, sha256: this.parameters.sha256 },
      },
    };
  }
}
