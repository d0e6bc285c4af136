import { InputError } from '../errors.js';
import { Rng } from '../util/random.js';
import { checkAtomCount, GRAPHENE_BOND_A, grapheneSupercell, nearestGrapheneCell, type GrapheneCell } from './graphene.js';
import { anyCrossing, nonBondedCloserThan } from './geometry.js';
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
  /**
   * Two-element sheets (h-BN → a-BN): the atomic numbers of the parent honeycomb's two sublattices
   * and the chemistry of the Metropolis test. Absent (carbon): the one-element code path, unchanged.
   */
  chemistry?: WwwChemistry;
}

/**
 * The Metropolis energy of a two-element network is Keating + penalty × (number of homopolar
 * bonds, A–A or B–B). Moves: WWW bond switches, and (with probability swapFraction) an exchange of
 * the species of a bonded A–B pair, which moves no atom. Every Stone–Wales switch of a perfectly
 * alternating network makes two homopolar bonds (odd rings cannot alternate), so the penalty sets
 * the homopolar fraction and, with it, how odd rings (5, 7) compete with even ones (4, 8).
 */
export interface WwwChemistry {
  sublattices: readonly [number, number];
  /** Energy per homopolar bond, eV, added to the Keating energy in the acceptance test. */
  homopolarPenalty_eV: number;
  /** Fraction of attempts that are species exchanges of a bonded pair instead of bond switches. */
  swapFraction: number;
  /**
   * Fraction of the remaining attempts that are pair switches (pickPairSwitch: bonds a–b, c–d →
   * a–d, c–b with a, c second neighbours), which keep an alternating network alternating and make
   * 4- and 8-rings; the rest are Stone–Wales switches. Default 0.
   */
  pairSwitchFraction?: number;
}

/**
 * A bond exchange that keeps species alternation: a and c are second neighbours (a–m–c), b a
 * neighbour of a and d one of c (b, d not m); bonds a–b and c–d become a–d and c–b. In an
 * alternating network a, c are one element and b, d the other, so no homopolar bond appears. On a
 * honeycomb it turns a hexagon into a 4-ring (a–d across it) next to an 8-ring. Returns [a, b, c, d]
 * or undefined when the picked atoms admit no exchange.
 */
export function pickPairSwitch(net: BondNetwork, rng: Rng): [number, number, number, number] | undefined {
  const a = Math.floor(rng.uniform() * net.n);
  const r1 = rng.uniform();
  const r2 = rng.uniform();
  const r3 = rng.uniform();
  const r4 = rng.uniform();
  if (net.degree[a] < 2) return undefined;
  const b = net.neighbor(a, Math.floor(r1 * net.degree[a]));
  const ms: number[] = [];
  for (let k = 0; k < net.degree[a]; k++) if (net.neighbor(a, k) !== b) ms.push(net.neighbor(a, k));
  const m = ms[Math.floor(r2 * ms.length)];
  const cs: number[] = [];
  for (let k = 0; k < net.degree[m]; k++) if (net.neighbor(m, k) !== a) cs.push(net.neighbor(m, k));
  if (cs.length === 0) return undefined;
  const c = cs[Math.floor(r3 * cs.length)];
  const ds: number[] = [];
  for (let k = 0; k < net.degree[c]; k++) if (net.neighbor(c, k) !== m) ds.push(net.neighbor(c, k));
  if (ds.length === 0) return undefined;
  const d = ds[Math.floor(r4 * ds.length)];
  if (c === b || d === b || d === a || net.bonded(a, d) || net.bonded(c, b)) return undefined;
  return [a, b, c, d];
}

/** Apply pair switch [a, b, c, d]: a–b, c–d → a–d, c–b. */
function applyPairSwitch(net: BondNetwork, [a, b, c, d]: readonly number[]): void {
  net.removeBond(a, b);
  net.removeBond(c, d);
  net.addBond(a, d);
  net.addBond(c, b);
}

function undoPairSwitch(net: BondNetwork, [a, b, c, d]: readonly number[]): void {
  net.removeBond(a, d);
  net.removeBond(c, b);
  net.addBond(a, b);
  net.addBond(c, d);
}

/** What a two-element run did: the final species and its homopolar bonds. */
export interface WwwChemistryResult {
  numbers: Uint8Array;
  homopolarBonds: number;
  bonds: number;
  swapsAttempted: number;
  swapsAccepted: number;
  pairSwitchesAttempted: number;
  pairSwitchesAccepted: number;
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
  settings: Required<Omit<WwwOptions, 'keating' | 'chemistry'>> & { keating: KeatingParams };
  /** Two-element runs only. */
  chemistry?: WwwChemistryResult;
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
  return net.subset(removalMask(net, count, rng));
}

/** The keep flags of removeAtoms (1 = kept). */
export function removalMask(net: BondNetwork, count: number, rng: Rng): Uint8Array {
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
  return keep;
}

/**
 * A WWW amorphous sheet: graphene → vacancies → (3D: random heights) → Metropolis bond switches
 * with local Keating relaxation → global relaxation. Deterministic for a given seed.
 */
export function generateWww(options: WwwOptions, onProgress?: (done: number, total: number) => void): WwwResult {
  if (options.chemistry !== undefined) return runWww(options, options.chemistry, onProgress);
  const { chemistry: _oneElement, ...plain } = runWww(options, ONE_ELEMENT, onProgress);
  return plain;
}

/** One element (carbon): no species exchanges, no pair switches, no homopolar penalty — the plain WWW of a single element, bit for bit. */
const ONE_ELEMENT: WwwChemistry = { sublattices: [6, 6], homopolarPenalty_eV: 0, swapFraction: 0, pairSwitchFraction: 0 };

/** Whether bond a–b joins atoms of the same species. */
const same = (numbers: Uint8Array, a: number, b: number): number => (numbers[a] === numbers[b] ? 1 : 0);

/** Homopolar bonds of the network under `numbers`. */
export function homopolarBondCount(net: BondNetwork, numbers: Uint8Array): number {
  const b = net.bonds();
  let h = 0;
  for (let k = 0; k < b.length; k += 2) h += same(numbers, b[k], b[k + 1]);
  return h;
}

/** Change of the homopolar bond count when the species of bonded atoms a and b are exchanged. */
function swapHomopolarChange(net: BondNetwork, numbers: Uint8Array, a: number, b: number): number {
  let d = 0;
  for (const [x, y] of [[a, b], [b, a]]) {
    for (let m = 0; m < net.degree[x]; m++) {
      const z = net.neighbor(x, m);
      if (z === y) continue;
      // after the exchange x carries y's species
      d += (numbers[y] === numbers[z] ? 1 : 0) - (numbers[x] === numbers[z] ? 1 : 0);
    }
  }
  return d;
}

/**
 * The WWW loop, with species on the atoms for a two-element honeycomb parent (h-BN): the Metropolis
 * energy is Keating + penalty × homopolar bonds (see WwwChemistry), attempts may exchange species or
 * switch pairs. With ONE_ELEMENT no random number is drawn for either and the penalty adds 0, so a
 * single element takes exactly the plain algorithm's path. The geometry is made at Keating's bond
 * (the caller scales the sheet to the material's bond length).
 */
function runWww(options: WwwOptions, chem: WwwChemistry, onProgress?: (done: number, total: number) => void): WwwResult {
  const s = wwwDefaults(options);
  if (!(chem.homopolarPenalty_eV >= 0 && Number.isFinite(chem.homopolarPenalty_eV))) throw new InputError(`homopolar penalty must be a non-negative number of eV, got ${chem.homopolarPenalty_eV}`);
  if (!(chem.swapFraction >= 0 && chem.swapFraction < 1)) throw new InputError(`swap fraction must lie in [0, 1), got ${chem.swapFraction}`);
  const rng = new Rng(s.seed);
  const start = s.vacancies > 0 ? Math.round(s.atoms / (1 - s.vacancies)) : s.atoms;
  const cell = nearestGrapheneCell(start, undefined, s.vacancies > 0 ? s.atoms : 0);
  let net = grapheneNetwork(cell, s.inPlaneScale);
  // grapheneSupercell alternates the two sublattices atom by atom: every bond of the parent is A–B
  let numbers = Uint8Array.from({ length: net.n }, (_, k) => chem.sublattices[k % 2]);
  const remove = s.vacancies > 0 ? Math.max(0, cell.atoms - s.atoms) : 0;
  if (remove > 0) {
    const keep = removalMask(net, remove, rng);
    net = net.subset(keep);
    numbers = numbers.filter((_, k) => keep[k] === 1);
  }
  if (s.dimensions === 3) for (let i = 0; i < net.n; i++) net.positions[3 * i + 2] = s.zNoise_A * rng.normal();
  const p = s.keating;
  relaxNetwork(net, p, s.dimensions);
  const kT = KB_EV_K * s.temperature_K;
  const penalty = chem.homopolarPenalty_eV;
  let accepted = 0;
  let rejectedGeometry = 0;
  let swapsAttempted = 0;
  let swapsAccepted = 0;
  let pairAttempted = 0;
  let pairAccepted = 0;
  const pairFraction = chem.pairSwitchFraction ?? 0;
  if (!(pairFraction >= 0 && pairFraction <= 1)) throw new InputError(`pair-switch fraction must lie in [0, 1], got ${pairFraction}`);
  const saved = new Float64Array(3 * net.n);
  const globalEvery = Math.max(20, Math.round(net.n / 2));
  for (let step = 0; step < s.switches; step++) {
    onProgress?.(step, s.switches);
    if (chem.swapFraction > 0 && rng.uniform() < chem.swapFraction) {
      // exchange the species of a bonded pair of different elements: no atom moves, Keating is unchanged
      swapsAttempted++;
      const a = Math.floor(rng.uniform() * net.n);
      const pick = rng.uniform();
      const u = rng.uniform();
      if (net.degree[a] === 0) continue;
      const b = net.neighbor(a, Math.floor(pick * net.degree[a]));
      if (numbers[a] === numbers[b]) continue;
      const dE = penalty * swapHomopolarChange(net, numbers, a, b);
      if (dE <= 0 || u < Math.exp(-dE / kT)) {
        const t = numbers[a];
        numbers[a] = numbers[b];
        numbers[b] = t;
        swapsAccepted++;
      }
      continue;
    }
    // a pair switch (bonds a–b, c–d → a–d, c–b) or a Stone–Wales switch (i–k, j–l → i–l, j–k), as [x, y, z, w] with new bonds x–w and y–z… below
    const pair = pairFraction > 0 && rng.uniform() < pairFraction;
    const sw = pair ? pickPairSwitch(net, rng) : pickSwitch(net, rng);
    const u = rng.uniform();
    if (sw === undefined) continue;
    if (pair) pairAttempted++;
    const apply = pair ? applyPairSwitch : applySwitch;
    const undo = pair ? undoPairSwitch : undoSwitch;
    // new bonds: Stone–Wales i–l, j–k; pair switch a–d, c–b
    const [n1, n2, n3, n4] = pair ? [sw[0], sw[3], sw[2], sw[1]] : [sw[0], sw[3], sw[1], sw[2]];
    apply(net, sw);
    const small = closesSmallRing(net, n1, n2, s.minRing) || closesSmallRing(net, n3, n4, s.minRing);
    undo(net, sw);
    if (small) {
      rejectedGeometry++;
      continue;
    }
    const region = regionAround(net, sw, s.relaxHops);
    const before = keatingEnergy(net, p, undefined, region);
    saved.set(net.positions);
    apply(net, sw);
    const after = relaxNetwork(net, p, s.dimensions, region, 200, 1e-2);
    const bad = (s.dimensions === 2 && anyCrossing(net, region.atoms)) || nonBondedCloserThan(net, region.atoms, s.minNonBonded_A);
    const dHomo = same(numbers, n1, n2) + same(numbers, n3, n4) - (pair ? same(numbers, sw[0], sw[1]) + same(numbers, sw[2], sw[3]) : same(numbers, sw[0], sw[2]) + same(numbers, sw[1], sw[3]));
    const dE = after - before + penalty * dHomo;
    if (!bad && (dE <= 0 || u < Math.exp(-dE / kT))) {
      accepted++;
      if (pair) pairAccepted++;
      if (accepted % globalEvery === 0) relaxNetwork(net, p, s.dimensions, undefined, 300, 1e-2);
    } else {
      if (bad) rejectedGeometry++;
      undo(net, sw);
      net.positions.set(saved);
    }
  }
  const energy_eV = relaxNetwork(net, p, s.dimensions);
  onProgress?.(s.switches, s.switches);
  const chemistryResult = { numbers, pairSwitchesAttempted: pairAttempted, pairSwitchesAccepted: pairAccepted, homopolarBonds: homopolarBondCount(net, numbers), bonds: net.bondCount(), swapsAttempted, swapsAccepted };
  return { network: net, cell, atoms: net.n, attempted: s.switches - swapsAttempted, accepted, rejectedGeometry, energy_eV, settings: s, chemistry: chemistryResult };
}

/** Degree histogram of the network (index = number of bonds). */
export function degreeCounts(net: BondNetwork): Int32Array {
  const out = new Int32Array(MAX_DEGREE + 1);
  for (let i = 0; i < net.n; i++) out[net.degree[i]]++;
  return out;
}
