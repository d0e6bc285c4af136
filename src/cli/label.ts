import type { Command } from 'commander';
import { Tersoff } from '../physics/tersoff/tersoff.js';
import { loadTersoff, SHIPPED_TERSOFF } from '../physics/tersoff/params.js';
import type { ForceField } from '../physics/forceField.js';
import { registerLabelPhDos } from './labelPhDos.js';
import { registerLabelKappa } from './labelKappa.js';
import { registerLabelElDos, registerLabelSigma } from './labelElectronic.js';

/** `--potential` value → force field: a shipped Tersoff set by name or a `.tersoff` file. */
export function potentialFromOption(nameOrFile: string): ForceField {
  return new Tersoff(loadTersoff(nameOrFile));
}

export const POTENTIAL_HELP = `Tersoff set: ${SHIPPED_TERSOFF.join(', ')} or a .tersoff file (LAMMPS format)`;

/** `spramnet label …`: compute labels with the built-in engines, one sub-command per label. */
export function registerLabel(program: Command): void {
  const label = program.command('label').description('compute property labels of structures with the built-in engines');
  registerLabelPhDos(label);
  registerLabelKappa(label);
  registerLabelElDos(label);
  registerLabelSigma(label);
}
