import type { ForceResult } from '../forceField.js';
import { SpramnetError } from '../../errors.js';

/**
 * The HNEMD driving force (Fan et al., PRB 99, 064308 (2019), potential part as in GPUMD):
 * the external forces must do work J_pot · F_e on the system, where J_pot = Σ_i W_i · v_i with W_i
 * the per-atom centroid virial (heatCurrent.ts). Σ_i F_i · v_i = J_pot · F_e gives
 *
 *   F_i,b = Σ_a F_e,a W_i,ab,
 *
 * GPUMD's `gpu_add_driving_force` (f_x += fe_x s_xx + fe_y s_yx + fe_z s_zx). The mean over atoms
 * is removed so the total momentum stays zero (for equal masses this does not change the power,
 * as Σ v_i = 0). The convective term e_i F_e of the paper is left out, as in GPUMD: it is
 * negligible in a solid. Adds to `result.forces_eV_A` in place.
 */
export function addDrivingForce(result: ForceResult, fe_per_A: readonly [number, number, number]): void {
  const s = result.virials_eV;
  if (!s) throw new SpramnetError('HNEMD needs per-atom virials from the force field every step');
  const f = result.forces_eV_A;
  const n = f.length / 3;
  const extra = new Float64Array(3 * n);
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < 3; b++) {
      const v = (fe_per_A[0] * s[9 * i + b] + fe_per_A[1] * s[9 * i + 3 + b] + fe_per_A[2] * s[9 * i + 6 + b]);
      extra[3 * i + b] = v;
      mean[b] += v / n;
    }
  }
  for (let i = 0; i < n; i++) for (let b = 0; b < 3; b++) f[3 * i + b] += extra[3 * i + b] - mean[b];
}
