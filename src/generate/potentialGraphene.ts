import type { ForceField } from '../physics/forceField.js';
import { grapheneSupercell, type GrapheneCell } from './graphene.js';

const cache = new Map<string, number>();

/** A 48-atom rectangular graphene cell (3 × 4 four-atom cells) at bond length `bond_A`. */
function cellAt(bond_A: number): GrapheneCell {
  return { nx: 3, ny: 4, atoms: 48, lx_A: 9 * bond_A, ly_A: 4 * Math.sqrt(3) * bond_A };
}

/**
 * The bond length at which flat graphene has its lowest energy under `forceField` (Lindsay–Broido
 * 1.4388 Å, Tersoff 1988 1.4605 Å), by golden-section search over [1.3, 1.6] Å; cached by name.
 * WWW sheets built on a graphene cell of this bond length and relaxed at fixed cell put their g(r)
 * shells where the public thermal set's first population has them (1.42 Å cells: ≈ 1.4 % short).
 */
export function grapheneBondLength(forceField: ForceField): number {
  const known = cache.get(forceField.name);
  if (known !== undefined) return known;
  const energy = (bond_A: number): number => {
    const cell = cellAt(bond_A);
    return forceField.compute({ positions: grapheneSupercell(cell, bond_A), numbers: new Uint8Array(cell.atoms).fill(6), cell: Float64Array.of(cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, 10), pbc: [true, true, false] }).energy_eV;
  };
  let lo = 1.3;
  let hi = 1.6;
  const phi = (Math.sqrt(5) - 1) / 2;
  let m1 = hi - phi * (hi - lo);
  let m2 = lo + phi * (hi - lo);
  let e1 = energy(m1);
  let e2 = energy(m2);
  while (hi - lo > 1e-7) {
    if (e1 < e2) {
      hi = m2;
      m2 = m1;
      e2 = e1;
      m1 = hi - phi * (hi - lo);
      e1 = energy(m1);
    } else {
      lo = m1;
      m1 = m2;
      e1 = e2;
      m2 = lo + phi * (hi - lo);
      e2 = energy(m2);
    }
  }
  const bond = (lo + hi) / 2;
  cache.set(forceField.name, bond);
  return bond;
}
