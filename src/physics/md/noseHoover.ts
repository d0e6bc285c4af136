/**
 * Nosé–Hoover chain (Martyna, Klein & Tuckerman, J. Chem. Phys. 97, 2635 (1992); the Trotter
 * splitting of Martyna et al., Mol. Phys. 87, 1117 (1996) with one multiple-time-step loop and no
 * Suzuki–Yoshida weights, as LAMMPS' fix nvt with tchain M, tloop 1). Masses Q_1 = N_f k_B T τ²,
 * Q_k = k_B T τ² (k ≥ 2); thermostat velocities v_ξ in 1/fs.
 */
export interface NoseHooverChainState {
  /** Thermostat positions ξ_k (dimensionless). */
  readonly xi: Float64Array;
  /** Thermostat velocities v_ξk in 1/fs. */
  readonly vxi: Float64Array;
}

export function newChain(length: number): NoseHooverChainState {
  return { xi: new Float64Array(length), vxi: new Float64Array(length) };
}

export function chainMasses(length: number, dof: number, kT_eV: number, tau_fs: number): Float64Array {
  const q = new Float64Array(length);
  for (let k = 0; k < length; k++) q[k] = (k === 0 ? dof : 1) * kT_eV * tau_fs * tau_fs;
  return q;
}

/**
 * Propagate the chain by dt/2 and return the factor by which particle velocities are scaled.
 * `kinetic2_eV` is 2·KE (in eV) before the update. Q in eV·fs².
 */
export function chainHalfStep(chain: NoseHooverChainState, q: Float64Array, kinetic2_eV: number, dof: number, kT_eV: number, dt_fs: number): number {
  const m = q.length;
  const { xi, vxi } = chain;
  const d2 = dt_fs / 2;
  const d4 = dt_fs / 4;
  const d8 = dt_fs / 8;
  const force = (k: number, ke2: number): number =>
    k === 0 ? (ke2 - dof * kT_eV) / q[0] : (q[k - 1] * vxi[k - 1] * vxi[k - 1] - kT_eV) / q[k];
  // Down the chain: the last thermostat first, each damped by the next one's velocity.
  vxi[m - 1] += force(m - 1, kinetic2_eV) * d4;
  for (let k = m - 2; k >= 0; k--) {
    const damp = Math.exp(-vxi[k + 1] * d8);
    vxi[k] = (vxi[k] * damp + force(k, kinetic2_eV) * d4) * damp;
  }
  const scale = Math.exp(-vxi[0] * d2);
  const ke2 = kinetic2_eV * scale * scale;
  for (let k = 0; k < m; k++) xi[k] += vxi[k] * d2;
  // Back up the chain with the particles' new kinetic energy.
  for (let k = 0; k < m - 1; k++) {
    const damp = Math.exp(-vxi[k + 1] * d8);
    vxi[k] = (vxi[k] * damp + force(k, ke2) * d4) * damp;
  }
  vxi[m - 1] += force(m - 1, ke2) * d4;
  return scale;
}

/** The chain's contribution to the conserved energy: Σ ½ Q_k v_ξk² + N_f kT ξ_1 + kT Σ_{k≥2} ξ_k. */
export function chainEnergy_eV(chain: NoseHooverChainState, q: Float64Array, dof: number, kT_eV: number): number {
  let e = 0;
  for (let k = 0; k < q.length; k++) e += 0.5 * q[k] * chain.vxi[k] * chain.vxi[k] + (k === 0 ? dof : 1) * kT_eV * chain.xi[k];
  return e;
}
