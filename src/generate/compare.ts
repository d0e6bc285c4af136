import type { Atoms } from '../structure/atoms.js';
import { inPlaneArea } from '../structure/cell.js';
import { RING_CATEGORIES, ringStatistics, type RingOptions } from './rings.js';
import { sheetView } from '../descriptors/sheet.js';
import { neighborList } from '../structure/neighbors.js';

/**
 * The per-structure numbers a generated sheet is compared on with the public ones: SP rings per
 * atom by size, coordination fractions, bond-length and bond-angle moments, height spread and
 * areal density. Names carry units.
 */
export const SHEET_FEATURES: readonly string[] = [
  ...RING_CATEGORIES.map((c) => `rings_${c.replace('+', 'plus')}_per_atom`),
  'coordination_le2_fraction',
  'coordination_3_fraction',
  'coordination_ge4_fraction',
  'bond_length_mean_A',
  'bond_length_std_A',
  'bond_angle_mean_deg',
  'bond_angle_std_deg',
  'bond_angle_below_100deg_fraction',
  'height_std_A',
  'areal_density_per_A2',
];

export function sheetFeatures(atoms: Atoms, options: RingOptions = {}): Float64Array {
  const s = ringStatistics(atoms, options);
  const n = atoms.length;
  const out = new Float64Array(SHEET_FEATURES.length);
  let k = 0;
  for (const c of s.ringCounts) out[k++] = c / n;
  const coord = [0, 0, 0];
  for (const c of s.coordination) coord[Math.min(Math.max(c, 2), 4) - 2]++;
  for (const c of coord) out[k++] = c / n;
  const moments = (a: Float64Array): [number, number] => {
    if (a.length === 0) return [0, 0];
    let m = 0;
    for (const x of a) m += x;
    m /= a.length;
    let v = 0;
    for (const x of a) v += (x - m) ** 2;
    return [m, Math.sqrt(v / a.length)];
  };
  const [bm, bs] = moments(s.bondLengths_A);
  const [am, as] = moments(s.bondAngles_deg);
  out[k++] = bm;
  out[k++] = bs;
  out[k++] = am;
  out[k++] = as;
  let small = 0;
  for (const a of s.bondAngles_deg) if (a < 100) small++;
  out[k++] = s.bondAngles_deg.length > 0 ? small / s.bondAngles_deg.length : 0;
  out[k++] = s.heightStd_A;
  out[k++] = n / inPlaneArea(atoms.cell);
  return out;
}

/**
 * g(r) in the normalisation of the public thermal set's rdf_i.npy (undocumented; data.md): on
 * 100 bins of 0.1 Å from 0, the number of pairs per atom with their 3D distance in the bin, each
 * pair once, every periodic image in x and y, divided by 0.9 × the bin's left edge r (bin 0 is 0).
 * The factor 10/9 is read off the most crystalline public file (rdf_184.npy): graphene with the
 * Lindsay–Broido bond of 1.44 Å gives 1.5/1.4, 3/2.4, 1.5/2.8 and 3/4.3 pairs per atom per Å at
 * its shells, times 10/9 = 1.190, 1.389, 0.595, 0.775 — the file holds 1.190, 1.389, 0.595, 0.774.
 * (So the "≈ 0.40 atoms/Å²" reading of the large-r level is 10/9 × the true density.)
 */
export function releaseRdf(atoms: Atoms, bins = 100, width_A = 0.1): Float64Array {
  const sheet = sheetView(atoms);
  const rMax = bins * width_A;
  const list = neighborList(sheet.positions, sheet.cell, sheet.pbc, rMax);
  const out = new Float64Array(bins);
  for (const r of list.distances) {
    const b = Math.floor(r / width_A);
    if (b < bins) out[b] += 0.5; // each ordered pair is listed twice
  }
  const n = atoms.length;
  for (let b = 0; b < bins; b++) out[b] = b === 0 ? 0 : out[b] / n / (0.9 * b * width_A);
  return out;
}
