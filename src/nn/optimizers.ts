import { InputError } from '../errors.js';
import type { Arr } from './kernels/index.js';
import { kernelsFor, type Kernels } from './kernels/index.js';
import type { Param } from './layers.js';

export type OptimizerName = 'adam' | 'adamw' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'adamw', 'sgd'];

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  /** Adam: L2 added to the gradient; AdamW: decoupled decay; SGD: L2. */
  weightDecay?: number;
  betas?: [number, number];
  eps?: number;
  momentum?: number;
  nesterov?: boolean;
}

/** PyTorch's Adam, AdamW and SGD (with momentum), step for step; state can be saved and restored. */
export class Optimizer {
  readonly config: Required<OptimizerConfig>;
  lr: number;
  step = 0;
  private readonly params: Param[];
  /** Adam: first and second moments; SGD: momentum buffers (first only). */
  readonly m: Arr[];
  readonly v: Arr[];

  private readonly kernels: Kernels;

  constructor(params: Param[], config: OptimizerConfig, options: { referenceKernels?: boolean } = {}) {
    if (!OPTIMIZERS.includes(config.name)) throw new InputError(`unknown optimizer "${config.name}" (expected ${OPTIMIZERS.join(', ')})`);
    if (!(config.lr > 0)) throw new InputError(`learning rate must be positive, got ${config.lr}`);
    this.config = { weightDecay: config.name === 'adamw' ? 0.01 : 0, betas: [0.9, 0.999], eps: 1e-8, momentum: 0, nesterov: false, ...config };
    this.lr = config.lr;
    this.params = params;
    const dtype = params[0]?.value instanceof Float64Array ? 'float64' : 'float32';
    this.kernels = kernelsFor(dtype, options.referenceKernels);
    this.m = params.map((p) => this.kernels.allocate(p.value.length));
    this.v = params.map((p) => this.kernels.allocate(config.name === 'sgd' ? 0 : p.value.length));
  }

  update(): void {
    this.step++;
    const { name, weightDecay: wd, betas, eps, momentum, nesterov } = this.config;
    const lr = this.lr;
    if (name === 'sgd') {
      this.params.forEach((p, i) => {
        const buf = this.m[i];
        for (let k = 0; k < p.value.length; k++) {
          let g = p.grad[k] + wd * p.value[k];
          if (momentum !== 0) {
            buf[k] = this.step === 1 ? g : momentum * buf[k] + g;
            g = nesterov ? g + momentum * buf[k] : buf[k];
          }
          p.value[k] -= lr * g;
        }
      });
      return;
    }
    const [b1, b2] = betas;
    const c1 = 1 - b1 ** this.step;
    const c2root = Math.sqrt(1 - b2 ** this.step);
    this.params.forEach((p, i) => this.kernels.adam(p.value, p.grad, this.m[i], this.v[i], p.value.length, lr, b1, b2, eps, c1, c2root, wd, name === 'adamw'));
  }
}
