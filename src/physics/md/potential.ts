import { existsSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { Tersoff } from '../tersoff/tersoff.js';
import { loadTersoff, potentialsDirectory, SHIPPED_TERSOFF } from '../tersoff/params.js';

export interface ResolvedPotential {
  forceField: Tersoff;
  /** The same potential for LAMMPS (pair_style tersoff with this file). */
  lammps: { pairStyle: 'tersoff'; file: string; name: string };
}

/**
 * A Tersoff potential by shipped name (lindsay-broido-2010, tersoff-1988) or `.tersoff` file, as
 * a built-in force field and as a LAMMPS pair style. `perAtomVirial` 'third' reproduces LAMMPS'
 * `compute stress/atom` (what LAMMPS 2021 can do for Tersoff), 'centroid' the centroid form.
 */
export function resolvePotential(nameOrFile: string, perAtomVirial: 'centroid' | 'third' = 'centroid'): ResolvedPotential {
  const params = loadTersoff(nameOrFile);
  const shipped = (SHIPPED_TERSOFF as readonly string[]).includes(nameOrFile);
  const file = shipped ? `${potentialsDirectory()}${nameOrFile}.tersoff` : nameOrFile;
  if (!existsSync(file)) throw new InputError(`potential file ${file} not found`);
  const forceField = new Tersoff(params, { perAtomVirial });
  return { forceField, lammps: { pairStyle: 'tersoff', file, name: forceField.name } };
}
