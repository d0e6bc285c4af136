import { InputError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { neighborList } from '../../structure/neighbors.js';

/**
 * π-electron tight-binding models for carbon sheets, one p orbital per atom.
 *
 * - `pi-flat`: p_z orbitals, hopping depends on distance only, t(r) = t0·exp(−β(r/a0 − 1)) (the
 *   exponential law of Pereira, Castro Neto & Peres, PRB 80, 045401 (2009), β ≈ 3.37). Right for
 *   flat sheets.
 * - `pi-normals`: for buckled sheets. Each atom's p orbital points along its local normal, the
 *   normal of the plane through its three nearest neighbours (π-orbital axis vector idea of Haddon;
 *   the same construction as Kundu's and Tománek's π models of curved carbon), and the hopping
 *   between orbitals along n_i and n_j over a bond with unit vector u is Slater–Koster's
 *     t = V_ppπ(r)·(n_i·n_j) + (V_ppσ(r) − V_ppπ(r))·(n_i·u)(n_j·u),
 *   with V_ppπ(r) = t(r) above and V_ppσ(r) = −ρ·t(r), ρ = V_ppσ/|V_ppπ| = 5.5/1.55 ≈ 3.55 from the
 *   sp³ carbon parameters of Xu, Wang, Chan & Ho (J. Phys. Condens. Matter 4, 6047 (1992)), whose
 *   hoppings share one distance scaling. On a flat sheet it reduces to `pi-flat`.
 * Why not the full sp³ Xu model: four orbitals per atom make the matrices 4× larger (64× the
 * eigensolver time) for 3600 × k-points structures, while the labels only cover E − E_F ∈ [−2, 2] eV,
 * where the states of sp² carbon are π (σ bands lie beyond ±3 eV); the model misses σ dangling-bond
 * states of two-fold atoms, a stated limitation.
 *
 * Hoppings are switched off smoothly between cutoff − taper and cutoff (cosine taper), so second
 * neighbours of graphene (2.46 Å) are kept with the default 2.6 Å cutoff and 0.1 Å taper.
 *
 * Other sp² elements (boron, nitrogen) enter through per-element on-site energies (`onsite_eV`),
 * the diagonal of H; the hopping keeps the same t(r) for every pair. Without `onsite_eV` the model
 * is carbon's (on-site 0, no diagonal entries at all, so carbon results are unchanged bit for bit).
 * HBN_PI_PARAMETERS is the h-BN set (docs/materials/boron-nitride.md).
 */
export type PiModelName = 'pi-flat' | 'pi-normals';

export const PI_MODEL_NAMES: readonly PiModelName[] = ['pi-flat', 'pi-normals'];

export interface PiModelParameters {
  model: PiModelName;
  /** V_ppπ at r = a0 (negative), eV. */
  t0_eV: number;
  /** Exponential decay: t(r) = t0·exp(−β(r/a0 − 1)). */
  beta: number;
  a0_A: number;
  /** V_ppσ(r)/|V_ppπ(r)| (pi-normals only). */
  ppSigmaRatio: number;
  cutoff_A: number;
  taper_A: number;
  /** Bonds that define the local normal: the three nearest neighbours closer than this. */
  normalBond_A: number;
  /**
   * On-site energy of each element's p orbital, eV, by symbol (B, C, N: the elements whose π
   * electron count PI_ELECTRONS knows). Absent: carbon only, at 0 eV (the carbon models).
   */
  onsite_eV?: Readonly<Record<string, number>>;
}

export const DEFAULT_PI_PARAMETERS: Readonly<PiModelParameters> = Object.freeze({
  model: 'pi-normals',
  t0_eV: -2.7,
  beta: 3.37,
  a0_A: 1.42,
  ppSigmaRatio: 5.5 / 1.55,
  cutoff_A: 2.6,
  taper_A: 0.1,
  normalBond_A: 1.85,
});

/**
 * π electrons an sp² atom gives the p_z band: boron's p_z is empty, nitrogen's holds its lone pair,
 * carbon's one electron. E_F follows from their sum (for B = N counts, half filling, as carbon's).
 */
export const PI_ELECTRONS: Readonly<Record<string, number>> = Object.freeze({ B: 0, C: 1, N: 2 });

/**
 * π model of monolayer h-BN: nearest-neighbour hopping t = −2.30 eV and on-site energies ±3.625 eV
 * (B up, N down; gap at K = ε_B − ε_N = 7.25 eV, E_F mid-gap at 0), the two-parameter fit of Galvani
 * et al., Phys. Rev. B 94, 125303 (2016) to the GW quasiparticle π bands of the BN single layer (their
 * lattice constant 2.50 Å: reference bond a0 = 2.50/√3 = 1.4434 Å). The distance law is the carbon
 * model's, t(r) = t0·exp(−β(r/a0 − 1)) with β = 3.37 (no BN-specific value was found; the sp³
 * model of Galvani et al., J. Phys. Mater. 7, 035003 (2024) uses β = 3 for V_ppπ), for every pair:
 * B–B and N–N bonds of amorphous BN hop as B–N do (that sp³ model also gives B–N, B–B and N–N one
 * V_ppπ). Nearest neighbours only, as in the fit: hoppings end at 2.0 Å (taper from 1.9 Å), below
 * the 2.50 Å second neighbours of h-BN and above stretched B–B bonds (≈ 1.7 Å).
 */
export const HBN_PI_PARAMETERS: Readonly<Partial<PiModelParameters>> = Object.freeze({
  t0_eV: -2.3,
  beta: 3.37,
  a0_A: 2.5 / Math.sqrt(3),
  cutoff_A: 2.0,
  taper_A: 0.1,
  onsite_eV: Object.freeze({ B: 3.625, N: -3.625 }),
});

export function piParameters(overrides: Partial<PiModelParameters> = {}): PiModelParameters {
  const p = { ...DEFAULT_PI_PARAMETERS, ...overrides };
  if (p.model !== 'pi-flat' && p.model !== 'pi-normals') throw new InputError(`tight-binding model "${p.model}": expected pi-flat or pi-normals`);
  for (const key of ['t0_eV', 'beta', 'a0_A', 'ppSigmaRatio', 'cutoff_A', 'taper_A', 'normalBond_A'] as const) {
    if (!Number.isFinite(p[key])) throw new InputError(`tight-binding parameter ${key} must be a finite number, got ${p[key]}`);
  }
  if (!(p.cutoff_A > 0) || !(p.taper_A >= 0) || p.taper_A >= p.cutoff_A) {
    throw new InputError(`cutoff_A ${p.cutoff_A} must be positive and larger than taper_A ${p.taper_A} ≥ 0`);
  }
  if (p.onsite_eV !== undefined) {
    for (const [element, energy] of Object.entries(p.onsite_eV)) {
      if (PI_ELECTRONS[element] === undefined) throw new InputError(`tight-binding on-site energy for "${element}": the π models know ${Object.keys(PI_ELECTRONS).join(', ')}`);
      if (!Number.isFinite(energy)) throw new InputError(`tight-binding on-site energy of ${element} must be a finite number, got ${energy}`);
    }
  }
  return p;
}

/** Each atom's on-site energy, eV (all 0 for the carbon models); throws for elements the model has none for. */
export function siteEnergies(atoms: Atoms, parameters: PiModelParameters): Float64Array {
  const table = parameters.onsite_eV ?? { C: 0 };
  const out = new Float64Array(atoms.length);
  const symbols = atoms.symbols; // a getter that builds the list: once, not per atom
  for (let a = 0; a < atoms.length; a++) {
    const e = table[symbols[a]];
    if (e === undefined) {
      throw new InputError(
        parameters.onsite_eV === undefined
          ? `atom ${a + 1} is ${symbols[a]}: the π tight-binding models are for carbon only unless onsite_eV gives the element's on-site energy`
          : `atom ${a + 1} is ${symbols[a]}, which has no on-site energy in this π model (it has ${Object.keys(table).join(', ')})`,
      );
    }
    out[a] = e;
  }
  return out;
}

/** π electrons of a structure (PI_ELECTRONS summed): the count that fixes E_F. */
export function piElectronCount(atoms: Atoms): number {
  let count = 0;
  const symbols = atoms.symbols;
  for (let a = 0; a < atoms.length; a++) {
    const e = PI_ELECTRONS[symbols[a]];
    if (e === undefined) throw new InputError(`atom ${a + 1} is ${symbols[a]}: no π electron count (known: ${Object.keys(PI_ELECTRONS).join(', ')})`);
    count += e;
  }
  return count;
}

/**
 * The hoppings of a structure as a list of ordered pairs (both i→j and j→i are present, so a sum
 * over the list builds a Hermitian matrix directly). `d` is r_j + image − r_i (Å); `lattice` is
 * the lattice vector of the image, d − (r_j − r_i), which the Bloch phases use.
 */
export interface HoppingList {
  readonly n: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly t_eV: Float64Array;
  readonly d_A: Float64Array;
  readonly lattice_A: Float64Array;
  /** CSR row starts over the list (entries of row i are start[i] … start[i+1]−1). */
  readonly start: Int32Array;
}

function taper(r: number, cutoff: number, width: number): number {
  if (r >= cutoff) return 0;
  if (width === 0 || r <= cutoff - width) return 1;
  return 0.5 * (1 + Math.cos((Math.PI * (r - cutoff + width)) / width));
}

/** Unit normals (3 per atom) of the plane through each atom's three nearest bonded neighbours, n_z ≥ 0. */
export function localNormals(atoms: Atoms, bond_A: number): Float64Array {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, bond_A);
  const n = atoms.length;
  const out = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) {
    const s = list.start[a];
    const e = list.start[a + 1];
    const order = Array.from({ length: e - s }, (_, k) => s + k).sort((x, y) => list.distances[x] - list.distances[y]);
    let nx = 0;
    let ny = 0;
    let nz = 1;
    const v = (k: number, c: number): number => list.vectors[3 * order[k] + c];
    if (order.length >= 3) {
      const ux = v(1, 0) - v(0, 0), uy = v(1, 1) - v(0, 1), uz = v(1, 2) - v(0, 2);
      const wx = v(2, 0) - v(0, 0), wy = v(2, 1) - v(0, 1), wz = v(2, 2) - v(0, 2);
      nx = uy * wz - uz * wy;
      ny = uz * wx - ux * wz;
      nz = ux * wy - uy * wx;
    } else if (order.length === 2) {
      nx = v(0, 1) * v(1, 2) - v(0, 2) * v(1, 1);
      ny = v(0, 2) * v(1, 0) - v(0, 0) * v(1, 2);
      nz = v(0, 0) * v(1, 1) - v(0, 1) * v(1, 0);
    }
    let norm = Math.hypot(nx, ny, nz);
    // collinear or isolated: fall back to the sheet normal
    if (!(norm > 1e-8 * (1 + norm))) (nx = 0), (ny = 0), (nz = 1), (norm = 1);
    const sign = nz < 0 ? -1 : 1;
    out[3 * a] = (sign * nx) / norm;
    out[3 * a + 1] = (sign * ny) / norm;
    out[3 * a + 2] = (sign * nz) / norm;
  }
  return out;
}

/**
 * All hoppings of the model on a structure; O(N) via the cell-list neighbour search. Non-zero
 * on-site energies enter as entries i → i (d = 0, lattice 0), first in each row, so every consumer
 * of the list (Bloch matrix, CSR, KPM, velocity: t·d = 0) sees the diagonal without knowing of it.
 */
export function hoppings(atoms: Atoms, parameters: PiModelParameters): HoppingList {
  const p = parameters;
  const onsite = siteEnergies(atoms, p);
  const offDiagonal = offDiagonalHoppings(atoms, p);
  return onsite.some((e) => e !== 0) ? withDiagonal(offDiagonal, onsite) : offDiagonal;
}

/** The list with one entry i → i of value onsite[i] put first in every row. */
function withDiagonal(h: HoppingList, onsite: Float64Array): HoppingList {
  const n = h.n;
  const m = h.i.length + n;
  const i = new Int32Array(m);
  const j = new Int32Array(m);
  const t = new Float64Array(m);
  const d = new Float64Array(3 * m);
  const lattice = new Float64Array(3 * m);
  const start = new Int32Array(n + 1);
  let k = 0;
  for (let a = 0; a < n; a++) {
    start[a] = k;
    i[k] = a;
    j[k] = a;
    t[k] = onsite[a];
    k++;
    for (let e = h.start[a]; e < h.start[a + 1]; e++, k++) {
      i[k] = a;
      j[k] = h.j[e];
      t[k] = h.t_eV[e];
      for (let c = 0; c < 3; c++) {
        d[3 * k + c] = h.d_A[3 * e + c];
        lattice[3 * k + c] = h.lattice_A[3 * e + c];
      }
    }
  }
  start[n] = k;
  return { n, i, j, t_eV: t, d_A: d, lattice_A: lattice, start };
}

function offDiagonalHoppings(atoms: Atoms, p: PiModelParameters): HoppingList {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, p.cutoff_A);
  const normals = p.model === 'pi-normals' ? localNormals(atoms, p.normalBond_A) : undefined;
  const n = atoms.length;
  const m = list.index.length;
  const i = new Int32Array(m);
  const t = new Float64Array(m);
  const lattice = new Float64Array(3 * m);
  const pos = atoms.positions;
  for (let a = 0; a < n; a++) {
    for (let k = list.start[a]; k < list.start[a + 1]; k++) {
      i[k] = a;
      const b = list.index[k];
      const r = list.distances[k];
      const radial = p.t0_eV * Math.exp(-p.beta * (r / p.a0_A - 1)) * taper(r, p.cutoff_A, p.taper_A);
      if (normals === undefined) t[k] = radial;
      else {
        const ux = list.vectors[3 * k] / r, uy = list.vectors[3 * k + 1] / r, uz = list.vectors[3 * k + 2] / r;
        const ax = normals[3 * a], ay = normals[3 * a + 1], az = normals[3 * a + 2];
        const bx = normals[3 * b], by = normals[3 * b + 1], bz = normals[3 * b + 2];
        const nn = ax * bx + ay * by + az * bz;
        const nu = (ax * ux + ay * uy + az * uz) * (bx * ux + by * uy + bz * uz);
        const ppPi = radial;
        const ppSigma = -p.ppSigmaRatio * radial;
        t[k] = ppPi * nn + (ppSigma - ppPi) * nu;
      }
      for (let c = 0; c < 3; c++) lattice[3 * k + c] = list.vectors[3 * k + c] - (pos[3 * b + c] - pos[3 * a + c]);
    }
  }
  return { n, i, j: list.index, t_eV: t, d_A: list.vectors, lattice_A: lattice, start: list.start };
}
