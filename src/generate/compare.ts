import type { Atoms } from '../structure/atoms.js';
import { inPlaneArea } from '../structure/cell.js';
import { RING_CATEGORIES, ringStatistics, type RingOptions } from './rings.js';

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

