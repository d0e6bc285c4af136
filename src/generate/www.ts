import { InputError } from '../errors.js';
import { Rng } from '../util/random.js';
import { checkAtomCount, GRAPHENE_BOND_A, grapheneSupercell, nearestGrapheneCell, type GrapheneCell } from './graphene.js';
import { anyCrossing, closestNonBonded } from './geometry.js';
import { KEATING_GRAPHENE, expand, keatingEnergy, regionAround, wholeRegion, type KeatingParams, type Region } from './keating.js';
import { fire } from './minimize.js';
import { BondNetwork, MAX_DEGREE } from './network.js';

/** Boltzmann constant in eV/K. */
export const KB_EV_K = 8.617333262e-5;

export interface WwwOptions {
  /** Atoms wanted in the final sheet (after vacancies); the nearest feasible count is used. */
  atoms: number;
  seed: number;
  /** 2: flat sheet (z fixed); 3: out-of-plane freedom, started with a small random z. */
  dimensions?: 2 | 3;
  /** Metropolis temperature, K (on the Keating energy). */
  temperature_K?: number;
  /** Switch attempts; default 2 per atom. */
  switches?: number;
  /** Fraction of the graphene atoms removed before switching (voids, two-coordinated edges). */
  vacancies?: number;
  /** In-plane scale of the cell and start positions (< 1 compresses: a free sheet buckles). */
  inPlaneScale?: number;
  /** Standard deviation of the random start heights for dimensions 3, Å. */
  zNoise_A?: number;
  /** Bonds within this many hops of a switch relax before the Metropolis test. */
  relaxHops?: number;
  /** Smallest distance allowed between atoms that are not bonded, Å. */
  minNonBonded_A?: number;
  /** Switches that close a ring smaller than this (3 or 4) are refused. */
  minRing?: number;
  keating?: KeatingParams;
}

export interface WwwResult {
  network: BondNetwork;
  cell: GrapheneCell;
  /** Atoms in the result (after vacancies and dropping isolated atoms). */
  atoms: number;
  attempted: number;
  accepted: number;
  /** Rejected before Metropolis: a ring below minRing, crossing bonds or atoms too close. */
  rejectedGeometry: number;
  energy_eV: number;
  settings: Required<Omit<WwwOptions, 'keating'>> & { keating: KeatingParams };
}

export function wwwDefaults(options: WwwOptions): WwwResult['settings'] {
  checkAtomCount(options.atoms);
  const s = {
    atoms: options.atoms,
    seed: options.seed >>> 0,
    dimensions: options.dimensions ?? 2,
    temperature_K: options.temperature_K ?? 20000,
    switches: options.switches ?? 2 * options.atoms,
    vacancies: options.vacancies ?? 0,
    inPlaneScale: options.inPlaneScale ?? 1,
    zNoise_A: options.zNoise_A ?? 0.05,
    relaxHops: options.relaxHops ?? 4,
    minNonBonded_A: options.minNonBonded_A ?? 1.9,
    minRing: options.minRing ?? 5,
    keating: options.keating ?? { ...KEATING_GRAPHENE },
  };
  if (s.dimensions !== 2 && s.dimensions !== 3) throw new InputError(`dimensions must be 2 or 3, got ${s.dimensions}`);
  if (!(s.temperature_K > 0)) throw new InputError(`temperature must be a positive number of K, got ${s.temperature_K}`);
  if (!Number.isInteger(s.switches) || s.switches < 0) throw new InputError(`switches must be a non-negative integer, got ${s.switches}`);
  if (!(s.vacancies >= 0 && s.vacancies < 0.5)) throw new InputError(`vacancies must be a fraction in [0, 0.5), got ${s.vacancies}`);
  if (!(s.inPlaneScale > 0.7 && s.inPlaneScale < 1.3)) throw new InputError(`in-plane scale must lie in (0.7, 1.3), got ${s.inPlaneScale}`);
  return s;
}

/** Flat graphene (optionally scaled) as a bonded network with its cell. */
export function grapheneNetwork(cell: GrapheneCell, scale = 1): BondNetwork {
  const pos = grapheneSupercell(cell);
  for (let k = 0; k < pos.length; k++) if (k % 3 !== 2) pos[k] *= scale;
  return BondNetwork.fromDistances(pos, cell.lx_A * scale, cell.ly_A * scale, 1.1 * GRAPHENE_BOND_A * scale);
}

/** Free coordinates of region atoms: x, y, and z when the sheet may buckle. */
function freeCoordinates(atoms: ArrayLike<number>, dimensions: 2 | 3): Int32Array {
  const out = new Int32Array(atoms.length * dimensions);
  for (let t = 0; t < atoms.length; t++) for (let d = 0; d < dimensions; d++) out[dimensions * t + d] = 3 * atoms[t] + d;
  return out;
}

export function relaxNetwork(net: BondNetwork, p: KeatingParams, dimensions: 2 | 3, region: Region = wholeRegion(net), maxSteps = 2000, fmax = 2e-3): number {
  const free = freeCoordinates(region.atoms, dimensions);
  const whole = region.atoms.length === net.n;
  // the topology is fixed during a relaxation: the angle centres are found once
  const fixed = whole ? undefined : { ...region, centres: expand(net, region) };
  return fire(net.positions, free, (g) => keatingEnergy(net, p, g, fixed), { maxSteps, fmax_eV_A: fmax }).energy_eV;
}

/**
 * One Wooten–Winer–Weaire transposition on bond i–j: with k a neighbour of i and l one of j on
 * the other side of the bond, bonds i–k and j–l become i–l and j–k (a Stone–Wales rotation in
 * graphene). Returns the four atoms, or undefined when the picked bond admits no switch.
 */
export function pickSwitch(net: BondNetwork, rng: Rng): [number, number, number, number] | undefined {
  const i = Math.floor(rng.uniform() * net.n);
  if (net.degree[i] < 2) return undefined;
  const j = net.neighbor(i, Math.floor(rng.uniform() * net.degree[i]));
  if (net.degree[j] < 2) return undefined;
  const ks: number[] = [];
  const ls: number[] = [];
  for (let m = 0; m < net.degree[i]; m++) if (net.neighbor(i, m) !== j) ks.push(net.neighbor(i, m));
  for (let m = 0; m < net.degree[j]; m++) if (net.neighbor(j, m) !== i) ls.push(net.neighbor(j, m));
  const k = ks[Math.floor(rng.uniform() * ks.length)];
  const l = ls[Math.floor(rng.uniform() * ls.length)];
  if (k === l || net.bonded(i, l) || net.bonded(j, k)) return undefined;
  // trans: the components of i→k and j→l perpendicular to the bond point opposite ways
  const b = new Float64Array(3);
  const u = new Float64Array(3);
  const w = new Float64Array(3);
  net.vector(i, j, b);
  net.vector(i, k, u);
  net.vector(j, l, w);
  const bb = b[0] * b[0] + b[1] * b[1] + b[2] * b[2];
  const ub = (u[0] * b[0] + u[1] * b[1] + u[2] * b[2]) / bb;
  const wb = (w[0] * b[0] + w[1] * b[1] + w[2] * b[2]) / bb;
  let dot = 0;
  for (let d = 0; d < 3; d++) dot += (u[d] - ub * b[d]) * (w[d] - wb * b[d]);
  if (dot >= 0) return undefined;
  return [i, j, k, l];
}

export function applySwitch(net: BondNetwork, [i, j, k, l]: readonly number[]): void {
  net.removeBond(i, k);
  net.removeBond(j, l);
  net.addBond(i, l);
  net.addBond(j, k);
}

/** Whether bond a–b closes a ring of 3 (a common neighbour) or, with below = 5, of 4 atoms. */
export function closesSmallRing(net: BondNetwork, a: number, b: number, below: number): boolean {
  for (let m = 0; m < net.degree[a]; m++) {
    const x = net.neighbor(a, m);
    if (x === b) continue;
    if (below > 3 && net.bonded(x, b)) return true;
    if (below > 4) for (let q = 0; q < net.degree[b]; q++) {
      const y = net.neighbor(b, q);
      if (y !== a && y !== x && net.bonded(x, y)) return true;
    }
  }
  return false;
}

export function undoSwitch(net: BondNetwork, [i, j, k, l]: readonly number[]): void {
  net.removeBond(i, l);
  net.removeBond(j, k);
  net.addBond(i, k);
  net.addBond(j, l);
}

/**
 * Remove `count` random atoms, skipping any whose removal would leave a neighbour without bonds
 * (an isolated atom is not part of a sheet), so exactly `count` go when the network allows it.
 */
export function removeAtoms(net: BondNetwork, count: number, rng: Rng): BondNetwork {
  const keep = new Uint8Array(net.n).fill(1);
  const degree = Int32Array.from(net.degree);
  const order = rng.shuffle(Int32Array.from({ length: net.n }, (_, i) => i));
  let removed = 0;
  for (let t = 0; t < net.n && removed < count; t++) {
    const i = order[t];
    let strands = false;
    for (let m = 0; m < net.degree[i]; m++) {
      const j = net.neighbor(i, m);
      if (keep[j] && degree[j] <= 1) strands = true;
    }
    if (strands) continue;
    keep[i] = 0;
    removed++;
    for (let m = 0; m < net.degree[i]; m++) degree[net.neighbor(i, m)]--;
  }
  return net.subset(keep);
}

/**
 * A WWW amorphous sheet: graphene → vacancies → (3D: random heights) → Metropolis bond switches
 * with local Keating relaxation → global relaxation. Deterministic for a given seed.
 */
export function generateWww(options: WwwOptions, onProgress?: (done: number, total: number) => void): WwwResult {
  const s = wwwDefaults(options);
  const rng = new Rng(s.seed);
  const start = s.vacancies > 0 ? Math.round(s.atoms / (1 - s.vacancies)) : s.atoms;
  const cell = nearestGrapheneCell(start, undefined, s.vacancies > 0 ? s.atoms : 0);
  let net = grapheneNetwork(cell, s.inPlaneScale);
  const remove = s.vacancies > 0 ? Math.max(0, cell.atoms - s.atoms) : 0;
  if (remove > 0) net = removeAtoms(net, remove, rng);
  if (s.dimensions === 3) for (let i = 0; i < net.n; i++) net.positions[3 * i + 2] = s.zNoise_A * rng.normal();
  const p = s.keating;
  relaxNetwork(net, p, s.dimensions);
  const kT = KB_EV_K * s.temperature_K;
  let accepted = 0;
  let rejectedGeometry = 0;
  const saved = new Float64Array(3 * net.n);
  const globalEvery = Math.max(20, Math.round(net.n / 2));
  for (let step = 0; step < s.switches; step++) {
    onProgress?.(step, s.switches);
    const sw = pickSwitch(net, rng);
    const u = rng.uniform(); // drawn on every attempt: the stream does not depend on outcomes
    if (sw === undefined) continue;
    applySwitch(net, sw);
    // a 3- or 4-ring is refused on topology alone, before any relaxation
    const small = closesSmallRing(net, sw[0], sw[3], s.minRing) || closesSmallRing(net, sw[1], sw[2], s.minRing);
    undoSwitch(net, sw);
    if (small) {
      rejectedGeometry++;
      continue;
    }
    const region = regionAround(net, sw, s.relaxHops);
    const before = keatingEnergy(net, p, undefined, region);
    saved.set(net.positions);
    applySwitch(net, sw);
    const after = relaxNetwork(net, p, s.dimensions, region, 200, 1e-2);
    const bad = (s.dimensions === 2 && anyCrossing(net, region.atoms)) || closestNonBonded(net, region.atoms) < s.minNonBonded_A;
    const dE = after - before;
    if (!bad && (dE <= 0 || u < Math.exp(-dE / kT))) {
      accepted++;
      if (accepted % globalEvery === 0) relaxNetwork(net, p, s.dimensions, undefined, 300, 1e-2);
    } else {
      if (bad) rejectedGeometry++;
      undoSwitch(net, sw);
      net.positions.set(saved);
    }
  }
  const energy_eV = relaxNetwork(net, p, s.dimensions);
  onProgress?.(s.switches, s.switches);
  return { network: net, cell, atoms: net.n, attempted: s.switches, accepted, rejectedGeometry, energy_eV, settings: s };
}

/** Degree histogram of the network (index = number of bonds). */
export function degreeCounts(net: BondNetwork): Int32Array {
  const out = new Int32Array(MAX_DEGREE + 1);
  for (let i = 0; i < net.n; i++) out[net.degree[i]]++;
  return out;
}
