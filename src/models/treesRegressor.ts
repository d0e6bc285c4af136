import { join } from 'node:path';
import { InputError } from '../errors.js';
import { DEFAULT_GBDT_PARAMS, GradientBoostedTrees, type GbdtParams } from '../gbdt/booster.js';
import { loadXGBoostJson, saveXGBoostJson } from '../gbdt/xgboostJson.js';
import type { Matrix } from '../util/matrix.js';
import { checkFitData, checkPredictData, checkSettingNames, type Estimator, type EstimatorKind, type FitOptions } from './estimator.js';
import { FEATURE_TRANSFORMS, transformFeatures, type FeatureTransform } from './featureTransforms.js';

/**
 * Gradient-boosted trees behind the estimator contract: one booster per output, one XGBoost JSON file each.
 * `splitSmoothing` α > 0: splits are smooth (gbdt/tree.ts smoothTreeOutput) over a width of α times
 * each feature's standard deviation over the training rows, so predictions are continuous in the
 * inputs instead of jumping when a feature crosses a threshold (with continuous descriptors, trees
 * were the part of σ and κ that still jumped under a 1e-5 Å jitter). The widths are stored in the
 * model file as an attribute; XGBoost itself ignores it and predicts with hard splits.
 */
export type TreesSettings = Partial<GbdtParams> & { features?: FeatureTransform; splitSmoothing?: number };

/** The learner attribute that records the feature transform (read by older spramnet too). */
const FEATURES_ATTRIBUTE = 'spramnet_feature_transform';
/** The learner attribute with the smooth-split widths per feature (a JSON array), when smoothing is on. */
const WIDTHS_ATTRIBUTE = 'spramnet_split_widths';

/** α times each column's standard deviation (two passes). */
function splitWidths(x: Matrix, alpha: number): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) mean[c] += x.data[r * x.cols + c] / x.rows;
  const variance = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) variance[c] += (x.data[r * x.cols + c] - mean[c]) ** 2 / x.rows;
  return variance.map((v) => alpha * Math.sqrt(v));
}

export class TreesRegressor implements Estimator {
  readonly kind = 'gbdt';
  readonly settings: Readonly<TreesSettings>;
  private boosters: GradientBoostedTrees[] = [];

  constructor(settings: TreesSettings = {}, loaded?: GradientBoostedTrees[]) {
    this.settings = { ...settings };
    if (loaded) this.boosters = loaded;
  }

  private features(): string {
    return this.boosters[0]?.attributes[FEATURES_ATTRIBUTE] ?? this.settings.features ?? 'none';
  }

  fit(x: Matrix, y: Matrix, options: FitOptions = {}): this {
    checkSettingNames('gbdt', this.settings, [...Object.keys(DEFAULT_GBDT_PARAMS), 'baseScore', 'earlyStoppingRounds', 'features', 'splitSmoothing']);
    checkFitData('gbdt', x, y);
    const { features = 'none', splitSmoothing = 0, ...params } = this.settings;
    if (FEATURE_TRANSFORMS[features] === undefined) throw new InputError(`gbdt: unknown feature transform "${features}" (known: ${Object.keys(FEATURE_TRANSFORMS).join(', ')})`);
    if (!(splitSmoothing >= 0 && Number.isFinite(splitSmoothing))) throw new InputError(`gbdt: splitSmoothing must be a number ≥ 0 (a fraction of each feature's standard deviation), got ${splitSmoothing}`);
    const fx = transformFeatures(x, features);
    const widths = splitSmoothing > 0 ? JSON.stringify(Array.from(splitWidths(fx, splitSmoothing))) : undefined;
    this.boosters = Array.from({ length: y.cols }, (_, c) => {
      options.onProgress?.(c, y.cols);
      const booster = new GradientBoostedTrees(params).fit(fx, Float64Array.from({ length: y.rows }, (_, r) => y.data[r * y.cols + c]));
      booster.attributes[FEATURES_ATTRIBUTE] = features;
      if (widths !== undefined) booster.attributes[WIDTHS_ATTRIBUTE] = widths;
      return booster;
    });
    this.widths = undefined;
    options.onProgress?.(y.cols, y.cols);
    return this;
  }

  /** The smooth-split widths recorded in the model (undefined: hard splits). */
  private widths: Float64Array | undefined;
  private splitWidths(): Float64Array | undefined {
    const stored = this.boosters[0]?.attributes[WIDTHS_ATTRIBUTE];
    if (stored !== undefined && this.widths === undefined) this.widths = Float64Array.from(JSON.parse(stored) as number[]);
    return this.widths;
  }

  predict(x: Matrix): Matrix {
    checkPredictData('gbdt', x, this.boosters[0]?.numFeature);
    const fx = transformFeatures(x, this.features());
    const outputs = this.boosters.length;
    const out = new Float64Array(x.rows * outputs);
    const widths = this.splitWidths();
    this.boosters.forEach((booster, o) => (widths ? booster.predictSmooth(fx, widths) : booster.predict(fx)).forEach((v, r) => (out[r * outputs + o] = v)));
    return { data: out, rows: x.rows, cols: outputs };
  }

  save(dir: string, stem: string, metadata: Record<string, string>, outputNames?: readonly string[]): string[] {
    if (this.boosters.length === 0) throw new InputError('gbdt.save: the model is not fitted');
    const names = outputNames ?? (this.boosters.length === 1 ? [stem] : this.boosters.map((_, o) => `${stem}_${o}`));
    if (names.length !== this.boosters.length) throw new InputError(`gbdt.save: ${names.length} output names for ${this.boosters.length} outputs`);
    return this.boosters.map((booster, o) => {
      Object.assign(booster.attributes, metadata);
      const file = `${names[o]}.json`;
      saveXGBoostJson(booster, join(dir, file));
      return file;
    });
  }

  fitted(): Record<string, unknown> {
    return { ...this.settings, features: this.features(), trees: this.boosters.map((b) => b.trees.length), format: 'XGBoost JSON' };
  }
}

export const TREES_KIND: EstimatorKind = {
  kind: 'gbdt',
  description: 'gradient-boosted trees (XGBoost’s hist method; XGBoost JSON files, one per output)',
  ensembleFit: 'refit',
  create: (settings) => new TreesRegressor(settings as TreesSettings),
  load: (dir, files) => new TreesRegressor({}, files.map((f) => loadXGBoostJson(join(dir, f)))),
};
