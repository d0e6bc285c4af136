import { InputError } from '../errors.js';
import type { Arr } from './kernels/index.js';

export type LossName = 'mse' | 'mae' | 'huber';
export const LOSSES: readonly LossName[] = ['mse', 'mae', 'huber'];

/** Mean loss over all elements, and its gradient with respect to the prediction written into grad. */
export function lossAndGradient(name: LossName, pred: Arr, target: ArrayLike<number>, n: number, grad: Arr, huberDelta = 1): number {
  let total = 0;
  for (let k = 0; k < n; k++) {
    const d = pred[k] - target[k];
    switch (name) {
      case 'mse':
        total += d * d;
        grad[k] = (2 * d) / n;
        break;
      case 'mae':
        total += Math.abs(d);
        grad[k] = (d > 0 ? 1 : d < 0 ? -1 : 0) / n;
        break;
      case 'huber': {
        const a = Math.abs(d);
        total += a < huberDelta ? 0.5 * d * d : huberDelta * (a - 0.5 * huberDelta);
        grad[k] = (a < huberDelta ? d : huberDelta * Math.sign(d)) / n;
        break;
      }
      default:
        throw new InputError(`unknown loss "${name}" (expected ${LOSSES.join(', ')})`);
    }
  }
  return total / n;
}
