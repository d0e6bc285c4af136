import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Atoms } from '../../structure/atoms.js';
import { checkImplemented, type CalculationResult, type Calculator, type PropertyName, type Properties } from '../../calculators/calculator.js';
import { InputError } from '../../errors.js';
import { SHIPPED_TERSOFF, potentialsDirectory } from '../../physics/tersoff/params.js';
import { stressFromVirial } from '../../physics/tersoff/calculator.js';
import { requireLammps } from './run.js';
import { lammpsSinglePoint } from './singlePoint.js';

export interface LammpsCalculatorOptions {
  /** A shipped Tersoff set name or a potential file path. */
  potential: string;
  /** LAMMPS pair style of the file (default "tersoff"). */
  pairStyle?: string;
}

/** LAMMPS (`lmp`, one `run 0` per structure) behind the Calculator contract: energy, forces, stress. */
export class LammpsCalculator implements Calculator {
  readonly name = 'lammps';
  readonly implementedProperties: readonly PropertyName[] = ['energy_eV', 'forces_eV_A', 'stress_eV_A3'];
  private readonly file: string;
  private readonly potential: string;
  private readonly pairStyle: string;
  private readonly sha256: string;

  constructor(options: LammpsCalculatorOptions) {
    this.potential = options.potential;
    this.pairStyle = options.pairStyle ?? 'tersoff';
    this.file = (SHIPPED_TERSOFF as readonly string[]).includes(options.potential)
      ? `${potentialsDirectory()}${options.potential}.tersoff`
      : options.potential;
    if (!existsSync(this.file)) throw new InputError(`potential "${options.potential}" is neither a shipped set (${SHIPPED_TERSOFF.join(', ')}) nor an existing file`);
    this.sha256 = createHash('sha256').update(readFileSync(this.file)).digest('hex');
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[]): Promise<CalculationResult> {
    checkImplemented(this, properties);
    const version = requireLammps();
    const r = await lammpsSinglePoint(atoms, { pairStyle: this.pairStyle, file: this.file });
    const out: Partial<Properties> = {};
    if (properties.includes('energy_eV')) out.energy_eV = r.energy_eV;
    if (properties.includes('forces_eV_A')) out.forces_eV_A = r.forces_eV_A;
    if (properties.includes('stress_eV_A3')) out.stress_eV_A3 = stressFromVirial(r.virial_eV, atoms.volume_A3);
    return {
      properties: out,
      provenance: { engine: 'lammps', version, settings: { pair_style: this.pairStyle, potential: this.potential, sha256: this.sha256 } },
    };
  }
}
