import { InputError } from '../errors.js';
import { inverse } from '../structure/cell.js';
import { neighborList, searchFrame, wrapIntoCell } from '../structure/neighbors.js';
import { Scratch } from '../util/scratch.js';
import type { BondList } from './bondStatistics.js';
import type { Grid } from './grid.js';
import type { SheetView } from './sheet.js';
import { finishSoftCounts, paddedLength, softAdd, softBinning, type SoftBinning } from './softBins.js';

/**
 * One pass over the pairs of a sheet (every periodic image in-plane, none along z) feeds every
 * pair-based descriptor: the in-plane and 3D distance histograms of g2d/g3d, the release's thermal
 * g(r), and the bonds (for the ADF and the environment statistics). Each unordered pair is visited
 * once, from its lower atom index (a bond to an atom's own image: the image with the positive
 * vector), with the vector arithmetic of structure/neighbors.ts; histograms add each pair for both
 * orders.
 *
 * `sheetPairCounts` is the fast path: a 2D cell list over the in-plane fractional coordinates, no
 * per-pair or per-structure allocation once its scratch arrays have grown. `sheetPairCountsPlain`
 * is the plain reference: the general neighbour list, then the same accumulation. The tests hold
 * them equal bit for bit (hard counts are integers; soft shares are multiples of 2⁻²⁴, which add
 * exactly in any order).
 */
export interface SheetPairPlan {
  /** g2d (`inPlane`) and g3d (`full`) counts on an r grid from 0; spread in bins (0: hard, numpy's edges, last edge closed). */
  r?: { grid: Grid; spread: number; inPlane: boolean; full: boolean };
  /** The thermal g(r) counts (3D distances) on the release's grid; spread 0: the release's own floor((r − start)/step) bins. */
  thermal?: { grid: Grid; spread: number };
  /** Collect the bonds shorter than this (3D, strict), Å. */
  bondCutoff_A?: number;
}

/** Ordered-pair counts per bin (each pair twice) and the bonds. Arrays are views into scratch space: valid until the next pass on the same scratch. */
export interface SheetPairCounts {
  inPlane?: Float64Array;
  full?: Float64Array;
  thermal?: Float64Array;
  bonds: BondList;
}

/** What the pass must reach (in-plane), and each consumer's binning, from a plan. */
interface Consumers {
  radius: number;
  rHard: Grid | undefined;
  rSoft: SoftBinning | undefined;
  rLimit: number;
  inPlane: boolean;
  full: boolean;
  thermalHard: Grid | undefined;
  thermalSoft: SoftBinning | undefined;
  thermalLimit: number;
  bond2: number;
}

function consumers(plan: SheetPairPlan): Consumers {
  let radius = 0;
  const c: Consumers = { radius: 0, rHard: undefined, rSoft: undefined, rLimit: -1, inPlane: false, full: false, thermalHard: undefined, thermalSoft: undefined, thermalLimit: -1, bond2: -1 };
  if (plan.r && (plan.r.inPlane || plan.r.full)) {
    const { grid, spread } = plan.r;
    if (grid.start !== 0) throw new InputError(`a g(r) grid must start at 0 Å, got ${grid.start}`);
    c.inPlane = plan.r.inPlane;
    c.full = plan.r.full;
    if (spread > 0) {
      c.rSoft = softBinning(grid, spread, { start: true, stop: false });
      c.rLimit = grid.stop + (spread / 2) * grid.step;
    } else {
      c.rHard = grid;
      c.rLimit = grid.stop;
    }
    // the general search's margin: the grid's last edge is inclusive
    radius = Math.max(radius, c.rLimit * (1 + 1e-12) + 1e-12);
  }
  if (plan.thermal) {
    const { grid, spread } = plan.thermal;
    if (spread > 0) {
      c.thermalSoft = softBinning(grid, spread, { start: true, stop: false });
      c.thermalLimit = grid.stop + (spread / 2) * grid.step;
    } else {
      c.thermalHard = grid;
      c.thermalLimit = grid.stop;
    }
    radius = Math.max(radius, c.thermalLimit);
  }
  if (plan.bondCutoff_A !== undefined) {
    c.bond2 = plan.bondCutoff_A * plan.bondCutoff_A;
    radius = Math.max(radius, plan.bondCutoff_A);
  }
  c.radius = radius;
  return c;
}

/** Accumulates pairs into the consumers' arrays; one instance per pass, its methods inline into the loops. */
class Accumulator {
  readonly inPlanePadded: Float64Array;
  readonly fullPadded: Float64Array;
  readonly thermalPadded: Float64Array;
  bondCount = 0;
  bondI: Int32Array;
  bondJ: Int32Array;
  bondVectors: Float64Array;
  bondLengths: Float64Array;
  private readonly c: Consumers;
  private readonly rLimit2: number;
  private readonly thermalLimit2: number;
  private readonly scratch: Scratch;

  constructor(c: Consumers, scratch: Scratch, atoms: number) {
    this.c = c;
    this.scratch = scratch;
    const size = (hard: Grid | undefined, soft: SoftBinning | undefined): number => (soft ? paddedLength(soft) : hard ? hard.bins : 0);
    this.inPlanePadded = scratch.floats('inPlane', size(c.rHard, c.rSoft)).fill(0);
    this.fullPadded = scratch.floats('full', size(c.rHard, c.rSoft)).fill(0);
    this.thermalPadded = scratch.floats('thermal', size(c.thermalHard, c.thermalSoft)).fill(0);
    const rSearch = c.rLimit * (1 + 1e-12) + 1e-12; // binOf / softAdd decide at the edge itself
    this.rLimit2 = rSearch * rSearch;
    this.thermalLimit2 = c.thermalLimit * c.thermalLimit;
    const bonds = 2 * atoms + 16;
    this.bondI = scratch.ints('bondI', bonds);
    this.bondJ = scratch.ints('bondJ', bonds);
    this.bondVectors = scratch.floats('bondVectors', 3 * bonds);
    this.bondLengths = scratch.floats('bondLengths', bonds);
  }

  /** One unordered pair: i < j (or a positive self-image), vector (dx, dy, dz), in-plane s² and 3D r². */
  pair(i: number, j: number, dx: number, dy: number, dz: number, s2: number, r2: number): void {
    const c = this.c;
    if (s2 <= this.rLimit2) {
      if (c.rSoft) {
        if (c.inPlane) softAdd(this.inPlanePadded, c.rSoft, Math.sqrt(s2));
        if (c.full && r2 <= this.rLimit2) softAdd(this.fullPadded, c.rSoft, Math.sqrt(r2));
      } else if (c.rHard) {
        if (c.inPlane) hardAdd(this.inPlanePadded, c.rHard, Math.sqrt(s2));
        if (c.full && r2 <= this.rLimit2) hardAdd(this.fullPadded, c.rHard, Math.sqrt(r2));
      }
    }
    if (r2 < this.thermalLimit2) {
      const r = Math.sqrt(r2);
      if (c.thermalSoft) softAdd(this.thermalPadded, c.thermalSoft, r);
      else {
        const grid = c.thermalHard as Grid;
        const k = Math.floor((r - grid.start) / grid.step);
        if (k >= 0 && k < grid.bins) this.thermalPadded[k]++;
      }
    }
    if (r2 < c.bond2) this.bond(i, j, dx, dy, dz, Math.sqrt(r2));
  }

  private bond(i: number, j: number, dx: number, dy: number, dz: number, r: number): void {
    if (this.bondCount === this.bondI.length) {
      const grown = 2 * this.bondI.length;
      this.bondI = copyGrown(this.scratch.ints('bondI', grown), this.bondI);
      this.bondJ = copyGrown(this.scratch.ints('bondJ', grown), this.bondJ);
      this.bondVectors = copyGrown(this.scratch.floats('bondVectors', 3 * grown), this.bondVectors);
      this.bondLengths = copyGrown(this.scratch.floats('bondLengths', grown), this.bondLengths);
    }
    const k = this.bondCount++;
    this.bondI[k] = i;
    this.bondJ[k] = j;
    this.bondVectors[3 * k] = dx;
    this.bondVectors[3 * k + 1] = dy;
    this.bondVectors[3 * k + 2] = dz;
    this.bondLengths[k] = r;
  }

  /** The ordered-pair counts (twice the unordered shares, exact) and the bonds. */
  finish(): SheetPairCounts {
    const c = this.c;
    const out: SheetPairCounts = { bonds: { count: this.bondCount, i: this.bondI, j: this.bondJ, vectors: this.bondVectors, lengths: this.bondLengths } };
    const finishOne = (name: string, padded: Float64Array, hard: Grid | undefined, soft: SoftBinning | undefined): Float64Array => {
      const bins = soft ? soft.bins : (hard as Grid).bins;
      const counts = this.scratch.floats(name, bins).subarray(0, bins);
      if (soft) finishSoftCounts(padded, soft, counts);
      else counts.set(padded.subarray(0, bins));
      for (let k = 0; k < bins; k++) counts[k] *= 2;
      return counts;
    };
    if (c.inPlane) out.inPlane = finishOne('inPlaneCounts', this.inPlanePadded, c.rHard, c.rSoft);
    if (c.full) out.full = finishOne('fullCounts', this.fullPadded, c.rHard, c.rSoft);
    if (c.thermalHard || c.thermalSoft) out.thermal = finishOne('thermalCounts', this.thermalPadded, c.thermalHard, c.thermalSoft);
    return out;
  }
}

/** numpy.histogram's bin of x (edges e_k = k·step, the last edge closed); nothing outside. */
function hardAdd(counts: Float64Array, grid: Grid, x: number): void {
  const k = grid.binOf(x);
  if (k >= 0) counts[k]++;
}

function copyGrown<T extends Int32Array | Float64Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/** A bond to an atom's own image is kept once: the image with the lexicographically positive vector. */
function positiveVector(x: number, y: number, z: number): boolean {
  return x > 0 || (x === 0 && (y > 0 || (y === 0 && z > 0)));
}

const defaultScratch = new Scratch();

/** The fast path: a 2D cell list over the sheet, each unordered pair once. */
export function sheetPairCounts(sheet: SheetView, plan: SheetPairPlan, scratch: Scratch = defaultScratch): SheetPairCounts {
  const c = consumers(plan);
  const positions = sheet.positions;
  const n = positions.length / 3;
  const acc = new Accumulator(c, scratch, n);
  if (n === 0 || !(c.radius > 0)) return acc.finish();
  const frame = searchFrame(sheet.cell, sheet.pbc);
  const inv = inverse(frame);
  const frac = scratch.floats('frac', 3 * n);
  const wrapped = scratch.floats('wrapped', 3 * n);
  wrapIntoCell(positions, frame, inv, sheet.pbc, frac, wrapped);

  // Bins of about half the radius along a and b, not many more than atoms. Two atoms an in-plane
  // distance s ≤ radius apart differ in a fractional coordinate by at most radius·|in-plane row of
  // the inverse| plus |Δz|·|its z entry| (non-zero only for a c axis tilted out of the normal).
  const radius = c.radius;
  let zLo = Infinity;
  let zHi = -Infinity;
  for (let i = 0; i < n; i++) (zLo = Math.min(zLo, wrapped[3 * i + 2])), (zHi = Math.max(zHi, wrapped[3 * i + 2]));
  const reachFrac0 = radius * Math.hypot(inv[0], inv[3]) + (zHi - zLo) * Math.abs(inv[6]);
  const reachFrac1 = radius * Math.hypot(inv[1], inv[4]) + (zHi - zLo) * Math.abs(inv[7]);
  const cap = 2 * Math.ceil(Math.sqrt(n)) + 1;
  const nb0 = Math.max(1, Math.min(Math.floor(2 / reachFrac0), cap));
  const nb1 = Math.max(1, Math.min(Math.floor(2 / reachFrac1), cap));
  const reach0 = Math.ceil(reachFrac0 * nb0 * (1 + 1e-12));
  const reach1 = Math.ceil(reachFrac1 * nb1 * (1 + 1e-12));
  const binOf = scratch.ints('binOf', n);
  const cellStart = scratch.ints('cellStart', nb0 * nb1 + 1).fill(0, 0, nb0 * nb1 + 1);
  for (let i = 0; i < n; i++) {
    const b0 = Math.min(nb0 - 1, Math.max(0, Math.floor(frac[3 * i] * nb0)));
    const b1 = Math.min(nb1 - 1, Math.max(0, Math.floor(frac[3 * i + 1] * nb1)));
    binOf[i] = b0 * nb1 + b1;
    cellStart[binOf[i] + 1]++;
  }
  for (let k = 0; k < nb0 * nb1; k++) cellStart[k + 1] += cellStart[k];
  const fill = scratch.ints('cellFill', nb0 * nb1);
  fill.set(cellStart.subarray(0, nb0 * nb1));
  const members = scratch.ints('members', n);
  for (let i = 0; i < n; i++) members[fill[binOf[i]]++] = i; // increasing index within a cell

  const radius2 = radius * radius;
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = frame;
  const s2z = 0; // the sheet is open along c: its image is always 0 (as the general search writes it)
  for (let i = 0; i < n; i++) {
    const b0 = Math.floor(binOf[i] / nb1);
    const b1 = binOf[i] - b0 * nb1;
    const xi = wrapped[3 * i];
    const yi = wrapped[3 * i + 1];
    const zi = wrapped[3 * i + 2];
    for (let o0 = -reach0; o0 <= reach0; o0++) {
      const c0 = b0 + o0;
      const s0 = Math.floor(c0 / nb0);
      const w0 = c0 - s0 * nb0;
      for (let o1 = -reach1; o1 <= reach1; o1++) {
        const c1 = b1 + o1;
        const s1 = Math.floor(c1 / nb1);
        const w1 = c1 - s1 * nb1;
        const home = s0 === 0 && s1 === 0;
        const sx = s0 * ax + s1 * bx + s2z * cx - xi;
        const sy = s0 * ay + s1 * by + s2z * cy - yi;
        const sz = s0 * az + s1 * bz + s2z * cz - zi;
        const cell = w0 * nb1 + w1;
        for (let m = cellStart[cell]; m < cellStart[cell + 1]; m++) {
          const j = members[m];
          if (j < i || (j === i && home)) continue;
          const dx = wrapped[3 * j] + sx;
          const dy = wrapped[3 * j + 1] + sy;
          const s2 = dx * dx + dy * dy;
          if (s2 > radius2) continue;
          const dz = wrapped[3 * j + 2] + sz;
          if (j === i && !positiveVector(dx, dy, dz)) continue;
          acc.pair(i, j, dx, dy, dz, s2, dx * dx + dy * dy + dz * dz);
        }
      }
    }
  }
  return acc.finish();
}

/** The plain reference: the general neighbour list (3D, reaching every pair within the radius in-plane), then the same accumulation. */
export function sheetPairCountsPlain(sheet: SheetView, plan: SheetPairPlan): SheetPairCounts {
  const c = consumers(plan);
  const positions = sheet.positions;
  const n = positions.length / 3;
  const acc = new Accumulator(c, new Scratch(), n);
  if (n === 0 || !(c.radius > 0)) return acc.finish();
  let zLo = Infinity;
  let zHi = -Infinity;
  for (let i = 0; i < n; i++) (zLo = Math.min(zLo, positions[3 * i + 2])), (zHi = Math.max(zHi, positions[3 * i + 2]));
  const list = neighborList(positions, sheet.cell, sheet.pbc, Math.hypot(c.radius, zHi - zLo) * (1 + 1e-9) + 1e-9);
  const radius2 = c.radius * c.radius;
  for (let i = 0; i < n; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      const dx = list.vectors[3 * e];
      const dy = list.vectors[3 * e + 1];
      const dz = list.vectors[3 * e + 2];
      if (j < i || (j === i && !positiveVector(dx, dy, dz))) continue;
      const s2 = dx * dx + dy * dy;
      if (s2 > radius2) continue;
      acc.pair(i, j, dx, dy, dz, s2, dx * dx + dy * dy + dz * dz);
    }
  }
  return acc.finish();
}

