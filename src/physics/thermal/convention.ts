import { GRAPHENE_THICKNESS_A } from '../md/units.js';

/**
 * The thickness the public κ labels are per (V = area × thickness). κ scales as 1/thickness, so a κ
 * computed with another thickness t is brought to the public convention by κ·t / t_public.
 */
export const PUBLIC_KAPPA_THICKNESS_A = GRAPHENE_THICKNESS_A;

export function kappaInPublicConvention(kappa_W_mK: number, thickness_A: number): number {
  return (kappa_W_mK * thickness_A) / PUBLIC_KAPPA_THICKNESS_A;
}
