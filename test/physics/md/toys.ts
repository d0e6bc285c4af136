import type { AtomicSystem, ForceField, ForceRequest, ForceResult } from '../../../src/physics/forceField.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { neighborList } from '../../../src/structure/neighbors.js';

/**
 * Shifted-force Lennard-Jones (LAMMPS `pair_style lj/smooth/linear`): φ(r) − φ(rc) − (r − rc) φ'(rc),
 * so energy and force both vanish at rc and NVE conserves energy well. Per-atom energies are half
 * the pair energies; per-atom virials W_i sum to the total virial (as the Tersoff force field's).
 */
export function lennardJones(epsilon_eV: number, sigma_A: number, cutoff_A: number): ForceField {
  const phi = (r: number): number => 4 * epsilon_eV * ((sigma_A / r) ** 12 - (sigma_A / r) ** 6);
  const dphi = (r: number): number => (4 * epsilon_eV * (-12 * (sigma_A / r) ** 12 + 6 * (sigma_A / r) ** 6)) / r;
  const phiC = phi(cutoff_A);
  const dphiC = dphi(cutoff_A);
  return {
    name: 'toy:lj-shifted-force',
    cutoff_A,
    compute(system: AtomicSystem, request: ForceRequest = {}): ForceResult {
      const n = system.numbers.length;
      const list = neighborList(system.positions, system.cell, system.pbc, cutoff_A);
      const forces = new Float64Array(3 * n);
      const virial = new Float64Array(9);
      const energies = new Float64Array(n);
      const virials = request.virials ? new Float64Array(9 * n) : undefined;
      let energy = 0;
      for (let i = 0; i < n; i++) {
        for (let k = list.start[i]; k < list.start[i + 1]; k++) {
          const r = list.distances[k];
          const e = phi(r) - phiC - (r - cutoff_A) * dphiC;
          const g = (dphi(r) - dphiC) / r; // F_i = g · (r_j − r_i)
          energy += 0.5 * e;
          energies[i] += 0.5 * e;
          const d = list.vectors.subarray(3 * k, 3 * k + 3);
          for (let a = 0; a < 3; a++) {
            forces[3 * i + a] += g * d[a];
            for (let b = 0; b < 3; b++) {
              // Virial ½ Σ (r_i − r_j) ⊗ F_i per atom (LAMMPS' per-atom stress is its negative).
              virial[3 * a + b] += 0.5 * -d[a] * g * d[b];
              if (virials) virials[9 * i + 3 * a + b] += 0.5 * -d[a] * g * d[b];
            }
          }
        }
      }
      const out: ForceResult = { energy_eV: energy, forces_eV_A: forces, virial_eV: virial };
      if (request.energies) out.energies_eV = energies;
      if (virials) out.virials_eV = virials;
      return out;
    },
  };
}

/** Argon-like LJ parameters (ε = 10.4 meV, σ = 3.405 Å, rc = 2.5σ). */
export const ARGON_LJ = { epsilon_eV: 0.0104, sigma_A: 3.405, cutoff_A: 8.5125 };

/** An fcc argon crystal of n×n×n conventional cells (4n³ atoms), lattice constant a. */
export function argonCrystal(n: number, a_A = 5.3): Atoms {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const positions: number[] = [];
  for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) for (let z = 0; z < n; z++) {
    for (const b of basis) positions.push((x + b[0]) * a_A, (y + b[1]) * a_A, (z + b[2]) * a_A);
  }
  const L = n * a_A;
  return new Atoms({ positions, numbers: new Array(positions.length / 3).fill(18), cell: [L, 0, 0, 0, L, 0, 0, 0, L], pbc: [true, true, true] });
}
