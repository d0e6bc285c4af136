import { EV_PER_AMU_A2_FS2 } from '../md/units.js';

/**
 * Volume-integrated heat current of a many-body potential (Fan et al., PRB 92, 094301 (2015)), as
 * LAMMPS' `compute heat/flux` evaluates it with `compute centroid/stress/atom`:
 *
 *   J = Σ_i e_i v_i + Σ_i W_i · v_i,   (W_i · v)_a = Σ_b W_i,ab v_b,
 *
 * e_i = ½ m_i v_i² + U_i (eV), v in Å/fs, W_i the per-atom centroid virial of the ForceField
 * `virials` request (eV, row-major, W_ab = Σ (r − r_centroid)_a F_b, Σ_i W_i = the total virial).
 * LAMMPS' per-atom "stress" is S_i = −W_i (in bar·Å³), so this is LAMMPS' J = Σ e v − Σ S·v.
 * (forceField.ts says "no sign flip" against LAMMPS' stress; the Tersoff force field and the sum
 * rule Σ W_i = virial both use W = −S, which is what is used here and tested against LAMMPS.)
 * Result in eV·Å/fs; divide by V for the flux.
 */
export function heatCurrent(
  velocities: Float64Array,
  masses_amu: Float64Array,
  energies_eV: Float64Array,
  virials_eV: Float64Array,
  out: Float64Array = new Float64Array(3),
): Float64Array {
  let jx = 0, jy = 0, jz = 0;
  for (let i = 0; i < masses_amu.length; i++) {
    const vx = velocities[3 * i], vy = velocities[3 * i + 1], vz = velocities[3 * i + 2];
    const e = 0.5 * masses_amu[i] * (vx * vx + vy * vy + vz * vz) * EV_PER_AMU_A2_FS2 + energies_eV[i];
    const s = 9 * i;
    jx += e * vx + (virials_eV[s] * vx + virials_eV[s + 1] * vy + virials_eV[s + 2] * vz);
    jy += e * vy + (virials_eV[s + 3] * vx + virials_eV[s + 4] * vy + virials_eV[s + 5] * vz);
    jz += e * vz + (virials_eV[s + 6] * vx + virials_eV[s + 7] * vy + virials_eV[s + 8] * vz);
  }
  out[0] = jx;
  out[1] = jy;
  out[2] = jz;
  return out;
}
