import { InputError, ParseError } from '../errors.js';
import { FEATURE_TRANSFORMS, type FeatureTransform } from '../models/featureTransforms.js';
import type { Matrix } from '../util/matrix.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';
import { kthSmallest } from '../util/order.js';
import { seededRandom } from '../util/random.js';
import { choleskyInPlace, choleskySolveInPlace, crossDots, dot } from '../linalg/cholesky.js';
import { float64Workspace, trimFloat64Workspace, GEMM_ADD, GEMM_L1, GEMM_PRODUCT, GEMM_SET, type Float64Workspace } from '../linalg/float64Kernels.js';

/**
 * Kernel ridge regression: y(x) = ȳ + Σ_i a_i k(x, x_i) with (K + αI) a = y − ȳ, on inputs that are
 * transformed (log as SPRamNet does, or raw) and optionally standardised per column. Several outputs
 * (a spectrum) share one factorisation (cholesky.ts). Squared distances come from norms and inner
 * products, |a − b|² = |a|² + |b|² − 2a·b, as scikit-learn computes them.
 *
 * Two engines compute the same numbers: 'fast' (the default) runs the kernel matrices, the
 * factorisation, the solves and K·a as blocked float64 SIMD kernels in WebAssembly
 * (linalg/float64Kernels.ts); 'reference' is the plain TypeScript below, which the fast one is
 * tested against and which serves when the kernels are not built.
 */
export type KernelName = 'rbf' | 'laplacian';
export type KrrEngine = 'fast' | 'reference';

export interface KernelRidgeParams {
  kernel: KernelName;
  /** γ = gammaScale / median pairwise distance (squared Euclidean for rbf, L1 for laplacian). */
  gammaScale: number;
  alpha: number;
  inputTransform: FeatureTransform;
  standardise: boolean;
  /** Columns [start, end) multiplied by `weight` after standardising: how much a block of features counts in the distance. */
  blockWeights?: { start: number; end: number; weight: number }[];
}

export const KRR_FORMAT = 'spramnet-krr';
export const KRR_VERSION = 1;

/** Distance the kernel is a function of: squared Euclidean (rbf) or L1 (laplacian). */
function distance(kernel: KernelName, a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  if (kernel === 'rbf') {
    for (let j = 0; j < d; j++) {
      const t = a[ao + j] - b[bo + j];
      s += t * t;
    }
  } else {
    for (let j = 0; j < d; j++) s += Math.abs(a[ao + j] - b[bo + j]);
  }
  return s;
}

export class KernelRidge {
  readonly params: KernelRidgeParams;
  gamma = 0;
  /**
   * Training inputs after transform and standardisation, only the columns that vary in training
   * (constant ones, such as g(r) below the first neighbour or zero padding, add nothing to any
   * distance): rows × active.length, rounded to float32 so the saved model is the fitted one.
   */
  private support: Float64Array = new Float64Array(0);
  /** |support row|² (rbf), fixed once the support is: computed at fit and load, not per predict. */
  private supportNorms: Float64Array = new Float64Array(0);
  private active: Int32Array = new Int32Array(0);
  private dual: Float64Array = new Float64Array(0);
  private columnMean: Float64Array = new Float64Array(0);
  private columnScale: Float64Array = new Float64Array(0);
  private targetMean: Float64Array = new Float64Array(0);
  rows = 0;
  cols = 0;
  outputs = 0;
  /** Free-form settings recorded with the model (task, descriptor), as JSON strings. */
  attributes: Record<string, string> = {};

  constructor(params: Partial<KernelRidgeParams> = {}) {
    this.params = { kernel: 'rbf', gammaScale: 0.1, alpha: 0.1, inputTransform: 'none', standardise: true, ...params };
    if (!(this.params.alpha > 0)) throw new InputError(`kernel ridge: alpha must be > 0, got ${this.params.alpha}`);
    if (!(this.params.gammaScale > 0)) throw new InputError(`kernel ridge: gammaScale must be > 0, got ${this.params.gammaScale}`);
    if (FEATURE_TRANSFORMS[this.params.inputTransform] === undefined) throw new InputError(`kernel ridge: unknown input transform "${this.params.inputTransform}"`);
  }

  /** Fit on x (rows × cols) and y (rows × outputs, row-major). */
  fit(x: Matrix, y: Float64Array, outputs: number, engine: KrrEngine = 'fast'): this {
    if (y.length !== x.rows * outputs) throw new InputError(`kernel ridge: y has ${y.length} values, expected ${x.rows} rows × ${outputs} outputs`);
    if (x.rows < 1) throw new InputError('kernel ridge: need at least 1 training row');
    this.rows = x.rows;
    this.cols = x.cols;
    this.outputs = outputs;
    const raw = this.transformed(x.data);
    this.columnMean = new Float64Array(x.cols);
    this.columnScale = new Float64Array(x.cols).fill(1);
    const { rows, cols } = x;
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += raw[r * cols + j] / rows;
    const variance = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) variance[j] += (raw[r * cols + j] - mean[j]) ** 2 / rows;
    this.active = Int32Array.from(Array.from(variance.keys()).filter((j) => variance[j] > 1e-16));
    if (this.params.standardise) {
      this.columnMean = mean;
      variance.forEach((v, j) => (this.columnScale[j] = v > 1e-16 ? Math.sqrt(v) : 1));
    }
    this.support = this.standardised(raw, x.rows);
    this.supportNorms = this.norms(this.support, x.rows);
    this.targetMean = new Float64Array(outputs);
    for (let r = 0; r < x.rows; r++) for (let o = 0; o < outputs; o++) this.targetMean[o] += y[r * outputs + o] / x.rows;
    const ws = engine === 'fast' ? float64Workspace() : null;
    if (ws !== null) return this.fitFast(ws, y);
    const width = this.active.length;
    this.gamma = this.params.gammaScale / medianPairDistance(this.rows, (p, q) => distance(this.params.kernel, this.support, p * width, this.support, q * width, width));
    const n = x.rows;
    const gram = this.kernelRows();
    for (let i = 0; i < n; i++) gram[i * n + i] += this.params.alpha;
    try {
      choleskyInPlace(gram, n);
    } catch {
      throw new InputError('kernel ridge: the regularised kernel matrix is not positive definite (duplicate rows with a tiny alpha?)');
    }
    this.dual = new Float64Array(n * outputs);
    for (let r = 0; r < n; r++) for (let o = 0; o < outputs; o++) this.dual[r * outputs + o] = y[r * outputs + o] - this.targetMean[o];
    choleskySolveInPlace(gram, n, this.dual, outputs);
    return this;
  }

  /**
   * The fit in the WebAssembly workspace: inner products (rbf) or L1 distances of the support rows
   * (lower triangle, one symmetric GEMM or L1 pass), γ from the median distance of sampled pairs,
   * kernel values (rbf: with the distances, in one pass), K + αI = L·Lᵀ, then the dual
   * weights for all outputs at once. The support rows, their norms and the dual weights stay at the
   * start of the workspace, where predict looks for them.
   */
  private fitFast(ws: Float64Workspace, y: Float64Array): this {
    const n = this.rows;
    const outputs = this.outputs;
    const { z, norms, dual, dualPacked } = this.resident(ws, false);
    const gram = ws.f64(n * n);
    const k = ws.k;
    const rbf = this.params.kernel === 'rbf';
    k.krrGemm(rbf ? GEMM_PRODUCT : GEMM_L1, 0, 1, GEMM_SET, 1, n, n, this.active.length, z.byteOffset, this.active.length, z.byteOffset, this.active.length, gram.byteOffset, n, ws.work);
    // γ from the sampled pairs' distances, each as krrDistances computes it, so distances and kernel
    // values can then be made in one pass over the matrix
    const pairDistance = rbf ? (i: number, j: number) => Math.max(0, norms[i] + norms[j] - 2 * gram[i * n + j]) : (i: number, j: number) => gram[i * n + j];
    this.gamma = this.params.gammaScale / medianPairDistance(n, pairDistance); // p > q
    if (rbf) k.krrRbfFromProducts(gram.byteOffset, n, n, n, norms.byteOffset, norms.byteOffset, this.gamma, 1);
    else k.krrExpNeg(gram.byteOffset, n, n, n, this.gamma, 1);
    for (let i = 0; i < n; i++) gram[i * n + i] = 1 + this.params.alpha;
    const failed = k.krrCholesky(gram.byteOffset, n, n, ws.work);
    if (failed >= 0) throw new InputError('kernel ridge: the regularised kernel matrix is not positive definite (duplicate rows with a tiny alpha?)');
    for (let r = 0; r < n; r++) for (let o = 0; o < outputs; o++) dual[r * outputs + o] = y[r * outputs + o] - this.targetMean[o];
    k.krrCholeskySolve(gram.byteOffset, n, n, dual.byteOffset, outputs, outputs, ws.work);
    this.packDual(ws, dual, dualPacked);
    this.dual = new Float64Array(dual);
    trimFloat64Workspace();
    return this;
  }

  /**
   * This model's support rows, their squared norms (rbf) and dual weights as views at the start of
   * the workspace, with the support rows and dual weights also packed as the GEMM reads them
   * (krrPackB: predict multiplies by both every time). Copied in unless this model was the last to
   * use the workspace (`filled`: the dual weights are copied too, else the caller is about to
   * compute them, and packs them with packDual).
   */
  private resident(ws: Float64Workspace, filled: boolean): { z: Float64Array; norms: Float64Array; dual: Float64Array; zPacked: Float64Array; dualPacked: Float64Array } {
    const there = ws.begin(this);
    const n = this.rows;
    const width = this.active.length;
    const k = ws.k;
    const z = ws.f64(n * width);
    const norms = ws.f64(n);
    const dual = ws.f64(n * this.outputs);
    const zPacked = ws.f64(k.krrPackedBytes(n, width) / 8);
    const dualPacked = ws.f64(k.krrPackedBytes(this.outputs, n) / 8);
    if (!there || !filled) {
      z.set(this.support);
      if (this.params.kernel === 'rbf') k.krrRowNorms(z.byteOffset, n, width, norms.byteOffset);
      // op(B) = zᵀ: the support rows as columns
      k.krrPackB(1, n, width, z.byteOffset, width, zPacked.byteOffset);
      if (filled) {
        dual.set(this.dual);
        this.packDual(ws, dual, dualPacked);
      }
    }
    return { z, norms, dual, zPacked, dualPacked };
  }

  /** The dual weights (n × outputs) packed as predict's second GEMM reads them. */
  private packDual(ws: Float64Workspace, dual: Float64Array, dualPacked: Float64Array): void {
    ws.k.krrPackB(0, this.outputs, this.rows, dual.byteOffset, this.outputs, dualPacked.byteOffset);
  }

  /** Predictions, rows × outputs (row-major). */
  predict(x: Matrix, engine: KrrEngine = 'fast'): Float64Array {
    if (this.rows === 0) throw new InputError('kernel ridge: predict before fit');
    if (x.cols !== this.cols) throw new InputError(`kernel ridge: input has ${x.cols} features, the model was fitted on ${this.cols}`);
    const ws = engine === 'fast' ? float64Workspace() : null;
    if (ws !== null) return this.predictFast(ws, x.data, x.rows);
    const raw = this.transformed(x.data);
    const z = this.standardised(raw, x.rows);
    const out = new Float64Array(x.rows * this.outputs);
    const width = this.active.length;
    const supportNorms = this.supportNorms;
    const testNorms = this.norms(z, x.rows);
    // test rows in blocks, their products with all support rows at once (crossDots)
    const block = 16;
    const products = new Float64Array(block * this.rows);
    for (let start = 0; start < x.rows; start += block) {
      const count = Math.min(block, x.rows - start);
      if (this.params.kernel === 'rbf') crossDots(z, start * width, count, this.support, 0, this.rows, width, products);
      for (let q = 0; q < count; q++) {
        const r = start + q;
        for (let o = 0; o < this.outputs; o++) out[r * this.outputs + o] = this.targetMean[o];
        for (let i = 0; i < this.rows; i++) {
          const d = this.params.kernel === 'rbf' ? Math.max(0, testNorms[r] + supportNorms[i] - 2 * products[q * this.rows + i]) : distance('laplacian', z, r * width, this.support, i * width, width);
          const w = Math.exp(-this.gamma * d);
          for (let o = 0; o < this.outputs; o++) out[r * this.outputs + o] += w * this.dual[i * this.outputs + o];
        }
      }
    }
    return out;
  }

  /**
   * predict in the WebAssembly workspace, the new rows in blocks of about a million kernel values:
   * standardised into the workspace, their products (or L1 distances) with all support rows as one
   * GEMM, the kernel values in place, then ȳ + K·a as a second GEMM, both with the model's side
   * packed once (resident). Each prediction is summed in the same order whatever else is in the batch.
   */
  private predictFast(ws: Float64Workspace, data: Float64Array | Float32Array, rows: number): Float64Array {
    const n = this.rows;
    const width = this.active.length;
    const outputs = this.outputs;
    const k = ws.k;
    const rbf = this.params.kernel === 'rbf';
    const { norms, zPacked, dualPacked } = this.resident(ws, true);
    // blocks of rows, so the workspace stays ~8 MB past the support rows however many rows come
    const block = Math.min(rows, Math.max(4, Math.floor(2 ** 20 / Math.max(1, n)) & ~3));
    const t = ws.f64(block * width);
    const tNorms = ws.f64(block);
    const kernel = ws.f64(block * n);
    const out = ws.f64(block * outputs);
    const result = new Float64Array(rows * outputs);
    for (let start = 0; start < rows; start += block) {
      const count = Math.min(block, rows - start);
      this.standardised(data.subarray(start * this.cols, (start + count) * this.cols), count, t, FEATURE_TRANSFORMS[this.params.inputTransform]);
      if (rbf) k.krrRowNorms(t.byteOffset, count, width, tNorms.byteOffset);
      k.krrGemmPackedB(rbf ? GEMM_PRODUCT : GEMM_L1, 0, GEMM_SET, count, n, width, t.byteOffset, width, zPacked.byteOffset, kernel.byteOffset, n, ws.work);
      if (rbf) k.krrRbfFromProducts(kernel.byteOffset, count, n, n, tNorms.byteOffset, norms.byteOffset, this.gamma, 0);
      else k.krrExpNeg(kernel.byteOffset, count, n, n, this.gamma, 0);
      for (let r = 0; r < count; r++) out.set(this.targetMean, r * outputs);
      k.krrGemmPackedB(GEMM_PRODUCT, 0, GEMM_ADD, count, outputs, n, kernel.byteOffset, n, dualPacked.byteOffset, out.byteOffset, outputs, ws.work);
      result.set(out.subarray(0, count * outputs), start * outputs);
    }
    return result;
  }

  /**
   * The input transform applied to every value, for reading only (float64 input without a transform
   * is returned as it is). A plain loop: Float64Array.from with a map function took ~15× longer here.
   */
  private transformed(data: Float64Array | Float32Array): Float64Array {
    if (this.params.inputTransform === 'none' && data instanceof Float64Array) return data;
    const out = new Float64Array(data.length);
    if (this.params.inputTransform === 'none') {
      out.set(data);
      return out;
    }
    const f = FEATURE_TRANSFORMS[this.params.inputTransform];
    for (let k = 0; k < data.length; k++) out[k] = f(data[k]);
    return out;
  }

  /** |row|² of each row (rbf), unused (0) for the L1 kernel. */
  private norms(z: Float64Array, rows: number): Float64Array {
    const width = this.active.length;
    if (this.params.kernel !== 'rbf') return new Float64Array(rows);
    return Float64Array.from({ length: rows }, (_, r) => dot(z, r * width, z, r * width, width));
  }

  /**
   * Rows of raw inputs → the active columns, standardised and block-weighted, in float32 precision
   * (into `out` when given). `transform` is applied first when given (predict: only the active
   * columns are transformed, and nothing the size of the input is allocated); else `raw` is
   * already transformed.
   */
  private standardised(raw: Float64Array | Float32Array, rows: number, out: Float64Array = new Float64Array(rows * this.active.length), transform?: (v: number) => number): Float64Array {
    const weight = new Float64Array(this.cols).fill(1);
    for (const b of this.params.blockWeights ?? []) for (let j = Math.max(0, b.start); j < Math.min(this.cols, b.end); j++) weight[j] = b.weight;
    const { active, columnMean, columnScale, cols } = this;
    const width = active.length;
    // per active column, in its order: the loop then reads three contiguous arrays
    const w = Float64Array.from(active, (j) => weight[j]);
    const mean = Float64Array.from(active, (j) => columnMean[j]);
    const scale = Float64Array.from(active, (j) => columnScale[j]);
    // weight 1, mean 0, scale 1 (raw inputs): (1·(x − 0)) / 1 is x exactly, so only the gather is left
    const identity = w.every((v) => v === 1) && mean.every((v) => v === 0) && scale.every((v) => v === 1);
    const f = transform === FEATURE_TRANSFORMS.none ? undefined : transform;
    for (let r = 0; r < rows; r++) {
      const from = r * cols;
      const to = r * width;
      if (f !== undefined) for (let a = 0; a < width; a++) out[to + a] = Math.fround((w[a] * (f(raw[from + active[a]]) - mean[a])) / scale[a]);
      else if (identity) for (let a = 0; a < width; a++) out[to + a] = Math.fround(raw[from + active[a]]);
      else for (let a = 0; a < width; a++) out[to + a] = Math.fround((w[a] * (raw[from + active[a]] - mean[a])) / scale[a]);
    }
    return out;
  }

  /** The kernel matrix of the support rows (n × n; the lower triangle is all the factorisation reads). */
  private kernelRows(): Float64Array {
    const z = this.support;
    const n = this.rows;
    const k = new Float64Array(n * n);
    const width = this.active.length;
    if (this.params.kernel !== 'rbf') {
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k[i * n + j] = Math.exp(-this.gamma * distance('laplacian', z, i * width, z, j * width, width));
    } else {
      // products of row blocks below the diagonal, then distances from the norms
      const norms = this.supportNorms;
      const block = 16;
      const products = new Float64Array(block * n);
      for (let start = 0; start < n; start += block) {
        const count = Math.min(block, n - start);
        crossDots(z, start * width, count, z, 0, start + count, width, products);
        for (let q = 0; q < count; q++) {
          const i = start + q;
          for (let j = 0; j < i; j++) k[i * n + j] = Math.exp(-this.gamma * Math.max(0, norms[i] + norms[j] - 2 * products[q * (start + count) + j]));
        }
      }
    }
    for (let i = 0; i < n; i++) k[i * n + i] = 1;
    return k;
  }

  save(file: string): void {
    const tensors = new Map<string, NamedTensor>([
      ['support', { data: Float32Array.from(this.support), shape: [this.rows, this.active.length] }],
      ['active_columns', { data: Float64Array.from(this.active), shape: [this.active.length] }],
      ['dual', { data: this.dual, shape: [this.rows, this.outputs] }],
      ['column_mean', { data: this.columnMean, shape: [this.cols] }],
      ['column_scale', { data: this.columnScale, shape: [this.cols] }],
      ['target_mean', { data: this.targetMean, shape: [this.outputs] }],
    ]);
    writeSafetensors(file, tensors, { format: KRR_FORMAT, version: String(KRR_VERSION), params: JSON.stringify(this.params), gamma: String(this.gamma), attributes: JSON.stringify(this.attributes) });
  }

  static load(file: string): KernelRidge {
    const { tensors, metadata } = readSafetensors(file);
    if (metadata.format !== KRR_FORMAT) throw new ParseError(file, undefined, `not a spramnet kernel ridge model (format "${metadata.format ?? 'none'}", expected "${KRR_FORMAT}")`);
    if (Number(metadata.version) > KRR_VERSION) throw new ParseError(file, undefined, `model version ${metadata.version} is newer than this spramnet reads (${KRR_VERSION}); upgrade spramnet`);
    const need = (name: string): NamedTensor => {
      const t = tensors.get(name);
      if (t === undefined) throw new ParseError(file, undefined, `missing tensor "${name}"`);
      return t;
    };
    let params: KernelRidgeParams;
    try {
      params = JSON.parse(metadata.params);
    } catch {
      throw new ParseError(file, undefined, 'the params metadata is not valid JSON');
    }
    const model = new KernelRidge(params);
    const support = need('support');
    const dual = need('dual');
    model.rows = support.shape[0];
    model.active = Int32Array.from(need('active_columns').data);
    model.outputs = dual.shape[1];
    if (dual.shape[0] !== model.rows) throw new ParseError(file, undefined, `dual has ${dual.shape[0]} rows, support ${model.rows}`);
    model.support = Float64Array.from(support.data);
    model.dual = Float64Array.from(dual.data);
    model.columnMean = Float64Array.from(need('column_mean').data);
    model.cols = model.columnMean.length;
    if (support.shape[1] !== model.active.length || model.active.some((j) => !(j >= 0 && j < model.cols))) throw new ParseError(file, undefined, `support has ${support.shape[1]} columns, active_columns lists ${model.active.length} of ${model.cols}`);
    model.supportNorms = model.norms(model.support, model.rows);
    model.columnScale = Float64Array.from(need('column_scale').data);
    model.targetMean = Float64Array.from(need('target_mean').data);
    model.gamma = Number(metadata.gamma);
    if (!(model.gamma > 0)) throw new ParseError(file, undefined, `bad gamma "${metadata.gamma}"`);
    model.attributes = JSON.parse(metadata.attributes ?? '{}');
    return model;
  }
}

/**
 * The median distance over the pairs of (up to) 400 seeded rows, distanceOf(p, q) for row indices
 * p > q: sets γ on the data's own scale (1 when the rows do not differ).
 */
function medianPairDistance(rows: number, distanceOf: (p: number, q: number) => number): number {
  const rng = seededRandom(12345);
  // sorted, and each pair asked for as (larger, smaller): the fast fit reads distances from row p of
  // an n × n matrix, whose rows are then visited in order (the same pairs, so the same median)
  const picks = Int32Array.from({ length: Math.min(400, rows) }, () => Math.floor(rng() * rows)).sort();
  const d = new Float64Array((picks.length * (picks.length - 1)) / 2);
  let count = 0;
  for (let b = 1; b < picks.length; b++) for (let a = 0; a < b; a++) if (picks[a] !== picks[b]) d[count++] = distanceOf(picks[b], picks[a]);
  const median = count > 0 ? kthSmallest(d.subarray(0, count), Math.floor(count / 2)) : 0;
  return median > 0 ? median : 1; // one row, or identical rows: no scale to learn from
}
