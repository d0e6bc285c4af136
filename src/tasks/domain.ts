import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ParseError } from '../errors.js';
import { readSafetensors, writeSafetensors } from '../io/safetensors.js';
import type { Atoms } from '../structure/atoms.js';
import { inPlaneArea, perpendicularWidths } from '../structure/cell.js';
import { neighborList } from '../structure/neighbors.js';
import { SYMBOLS } from '../structure/elements.js';
import { seededRandom } from '../util/random.js';

/**
 * Is an input like what a model was trained on? Two kinds of evidence, both against the training
 * rows only:
 *  - its model input (descriptors or g(r)), standardised, projected on the training rows' leading
 *    principal components: the distance to the nearest training row and the part the components
 *    do not explain, each as a percentile of the training rows' own values (a training row's own
 *    nearest neighbour is another training row);
 *  - for structures, plain physics: elements, areal density, coordination, buckling, cell width.
 * An input is in domain when both percentiles are ≤ 99 and no physical check fails; `score` is
 * 1 − the larger percentile (≈ 0.5 for a typical training row, → 0 far outside).
 */
export interface DomainVerdict {
  in_domain: boolean;
  score: number;
  reasons: string[];
}

/** Physical statistics of one structure, the same for training rows and inputs. */
export interface StructureStats {
  elements: number[];
  arealDensity_A2: number;
  threeCoordinated: number;
  meanCoordination: number;
  heightStd_A: number;
  minWidth_A: number;
  periodicInPlane: boolean;
}

const BOND_CUTOFF_A = 1.85;
const COMPONENTS = 20;
const PERCENTILE_LIMIT = 0.99;

export function structureStats(atoms: Atoms): StructureStats {
  const n = atoms.length;
  const periodicInPlane = atoms.pbc[0] && atoms.pbc[1];
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, BOND_CUTOFF_A);
  let three = 0;
  let bonds = 0;
  for (let i = 0; i < n; i++) {
    const c = list.start[i + 1] - list.start[i];
    bonds += c;
    if (c === 3) three++;
  }
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += atoms.positions[3 * i + 2] / n;
  let zVar = 0;
  for (let i = 0; i < n; i++) zVar += (atoms.positions[3 * i + 2] - zMean) ** 2 / n;
  const area = inPlaneArea(atoms.cell);
  const widths = perpendicularWidths(atoms.cell);
  return {
    elements: [...new Set(atoms.numbers)].sort((a, b) => a - b),
    arealDensity_A2: area > 0 ? n / area : 0,
    threeCoordinated: three / n,
    meanCoordination: bonds / n,
    heightStd_A: Math.sqrt(zVar),
    minWidth_A: Math.min(widths[0], widths[1]),
    periodicInPlane,
  };
}

/** Everything predict needs to judge an input, kept beside the model (`<task>.domain.safetensors`). */
export interface DomainReference {
  transform: 'log(x+1e-4)' | 'none';
  mean: Float64Array;
  scale: Float64Array;
  /** k × cols, orthonormal rows. */
  components: Float64Array;
  projections: Float64Array;
  /** Sorted: for a held-out fifth of the training rows, the distance to the nearest of the other rows (projected space). */
  nearest: Float64Array;
  /** Sorted: for the same rows, the distance from the components' subspace (fitted without them). */
  residual: Float64Array;
  /** Structure tasks: the training rows' ranges (0.5th and 99.5th percentiles, widened by 10 %) and elements. */
  ranges?: Record<'arealDensity_A2' | 'threeCoordinated' | 'meanCoordination' | 'heightStd_A' | 'minWidth_A', [number, number]>;
  elements?: number[];
}

function transformRow(transform: DomainReference['transform'], x: ArrayLike<number>, offset: number, cols: number, out: Float64Array): void {
  for (let j = 0; j < cols; j++) out[j] = transform === 'none' ? x[offset + j] : Math.log(x[offset + j] + 1e-4);
}

function sortedPercentile(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

/** The leading principal directions of standardised rows (rows × cols) by block power iteration on XᵀX. */
function principalComponents(z: Float64Array, rows: number, cols: number, k: number, seed = 0): Float64Array {
  const cov = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const zi = z[o + i];
      if (zi === 0) continue;
      const ci = i * cols;
      for (let j = i; j < cols; j++) cov[ci + j] += zi * z[o + j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) cov[i * cols + j] = cov[j * cols + i];
  const rand = seededRandom(seed);
  let q = Float64Array.from({ length: k * cols }, () => rand() - 0.5);
  const next = new Float64Array(k * cols);
  for (let iteration = 0; iteration < 60; iteration++) {
    next.fill(0);
    for (let c = 0; c < k; c++) for (let i = 0; i < cols; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += cov[i * cols + j] * q[c * cols + j];
      next[c * cols + i] = s;
    }
    // Gram–Schmidt keeps the block orthonormal
    for (let c = 0; c < k; c++) {
      const v = next.subarray(c * cols, (c + 1) * cols);
      for (let p = 0; p < c; p++) {
        const u = next.subarray(p * cols, (p + 1) * cols);
        let d = 0;
        for (let j = 0; j < cols; j++) d += v[j] * u[j];
        for (let j = 0; j < cols; j++) v[j] -= d * u[j];
      }
      let norm = 0;
      for (let j = 0; j < cols; j++) norm += v[j] * v[j];
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < cols; j++) v[j] /= norm;
    }
    q = Float64Array.from(next);
  }
  return q;
}

function project(ref: Pick<DomainReference, 'components'>, z: Float64Array, k: number, cols: number, out: Float64Array): number {
  let explained = 0;
  let total = 0;
  for (let j = 0; j < cols; j++) total += z[j] * z[j];
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += ref.components[c * cols + j] * z[j];
    out[c] = s;
    explained += s * s;
  }
  return Math.sqrt(Math.max(0, total - explained));
}

/** Build the reference from the training rows (rows × cols model inputs) and, for structures, their statistics. */
export function buildDomainReference(x: Float64Array, rows: number, cols: number, transform: DomainReference['transform'], stats?: StructureStats[]): DomainReference {
  const t = new Float64Array(rows * cols);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    transformRow(transform, x, r * cols, cols, row);
    t.set(row, r * cols);
  }
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += t[r * cols + j] / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) scale[j] += (t[r * cols + j] - mean[j]) ** 2 / rows;
  for (let j = 0; j < cols; j++) scale[j] = Math.sqrt(scale[j]) > 1e-12 ? Math.sqrt(scale[j]) : 1;
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) t[r * cols + j] = (t[r * cols + j] - mean[j]) / scale[j];
  // the reference distributions come from rows the components were not fitted on (a fifth held
  // out): fitted rows sit closer to their own components than any new row would
  const rand = seededRandom(1);
  const held = Array.from({ length: rows }, () => rand() < 0.2);
  const fitRows = held.map((h, r) => (h ? -1 : r)).filter((r) => r >= 0);
  const heldRows = held.map((h, r) => (h ? r : -1)).filter((r) => r >= 0);
  const fitZ = new Float64Array(fitRows.length * cols);
  fitRows.forEach((r, m) => fitZ.set(t.subarray(r * cols, (r + 1) * cols), m * cols));
  const k = Math.min(COMPONENTS, cols, fitRows.length);
  const components = principalComponents(fitZ, fitRows.length, cols, k);
  const projections = new Float64Array(rows * k);
  const residualOf = new Float64Array(rows);
  const p = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    residualOf[r] = project({ components }, t.subarray(r * cols, (r + 1) * cols), k, cols, p);
    projections.set(p, r * k);
  }
  const fitProjections = new Float64Array(fitRows.length * k);
  fitRows.forEach((r, m) => fitProjections.set(projections.subarray(r * k, (r + 1) * k), m * k));
  const nearest = Float64Array.from(heldRows, (r) => nearestDistance(fitProjections, fitRows.length, k, projections.subarray(r * k, (r + 1) * k)));
  const residual = Float64Array.from(heldRows, (r) => residualOf[r]);
  const ref: DomainReference = { transform, mean, scale, components, projections, nearest: nearest.sort(), residual: residual.sort() };
  if (stats && stats.length > 0) {
    const range = (f: (s: StructureStats) => number, pad = 0.1): [number, number] => {
      const v = stats.map(f);
      const lo = quantile(v, 0.005);
      const hi = quantile(v, 0.995);
      const span = hi - lo || Math.abs(hi) || 1;
      return [lo - pad * span, hi + pad * span];
    };
    ref.ranges = {
      arealDensity_A2: range((s) => s.arealDensity_A2),
      threeCoordinated: range((s) => s.threeCoordinated),
      meanCoordination: range((s) => s.meanCoordination),
      heightStd_A: range((s) => s.heightStd_A),
      minWidth_A: [Math.min(...stats.map((s) => s.minWidth_A)) * 0.9, Infinity],
    };
    ref.elements = [...new Set(stats.flatMap((s) => s.elements))].sort((a, b) => a - b);
  }
  return ref;
}

function nearestDistance(projections: Float64Array, rows: number, k: number, p: ArrayLike<number>, skip = -1): number {
  let best = Infinity;
  for (let r = 0; r < rows; r++) {
    if (r === skip) continue;
    let d = 0;
    for (let c = 0; c < k && d < best; c++) d += (projections[r * k + c] - p[c]) ** 2;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

const LABELS: Record<keyof NonNullable<DomainReference['ranges']>, (v: number) => string> = {
  arealDensity_A2: (v) => `areal density ${v.toFixed(3)} atoms/Å²`,
  threeCoordinated: (v) => `${(100 * v).toFixed(0)} % three-coordinated atoms`,
  meanCoordination: (v) => `mean coordination ${v.toFixed(2)}`,
  heightStd_A: (v) => `height spread ${v.toFixed(2)} Å`,
  minWidth_A: (v) => `in-plane cell width ${v.toFixed(2)} Å`,
};

/** A model-input row standardised and projected: its distance to the nearest training row and from the components' subspace. */
function placeRow(ref: DomainReference, row: ArrayLike<number>): { nearest: number; residual: number } {
  const cols = ref.mean.length;
  const k = ref.components.length / cols;
  const z = new Float64Array(cols);
  transformRow(ref.transform, row, 0, cols, z);
  for (let j = 0; j < cols; j++) z[j] = (z[j] - ref.mean[j]) / ref.scale[j];
  const p = new Float64Array(k);
  const residual = project(ref, z, k, cols, p);
  return { nearest: nearestDistance(ref.projections, ref.projections.length / k, k, p), residual };
}

const percentile90 = (sorted: Float64Array): number => {
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(0.9 * sorted.length) - 1))];
  return v > 0 ? v : 1;
};

/**
 * How far a model-input row lies from the training rows: the larger of its distance to the nearest
 * one (projected space) and its distance from the components' subspace, each over the 90th
 * percentile of the training rows' own values — about 1 or less among the training rows, growing
 * with the distance beyond them. The κ intervals widen by it.
 */
export function distanceRatio(ref: DomainReference, row: ArrayLike<number>): number {
  const { nearest, residual } = placeRow(ref, row);
  return Math.max(nearest / percentile90(ref.nearest), residual / percentile90(ref.residual));
}

/** Judge one model-input row (and its structure, when there is one) against a reference. */
export function checkDomain(ref: DomainReference, row: ArrayLike<number>, stats?: StructureStats): DomainVerdict {
  const reasons: string[] = [];
  const { nearest, residual } = placeRow(ref, row);
  const near = sortedPercentile(ref.nearest, nearest);
  const off = sortedPercentile(ref.residual, residual);
  const what = ref.transform === 'none' ? 'its g(r) is' : 'its descriptors are';
  if (near > PERCENTILE_LIMIT) reasons.push(`${what} farther from every training row than ${(100 * near).toFixed(1)} % of training rows are from their nearest neighbour`);
  if (off > PERCENTILE_LIMIT) reasons.push(`${what} off the directions the training rows span (residual above ${(100 * off).toFixed(1)} % of training rows)`);
  if (stats && ref.ranges && ref.elements) {
    const foreign = stats.elements.filter((e) => !ref.elements!.includes(e));
    if (foreign.length > 0) reasons.push(`contains ${foreign.map((e) => SYMBOLS[e]).join(', ')}; the models saw only ${ref.elements.map((e) => SYMBOLS[e]).join(', ')}`);
    if (!stats.periodicInPlane) reasons.push('not periodic in the plane (a sheet needs periodic a and b)');
    for (const key of Object.keys(ref.ranges) as (keyof typeof LABELS)[]) {
      const [lo, hi] = ref.ranges[key];
      const v = stats[key];
      const shown = (x: number) => Number(x.toPrecision(3));
      if (v < lo || v > hi) reasons.push(`${LABELS[key](v)} is outside the training range (${shown(lo)}${Number.isFinite(hi) ? ` … ${shown(hi)}` : ' and up'})`);
    }
  }
  const worst = Math.max(near, off);
  return { in_domain: reasons.length === 0, score: Number((1 - worst).toFixed(4)), reasons };
}

/**
 * The verdicts of several tasks on one input as one: in domain only if every task says so; each
 * reason names the tasks it holds for, and `per_task` keeps every task's own verdict.
 */
export function combineVerdicts(verdicts: Map<string, DomainVerdict>): DomainVerdict & { per_task: Record<string, { in_domain: boolean; score: number }> } {
  const all = [...verdicts.values()];
  const tasksOf = new Map<string, string[]>();
  for (const [task, v] of verdicts) for (const r of v.reasons) tasksOf.set(r, [...(tasksOf.get(r) ?? []), task]);
  return {
    in_domain: all.every((v) => v.in_domain),
    score: Math.min(...all.map((v) => v.score)),
    reasons: [...tasksOf].map(([reason, tasks]) => `${reason} (${tasks.join(', ')})`),
    per_task: Object.fromEntries([...verdicts].map(([task, v]) => [task, { in_domain: v.in_domain, score: v.score }])),
  };
}

export const domainFileName = (task: string): string => `${task}.domain.safetensors`;

export function writeDomainReference(dir: string, task: string, ref: DomainReference): string {
  const file = domainFileName(task);
  const cols = ref.mean.length;
  const k = ref.components.length / cols;
  writeSafetensors(
    join(dir, file),
    new Map([
      ['mean', { data: ref.mean, shape: [cols] }],
      ['scale', { data: ref.scale, shape: [cols] }],
      ['components', { data: Float32Array.from(ref.components), shape: [k, cols] }],
      ['projections', { data: Float32Array.from(ref.projections), shape: [ref.projections.length / k, k] }],
      ['nearest', { data: ref.nearest, shape: [ref.nearest.length] }],
      ['residual', { data: ref.residual, shape: [ref.residual.length] }],
    ]),
    { format: 'spramnet-domain', version: '1', transform: ref.transform, ...(ref.ranges ? { ranges: JSON.stringify(ref.ranges), elements: JSON.stringify(ref.elements) } : {}) },
  );
  return file;
}

export function readDomainReference(dir: string, task: string): DomainReference | undefined {
  const path = join(dir, domainFileName(task));
  if (!existsSync(path)) return undefined;
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== 'spramnet-domain') throw new ParseError(path, undefined, `not a spramnet domain reference (format "${metadata.format}")`);
  const get = (name: string): Float64Array => {
    const t = tensors.get(name);
    if (t === undefined) throw new ParseError(path, undefined, `missing tensor "${name}"`);
    return Float64Array.from(t.data);
  };
  const ranges = metadata.ranges ? (JSON.parse(metadata.ranges) as DomainReference['ranges']) : undefined;
  if (ranges) ranges.minWidth_A[1] = Infinity; // JSON has no Infinity (null)
  return {
    transform: metadata.transform === 'none' ? 'none' : 'log(x+1e-4)',
    mean: get('mean'),
    scale: get('scale'),
    components: get('components'),
    projections: get('projections'),
    nearest: get('nearest'),
    residual: get('residual'),
    ranges,
    elements: metadata.elements ? (JSON.parse(metadata.elements) as number[]) : undefined,
  };
}
