import { resolvePotential } from '../physics/md/potential.js';
import type { ForceField } from '../physics/forceField.js';

/**
 * The potential the generators use: Tersoff with the Lindsay–Broido 2010 carbon set (the one the
 * public phonon labels point to, see data.md), or another shipped set / file by name.
 */
export function tersoffForceField(name = 'lindsay-broido-2010'): ForceField {
  return resolvePotential(name).forceField;
}
