import type { AtomicSystem, ForceField, ForceResult } from '../../src/physics/forceField.js';
import { neighborList } from '../../src/structure/neighbors.js';

/**
 * Test force field: a harmonic spring ½K(r − r0)² between every pair of atoms (every periodic image)
 * closer than `cutoff`. Its exact Hessian is known in closed form (springHessian), so the
 * finite-difference force constants and the phonon frequencies can be checked against it.
 */
export class SpringForceField implements ForceField {
  readonly name = 'test-springs';
  readonly cutoff_A: number;
  calls = 0;
  constructor(
    readonly k_eV_A2: number,
    readonly r0_A: number,
    cutoff_A: number,
  ) {
    this.cutoff_A = cutoff_A;
  }

  compute(system: AtomicSystem): ForceResult {
    this.calls++;
    const n = system.positions.length / 3;
    const list = neighborList(system.positions, system.cell, system.pbc, this.cutoff_A);
    const forces = new Float64Array(3 * n);
    const virial = new Float64Array(9);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      for (let e = list.start[i]; e < list.start[i + 1]; e++) {
        const r = list.distances[e];
        const stretch = r - this.r0_A;
        // Each pair appears twice (i→j and j→i): half the energy and virial each time.
        energy += 0.25 * this.k_eV_A2 * stretch * stretch;
        const g = (this.k_eV_A2 * stretch) / r; // dV/dr / r
        const dx = list.vectors[3 * e];
        const dy = list.vectors[3 * e + 1];
        const dz = list.vectors[3 * e + 2];
        // Force on i from this pair: +g·(r_j − r_i).
        forces[3 * i] += g * dx;
        forces[3 * i + 1] += g * dy;
        forces[3 * i + 2] += g * dz;
        // W = Σ_pairs r_ij ⊗ f_j with f_j = −g r_ij; halved for the double listing.
        const d = [dx, dy, dz];
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) virial[3 * a + b] -= 0.5 * g * d[a] * d[b];
      }
    }
    return { energy_eV: energy, forces_eV_A: forces, virial_eV: virial };
  }
}

/** Exact Γ-point Hessian of SpringForceField: per pair block B = K ê êᵀ + K(1 − r0/r)(I − ê êᵀ). */
export function springHessian(ff: SpringForceField, system: AtomicSystem): Float64Array {
  const n = system.positions.length / 3;
  const dim = 3 * n;
  const h = new Float64Array(dim * dim);
  const list = neighborList(system.positions, system.cell, system.pbc, ff.cutoff_A);
  for (let i = 0; i < n; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      const r = list.distances[e];
      const u = [list.vectors[3 * e] / r, list.vectors[3 * e + 1] / r, list.vectors[3 * e + 2] / r];
      const t = 1 - ff.r0_A / r;
      // Listed from both ends: add the i-row half (H_ii += B, H_ij −= B) each time.
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          const block = ff.k_eV_A2 * (u[a] * u[b] + t * ((a === b ? 1 : 0) - u[a] * u[b]));
          h[(3 * i + a) * dim + 3 * i + b] += block;
          h[(3 * i + a) * dim + 3 * j + b] -= block;
        }
      }
    }
  }
  return h;
}
