import { InputError } from '../errors.js';

export type ObjectiveName = 'reg:squarederror' | 'reg:absoluteerror' | 'reg:pseudohubererror';
export const OBJECTIVES: readonly ObjectiveName[] = ['reg:squarederror', 'reg:absoluteerror', 'reg:pseudohubererror'];

/** A loss as XGBoost defines it: first and second derivatives in the prediction, its metric, its intercept. */
export interface Objective {
  name: ObjectiveName;
  metric: 'rmse' | 'mae' | 'mphe';
  gradients(pred: ArrayLike<number>, y: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** The intercept that minimises the loss with no trees (XGBoost ≥ 2 estimates it the same way). */
  intercept(y: Float64Array): number;
  /** reg:absoluteerror re-fits each leaf to the median residual of its rows (XGBoost's adaptive leaves). */
  adaptiveLeaves: boolean;
  evaluate(pred: ArrayLike<number>, y: Float64Array): number;
}

export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

export function objective(name: string, hubeSlope = 1): Objective {
  switch (name) {
    case 'reg:squarederror':
      return {
        name,
        metric: 'rmse',
        adaptiveLeaves: false,
        gradients: (pred, y, grad, hess) => {
          for (let i = 0; i < y.length; i++) {
            grad[i] = pred[i] - y[i];
            hess[i] = 1;
          }
        },
        intercept: (y) => y.reduce((a, b) => a + b, 0) / Math.max(1, y.length),
        evaluate: (pred, y) => {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
          return Math.sqrt(s / y.length);
        },
      };
    case 'reg:absoluteerror':
      return {
        name,
        metric: 'mae',
        adaptiveLeaves: true,
        gradients: (pred, y, grad, hess) => {
          for (let i = 0; i < y.length; i++) {
            const d = pred[i] - y[i];
            grad[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
            hess[i] = 1;
          }
        },
        intercept: median,
        evaluate: (pred, y) => {
          let s = 0;
          for (let i = 0; i < y.length; i++) s += Math.abs(pred[i] - y[i]);
          return s / y.length;
        },
      };
    case 'reg:pseudohubererror':
      return {
        name,
        metric: 'mphe',
        adaptiveLeaves: false,
        gradients: (pred, y, grad, hess) => {
          const slope2 = hubeSlope * hubeSlope;
          for (let i = 0; i < y.length; i++) {
            const z = pred[i] - y[i];
            const scale = 1 + (z * z) / slope2;
            const root = Math.sqrt(scale);
            grad[i] = z / root;
            hess[i] = 1 / (scale * root);
          }
        },
        intercept: median,
        evaluate: (pred, y) => {
          const slope2 = hubeSlope * hubeSlope;
          let s = 0;
          for (let i = 0; i < y.length; i++) s += slope2 * (Math.sqrt(1 + (pred[i] - y[i]) ** 2 / slope2) - 1);
          return s / y.length;
        },
      };
    default:
      throw new InputError(`unknown objective "${name}" (expected one of ${OBJECTIVES.join(', ')})`);
  }
}
