import { InputError } from '../errors.js';
import type { Atoms, Pbc } from '../structure/atoms.js';
import { inPlaneArea, type Mat3 } from '../structure/cell.js';

/**
 * A structure seen as a sheet: periodic in-plane (a, b in the xy-plane), open along z. The c axis
 * only holds vacuum, so its periodicity is dropped: with c = 10 Å and r_max = 8 Å, a sheet 2 Å
 * thick would otherwise meet its own z-image inside the cutoff. If the sheet straddles the z
 * boundary of the cell, atoms are shifted by c to make it one piece (cut at the widest gap in z).
 */
export interface SheetView {
  positions: Float64Array;
  cell: Mat3;
  pbc: Pbc;
  area_A2: number;
}

export function sheetView(atoms: Atoms, file = 'structure'): SheetView {
  const cell = atoms.cell;
  const scale = Math.max(Math.hypot(cell[0], cell[1]), Math.hypot(cell[3], cell[4]), 1);
  if (Math.abs(cell[2]) > 1e-8 * scale || Math.abs(cell[5]) > 1e-8 * scale) {
    throw new InputError(`${file}: in-plane cell vectors a and b must lie in the xy-plane (a_z = ${cell[2]}, b_z = ${cell[5]}) for a 2D descriptor`);
  }
  if (!atoms.pbc[0] || !atoms.pbc[1]) throw new InputError(`${file}: a sheet must be periodic along a and b (pbc = ${atoms.pbc})`);
  const area_A2 = inPlaneArea(cell);
  if (!(area_A2 > 0)) throw new InputError(`${file}: in-plane cell area is zero`);
  const positions = Float64Array.from(atoms.positions);
  const cz = cell[8];
  const cAlongZ = Math.abs(cell[6]) < 1e-8 * scale && Math.abs(cell[7]) < 1e-8 * scale && cz > 0;
  if (atoms.pbc[2] && cAlongZ && atoms.length > 1 && !onePieceByRange(atoms.positions, cz)) {
    const n = atoms.length;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = positions[3 * i + 2] - cz * Math.floor(positions[3 * i + 2] / cz);
    const sorted = Float64Array.from(z).sort();
    // widest gap, the wrap-around gap included: the sheet lies outside it
    let gap = sorted[0] + cz - sorted[n - 1];
    let cutAbove = sorted[n - 1];
    for (let k = 1; k < n; k++) {
      if (sorted[k] - sorted[k - 1] > gap) {
        gap = sorted[k] - sorted[k - 1];
        cutAbove = sorted[k - 1];
      }
    }
    const original = atoms.positions;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, original[3 * i + 2]);
      hi = Math.max(hi, original[3 * i + 2]);
    }
    // Already one piece (the common case): keep z exactly as given.
    if (hi - lo > cz - gap + 1e-9) {
      for (let i = 0; i < n; i++) positions[3 * i + 2] = z[i] <= cutAbove ? z[i] + cz : z[i];
    }
  }
  return { positions, cell, pbc: [true, true, false], area_A2 };
}

/**
 * The common case without sorting: every z within [0, c) and spanning less than c/2. Then the gap
 * across the boundary, c − span, exceeds c/2 and so every gap inside the sheet (they add up to the
 * span): it is the widest, and the sheet is already one piece (kept exactly as given).
 */
function onePieceByRange(positions: Float64Array, cz: number): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 2; k < positions.length; k += 3) {
    lo = Math.min(lo, positions[k]);
    hi = Math.max(hi, positions[k]);
  }
  return lo >= 0 && hi < cz && hi - lo < cz / 2;
}
