import { InputError } from '../errors.js';

/** Bond length of the ideal graphene the generators start from, Å. */
export const GRAPHENE_BOND_A = 1.42;

export interface GrapheneCell {
  /** Rectangular 4-atom cells along x (armchair, 3d long) and y (zigzag, √3 d long). */
  nx: number;
  ny: number;
  atoms: number;
  lx_A: number;
  ly_A: number;
}

/**
 * The orthorhombic graphene supercell nearest to `atoms` atoms (4·nx·ny) among those holding at
 * least `minAtoms`, with sides within 1:1.6 when any such cell exists, preferring the squarest
 * cell among equally near counts; cells at least 8 Å wide so minimum images stay unambiguous.
 */
/** The generators' sheet sizes: checked first, so no setting derived from a bad count is blamed for it. */
export function checkAtomCount(atoms: number): void {
  if (!Number.isInteger(atoms) || atoms < 24 || atoms > 200000) throw new InputError(`--atoms must be an integer from 24 to 200000, got ${atoms}`);
}

export function nearestGrapheneCell(atoms: number, bond_A = GRAPHENE_BOND_A, minAtoms = 0): GrapheneCell {
  checkAtomCount(atoms);
  const ax = 3 * bond_A;
  const ay = Math.sqrt(3) * bond_A;
  let best: GrapheneCell | undefined;
  let bestScore = Infinity;
  for (let nx = 2; 4 * nx <= atoms * 2; nx++) {
    const lx = nx * ax;
    for (const ny of [Math.floor(atoms / (4 * nx)), Math.ceil(atoms / (4 * nx)), Math.ceil(minAtoms / (4 * nx))]) {
      const ly = ny * ay;
      if (ny < 1 || lx < 8 || ly < 8) continue;
      const count = 4 * nx * ny;
      if (count < minAtoms) continue;
      // aspect within 1:1.6 first (public cells are 1.0–1.4), then the nearest count, then the squarest
      const aspect = Math.abs(Math.log(lx / ly));
      const score = (aspect > Math.log(1.6) ? 1e9 : 0) + Math.abs(count - atoms) * 1000 + aspect;
      if (score < bestScore) {
        bestScore = score;
        best = { nx, ny, atoms: count, lx_A: lx, ly_A: ly };
      }
    }
  }
  if (best === undefined) throw new InputError(`no graphene cell at least 8 Å wide holds about ${atoms} atoms`);
  return best;
}

/** Positions of the flat graphene supercell (z = 0), Cartesian Å. */
export function grapheneSupercell(cell: GrapheneCell, bond_A = GRAPHENE_BOND_A): Float64Array {
  const ax = 3 * bond_A;
  const ay = Math.sqrt(3) * bond_A;
  // the rectangular cell's four atoms (armchair along x)
  const basis = [
    [0.25 * bond_A, 0],
    [1.25 * bond_A, 0],
    [1.75 * bond_A, ay / 2],
    [2.75 * bond_A, ay / 2],
  ];
  const out = new Float64Array(3 * cell.atoms);
  let k = 0;
  for (let i = 0; i < cell.nx; i++) {
    for (let j = 0; j < cell.ny; j++) {
      for (const [bx, by] of basis) {
        out[k++] = i * ax + bx;
        out[k++] = j * ay + by + ay / 4;
        out[k++] = 0;
      }
    }
  }
  return out;
}
