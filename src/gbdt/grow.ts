import type { FeatureBins } from './binning.js';
import { scratchKernels, type ScratchKernels } from '../wasm/runtime.js';
import { emptyTree, type RegressionTree } from './tree.js';

/** The regularisation that shapes one tree (XGBoost's TrainParam subset). */
export interface TreeParams {
  maxDepth: number;
  eta: number;
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  maxDeltaStep: number;
}

/** XGBoost's kRtEps: a split must gain more than this. */
const MIN_GAIN = 1e-6;

function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Optimal leaf weight −T(G)/(H+λ), clipped to max_delta_step (XGBoost's CalcWeight). */
export function leafWeight(p: TreeParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  let w = -thresholdL1(g, p.alpha) / (h + p.lambda);
  if (p.maxDeltaStep !== 0 && Math.abs(w) > p.maxDeltaStep) w = Math.sign(w) * p.maxDeltaStep;
  return w;
}

/** Structure score of a node (XGBoost's CalcGain); a split gains gain(L) + gain(R) − gain(parent). */
export function nodeGain(p: TreeParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  if (p.maxDeltaStep === 0) {
    const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha);
    return (t * t) / (h + p.lambda);
  }
  const w = leafWeight(p, g, h);
  const gain = -(2 * g * w + (h + p.lambda) * w * w);
  return p.alpha === 0 ? gain : gain + p.alpha * Math.abs(w);
}

/** Training data in binned form, shared by every tree. */
export interface BinnedData {
  rows: number;
  cols: number;
  /** Local bins, column-major (binColumns); a missing value has bin binCount[f]. */
  columns: Uint16Array;
  bins: FeatureBins;
  /** First slot of feature f; its missing slot is slotStart[f] + binCount[f]. */
  slotStart: Int32Array;
  binCount: Int32Array;
  totalSlots: number;
  /** The WebAssembly histogram kernel and the buffers it reads, when built (else plain TypeScript). */
  wasm?: { sk: ScratchKernels; rowsOf: Int32Array; gh: Float64Array };
}

/**
 * Binned training data. With `fast`, the columns and histograms live in a private WebAssembly
 * instance (freed with the fit) and histograms are built by its SIMD kernel: the read-modify-write
 * of a (gradient, hessian) pair costs ~4 ns in JavaScript, ~1.5 in WebAssembly.
 */
export function binnedData(rows: number, cols: number, columns: Uint16Array, bins: FeatureBins, fast = true): BinnedData {
  const sk = fast ? scratchKernels() : null;
  const slotStart = sk ? sk.view(Int32Array, cols + 1) : new Int32Array(cols + 1);
  const binCount = new Int32Array(cols);
  for (let f = 0; f < cols; f++) {
    slotStart[f] = bins.ptr[f] + f;
    binCount[f] = bins.ptr[f + 1] - bins.ptr[f];
  }
  const totalSlots = bins.ptr[cols] + cols;
  slotStart[cols] = totalSlots;
  if (sk === null) return { rows, cols, columns, bins, slotStart, binCount, totalSlots };
  const wasmColumns = sk.view(Uint16Array, columns.length);
  wasmColumns.set(columns);
  return { rows, cols, columns: wasmColumns, bins, slotStart, binCount, totalSlots, wasm: { sk, rowsOf: sk.view(Int32Array, rows), gh: sk.view(Float64Array, 2 * rows) } };
}

interface Split {
  gain: number;
  feature: number;
  /** Left takes local bins 0…bin (−1: none); missing follows defaultLeft. */
  bin: number;
  defaultLeft: boolean;
}

interface GrowNode {
  id: number;
  begin: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array;
  parent: number;
  split?: Split;
  children?: [GrowNode, GrowNode];
}

/**
 * Histogram of gradient and hessian sums per slot for the rows index[begin, end), one feature at a
 * time: the feature's histogram (a few kB) and bin column stay in cache, and the node's gradients
 * are gathered once into contiguous arrays. The missing slot takes NaN values with no branch.
 */
function buildHistogram(data: BinnedData, index: Int32Array, begin: number, end: number, grad: Float64Array, hess: Float64Array, hist: Float64Array, scratch: Scratch): void {
  const n = end - begin;
  const w = data.wasm;
  if (w !== undefined) {
    for (let k = 0; k < n; k++) {
      const r = index[begin + k];
      w.rowsOf[k] = r;
      w.gh[2 * k] = grad[r];
      w.gh[2 * k + 1] = hess[r];
    }
    w.sk.k.gbdtHistogram(data.columns.byteOffset, w.rowsOf.byteOffset, n, w.gh.byteOffset, hist.byteOffset, data.slotStart.byteOffset, data.cols, data.rows);
    return;
  }
  hist.fill(0);
  const gs = scratch.grad;
  const hs = scratch.hess;
  const rowsOf = scratch.rows;
  for (let k = 0; k < n; k++) {
    const r = index[begin + k];
    rowsOf[k] = r;
    gs[k] = grad[r];
    hs[k] = hess[r];
  }
  const { cols, rows, columns } = data;
  for (let f = 0; f < cols; f++) {
    const base = 2 * data.slotStart[f];
    const column = f * rows;
    for (let k = 0; k < n; k++) {
      const s = base + 2 * columns[column + rowsOf[k]];
      hist[s] += gs[k];
      hist[s + 1] += hs[k];
    }
  }
}

/** Work buffers of one training run, reused across nodes and trees. */
export interface Scratch {
  grad: Float64Array;
  hess: Float64Array;
  rows: Int32Array;
  partition: Int32Array;
  /** Spare histogram buffers. */
  pool: Float64Array[];
}

export function scratchFor(data: BinnedData): Scratch {
  return {
    grad: new Float64Array(data.rows),
    hess: new Float64Array(data.rows),
    rows: new Int32Array(data.rows),
    partition: new Int32Array(data.rows),
    pool: [],
  };
}

function takeHistogram(data: BinnedData, scratch: Scratch): Float64Array {
  return scratch.pool.pop() ?? (data.wasm ? data.wasm.sk.view(Float64Array, 2 * data.totalSlots) : new Float64Array(2 * data.totalSlots));
}

function bestSplit(data: BinnedData, node: GrowNode, features: Int32Array, p: TreeParams): Split | undefined {
  const hist = node.hist;
  const parentGain = nodeGain(p, node.g, node.h);
  let best: Split | undefined;
  let bestGain = -Infinity;
  const mcw = p.minChildWeight;
  // the common case (no max_delta_step) inlined: gain = T(G)² / (H + λ), T the L1 soft threshold
  const simple = p.maxDeltaStep === 0;
  const alpha = p.alpha;
  const lambda = p.lambda;
  const gainOf = (g: number, h: number): number => {
    if (!simple) return nodeGain(p, g, h);
    const t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
    return (t * t) / (h + lambda);
  };
  const G = node.g;
  const H = node.h;
  for (const f of features) {
    const start = 2 * data.slotStart[f];
    const count = data.binCount[f];
    // forward: left accumulates bins 0…b, missing goes right
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < count; b++) {
      const hb = hist[start + 2 * b + 1];
      if (hb === 0) continue; // an empty bin splits the rows as the previous one did
      gl += hist[start + 2 * b];
      hl += hb;
      if (hl < mcw || hl <= 0) continue;
      const hr = H - hl;
      if (hr < mcw || hr <= 0) continue;
      const gain = Math.fround(gainOf(gl, hl) + gainOf(G - gl, hr) - parentGain);
      if (gain > bestGain) {
        bestGain = gain;
        best = { gain, feature: f, bin: b, defaultLeft: false };
      }
    }
    // backward, only when the node has missing values in f: right accumulates bins i…, missing goes left
    if (hist[start + 2 * count + 1] === 0) continue;
    let gr = 0;
    let hr = 0;
    for (let i = count - 1; i >= 0; i--) {
      const hb = hist[start + 2 * i + 1];
      if (hb === 0) continue;
      gr += hist[start + 2 * i];
      hr += hb;
      if (hr < mcw || hr <= 0) continue;
      const hl = H - hr;
      if (hl < mcw || hl <= 0) continue;
      const gain = Math.fround(gainOf(G - gr, hl) + gainOf(gr, hr) - parentGain);
      if (gain > bestGain) {
        bestGain = gain;
        // left = bins below i; the first non-empty bin below i gives the same partition, XGBoost takes cut i−1
        best = { gain, feature: f, bin: i - 1, defaultLeft: true };
      }
    }
  }
  if (best === undefined || !(best.gain > MIN_GAIN) || best.gain < p.gamma) return undefined;
  return best;
}

/** Stable partition of index[begin, end) into left rows then right rows; returns the boundary. */
function partition(data: BinnedData, index: Int32Array, scratch: Int32Array, node: GrowNode, split: Split): number {
  const column = data.columns.subarray(split.feature * data.rows, (split.feature + 1) * data.rows);
  const missing = data.binCount[split.feature];
  let l = node.begin;
  let r = 0;
  for (let k = node.begin; k < node.end; k++) {
    const row = index[k];
    const bin = column[row];
    const goLeft = bin === missing ? split.defaultLeft : bin <= split.bin;
    if (goLeft) index[l++] = row;
    else scratch[r++] = row;
  }
  index.set(scratch.subarray(0, r), l);
  return l;
}

export interface GrownTree {
  tree: RegressionTree;
  /** Rows of each leaf: index[leafBegin[n], leafEnd[n]) for leaf node n. */
  index: Int32Array;
  leafRanges: Map<number, [number, number]>;
}

/**
 * Grow one tree depth-wise on the histogram method: per level, every node's best split from its
 * histogram; the smaller child's histogram is built, the larger one's is parent − smaller.
 * Node ids follow XGBoost's order (children numbered as their parents are expanded, level by level).
 */
export function growTree(data: BinnedData, rows: Int32Array, features: Int32Array, grad: Float64Array, hess: Float64Array, p: TreeParams, work: Scratch = scratchFor(data)): GrownTree {
  const index = Int32Array.from(rows);
  let g = 0;
  let h = 0;
  for (const r of rows) {
    g += grad[r];
    h += hess[r];
  }
  const root: GrowNode = { id: 0, begin: 0, end: rows.length, g, h, hist: takeHistogram(data, work), parent: 2147483647 };
  buildHistogram(data, index, 0, rows.length, grad, hess, root.hist, work);
  const all: GrowNode[] = [root];
  let frontier = [root];
  for (let depth = 0; depth < p.maxDepth && frontier.length > 0; depth++) {
    const next: GrowNode[] = [];
    for (const node of frontier) {
      node.split = bestSplit(data, node, features, p);
      if (node.split === undefined) continue;
      const mid = partition(data, index, work.partition, node, node.split);
      const left: GrowNode = { id: all.length, begin: node.begin, end: mid, g: 0, h: 0, hist: new Float64Array(0), parent: node.id };
      const right: GrowNode = { id: all.length + 1, begin: mid, end: node.end, g: 0, h: 0, hist: new Float64Array(0), parent: node.id };
      all.push(left, right);
      node.children = [left, right];
      const [small, large] = mid - node.begin <= node.end - mid ? [left, right] : [right, left];
      small.hist = takeHistogram(data, work);
      buildHistogram(data, index, small.begin, small.end, grad, hess, small.hist, work);
      large.hist = node.hist; // reuse the parent's buffer: parent − small, in place
      if (data.wasm) data.wasm.sk.k.subtractF64(large.hist.byteOffset, small.hist.byteOffset, large.hist.length);
      else for (let s = 0; s < large.hist.length; s++) large.hist[s] -= small.hist[s];
      for (const child of [left, right]) {
        for (let k = child.begin; k < child.end; k++) {
          child.g += grad[index[k]];
          child.h += hess[index[k]];
        }
      }
      node.hist = new Float64Array(0);
      next.push(left, right);
    }
    for (const node of frontier) if (node.hist.length > 0) work.pool.push(node.hist);
    frontier = next;
  }
  for (const node of frontier) if (node.hist.length > 0) work.pool.push(node.hist);

  const tree = emptyTree(all.length);
  const leafRanges = new Map<number, [number, number]>();
  for (const node of all) {
    const n = node.id;
    tree.parent[n] = node.parent;
    tree.sumHessian[n] = node.h;
    const w = leafWeight(p, node.g, node.h);
    if (node.split !== undefined && node.children !== undefined) {
      const s = node.split;
      tree.left[n] = node.children[0].id;
      tree.right[n] = node.children[1].id;
      tree.splitIndex[n] = s.feature;
      const lo = data.bins.ptr[s.feature];
      tree.splitCondition[n] = s.bin < 0 ? data.bins.minValues[s.feature] : data.bins.cuts[lo + s.bin];
      tree.defaultLeft[n] = s.defaultLeft ? 1 : 0;
      tree.lossChange[n] = s.gain;
      tree.baseWeight[n] = w;
    } else {
      tree.splitCondition[n] = p.eta * w;
      tree.baseWeight[n] = p.eta * w;
      leafRanges.set(n, [node.begin, node.end]);
    }
  }
  return { tree, index, leafRanges };
}
