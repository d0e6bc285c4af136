import { join } from 'node:path';
import { InputError } from '../errors.js';
import { KernelRidge, type KernelRidgeParams } from '../krr/kernelRidge.js';
import { selectKernelRidge, type KernelRidgeGrid } from '../krr/selectKernelRidge.js';
import type { Matrix } from '../util/matrix.js';
import { checkFitData, checkPredictData, checkSettingNames, type Estimator, type EstimatorKind, type FitOptions } from './estimator.js';

/**
 * Kernel ridge regression behind the estimator contract. With a `grid`, γ and α are chosen on the
 * validation rows of `fit` (the model is fitted on the fit rows only); without validation rows, the
 * grid's middle point is used. `refitSettings` gives the chosen setting, to refit on more rows.
 */
export type KrrSettings = Partial<KernelRidgeParams> & { grid?: KernelRidgeGrid };

/** The inner loss that picks γ and α when none is given: mean squared error. */
const mse = (p: Float64Array, t: Float64Array): number => p.reduce((s, value, k) => s + (value - t[k]) ** 2, 0) / t.length;

export class KrrRegressor implements Estimator {
  readonly kind = 'krr';
  readonly settings: Readonly<KrrSettings>;
  private model: KernelRidge | undefined;
  private scores: unknown[] = [];

  constructor(settings: KrrSettings = {}, loaded?: KernelRidge) {
    this.settings = { ...settings };
    this.model = loaded;
  }

  fit(x: Matrix, y: Matrix, options: FitOptions = {}): this {
    checkSettingNames('krr', this.settings, ['kernel', 'gammaScale', 'alpha', 'inputTransform', 'standardise', 'blockWeights', 'grid']);
    checkFitData('krr', x, y);
    const { grid, ...params } = this.settings;
    const xd = { data: Float64Array.from(x.data), rows: x.rows, cols: x.cols };
    const yd = Float64Array.from(y.data);
    const v = options.validation;
    if (grid === undefined || v === undefined) {
      const middle = grid ? { gammaScale: grid.gammaScales[Math.floor(grid.gammaScales.length / 2)], alpha: grid.alphas[Math.floor(grid.alphas.length / 2)] } : {};
      this.model = new KernelRidge({ ...params, ...middle }).fit(xd, yd, y.cols);
      return this;
    }
    if (v.x.cols !== x.cols || v.y.cols !== y.cols) throw new InputError(`krr.fit: validation rows have ${v.x.cols} inputs and ${v.y.cols} outputs, fit rows ${x.cols} and ${y.cols}`);
    // the validation rows follow the fit rows, as the hold-out that chooses γ and α
    const all = { data: concat(xd.data, v.x.data), rows: x.rows + v.x.rows, cols: x.cols };
    const hold = Int32Array.from({ length: v.x.rows }, (_, k) => x.rows + k);
    const selection = selectKernelRidge(all, concat(yd, v.y.data), y.cols, params, grid, options.loss ?? mse, 0, options.onProgress, hold, false);
    this.model = selection.model;
    this.scores = selection.scores;
    return this;
  }

  /** The settings to refit with on more rows: the chosen γ and α, no grid. */
  refitSettings(): Record<string, unknown> {
    if (this.model === undefined) throw new InputError('krr: not fitted');
    return { ...this.model.params };
  }

  predict(x: Matrix): Matrix {
    checkPredictData('krr', x, this.model?.cols);
    const model = this.model as KernelRidge;
    return { data: model.predict(x), rows: x.rows, cols: model.outputs };
  }

  save(dir: string, stem: string, metadata: Record<string, string>): string[] {
    if (this.model === undefined) throw new InputError('krr.save: the model is not fitted');
    this.model.attributes = { ...metadata };
    const file = `${stem}.krr.safetensors`;
    this.model.save(join(dir, file));
    return [file];
  }

  fitted(): Record<string, unknown> {
    return this.model ? { ...this.model.params, gamma: this.model.gamma, grid: this.settings.grid, innerHoldOutScores: this.scores } : {};
  }
}

function concat(a: Float64Array | Float32Array, b: Float64Array | Float32Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export const KRR_KIND: EstimatorKind = {
  kind: 'krr',
  description: 'kernel ridge regression (rbf or Laplacian kernel, γ relative to the median distance)',
  ensembleFit: 'refit',
  create: (settings) => new KrrRegressor(settings as KrrSettings),
  load: (dir, files) => {
    if (files.length !== 1) throw new InputError(`a krr model is one file, got ${files.length}`);
    return new KrrRegressor({}, KernelRidge.load(join(dir, files[0])));
  },
};
