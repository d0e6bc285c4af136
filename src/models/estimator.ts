import { InputError } from '../errors.js';
import type { Matrix } from '../util/matrix.js';

/**
 * One contract for every model kind, in the spirit of scikit-learn's estimators: settings go into
 * the constructor and are checked at `fit`; `fit(X, Y)` is multi-output (Y is rows × outputs) and
 * returns the fitted model; `predict(X)` gives rows × outputs; `save` writes the model's files and
 * `load` (on the kind) reads them back to an estimator that predicts bit-identically. An ensemble,
 * training recipes and predict see only this interface and the registry below.
 */
export interface FitOptions {
  /**
   * Rows the estimator may use to choose what it would otherwise have to guess: the CNN's best
   * epoch, kernel ridge's γ and α. Never the rows it is scored on.
   */
  validation?: { x: Matrix; y: Matrix };
  /** The loss the validation rows are scored with when they choose settings (lower is better; default MSE). */
  loss?: (pred: Float64Array, truth: Float64Array) => number;
  onProgress?: (done: number, total: number) => void;
}

export interface Estimator {
  /** The registry name of the model kind ("cnn", "krr", "gbdt"). */
  readonly kind: string;
  /** The constructor's settings, as given (JSON-safe). */
  readonly settings: Readonly<Record<string, unknown>>;
  fit(x: Matrix, y: Matrix, options?: FitOptions): this;
  predict(x: Matrix): Matrix;
  /**
   * Write the model into `dir` as files named from `stem` (trees: one per output, named by
   * `outputNames`); `metadata` (the model input, the task) is stored in every file. Returns the
   * file names written, relative to `dir`.
   */
  save(dir: string, stem: string, metadata: Record<string, string>, outputNames?: readonly string[]): string[];
  /** What `fit` chose or learned that a model card should show (best epoch, γ, number of trees…). */
  fitted(): Record<string, unknown>;
  /** Settings that refit the chosen model on more rows (what validation rows chose, fixed); default: `settings`. */
  refitSettings?(): Record<string, unknown>;
}

export interface EstimatorKind {
  readonly kind: string;
  readonly description: string;
  create(settings: Record<string, unknown>): Estimator;
  /** The estimator saved in these files of `dir` (as `save` named them). */
  load(dir: string, files: readonly string[]): Estimator;
  /**
   * How an ensemble member of this kind is fitted when an inner hold-out weighs the members:
   * `refit` – fit without the hold-out to predict it, then refit on all training rows (cheap kinds);
   * `holdout` – fit once without the hold-out, which the fit itself uses (the CNN's epoch choice).
   */
  readonly ensembleFit: 'refit' | 'holdout';
}

const KINDS = new Map<string, EstimatorKind>();

/** Make a model kind known to ensembles, recipes and model folders. */
export function registerEstimatorKind(kind: EstimatorKind): void {
  KINDS.set(kind.kind, kind);
}

export function estimatorKinds(): string[] {
  return [...KINDS.keys()];
}

export function estimatorKind(name: string, where = 'model kind'): EstimatorKind {
  const kind = KINDS.get(name);
  if (kind === undefined) throw new InputError(`${where}: unknown model kind "${name}" (known: ${estimatorKinds().join(', ')})`);
  return kind;
}

export function createEstimator(name: string, settings: Record<string, unknown> = {}): Estimator {
  return estimatorKind(name).create(settings);
}

/** The checks every `fit` makes before touching the data: shapes agree and every value is finite. */
export function checkFitData(kind: string, x: Matrix, y: Matrix): void {
  if (x.rows === 0 || x.cols === 0) throw new InputError(`${kind}.fit: X is empty (${x.rows} × ${x.cols})`);
  if (x.data.length !== x.rows * x.cols) throw new InputError(`${kind}.fit: X holds ${x.data.length} values, not ${x.rows} × ${x.cols}`);
  if (y.rows !== x.rows) throw new InputError(`${kind}.fit: Y has ${y.rows} rows for ${x.rows} rows of X`);
  if (y.cols < 1 || y.data.length !== y.rows * y.cols) throw new InputError(`${kind}.fit: Y holds ${y.data.length} values, not ${y.rows} × ${y.cols}`);
  checkFinite(kind, 'fit', 'X', x);
  checkFinite(kind, 'fit', 'Y', y);
}

/** The checks every `predict` makes: the model is fitted, the width is the trained one, values are finite. */
export function checkPredictData(kind: string, x: Matrix, cols: number | undefined): void {
  if (cols === undefined) throw new InputError(`${kind}.predict: the model is not fitted (call fit or load it first)`);
  if (x.cols !== cols) throw new InputError(`${kind}.predict: X has ${x.cols} columns, the model was fitted on ${cols}`);
  if (x.data.length !== x.rows * x.cols) throw new InputError(`${kind}.predict: X holds ${x.data.length} values, not ${x.rows} × ${x.cols}`);
  checkFinite(kind, 'predict', 'X', x);
}

function checkFinite(kind: string, method: string, what: string, m: Matrix): void {
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k])) {
      throw new InputError(`${kind}.${method}: ${what}[${Math.floor(k / m.cols)}, ${k % m.cols}] = ${m.data[k]}; every value must be a finite number`);
    }
  }
}

/** A settings object checked against the names a kind knows, so a typo is refused rather than ignored. */
export function checkSettingNames(kind: string, settings: Record<string, unknown>, known: readonly string[]): void {
  for (const name of Object.keys(settings)) {
    if (!known.includes(name)) throw new InputError(`${kind}: unknown setting "${name}" (known: ${known.join(', ')})`);
  }
}
