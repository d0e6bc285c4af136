import { InputError } from '../../errors.js';
import { GRAPHENE_THICKNESS_A } from '../md/units.js';

/**
 * A sheet's κ depends on the thickness t put into its volume V = area × t; the thermal sheet
 * conductance κ·t (W/K) does not. The public SPRamNet labels state no volume. Decided in
 * docs/kappa-convention.md from the four near-pristine public cells (900-atom LB graphene, labels
 * 727–953 W/(m·K)) run with this project's engines (bench/kappaConvention.ts): their labels are
 * κ per area × 3.35 Å (graphite's interlayer spacing, the literature's convention) within what
 * the runs allow, 2.8–10.1 Å (Green–Kubo windows of 10–50 ps: 2.8–7.6 Å; the converged HNEMD value
 * of the same cell: 7.7–10.1 Å); the simulation box's 20 Å is excluded (it would put
 * pristine LB graphene at 4 300–5 700 W/(m·K) with 3.35 Å, above the converged value of an
 * infinite sheet, ≈ 2 900). So the labels' κ times t_public / 3.35 Å is κ in the literature's
 * convention — the same number, with the range of the thickness as its uncertainty — and
 * κ · t_public is the sheet conductance.
 */
export interface PublicThickness {
  /** The thickness the public labels' volume is read with, Å. */
  thickness_A: number;
  /** What the evidence allows, Å. */
  range_A: readonly [number, number];
}

/**
 * 3.35 Å, within 2.8–10.1 Å: 3.35 Å × (pristine κ of the 900-atom cell: 790–1645 W/(m·K) over the
 * Green–Kubo windows 10–50 ps, 2202 by HNEMD) / (the public 727–953).
 */
export const PUBLIC_KAPPA_THICKNESS: PublicThickness = { thickness_A: GRAPHENE_THICKNESS_A, range_A: [2.8, 10.1] };

const CONVENTION =
  'W_mK: κ as the public SPRamNet labels define it (what the models learnt; per area × 3.35 Å, the thickness within 2.8–10.1 Å: docs/kappa-convention.md); ' +
  'W_mK_3p35A: κ with the literature’s 3.35 Å graphene thickness, the range from the public thickness’s; ' +
  'sheet_conductance_W_K: κ·t, the thermal sheet conductance, which needs no thickness';

/** One κ in the conventions the project prints. Ranges are the uncertainty of the public labels' thickness (not a prediction interval). */
export interface KappaConventions {
  /** κ as the public labels define it, W/(m·K). */
  W_mK: number;
  W_mK_range?: [number, number];
  /** κ with V = area × 3.35 Å, W/(m·K). */
  W_mK_3p35A: number;
  W_mK_3p35A_range?: [number, number];
  /** κ·t, W/K. */
  sheet_conductance_W_K: number;
  sheet_conductance_W_K_range?: [number, number];
  convention: string;
}

const metres = (thickness_A: number): number => thickness_A * 1e-10;

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new InputError(`${name} must be a positive number, got ${value}`);
}

/** The sheet conductance κ·t (W/K) behind a κ in the public convention, with its range. */
function publicSheetConductance(kappa_W_mK: number, t: PublicThickness): { value: number; range: [number, number] } {
  return { value: kappa_W_mK * metres(t.thickness_A), range: [kappa_W_mK * metres(t.range_A[0]), kappa_W_mK * metres(t.range_A[1])] };
}

/**
 * A κ in the public labels' convention (a prediction: `kappa.W_mK`) in every convention: itself,
 * with the 3.35 Å thickness and as sheet conductance, each with the range of the public thickness.
 */
export function kappaFromPublicConvention(kappa_W_mK: number, thickness: PublicThickness = PUBLIC_KAPPA_THICKNESS): KappaConventions {
  checkPositive('κ', kappa_W_mK);
  const sheet = publicSheetConductance(kappa_W_mK, thickness);
  const literature = (g: number) => g / metres(GRAPHENE_THICKNESS_A);
  return {
    W_mK: kappa_W_mK,
    W_mK_3p35A: literature(sheet.value),
    W_mK_3p35A_range: [literature(sheet.range[0]), literature(sheet.range[1])],
    sheet_conductance_W_K: sheet.value,
    sheet_conductance_W_K_range: sheet.range,
    convention: CONVENTION,
  };
}

/**
 * A κ computed with a known thickness (a label: `label kappa --thickness t`) in every convention:
 * the 3.35 Å value and the sheet conductance exactly, the public labels' κ with the range of their
 * thickness.
 */
export function kappaFromThickness(kappa_W_mK: number, thickness_A: number, thickness: PublicThickness = PUBLIC_KAPPA_THICKNESS): KappaConventions {
  checkPositive('thickness', thickness_A);
  if (!Number.isFinite(kappa_W_mK)) throw new InputError(`κ must be a finite number, got ${kappa_W_mK}`);
  const sheet = kappa_W_mK * metres(thickness_A);
  const publicOf = (t_A: number) => sheet / metres(t_A);
  return {
    W_mK: publicOf(thickness.thickness_A),
    // a thicker public volume means a smaller public κ for the same sheet conductance
    W_mK_range: [publicOf(thickness.range_A[1]), publicOf(thickness.range_A[0])],
    W_mK_3p35A: sheet / metres(GRAPHENE_THICKNESS_A),
    sheet_conductance_W_K: sheet,
    convention: CONVENTION,
  };
}

/** A 90 % interval of a κ in the public convention, widened by the public thickness's range, in the 3.35 Å convention and as sheet conductance. */
export function intervalInConventions(interval_W_mK: readonly [number, number], thickness: PublicThickness = PUBLIC_KAPPA_THICKNESS): { W_mK_3p35A: [number, number]; sheet_conductance_W_K: [number, number] } {
  const sheet: [number, number] = [interval_W_mK[0] * metres(thickness.range_A[0]), interval_W_mK[1] * metres(thickness.range_A[1])];
  return { W_mK_3p35A: [sheet[0] / metres(GRAPHENE_THICKNESS_A), sheet[1] / metres(GRAPHENE_THICKNESS_A)], sheet_conductance_W_K: sheet };
}
