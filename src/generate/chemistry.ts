import type { Atoms } from '../structure/atoms.js';
import { SYMBOLS } from '../structure/elements.js';
import { neighborList } from '../structure/neighbors.js';

/** Bonds of a sheet by element pair, from distances (the ring statistics' cut-off). */
export interface BondChemistry {
  bonds: number;
  /** Bonds between atoms of the same element when the sheet has several elements (B–B, N–N). */
  homopolar: number;
  /** homopolar / bonds (0 for a sheet without bonds). */
  homopolarFraction: number;
  /** Bond counts by pair, elements in alphabetical order: { "B-B": …, "B-N": …, "N-N": … }. */
  pairs: Record<string, number>;
}

/**
 * Count the bonds (pairs closer than `cutoff_A`, periodic images included) of a structure by element
 * pair. For one-element sheets every bond is "homopolar" in this count; the figure is meant for
 * two-element ones (a-BN), where B–B and N–N bonds are the chemical disorder.
 */
export function bondChemistry(atoms: Atoms, cutoff_A = 1.85): BondChemistry {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, cutoff_A);
  const pairs: Record<string, number> = {};
  let directed = 0;
  let same = 0;
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      const [a, b] = [SYMBOLS[atoms.numbers[i]], SYMBOLS[atoms.numbers[j]]].sort();
      const key = `${a}-${b}`;
      // each bond is listed from both ends: count halves
      pairs[key] = (pairs[key] ?? 0) + 0.5;
      directed++;
      if (atoms.numbers[i] === atoms.numbers[j]) same++;
    }
  }
  const bonds = directed / 2;
  const homopolar = same / 2;
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(pairs).sort()) sorted[k] = pairs[k];
  return { bonds, homopolar, homopolarFraction: bonds > 0 ? homopolar / bonds : 0, pairs: sorted };
}
