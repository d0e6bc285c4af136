import type { ForceField } from '../physics/forceField.js';
import type { Atoms } from '../structure/atoms.js';
import { ConvergenceError } from '../errors.js';
import { relaxFire } from '../physics/relax/fire.js';
import { fire, type FireResult } from './minimize.js';

/**
 * Relax a sheet's positions in place with a force field at fixed cell: free sheets with the
 * physics FIRE (src/physics/relax), flat ones with this folder's FIRE over x and y only (z fixed).
 */
export function relaxSheet(atoms: Atoms, forceField: ForceField, dimensions: 2 | 3, fmax_eV_A = 0.01, maxSteps = 5000): FireResult {
  if (dimensions === 3) {
    try {
      const r = relaxFire(atoms, forceField, { fmax_eV_A, maxSteps });
      atoms.positions.set(r.atoms.positions);
      return { energy_eV: r.record.energy_eV, steps: r.record.steps, converged: true, fmax_eV_A: r.record.fmax_eV_A };
    } catch (error) {
      if (!(error instanceof ConvergenceError)) throw error;
      // not converged in maxSteps: continue below from the input positions with this folder's FIRE
    }
  }
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
