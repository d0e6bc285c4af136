import { InputError } from '../errors.js';
import { binColumns, sketchBins } from './binning.js';
import { binnedData, growTree, scratchFor, type TreeParams } from './grow.js';
import { checkLabels, type Matrix } from '../util/matrix.js';
import { median, objective, OBJECTIVES, type Objective, type ObjectiveName } from './objectives.js';
import { permutation, seededRandom } from '../util/random.js';
import { asFloat32, leafOf, smoothTreeOutput, type RegressionTree } from './tree.js';

/** Hyper-parameters, named as XGBoost names them (camelCase). */
export interface GbdtParams extends TreeParams {
  rounds: number;
  objective: ObjectiveName;
  /** Slope δ of reg:pseudohubererror. */
  huberSlope: number;
  subsample: number;
  colsampleBytree: number;
  maxBin: number;
  /** Starting prediction; default: the objective's intercept (mean, or median), as XGBoost ≥ 2 estimates it. */
  baseScore?: number;
  earlyStoppingRounds?: number;
  seed: number;
}

export const DEFAULT_GBDT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  rounds: 100,
  maxDepth: 6,
  eta: 0.3,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  minChildWeight: 1,
  maxDeltaStep: 0,
  objective: 'reg:squarederror' as ObjectiveName,
  huberSlope: 1,
  subsample: 1,
  colsampleBytree: 1,
  maxBin: 256,
  seed: 0,
});

type Check = [test: (v: number) => boolean, expected: string];
const CONSTRAINTS: Record<string, Check> = {
  rounds: [(v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1'],
  maxDepth: [(v) => Number.isInteger(v) && v >= 1 && v <= 30, 'a whole number in 1…30'],
  eta: [(v) => v > 0 && v <= 1, 'in (0, 1]'],
  lambda: [(v) => v >= 0, '≥ 0'],
  alpha: [(v) => v >= 0, '≥ 0'],
  gamma: [(v) => v >= 0, '≥ 0'],
  minChildWeight: [(v) => v >= 0, '≥ 0'],
  maxDeltaStep: [(v) => v >= 0, '≥ 0'],
  huberSlope: [(v) => v > 0, '> 0'],
  subsample: [(v) => v > 0 && v <= 1, 'in (0, 1]'],
  colsampleBytree: [(v) => v > 0 && v <= 1, 'in (0, 1]'],
  maxBin: [(v) => Number.isInteger(v) && v >= 2 && v <= 65535, 'a whole number in 2…65535'],
  seed: [(v) => Number.isInteger(v), 'a whole number'],
  earlyStoppingRounds: [(v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1'],
  baseScore: [(v) => Number.isFinite(v), 'a finite number'],
};

export function checkParams(params: Partial<GbdtParams>): GbdtParams {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...params };
  for (const [key, value] of Object.entries(p)) {
    if (key === 'objective') {
      if (!OBJECTIVES.includes(value as ObjectiveName)) throw new InputError(`objective "${value}" is unknown (expected one of ${OBJECTIVES.join(', ')})`);
      continue;
    }
    const check = CONSTRAINTS[key];
    if (check === undefined) throw new InputError(`unknown parameter "${key}" (known: ${Object.keys(CONSTRAINTS).join(', ')}, objective)`);
    if (value !== undefined && !(typeof value === 'number' && check[0](value))) throw new InputError(`${key} = ${value}: expected ${check[1]}`);
  }
  return p;
}

export interface EvalRecord {
  round: number;
  train: number;
  validation?: number;
}

export interface FitOptions {
  validation?: { x: Matrix; y: ArrayLike<number> };
  /** Build histograms in plain TypeScript even where the WebAssembly kernel exists (tests compare them). */
  referenceKernels?: boolean;
  onRound?: (record: EvalRecord, rounds: number) => void;
}

export type ImportanceKind = 'weight' | 'gain' | 'total_gain' | 'cover' | 'total_cover';

/**
 * Gradient-boosted regression trees, second order, XGBoost's `hist` method: configure, fit(X, y),
 * predict(X). Predictions are summed in float32 tree by tree, as XGBoost's CPU predictor does, so a
 * model moved between spramnet and Python's xgboost predicts the same numbers.
 */
export class GradientBoostedTrees {
  readonly params: GbdtParams;
  trees: RegressionTree[] = [];
  baseScore = 0.5;
  numFeature = 0;
  history: EvalRecord[] = [];
  bestIteration: number | undefined;
  /** Free-form notes saved with the model (XGBoost's learner attributes), e.g. the feature transform. */
  attributes: Record<string, string> = {};

  constructor(params: Partial<GbdtParams> = {}) {
    this.params = { ...DEFAULT_GBDT_PARAMS, ...params };
  }

  fit(x: Matrix, yIn: ArrayLike<number>, options: FitOptions = {}): this {
    const p = checkParams(this.params);
    if (x.rows === 0 || x.cols === 0) throw new InputError(`X is empty (${x.rows} × ${x.cols})`);
    const y = checkLabels(yIn, x.rows);
    const obj: Objective = objective(p.objective, p.huberSlope);
    const validation = options.validation;
    let yVal: Float64Array | undefined;
    if (validation !== undefined) {
      if (validation.x.cols !== x.cols) throw new InputError(`validation X has ${validation.x.cols} columns, training X ${x.cols}`);
      yVal = checkLabels(validation.y, validation.x.rows, 'validation y');
    }
    const bins = sketchBins(x, p.maxBin);
    const data = binnedData(x.rows, x.cols, binColumns(x, bins), bins, !options.referenceKernels);
    const work = scratchFor(data);
    this.numFeature = x.cols;
    this.baseScore = Math.fround(p.baseScore ?? obj.intercept(y));
    this.trees = [];
    this.history = [];
    this.bestIteration = undefined;

    const rand = seededRandom(p.seed);
    const pred = new Float32Array(x.rows).fill(this.baseScore);
    const valPred = validation ? new Float32Array(validation.x.rows).fill(this.baseScore) : undefined;
    const grad = new Float64Array(x.rows);
    const hess = new Float64Array(x.rows);
    const allRows = Int32Array.from({ length: x.rows }, (_, i) => i);
    const x32 = asFloat32(x.data);
    const v32 = validation ? asFloat32(validation.x.data) : undefined;
    let best = Infinity;
    let bestRound = 0;
    for (let round = 0; round < p.rounds; round++) {
      obj.gradients(pred, y, grad, hess);
      const rows = p.subsample < 1 ? sampleSorted(x.rows, Math.max(1, Math.floor(p.subsample * x.rows)), rand) : allRows;
      const features = p.colsampleBytree < 1 ? sampleSorted(x.cols, Math.max(1, Math.floor(p.colsampleBytree * x.cols)), rand) : Int32Array.from({ length: x.cols }, (_, i) => i);
      const grown = growTree(data, rows, features, grad, hess, p, work);
      const tree = grown.tree;
      if (obj.adaptiveLeaves) {
        // XGBoost's adaptive trees: each leaf becomes eta × the median residual of its rows
        for (const [leaf, [begin, end]] of grown.leafRanges) {
          if (end === begin) continue;
          const residuals = Float64Array.from(grown.index.subarray(begin, end), (r) => y[r] - pred[r]);
          tree.splitCondition[leaf] = p.eta * median(residuals);
          tree.baseWeight[leaf] = tree.splitCondition[leaf];
        }
      }
      this.trees.push(tree);
      for (let r = 0; r < x.rows; r++) pred[r] = Math.fround(pred[r] + tree.splitCondition[leafOf(tree, x32, r * x.cols)]);
      const record: EvalRecord = { round, train: obj.evaluate(pred, y) };
      if (validation && valPred && yVal) {
        const vx = validation.x;
        for (let r = 0; r < vx.rows; r++) valPred[r] = Math.fround(valPred[r] + tree.splitCondition[leafOf(tree, v32 as Float32Array, r * vx.cols)]);
        record.validation = obj.evaluate(valPred, yVal);
        if (record.validation < best) {
          best = record.validation;
          bestRound = round;
        }
      }
      this.history.push(record);
      options.onRound?.(record, p.rounds);
      if (p.earlyStoppingRounds !== undefined && validation && round - bestRound >= p.earlyStoppingRounds) break;
    }
    if (p.earlyStoppingRounds !== undefined && validation) {
      // keep the best model only, so every consumer (xgboost included) predicts with it
      this.trees = this.trees.slice(0, bestRound + 1);
      this.bestIteration = bestRound;
    }
    return this;
  }

  /** Predictions in float32 arithmetic, like XGBoost's. */
  predict(x: Matrix): Float64Array {
    if (this.trees.length === 0 && this.numFeature === 0) throw new InputError('the model is not fitted');
    if (x.cols !== this.numFeature) throw new InputError(`X has ${x.cols} features, the model expects ${this.numFeature}`);
    const values = asFloat32(x.data);
    // blocks of rows that fit in cache, every tree over each block; a Float32Array store rounds
    // each sum to float32, exactly as XGBoost accumulates
    const sum = new Float32Array(x.rows).fill(this.baseScore);
    const block = Math.max(1, Math.floor(65536 / x.cols));
    for (let start = 0; start < x.rows; start += block) {
      const end = Math.min(x.rows, start + block);
      for (const tree of this.trees) addTree(tree, values, start, end, x.cols, sum);
    }
    return Float64Array.from(sum);
  }

  /**
   * Predictions with smooth splits of width `widths[f]` per feature (tree.ts smoothTreeOutput):
   * continuous in the features, equal to `predict` for rows farther than w_f/2 from every
   * threshold on their paths (sums in float32 as there).
   */
  predictSmooth(x: Matrix, widths: Float64Array): Float64Array {
    if (this.trees.length === 0 && this.numFeature === 0) throw new InputError('the model is not fitted');
    if (x.cols !== this.numFeature) throw new InputError(`X has ${x.cols} features, the model expects ${this.numFeature}`);
    if (widths.length !== this.numFeature) throw new InputError(`${widths.length} split widths for ${this.numFeature} features`);
    const values = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
    const sum = new Float32Array(x.rows).fill(this.baseScore);
    for (let r = 0; r < x.rows; r++) for (const tree of this.trees) sum[r] += smoothTreeOutput(tree, values, r * x.cols, widths);
    return Float64Array.from(sum);
  }

  /** Per-feature importance as XGBoost's get_score(importance_type=…). */
  featureImportance(kind: ImportanceKind = 'gain'): Float64Array {
    const count = new Float64Array(this.numFeature);
    const gain = new Float64Array(this.numFeature);
    const cover = new Float64Array(this.numFeature);
    for (const t of this.trees) {
      for (let n = 0; n < t.left.length; n++) {
        if (t.left[n] === -1) continue;
        const f = t.splitIndex[n];
        count[f]++;
        gain[f] += t.lossChange[n];
        cover[f] += t.sumHessian[n];
      }
    }
    return count.map((c, f) => {
      switch (kind) {
        case 'weight':
          return c;
        case 'gain':
          return c > 0 ? gain[f] / c : 0;
        case 'total_gain':
          return gain[f];
        case 'cover':
          return c > 0 ? cover[f] / c : 0;
        case 'total_cover':
          return cover[f];
      }
    });
  }
}

function addTree(tree: RegressionTree, x: Float32Array, start: number, end: number, cols: number, sum: Float32Array): void {
  const { left, right, splitIndex, splitCondition, defaultLeft } = tree;
  for (let r = start, offset = start * cols; r < end; r++, offset += cols) {
    let node = 0;
    while (left[node] !== -1) {
      const v = x[offset + splitIndex[node]];
      node = v !== v ? (defaultLeft[node] ? left[node] : right[node]) : v < splitCondition[node] ? left[node] : right[node];
    }
    sum[r] += splitCondition[node];
  }
}

/** k distinct indices of 0…n−1, in increasing order (row order keeps memory access sequential). */
function sampleSorted(n: number, k: number, rand: () => number): Int32Array {
  return permutation(n, rand).subarray(0, k).sort();
}
