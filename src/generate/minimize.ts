/**
 * FIRE minimisation (Bitzek et al., PRL 97, 170201, 2006) of an energy over chosen coordinates of a
 * position array, in place. Unit masses: only the path changes, not the minimum it finds.
 */
export interface FireOptions {
  /** Stop when every free force component is below this, eV/Å. */
  fmax_eV_A?: number;
  maxSteps?: number;
  dt?: number;
  dtMax?: number;
  /** Largest move of one coordinate per step, Å (keeps early steps of a strained start sane). */
  maxMove_A?: number;
}

export interface FireResult {
  energy_eV: number;
  steps: number;
  converged: boolean;
  fmax_eV_A: number;
}

/**
 * `energy(gradient)` returns the energy at the current positions and writes dE/dx into gradient
 * (zeroed by the caller here). `free` lists the indices into positions that may move.
 */
export function fire(positions: Float64Array, free: Int32Array, energy: (gradient: Float64Array) => number, options: FireOptions = {}): FireResult {
  const fTol = options.fmax_eV_A ?? 1e-3;
  const maxSteps = options.maxSteps ?? 2000;
  let dt = options.dt ?? 0.05;
  const dtMax = options.dtMax ?? 0.3;
  const maxMove = options.maxMove_A ?? 0.1;
  const m = free.length;
  const v = new Float64Array(m);
  const gradient = new Float64Array(positions.length);
  let alpha = 0.1;
  let sinceNegative = 0;
  let e = 0;
  let fMax = Infinity;
  let step = 0;
  const evaluate = (): void => {
    gradient.fill(0);
    e = energy(gradient);
    fMax = 0;
    for (let k = 0; k < m; k++) fMax = Math.max(fMax, Math.abs(gradient[free[k]]));
  };
  evaluate();
  for (; step < maxSteps && fMax > fTol; step++) {
    let power = 0;
    let vNorm = 0;
    let fNorm = 0;
    for (let k = 0; k < m; k++) {
      const f = -gradient[free[k]];
      power += f * v[k];
      vNorm += v[k] * v[k];
      fNorm += f * f;
    }
    if (power > 0) {
      const mix = fNorm > 0 ? (alpha * Math.sqrt(vNorm)) / Math.sqrt(fNorm) : 0;
      for (let k = 0; k < m; k++) v[k] = (1 - alpha) * v[k] - mix * gradient[free[k]];
      if (++sinceNegative > 5) {
        dt = Math.min(dt * 1.1, dtMax);
        alpha *= 0.99;
      }
    } else {
      v.fill(0);
      dt *= 0.5;
      alpha = 0.1;
      sinceNegative = 0;
    }
    for (let k = 0; k < m; k++) {
      v[k] -= dt * gradient[free[k]];
      let dx = dt * v[k];
      if (dx > maxMove) dx = maxMove;
      else if (dx < -maxMove) dx = -maxMove;
      positions[free[k]] += dx;
    }
    evaluate();
  }
  return { energy_eV: e, steps: step, converged: fMax <= fTol, fmax_eV_A: fMax };
}
