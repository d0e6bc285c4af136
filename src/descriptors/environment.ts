import type { Atoms } from '../structure/atoms.js';
import { neighborList } from '../structure/neighbors.js';
import { sheetView } from './sheet.js';

/**
 * Local-environment statistics of a sheet, the information a g(r) averages away: which rings the
 * bonds close (the faces of the bond network seen from above, on the periodic sheet), how the
 * coordination is spread (sp chains, sp², sp³-like sites), bond-length spread and buckling.
 * All are invariant under in-plane rotations, translations, permutations and replication.
 */
export const ENVIRONMENT_FEATURES: readonly string[] = [
  ...Array.from({ length: 9 }, (_, k) => `rings_${k + 3}_per_atom`),
  'rings_12plus_per_atom',
  ...Array.from({ length: 5 }, (_, k) => `coordination_${k}_fraction`),
  'coordination_5plus_fraction',
  'bond_length_mean_A',
  'bond_length_std_A',
  'height_std_A',
];

/** Longest face walked; a longer one (an open region, a chain wandering through) counts as 12+. */
const MAX_FACE = 64;

export function localEnvironment(atoms: Atoms, bondCutoff_A = 1.85, file = 'structure'): Float64Array {
  const sheet = sheetView(atoms, file);
  const n = atoms.length;
  const list = neighborList(sheet.positions, sheet.cell, sheet.pbc, bondCutoff_A);
  const { start, index, vectors, distances } = list;
  // each atom's bonds in increasing in-plane angle
  const angle = Float64Array.from({ length: index.length }, (_, e) => Math.atan2(vectors[3 * e + 1], vectors[3 * e]));
  const sorted = new Int32Array(index.length);
  const rank = new Int32Array(index.length);
  for (let i = 0; i < n; i++) {
    const entries = Array.from({ length: start[i + 1] - start[i] }, (_, k) => start[i] + k).sort((a, b) => angle[a] - angle[b]);
    entries.forEach((e, k) => {
      sorted[start[i] + k] = e;
      rank[e] = k;
    });
  }
  // the reverse of bond i→j (image v) is j→i with image −v
  const reverse = new Int32Array(index.length).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let e = start[i]; e < start[i + 1]; e++) {
      const j = index[e];
      for (let f = start[j]; f < start[j + 1]; f++) {
        if (index[f] === i && Math.abs(vectors[3 * f] + vectors[3 * e]) < 1e-6 && Math.abs(vectors[3 * f + 1] + vectors[3 * e + 1]) < 1e-6 && Math.abs(vectors[3 * f + 2] + vectors[3 * e + 2]) < 1e-6) {
          reverse[e] = f;
          break;
        }
      }
    }
  }
  // faces: from bond u→v, continue with the bond of v that comes just before v→u in angle order
  const features = new Float64Array(ENVIRONMENT_FEATURES.length);
  const seen = new Uint8Array(index.length);
  for (let e0 = 0; e0 < index.length; e0++) {
    if (seen[e0]) continue;
    let e = e0;
    let size = 0;
    while (!seen[e] && size < MAX_FACE) {
      seen[e] = 1;
      size++;
      const back = reverse[e];
      const v = index[e];
      const degree = start[v + 1] - start[v];
      e = sorted[start[v] + ((rank[back] - 1 + degree) % degree)];
    }
    if (size >= 3) features[Math.min(size, 12) - 3] += 1 / n; // 1 and 2: a lone bond, no ring
  }
  for (let i = 0; i < n; i++) features[10 + Math.min(start[i + 1] - start[i], 5)] += 1 / n;
  // two passes: the spread of near-equal bond lengths must not drown in cancellation
  const bonds = distances.length;
  let mean = 0;
  for (const d of distances) mean += d / bonds;
  let variance = 0;
  for (const d of distances) variance += (d - mean) ** 2 / bonds;
  features[16] = bonds > 0 ? mean : 0;
  features[17] = bonds > 0 ? Math.sqrt(variance) : 0;
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += sheet.positions[3 * i + 2] / n;
  let zVar = 0;
  for (let i = 0; i < n; i++) zVar += (sheet.positions[3 * i + 2] - zMean) ** 2 / n;
  features[18] = Math.sqrt(zVar);
  return features;
}
