import { InputError } from '../../errors.js';

/** Levels from all k-points with their weights (k weight × level weight), for DoS and Fermi level. */
export interface WeightedLevels {
  readonly energies_eV: Float64Array;
  readonly weights: Float64Array;
}

export function concatLevels(parts: readonly { values: Float64Array; weight: number }[]): WeightedLevels {
  const total = parts.reduce((s, p) => s + p.values.length, 0);
  const energies = new Float64Array(total);
  const weights = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    energies.set(p.values, at);
    weights.fill(p.weight, at, at + p.values.length);
    at += p.values.length;
  }
  return { energies_eV: energies, weights };
}

/**
 * Fermi level from the electron count at zero temperature: the levels filled in ascending order,
 * each holding 2·weight electrons (spin). When the count ends exactly at a gap between two distinct
 * levels, E_F is mid-gap (the stated convention for gapped cells); when it ends inside a level
 * (partly filled, or a degenerate set), E_F is that level.
 */
export function fermiLevel(levels: WeightedLevels, electrons: number): number {
  const { energies_eV: e, weights: w } = levels;
  const order = Array.from({ length: e.length }, (_, k) => k).sort((a, b) => e[a] - e[b]);
  const capacity = 2 * w.reduce((s, x) => s + x, 0);
  if (!(electrons > 0) || electrons > capacity * (1 + 1e-12)) throw new InputError(`${electrons} electrons do not fit ${capacity} states`);
  let filled = 0;
  const tolerance = 1e-9 * capacity;
  for (let q = 0; q < order.length; q++) {
    filled += 2 * w[order[q]];
    if (filled >= electrons - tolerance) {
      const here = e[order[q]];
      if (filled > electrons + tolerance) return here; // inside this level
      // count ends exactly after this level: mid-gap, unless the next level is degenerate with it
      if (q + 1 < order.length && e[order[q + 1]] - here > 1e-9) return 0.5 * (here + e[order[q + 1]]);
      return here;
    }
  }
  return e[order[order.length - 1]];
}

/**
 * Gaussian-broadened DoS, dos(E) = Σ_levels 2·w·G_σ(E − E_level) / atoms, at energies E_F + grid:
 * states per eV per atom including spin (as a VASP DOSCAR, non-spin-polarised).
 */
export function gaussianDos(levels: WeightedLevels, fermi_eV: number, grid_eV: ArrayLike<number>, sigma_eV: number, atoms: number): Float64Array {
  const out = new Float64Array(grid_eV.length);
  const norm = 2 / (Math.sqrt(2 * Math.PI) * sigma_eV * atoms);
  const reach = 9 * sigma_eV;
  const { energies_eV: e, weights: w } = levels;
  for (let k = 0; k < e.length; k++) {
    const x0 = e[k] - fermi_eV;
    for (let m = 0; m < out.length; m++) {
      const x = grid_eV[m] - x0;
      if (x > reach || x < -reach) continue;
      out[m] += w[k] * norm * Math.exp((-0.5 * x * x) / (sigma_eV * sigma_eV));
    }
  }
  return out;
}
