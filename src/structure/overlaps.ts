import { ParseError } from '../errors.js';
import type { Atoms } from './atoms.js';
import { neighborList } from './neighbors.js';

/**
 * Below this distance two atoms are one atom written twice or coordinates gone wrong, never a
 * structure: the shortest bond there is, H₂'s, is 0.74 Å.
 */
export const OVERLAP_DISTANCE_A = 0.5;

/** The closest pair of atoms (periodic images included) nearer than `within_A`, or undefined. */
export function closestPair(atoms: Atoms, within_A = OVERLAP_DISTANCE_A): { i: number; j: number; distance_A: number } | undefined {
  if (atoms.length === 0) return undefined;
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, within_A);
  let best: { i: number; j: number; distance_A: number } | undefined;
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const d = list.distances[e];
      if (best === undefined || d < best.distance_A) best = { i: Math.min(i, list.index[e]), j: Math.max(i, list.index[e]), distance_A: d };
    }
  }
  return best;
}

/** Refuse a structure with two atoms closer than OVERLAP_DISTANCE_A, naming the file, the atoms (counted from 1) and their distance. */
export function checkNoOverlaps(atoms: Atoms, file: string, frame?: number): void {
  const pair = closestPair(atoms);
  if (pair === undefined) return;
  const where = frame === undefined ? '' : ` (frame ${frame})`;
  const what = pair.i === pair.j ? `atom ${pair.i + 1} is ${pair.distance_A.toFixed(3)} Å from its own periodic image` : `atoms ${pair.i + 1} and ${pair.j + 1} (counting from 1) are ${pair.distance_A.toFixed(3)} Å apart`;
  throw new ParseError(file, undefined, `${what}${where}; no two atoms can be closer than ${OVERLAP_DISTANCE_A} Å (an atom written twice, or wrong coordinates or cell?)`);
}
