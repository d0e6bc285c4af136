import { PUBLIC_KAPPA_THICKNESS } from './kappaConvention.js';

/**
 * The thickness the public κ labels are per (V = area × thickness): 3.35 Å, decided in
 * docs/kappa-convention.md (within 2.8–10.1 Å; kappaConvention.ts has the range and the other
 * conventions). κ scales as 1/thickness, so a κ computed with another thickness t is brought to the
 * public convention by κ·t / t_public.
 */
export const PUBLIC_KAPPA_THICKNESS_A = PUBLIC_KAPPA_THICKNESS.thickness_A;

export function kappaInPublicConvention(kappa_W_mK: number, thickness_A: number): number {
  return (kappa_W_mK * thickness_A) / PUBLIC_KAPPA_THICKNESS_A;
}
