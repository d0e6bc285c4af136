import { InputError } from '../errors.js';

export type ScheduleConfig =
  | { name: 'constant' }
  | { name: 'cosine'; epochs: number; minLr?: number }
  | { name: 'plateau'; factor?: number; patience?: number; threshold?: number; minLr?: number };

/** Learning rate per epoch: PyTorch's CosineAnnealingLR and ReduceLROnPlateau (mode min, relative threshold). */
export class Schedule {
  readonly config: ScheduleConfig;
  readonly baseLr: number;
  best = Infinity;
  badEpochs = 0;

  constructor(config: ScheduleConfig, baseLr: number) {
    if (!['constant', 'cosine', 'plateau'].includes(config.name)) throw new InputError(`unknown schedule "${(config as { name: string }).name}" (expected constant, cosine, plateau)`);
    this.config = config;
    this.baseLr = baseLr;
  }

  /** The learning rate for epoch `epoch` (0-based), given the current one and the last validation loss. */
  next(epoch: number, currentLr: number, validationLoss: number): number {
    const c = this.config;
    if (c.name === 'cosine') {
      const min = c.minLr ?? 0;
      return min + ((this.baseLr - min) * (1 + Math.cos((Math.PI * Math.min(epoch, c.epochs)) / c.epochs))) / 2;
    }
    if (c.name === 'plateau') {
      const threshold = c.threshold ?? 1e-4;
      if (validationLoss < this.best * (1 - threshold)) {
        this.best = validationLoss;
        this.badEpochs = 0;
      } else if (++this.badEpochs > (c.patience ?? 10)) {
        this.badEpochs = 0;
        return Math.max(c.minLr ?? 0, currentLr * (c.factor ?? 0.1));
      }
    }
    return currentLr;
  }
}
