import { existsSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { ForceField } from '../forceField.js';
import { Extep } from '../extep/extep.js';
import { extepFile, isExtep, loadExtep } from '../extep/params.js';
import { Tersoff } from '../tersoff/tersoff.js';
import { loadTersoff, potentialsDirectory, SHIPPED_TERSOFF } from '../tersoff/params.js';

export interface ResolvedPotential {
  /** The built-in force field: Tersoff, or ExTeP for an `.extep` file or a shipped ExTeP name. */
  forceField: ForceField;
  /** The same potential for LAMMPS (pair_style tersoff or extep with this file). */
  lammps: { pairStyle: 'tersoff' | 'extep'; file: string; name: string };
}

/**
 * A potential by shipped name (lindsay-broido-2010, tersoff-1988, kinaci-2012-bn; extep-bn-2017) or
 * file (`.extep` means ExTeP, anything else a Tersoff file), as a built-in force field and as a
 * LAMMPS pair style. `perAtomVirial` 'third' reproduces LAMMPS' `compute stress/atom` (what LAMMPS
 * 2021 can do for Tersoff and ExTeP), 'centroid' the centroid form.
 */
export function resolvePotential(nameOrFile: string, perAtomVirial: 'centroid' | 'third' = 'centroid'): ResolvedPotential {
  if (isExtep(nameOrFile)) {
    const forceField = new Extep(loadExtep(nameOrFile), { perAtomVirial });
    return { forceField, lammps: { pairStyle: 'extep', file: extepFile(nameOrFile), name: forceField.name } };
  }
  const params = loadTersoff(nameOrFile);
  const shipped = (SHIPPED_TERSOFF as readonly string[]).includes(nameOrFile);
  const file = shipped ? `${potentialsDirectory()}${nameOrFile}.tersoff` : nameOrFile;
  if (!existsSync(file)) throw new InputError(`potential file ${file} not found`);
  const forceField = new Tersoff(params, { perAtomVirial });
  return { forceField, lammps: { pairStyle: 'tersoff', file, name: forceField.name } };
}
