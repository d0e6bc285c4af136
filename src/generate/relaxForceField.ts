import type { ForceField } from '../physics/forceField.js';
import type { Atoms } from '../structure/atoms.js';
import { ConvergenceError } from '../errors.js';
import { relaxFire } from '../physics/relax/fire.js';
import { fire, type FireResult } from './minimize.js';
import { wrapInPlane } from './toAtoms.js';

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

/** Result of relaxing a sheet together with its in-plane cell. */
export interface CellRelaxResult {
  energy_eV: number;
  steps: number;
  converged: boolean;
  /** Relative change of the cell lengths along x and y (e.g. 0.02 = 2 % longer). */
  strain: [number, number];
}

/**
 * Relax positions and the in-plane cell lengths together (x and y stretch, no shear; c fixed), in
 * place: the generators' 'relaxed' cell policy (800-atom Lindsay–Broido sheets grow 2.0–2.5 % over
 * the 1.42 Å graphene cell; the public thermal sheets are not stress-free but sit on the potential's
 * graphene cell, see CellPolicy). A flat sheet stays flat: its Tersoff forces have no z part. On no
 * convergence the atoms are left as they were and `converged` is false.
 */
export function relaxSheetAndCell(atoms: Atoms, forceField: ForceField, fmax_eV_A = 0.01, maxSteps = 20000): CellRelaxResult {
  const x0 = atoms.cell[0];
  const y0 = atoms.cell[4];
  try {
    // cellFactor 10 rather than ASE's N: on an 800-atom sheet 743 FIRE steps instead of 66 000, to the
    // same cell (52.202 vs 52.194 Å); fixed here so sheets made with 'relaxed' stay byte-identical.
    const r = relaxFire(atoms, forceField, { fmax_eV_A, maxSteps, relaxCell: true, cellShape: 'orthorhombic', cellFactor: 10 });
    const cell = r.atoms.cell;
    const positions = r.atoms.positions;
    wrapInPlane(positions, cell[0], cell[4]);
    atoms.positions.set(positions);
    atoms.cell.set(cell);
    return { energy_eV: r.record.energy_eV, steps: r.record.steps, converged: true, strain: [cell[0] / x0 - 1, cell[4] / y0 - 1] };
  } catch (error) {
    if (!(error instanceof ConvergenceError)) throw error;
    return { energy_eV: Number.NaN, steps: maxSteps, converged: false, strain: [0, 0] };
  }
}
