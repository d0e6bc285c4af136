import { InputError } from '../errors.js';
import { Rng } from '../util/random.js';
import { kernelsFor, type Arr, type Kernels } from './kernels/index.js';
import { layerFromSpec, type BuildContext, type DType, type Layer, type LayerSpec, type Param, type StateTensor } from './layers.js';

export interface NetworkSpec {
  /** Per-sample input shape, channels × length (a vector input is 1 × length). */
  inputShape: number[];
  layers: LayerSpec[];
}

/** A chain of layers: forward in order, backward in reverse. */
export class Network {
  readonly layers: Layer[];
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly dtype: DType;
  /** The random stream of initialisation and then dropout; its state goes into checkpoints. */
  readonly rng: Rng;
  readonly kernels: Kernels;

  constructor(spec: NetworkSpec, options: { dtype?: DType; seed?: number; referenceKernels?: boolean } = {}) {
    this.dtype = options.dtype ?? 'float32';
    this.rng = new Rng(options.seed ?? 0);
    this.kernels = kernelsFor(this.dtype, options.referenceKernels);
    this.inputShape = spec.inputShape;
    this.layers = spec.layers.map(layerFromSpec);
    const ctx: BuildContext = { dtype: this.dtype, rng: this.rng, referenceKernels: options.referenceKernels };
    let shape = spec.inputShape;
    for (const layer of this.layers) shape = layer.build(shape, ctx);
    this.outputShape = shape;
  }

  get inputSize(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }

  get outputSize(): number {
    return this.outputShape.reduce((a, b) => a * b, 1);
  }

  spec(): NetworkSpec {
    return { inputShape: this.inputShape, layers: this.layers.map((l) => l.spec()) };
  }

  /** Samples in rows (batch, ...shape); the output likewise. */
  forward(x: Arr, batch: number, training = false): Arr {
    if (x.length < batch * this.inputSize) throw new InputError(`input holds ${x.length} values, ${batch} samples of ${this.inputShape.join('×')} need ${batch * this.inputSize}`);
    let h = this.kernels.adopt(x.subarray(0, batch * this.inputSize), 'input');
    h = this.relayout(h, batch, this.inputShape, true, 'input');
    for (const layer of this.layers) h = layer.forward(h, batch, training);
    return this.relayout(h, batch, this.outputShape, false, 'output');
  }

  /** dL/dx for dL/dy of the last forward (samples in rows); with inputGradient false, the parameter gradients only. */
  backward(dy: Arr, batch: number, inputGradient = true): Arr {
    let g = this.kernels.adopt(dy.subarray(0, batch * this.outputSize), 'dy');
    g = this.relayout(g, batch, this.outputShape, true, 'dy');
    for (let k = this.layers.length - 1; k >= 0; k--) g = this.layers[k].backward(g, batch, inputGradient || k > 0);
    return inputGradient ? this.relayout(g, batch, this.inputShape, false, 'dx') : g;
  }

  private readonly buffers = new Map<string, Arr>();

  /** Samples in rows ↔ the layers' channel-major layout of a 2-D shape (see Layer). */
  private relayout(x: Arr, batch: number, shape: number[], toLayers: boolean, key: string): Arr {
    if (shape.length < 2 || shape[0] === 1 || batch === 1) return x; // the two layouts coincide
    const [channels, length] = shape;
    const size = batch * channels * length;
    let y = this.buffers.get(key);
    if (y === undefined || y.length < size) this.buffers.set(key, (y = this.kernels.allocate(size)));
    if (toLayers) this.kernels.swapAxes(x, y, batch, channels, length);
    else this.kernels.swapAxes(x, y, channels, batch, length);
    return y.subarray(0, size);
  }

  params(): Param[] {
    return this.layers.flatMap((l) => l.params());
  }

  state(): StateTensor[] {
    return this.layers.flatMap((l) => l.state());
  }

  zeroGrad(): void {
    for (const p of this.params()) this.kernels.zero(p.grad, p.grad.length);
  }

  /** Every tensor by its PyTorch state_dict name: parameters and running statistics. */
  stateDict(): Map<string, { value: Arr; shape: number[] }> {
    const out = new Map<string, { value: Arr; shape: number[] }>();
    for (const p of this.params()) out.set(p.name, { value: p.value, shape: p.shape });
    for (const s of this.state()) out.set(s.name, { value: s.value, shape: s.shape });
    return out;
  }

  loadStateDict(tensors: Map<string, ArrayLike<number>>, source = 'weights'): void {
    for (const [name, target] of this.stateDict()) {
      const values = tensors.get(name);
      if (values === undefined) throw new InputError(`${source}: no tensor "${name}"`);
      if (values.length !== target.value.length) throw new InputError(`${source}: "${name}" has ${values.length} values, expected ${target.value.length} (${target.shape.join('×')})`);
      target.value.set(values);
    }
  }

  /** Predictions for many samples, in batches, evaluation mode. */
  predict(x: Arr, count: number, batchSize = 256): Arr {
    const out = this.dtype === 'float32' ? new Float32Array(count * this.outputSize) : new Float64Array(count * this.outputSize);
    for (let start = 0; start < count; start += batchSize) {
      const b = Math.min(batchSize, count - start);
      const y = this.forward(x.subarray(start * this.inputSize, (start + b) * this.inputSize), b, false);
      out.set(y.subarray(0, b * this.outputSize), start * this.outputSize);
    }
    return out;
  }
}
