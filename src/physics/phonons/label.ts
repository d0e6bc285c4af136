import type { Atoms } from '../../structure/atoms.js';
import type { ForceField } from '../forceField.js';
import { PhononCalculator, type PhononCalculatorOptions } from './calculator.js';

/** One ph-DoS label record, as `spramnet label ph-dos --json` prints it. */
export interface PhononLabel {
  input: string;
  frequencies_THz: number[];
  ph_dos: { frequency_THz: number[]; dos: number[] };
}

/**
 * The ph-DoS label of one structure (data.md): relax (unless options.relax is false), Γ-point
 * frequencies by finite differences, histogram in 1-THz bins over [0, 100) THz with unit sum.
 */
export async function phononLabel(input: string, atoms: Atoms, forceField: ForceField, options: PhononCalculatorOptions = {}, onProgress?: (fraction: number) => void): Promise<PhononLabel> {
  const result = await new PhononCalculator(forceField, options).calculate(atoms, ['frequencies_THz', 'ph_dos'], { onProgress });
  const f = result.properties.frequencies_THz!;
  const dos = result.properties.ph_dos!;
  return { input, frequencies_THz: Array.from(f), ph_dos: { frequency_THz: Array.from(dos.frequency_THz), dos: Array.from(dos.dos) } };
}
