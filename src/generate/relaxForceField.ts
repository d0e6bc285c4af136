import type { ForceField } from '../physics/forceField.js';
import type { Atoms } from '../structure/atoms.js';
import { fire, type FireResult } from './minimize.js';

/**
 * Relax a sheet's positions in place with a force field at fixed cell (FIRE); `dimensions` 2 keeps
 * z fixed. The ForceField sees the sheet as periodic in x and y only.
 */
export function relaxSheet(atoms: Atoms, forceField: ForceField, dimensions: 2 | 3, fmax_eV_A = 0.01, maxSteps = 5000): FireResult {
  const n = atoms.length;
  const system = { positions: atoms.positions, numbers: atoms.numbers, cell: atoms.cell, pbc: [true, true, false] as const };
  const free = new Int32Array(dimensions * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < dimensions; d++) free[dimensions * i + d] = 3 * i + d;
  return fire(atoms.positions, free, (g) => {
    const r = forceField.compute(system);
    for (let k = 0; k < g.length; k++) g[k] = -r.forces_eV_A[k];
    return r.energy_eV;
  }, { fmax_eV_A, maxSteps, dt: 0.5, dtMax: 2, maxMove_A: 0.1 });
}
