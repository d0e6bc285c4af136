import type { Atoms } from '../../structure/atoms.js';
import { perpendicularWidths } from '../../structure/cell.js';
import { EL_DOS_ENERGIES_EV, EL_DOS_SIGMA_EV } from '../../data/labels.js';
import { hoppings, piParameters, type PiModelParameters } from './model.js';
import { csrHamiltonian, csrVelocity } from './sparse.js';
import { chebyshevScale, gaussianKpmDos, kpmConductivityDc, kpmFermiLevel, kpmMoments } from './kpm.js';
import { sigmaToLabel } from './kubo.js';

export interface KpmTbOptions {
  parameters?: Partial<PiModelParameters>;
  /** Chebyshev moments; default ceil(7a/σ), where the Gaussian's own series has decayed to ~1e−10. */
  moments?: number;
  randomVectors?: number;
  seed?: number;
  /** Small cells are repeated in-plane until they hold at least this many atoms (a periodic repeat samples the unit cell's k-mesh). */
  minAtoms?: number;
  dosSigma_eV?: number;
  grid_eV?: ArrayLike<number>;
  conductivity?: boolean;
  /** Gaussian σ of the δ functions in Tr[vδvδ], eV. */
  conductivitySigma_eV?: number;
  /** ħω used to express σ in the release's ε₂ units. */
  omega_eV?: number;
}

export const DEFAULT_KPM = Object.freeze({ randomVectors: 2, seed: 1, minAtoms: 20000, conductivitySigma_eV: 0.05, omega_eV: 0.0169 });

export interface KpmTbResult {
  parameters: PiModelParameters;
  repeat: [number, number, number];
  atoms: number;
  moments: number;
  randomVectors: number;
  scale: { a_eV: number; b_eV: number };
  fermi_eV: number;
  el_dos: { energy_eV: Float64Array; dos: Float64Array };
  dosSigma_eV: number;
  conductivity?: { sigma_S_m: [number, number]; sheet_S: [number, number]; label: [number, number]; sigma_eV: number; thickness_A: number };
  matVecs: number;
  seconds: number;
}

/** Repeats of a cell along its periodic in-plane axes so that it holds ≥ minAtoms atoms, kept near square. */
export function repeatsFor(atoms: Atoms, minAtoms: number): [number, number, number] {
  const widths = perpendicularWidths(atoms.cell);
  let r0 = 1;
  let r1 = 1;
  while (atoms.length * r0 * r1 < minAtoms && (atoms.pbc[0] || atoms.pbc[1])) {
    if (atoms.pbc[0] && (!atoms.pbc[1] || r0 * widths[0] <= r1 * widths[1])) r0++;
    else r1++;
  }
  return [r0, r1, 1];
}

/**
 * Linear-scaling el-DoS and DC conductivity of the π model: sparse H, stochastic Chebyshev moments
 * with random-phase vectors, the label's Gaussian broadening applied exactly through the Gaussian's
 * Chebyshev coefficients (kpm.ts), E_F where the Gaussian-smoothed count reaches half filling.
 */
export function tightBindingKpm(atoms: Atoms, options: KpmTbOptions = {}): KpmTbResult {
  const start = performance.now();
  const parameters = piParameters(options.parameters);
  const repeat = repeatsFor(atoms, options.minAtoms ?? DEFAULT_KPM.minAtoms);
  const big = repeat[0] * repeat[1] > 1 ? atoms.repeat(...repeat) : atoms;
  const hop = hoppings(big, parameters);
  const h = csrHamiltonian(hop);
  const scale = chebyshevScale(h);
  const sigma = options.dosSigma_eV ?? EL_DOS_SIGMA_EV;
  const count = options.moments ?? Math.ceil((7 * scale.a_eV) / Math.min(sigma, options.conductivitySigma_eV ?? DEFAULT_KPM.conductivitySigma_eV));
  const randomVectors = options.randomVectors ?? DEFAULT_KPM.randomVectors;
  const seed = options.seed ?? DEFAULT_KPM.seed;
  const m = kpmMoments(h, { moments: count, randomVectors, seed, scale });
  const fermi = kpmFermiLevel(m, 0.5, sigma);
  const grid = Float64Array.from(options.grid_eV ?? EL_DOS_ENERGIES_EV);
  const dos = gaussianKpmDos(m, Array.from(grid, (e) => e + fermi), sigma).map((x) => 2 * x); // spin
  let matVecs = m.matVecs;
  const result: KpmTbResult = {
    parameters, repeat, atoms: big.length, moments: count, randomVectors, scale, fermi_eV: fermi,
    el_dos: { energy_eV: grid, dos }, dosSigma_eV: sigma, matVecs, seconds: 0,
  };
  if (options.conductivity) {
    const cs = options.conductivitySigma_eV ?? DEFAULT_KPM.conductivitySigma_eV;
    const c = kpmConductivityDc(h, [csrVelocity(hop, 0), csrVelocity(hop, 1)], fermi, cs, big.volume_A3, { moments: count, randomVectors, seed: seed + 1, scale });
    matVecs += c.matVecs;
    const thickness = perpendicularWidths(atoms.cell)[2];
    const omega = options.omega_eV ?? DEFAULT_KPM.omega_eV;
    result.conductivity = {
      sigma_S_m: c.sigma_S_m,
      sheet_S: [c.sigma_S_m[0] * thickness * 1e-10, c.sigma_S_m[1] * thickness * 1e-10],
      label: [sigmaToLabel(c.sigma_S_m[0], omega), sigmaToLabel(c.sigma_S_m[1], omega)],
      sigma_eV: cs,
      thickness_A: thickness,
    };
  }
  result.matVecs = matVecs;
  result.seconds = (performance.now() - start) / 1000;
  return result;
}
