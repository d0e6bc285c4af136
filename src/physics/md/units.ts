/**
 * MD units: Å, eV, amu, fs, K. Derived from CODATA 2018 exact/recommended values:
 * 1 eV = 1.602176634e-19 J, 1 amu = 1.66053906660e-27 kg, k_B = 8.617333262e-5 eV/K.
 */
const EV_J = 1.602176634e-19;
const AMU_KG = 1.6605390666e-27;

/** Acceleration of 1 eV/Å on 1 amu, in Å/fs²: 1e-10 · EV_J / (AMU_KG · 1e-10 m) · 1e-30 s²/fs² ·1e10 Å/m. */
export const ACCEL_A_FS2_PER_EV_A_AMU = (EV_J / (1e-10 * AMU_KG)) * 1e-20;
/** Kinetic energy of 1 amu·Å²/fs² in eV (≈ 103.6427 = 1 / ACCEL_…). */
export const EV_PER_AMU_A2_FS2 = (AMU_KG * 1e-20) / 1e-30 / EV_J;
export const KB_EV_K = 8.617333262e-5;
/** κ from eV/(Å·fs·K) to W/(m·K): 1 eV / (1e-10 m · 1e-15 s · K). */
export const W_MK_PER_EV_A_FS_K = EV_J / (1e-10 * 1e-15);
/** LAMMPS metal units: velocities in Å/ps. */
export const A_PS_PER_A_FS = 1000;
/** LAMMPS metal units: pressure·volume (bar·Å³) per eV (LAMMPS' nktv2p). */
export const BAR_A3_PER_EV = 1.6021765e6;
/** Conventional graphene thickness used for the sheet volume V = area × 3.35 Å. */
export const GRAPHENE_THICKNESS_A = 3.35;
