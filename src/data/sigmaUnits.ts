/**
 * Constants (CODATA 2018) and the σ label's conversion, one place for the tasks, the engines and
 * the web page. No imports: the server also sends this module to the browser.
 */
export const HBAR_EV_S = 6.582119569e-16;
export const EPSILON0_F_M = 8.8541878128e-12;
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
export const PLANCK_J_S = 6.62607015e-34;

/** ħω₁ that data.md quotes for the σ label (file 0002's grid; the public files range 0.0160–0.0212 eV). */
export const SIGMA_HBAR_OMEGA1_EV = 0.0169;

/** ε₀·ω in S/m for a photon energy ħω in eV: σ = ε₀·ω·ε₂ (≈ 227.3 S/m at 0.0169 eV). */
export function siemensPerMPerEpsilon2(hbarOmega_eV: number): number {
  return EPSILON0_F_M * (hbarOmega_eV / HBAR_EV_S);
}

/** S/m per unit of the σ label at ħω₁. */
export const SIGMA_S_M_PER_LABEL = siemensPerMPerEpsilon2(SIGMA_HBAR_OMEGA1_EV);

/** The conductance quantum e²/h in S. */
export const E2_H_S = (ELEMENTARY_CHARGE_C * ELEMENTARY_CHARGE_C) / PLANCK_J_S;
