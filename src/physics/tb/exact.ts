import type { Atoms } from '../../structure/atoms.js';
import { perpendicularWidths } from '../../structure/cell.js';
import { EL_DOS_ENERGIES_EV, EL_DOS_SIGMA_EV } from '../../data/labels.js';
import { hoppings, piElectronCount, piParameters, type PiModelParameters } from './model.js';
import { monkhorstPack, type KPoints } from './kpoints.js';
import { blochHamiltonian, velocityMatrix, type ComplexMatrix } from './bloch.js';
import { hermitianEigen, type HermitianEigen } from './eigen.js';
import { concatLevels, fermiLevel, gaussianDos, type WeightedLevels } from './spectra.js';
import { KuboAccumulator, sigmaToLabel, type KuboSettings } from './kubo.js';

export interface ExactTbOptions {
  parameters?: Partial<PiModelParameters>;
  /** Monkhorst–Pack mesh; default 2×2×1 Γ-centred (see DEFAULT_MESH). */
  mesh?: readonly [number, number, number];
  /** Instead of a mesh: VASP's automatic length l (Å), N_i = max(1, round(l·|b_i|)), b_i without 2π. */
  kLength_A?: number;
  gammaCentred?: boolean;
  /** Gaussian σ of the el-DoS (the label's 0.05 eV). */
  dosSigma_eV?: number;
  grid_eV?: ArrayLike<number>;
  /** Compute the Kubo–Greenwood conductivity (needs eigenvectors: slower). */
  conductivity?: boolean;
  kubo?: Partial<KuboSettings>;
}

/**
 * Default k sampling: Γ-centred 2×2×1, whose points are all time-reversal invariant, so every H(k) is
 * real (4 real n×n problems). It is a cost choice, not a converged one: against an 8×8 mesh the
 * 0.05-eV DoS differs by 4–14 % of its peak on buckled 20–30 Å cells and by 20–90 % on the small
 * (≈15 Å, 94–140 atom) flat cells (bench/tbValidate.js --kcheck). Against the DFT labels it matters
 * little: the median deviation correlation moves from 0.195 to 0.196 (buckled) and 0.313 to 0.335
 * (flat) with the automatic mesh of length 50 Å (kLength_A), on 123 training structures. Use
 * kLength_A (or a denser mesh) when the TB DoS itself must be converged.
 */
export const DEFAULT_MESH: readonly [number, number, number] = [2, 2, 1];

/** VASP's LOPTICS default complex shift (CSHIFT = 0.1 eV) and the label's ħω₁. */
export const DEFAULT_KUBO: Readonly<KuboSettings> = Object.freeze({
  omega_eV: 0.0169,
  eta_eV: 0.1,
  kT_eV: 0.0259,
  dcSigma_eV: 0.05,
  window_eV: 3,
});

export interface ExactTbResult {
  parameters: PiModelParameters;
  kpoints: KPoints;
  fermi_eV: number;
  levels: WeightedLevels;
  el_dos: { energy_eV: Float64Array; dos: Float64Array };
  dosSigma_eV: number;
  conductivity?: {
    settings: KuboSettings;
    /** σ(ω₁) in S/m over the cell volume (incl. vacuum), xx and yy. */
    optical_S_m: [number, number];
    /** ω → 0 of the same (Lorentzian) form. */
    dc_S_m: [number, number];
    /** Tr[v δ v δ] form with Gaussian δ of dcSigma_eV (what KPM computes). */
    dcGaussian_S_m: [number, number];
    /** σ(ω₁)·c in S. */
    sheet_S: [number, number];
    /** ε₂ = σ/(ε₀ω₁), the release's label. */
    label: [number, number];
    thickness_A: number;
  };
}

/** VASP's fully automatic mesh: N_i = max(1, round(l·|b_i|)) on periodic axes (|b_i| = 1/width_i). */
export function meshFromLength(atoms: Atoms, length_A: number): [number, number, number] {
  const widths = perpendicularWidths(atoms.cell);
  return [0, 1, 2].map((a) => (atoms.pbc[a] ? Math.max(1, Math.round(length_A / widths[a])) : 1)) as [number, number, number];
}

/** Exact diagonalisation of the π tight-binding model on a k-mesh: el-DoS, E_F, Kubo–Greenwood σ. */
export function tightBindingExact(atoms: Atoms, options: ExactTbOptions = {}): ExactTbResult {
  const parameters = piParameters(options.parameters);
  const h = hoppings(atoms, parameters);
  const mesh = options.kLength_A !== undefined ? meshFromLength(atoms, options.kLength_A) : (options.mesh ?? DEFAULT_MESH);
  const kpoints = monkhorstPack(atoms.cell, atoms.pbc, mesh, options.gammaCentred ?? true);
  const withVectors = options.conductivity === true;
  const eigens: HermitianEigen[] = [];
  const velocities: Array<[ComplexMatrix, ComplexMatrix]> = [];
  const n = atoms.length;
  for (let q = 0; q < kpoints.count; q++) {
    const k = kpoints.cartesian_invA.subarray(3 * q, 3 * q + 3);
    eigens.push(hermitianEigen(blochHamiltonian(h, k), withVectors));
    if (withVectors) velocities.push([velocityMatrix(h, k, 0), velocityMatrix(h, k, 1)]);
  }
  const levels = concatLevels(eigens.map((e, q) => ({ values: e.values, weight: kpoints.weights[q] * e.levelWeight })));
  // one π electron per carbon (half filling), none per boron, two per nitrogen
  const fermi = fermiLevel(levels, piElectronCount(atoms));
  const sigma = options.dosSigma_eV ?? EL_DOS_SIGMA_EV;
  const grid = Float64Array.from(options.grid_eV ?? EL_DOS_ENERGIES_EV);
  const result: ExactTbResult = {
    parameters,
    kpoints,
    fermi_eV: fermi,
    levels,
    el_dos: { energy_eV: grid, dos: gaussianDos(levels, fermi, grid, sigma, n) },
    dosSigma_eV: sigma,
  };
  if (withVectors) {
    const settings = { ...DEFAULT_KUBO, ...options.kubo };
    const acc = new KuboAccumulator(settings, fermi);
    eigens.forEach((e, q) => acc.add(e, velocities[q], kpoints.weights[q]));
    const r = acc.result(atoms.volume_A3);
    const thickness = perpendicularWidths(atoms.cell)[2];
    result.conductivity = {
      settings,
      ...r,
      sheet_S: [r.optical_S_m[0] * thickness * 1e-10, r.optical_S_m[1] * thickness * 1e-10],
      label: [sigmaToLabel(r.optical_S_m[0], settings.omega_eV), sigmaToLabel(r.optical_S_m[1], settings.omega_eV)],
      thickness_A: thickness,
    };
  }
  return result;
}
