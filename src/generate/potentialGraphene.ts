import { InputError } from '../errors.js';
import type { ForceField } from '../physics/forceField.js';
import { SYMBOLS } from '../structure/elements.js';
import { grapheneSupercell, type GrapheneCell } from './graphene.js';

/** The lowest-energy flat honeycomb sheet of a force field: its bond length and energy per atom. */
export interface HoneycombMinimum {
  bond_A: number;
  /** Potential energy per atom at bond_A, eV (−cohesive energy for potentials whose free atom is 0 eV, as Tersoff's). */
  energyPerAtom_eV: number;
}

const cache = new Map<string, HoneycombMinimum>();

/** A 48-atom rectangular graphene cell (3 × 4 four-atom cells) at bond length `bond_A`. */
function cellAt(bond_A: number): GrapheneCell {
  return { nx: 3, ny: 4, atoms: 48, lx_A: 9 * bond_A, ly_A: 4 * Math.sqrt(3) * bond_A };
}

/**
 * Atomic numbers of the honeycomb cell: grapheneSupercell's atoms alternate between the two
 * sublattices (basis atoms 0, 2 on one, 1, 3 on the other), so every bond joins `sublattices[0]`
 * to `sublattices[1]` (h-BN for [5, 7]).
 */
function honeycombNumbers(atoms: number, sublattices: readonly [number, number]): Uint8Array {
  return Uint8Array.from({ length: atoms }, (_, k) => sublattices[k % 2]);
}

/**
 * The bond length at which a flat honeycomb sheet with the given sublattice elements has its
 * lowest energy under `forceField`, by golden-section search over [1.3, 1.6] Å; cached by name and
 * elements. Graphene ([6, 6], the default): Lindsay–Broido 1.4388 Å, Tersoff 1988 1.4605 Å; h-BN
 * ([5, 7]) under Kınacı et al.'s BNC.tersoff: 1.4421 Å, −7.5069 eV/atom (docs/materials/boron-nitride.md).
 */
export function honeycombMinimum(forceField: ForceField, sublattices: readonly [number, number] = [6, 6]): HoneycombMinimum {
  for (const z of sublattices) if (!Number.isInteger(z) || z < 1 || SYMBOLS[z] === undefined) throw new InputError(`honeycomb element ${z} is not an atomic number`);
  const key = `${forceField.name}|${sublattices[0]},${sublattices[1]}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const energy = (bond_A: number): number => {
    const cell = cellAt(bond_A);
    return forceField.compute({ positions: grapheneSupercell(cell, bond_A), numbers: honeycombNumbers(cell.atoms, sublattices), cell: Float64Array.of(cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, 10), pbc: [true, true, false] }).energy_eV;
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
  const bond_A = (lo + hi) / 2;
  const result = { bond_A, energyPerAtom_eV: energy(bond_A) / cellAt(bond_A).atoms };
  cache.set(key, result);
  return result;
}

/**
 * The bond length at which flat graphene has its lowest energy under `forceField` (Lindsay–Broido
 * 1.4388 Å, Tersoff 1988 1.4605 Å); see honeycombMinimum.
 * WWW sheets built on a graphene cell of this bond length and relaxed at fixed cell put their g(r)
 * shells where the public thermal set's first population has them (1.42 Å cells: ≈ 1.4 % short).
 */
export function grapheneBondLength(forceField: ForceField): number {
  return honeycombMinimum(forceField, [6, 6]).bond_A;
}
