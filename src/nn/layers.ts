import { InputError } from '../errors.js';
import type { Rng } from '../util/random.js';
import { kernelsFor, type Arr, type Kernels } from './kernels/index.js';

export type DType = 'float32' | 'float64';

/** A trainable tensor with its gradient; `name` follows PyTorch's state_dict (e.g. "l1.c1.weight"). */
export interface Param {
  name: string;
  value: Arr;
  grad: Arr;
  shape: number[];
}

/** Non-trainable state saved with a model (BatchNorm's running statistics). */
export interface StateTensor {
  name: string;
  value: Arr;
  shape: number[];
}

/** What every layer is built with: the number type, the random stream for initialisation and dropout. */
export interface BuildContext {
  dtype: DType;
  rng: Rng;
  /** Use the plain kernels even where a fast one exists (the tests compare the two). */
  referenceKernels?: boolean;
}

/** Storage for n numbers where the kernels of this number type work fastest. */
export function allocate(dtype: DType, size: number, referenceKernels = false): Arr {
  return kernelsFor(dtype, referenceKernels).allocate(size);
}

/**
 * One operation with forward and backward. Shapes are per sample; activations are flat row-major
 * arrays, those of a 2-D per-sample shape (channels, length) stored channel-major, (channels, batch,
 * length), so that a channel of the whole batch is one contiguous row (the convolution's GEMM writes
 * that layout, batch norm reduces along it), and those of a 1-D shape (features) batch-major,
 * (batch, features). Network converts at its ends. forward's result is a buffer owned by the layer,
 * valid until its next forward; backward accumulates parameter gradients and returns dL/dx (nothing,
 * an empty array, when inputGradient is false: the first layer's is not needed to train).
 * Buffers are cached by size, so a training step allocates nothing once the batch size is seen.
 */
export abstract class Layer {
  abstract readonly kind: string;
  readonly name: string;
  inShape: number[] = [];
  outShape: number[] = [];
  protected dtype: DType = 'float32';
  protected k: Kernels = kernelsFor('float64');
  private readonly buffers = new Map<string, Map<number, Arr>>();

  constructor(name: string) {
    this.name = name;
  }

  /** Set shapes, initialise parameters (PyTorch's defaults, drawn from ctx.rng in order). */
  build(inShape: number[], ctx: BuildContext): number[] {
    this.inShape = inShape;
    this.dtype = ctx.dtype;
    this.k = kernelsFor(ctx.dtype, ctx.referenceKernels);
    this.outShape = this.init(inShape, ctx);
    return this.outShape;
  }

  protected abstract init(inShape: number[], ctx: BuildContext): number[];
  abstract forward(x: Arr, batch: number, training: boolean): Arr;
  abstract backward(dy: Arr, batch: number, inputGradient?: boolean): Arr;

  params(): Param[] {
    return [];
  }

  state(): StateTensor[] {
    return [];
  }

  /** JSON description; networks are rebuilt from these (model files, ONNX export). */
  abstract spec(): LayerSpec;

  protected buffer(key: string, size: number): Arr {
    let bySize = this.buffers.get(key);
    if (bySize === undefined) this.buffers.set(key, (bySize = new Map()));
    let b = bySize.get(size);
    if (b === undefined) bySize.set(size, (b = this.k.allocate(size)));
    return b;
  }

  /** The input batch-major, (batch, channels·length), for a layer that flattens a 2-D shape. */
  protected batchMajor(x: Arr, batch: number): Arr {
    const [channels, length] = this.inShape;
    if (this.inShape.length < 2 || channels === 1 || batch === 1) return x; // the two layouts coincide
    const y = this.buffer('batchMajor', batch * channels * length);
    this.k.swapAxes(x, y, channels, batch, length);
    return y;
  }

  /** The gradient of batchMajor's result back in the input's channel-major layout. */
  protected channelMajor(dx: Arr, batch: number): Arr {
    const [channels, length] = this.inShape;
    if (this.inShape.length < 2 || channels === 1 || batch === 1) return dx;
    const y = this.buffer('channelMajor', batch * channels * length);
    this.k.swapAxes(dx, y, batch, channels, length);
    return y;
  }

  protected param(name: string, shape: number[]): Param {
    const size = shape.reduce((a, b) => a * b, 1);
    return { name: `${this.name}.${name}`, value: this.k.allocate(size), grad: this.k.allocate(size), shape };
  }
}

export type LayerSpec =
  | { kind: 'conv1d'; name: string; inChannels: number; outChannels: number; kernel: number; stride: number; padding: number; bias: boolean }
  | { kind: 'batchnorm1d'; name: string; channels: number; eps: number; momentum: number }
  | { kind: 'relu'; name: string }
  | { kind: 'maxpool1d'; name: string; kernel: number; stride: number }
  | { kind: 'linear'; name: string; inFeatures: number; outFeatures: number; bias: boolean }
  | { kind: 'dropout'; name: string; p: number }
  | { kind: 'flatten'; name: string }
  | { kind: 'residual'; name: string; inChannels: number; outChannels: number; stride: number };

/** PyTorch's default initialisation of Conv1d/Linear: U(−1/√fan_in, 1/√fan_in) for weight and bias. */
function uniformInit(target: Arr, fanIn: number, rng: Rng): void {
  const bound = 1 / Math.sqrt(fanIn);
  for (let k = 0; k < target.length; k++) target[k] = (2 * rng.uniform() - 1) * bound;
}

export class Conv1d extends Layer {
  readonly kind = 'conv1d';
  weight!: Param;
  bias?: Param;
  private outLength = 0;
  private cols: Arr = new Float32Array(0);

  constructor(name: string, readonly inChannels: number, readonly outChannels: number, readonly kernel: number, readonly stride = 1, readonly padding = 0, readonly hasBias = true) {
    super(name);
  }

  protected init([channels, length]: number[], ctx: BuildContext): number[] {
    if (channels !== this.inChannels) throw new InputError(`${this.name}: expects ${this.inChannels} input channels, got ${channels}`);
    this.outLength = Math.floor((length + 2 * this.padding - this.kernel) / this.stride) + 1;
    if (this.outLength < 1) throw new InputError(`${this.name}: input length ${length} is shorter than the kernel`);
    this.weight = this.param('weight', [this.outChannels, this.inChannels, this.kernel]);
    uniformInit(this.weight.value, this.inChannels * this.kernel, ctx.rng);
    if (this.hasBias) {
      this.bias = this.param('bias', [this.outChannels]);
      uniformInit(this.bias.value, this.inChannels * this.kernel, ctx.rng);
    }
    return [this.outChannels, this.outLength];
  }

  /** A 1×1 convolution of stride 1 is a plain GEMM on the channel-major input: no im2col. */
  private get pointwise(): boolean {
    return this.kernel === 1 && this.stride === 1 && this.padding === 0;
  }

  /** A same-length 3-tap convolution runs as Winograd F(2, 3): 4 GEMMs of ⅔ the work (kernels winograd*). */
  private get winograd(): boolean {
    return this.kernel === 3 && this.stride === 1 && this.padding === 1;
  }

  forward(x: Arr, batch: number): Arr {
    const [cin, length] = this.inShape;
    const L = this.outLength;
    const width = batch * L;
    const y = this.buffer('y', this.outChannels * width);
    if (this.bias) this.k.rowFill(this.bias.value, y, this.outChannels, width);
    if (this.winograd) {
      this.winogradForward(x, batch, y);
      return y;
    }
    if (this.pointwise) this.cols = x;
    else {
      this.cols = this.buffer('cols', cin * this.kernel * width);
      this.k.im2col(x, batch, cin, length, this.kernel, this.stride, this.padding, L, this.cols);
    }
    this.k.gemm(false, false, this.outChannels, width, cin * this.kernel, this.weight.value, this.cols, y, this.bias !== undefined);
    return y;
  }

  backward(dy: Arr, batch: number, inputGradient = true): Arr {
    const [cin, length] = this.inShape;
    const L = this.outLength;
    const width = batch * L;
    if (this.bias) this.k.rowSums(dy, this.bias.grad, this.outChannels, width);
    if (this.winograd) return this.winogradBackward(dy, batch, inputGradient);
    const K = cin * this.kernel;
    this.k.gemm(false, true, this.outChannels, K, width, dy, this.cols, this.weight.grad, true);
    if (!inputGradient) return dy.subarray(0, 0);
    const dcols = this.buffer(this.pointwise ? 'dx' : 'dcols', K * width);
    this.k.gemm(true, false, K, width, this.outChannels, this.weight.value, dy, dcols, false);
    if (this.pointwise) return dcols;
    const dx = this.buffer('dx', batch * cin * length);
    this.k.col2im(dcols, batch, cin, length, this.kernel, this.stride, this.padding, L, dx);
    return dx;
  }

  // Winograd: transformed filter U (4 × out × in), input V (4 × in × tiles), product M (4 × out × tiles)
  private winogradForward(x: Arr, batch: number, y: Arr): void {
    const [cin, L] = this.inShape;
    const cout = this.outChannels;
    const tiles = batch * ((L + 1) >> 1);
    const U = this.buffer('U', 4 * cout * cin);
    const V = this.buffer('V', 4 * cin * tiles);
    const M = this.buffer('M', 4 * cout * tiles);
    this.k.winogradFilter(this.weight.value, U, cout, cin);
    this.k.winogradInput(x, V, cin, batch, L);
    for (let xi = 0; xi < 4; xi++) {
      const u = U.subarray(xi * cout * cin, (xi + 1) * cout * cin);
      this.k.gemm(false, false, cout, tiles, cin, u, V.subarray(xi * cin * tiles, (xi + 1) * cin * tiles), M.subarray(xi * cout * tiles, (xi + 1) * cout * tiles), false);
    }
    this.k.winogradOutput(M, y, cout, batch, L, this.bias !== undefined);
  }

  private winogradBackward(dy: Arr, batch: number, inputGradient: boolean): Arr {
    const [cin, L] = this.inShape;
    const cout = this.outChannels;
    const tiles = batch * ((L + 1) >> 1);
    const U = this.buffer('U', 4 * cout * cin);
    const V = this.buffer('V', 4 * cin * tiles);
    const dM = this.buffer('dM', 4 * cout * tiles);
    const dU = this.buffer('dU', 4 * cout * cin);
    this.k.winogradOutputGrad(dy, dM, cout, batch, L);
    const part = (a: Arr, xi: number, size: number): Arr => a.subarray(xi * size, (xi + 1) * size);
    for (let xi = 0; xi < 4; xi++) this.k.gemm(false, true, cout, cin, tiles, part(dM, xi, cout * tiles), part(V, xi, cin * tiles), part(dU, xi, cout * cin), false);
    this.k.winogradFilterGrad(dU, this.weight.grad, cout, cin);
    if (!inputGradient) return dy.subarray(0, 0);
    const dV = this.buffer('dV', 4 * cin * tiles);
    for (let xi = 0; xi < 4; xi++) this.k.gemm(true, false, cin, tiles, cout, part(U, xi, cout * cin), part(dM, xi, cout * tiles), part(dV, xi, cin * tiles), false);
    const dx = this.buffer('dx', batch * cin * L);
    this.k.winogradInputGrad(dV, dx, cin, batch, L);
    return dx;
  }

  override params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  spec(): LayerSpec {
    return { kind: 'conv1d', name: this.name, inChannels: this.inChannels, outChannels: this.outChannels, kernel: this.kernel, stride: this.stride, padding: this.padding, bias: this.hasBias };
  }
}

export class BatchNorm1d extends Layer {
  readonly kind = 'batchnorm1d';
  weight!: Param;
  bias!: Param;
  runningMean!: StateTensor;
  runningVar!: StateTensor;
  private xhat: Arr = new Float32Array(0);
  private invStd: Arr = new Float32Array(0);
  private trainedLast = false;

  constructor(name: string, readonly channels: number, readonly eps = 1e-5, readonly momentum = 0.1) {
    super(name);
  }

  protected init(inShape: number[]): number[] {
    if (inShape[0] !== this.channels) throw new InputError(`${this.name}: expects ${this.channels} channels, got ${inShape[0]}`);
    this.weight = this.param('weight', [this.channels]);
    this.weight.value.fill(1);
    this.bias = this.param('bias', [this.channels]);
    this.runningMean = { name: `${this.name}.running_mean`, value: this.k.allocate(this.channels), shape: [this.channels] };
    this.runningVar = { name: `${this.name}.running_var`, value: this.k.allocate(this.channels).fill(1), shape: [this.channels] };
    this.invStd = this.k.allocate(this.channels);
    return inShape;
  }

  /** The kernels' (batch, channels, length) view: a channel-major input is one "sample" of rows batch·length long. */
  private view(batch: number): [number, number] {
    return this.inShape.length > 1 ? [1, batch * this.inShape[1]] : [batch, 1];
  }

  forward(x: Arr, batch: number, training: boolean): Arr {
    const [b, L] = this.view(batch);
    const y = this.buffer('y', b * this.channels * L);
    this.xhat = this.buffer('xhat', b * this.channels * L);
    this.trainedLast = training;
    this.k.bnForward(x, y, this.xhat, this.weight.value, this.bias.value, this.runningMean.value, this.runningVar.value, this.invStd, b, this.channels, L, this.eps, this.momentum, training);
    return y;
  }

  backward(dy: Arr, batch: number): Arr {
    const [b, L] = this.view(batch);
    const dx = this.buffer('dx', b * this.channels * L);
    this.k.bnBackward(dy, dx, this.xhat, this.weight.value, this.invStd, this.weight.grad, this.bias.grad, b, this.channels, L, this.trainedLast);
    return dx;
  }

  override params(): Param[] {
    return [this.weight, this.bias];
  }

  override state(): StateTensor[] {
    return [this.runningMean, this.runningVar];
  }

  spec(): LayerSpec {
    return { kind: 'batchnorm1d', name: this.name, channels: this.channels, eps: this.eps, momentum: this.momentum };
  }
}

export class ReLU extends Layer {
  readonly kind = 'relu';
  private y: Arr = new Float32Array(0);

  protected init(inShape: number[]): number[] {
    return inShape;
  }

  forward(x: Arr, batch: number): Arr {
    const size = batch * this.inShape.reduce((a, b) => a * b, 1);
    const y = this.buffer('y', size);
    this.k.relu(x, y, size);
    this.y = y;
    return y;
  }

  backward(dy: Arr, batch: number): Arr {
    const size = batch * this.inShape.reduce((a, b) => a * b, 1);
    const dx = this.buffer('dx', size);
    this.k.reluBackward(this.y, dy, dx, size);
    return dx;
  }

  spec(): LayerSpec {
    return { kind: 'relu', name: this.name };
  }
}

export class MaxPool1d extends Layer {
  readonly kind = 'maxpool1d';
  private argmax: Int32Array = new Int32Array(0);

  constructor(name: string, readonly kernel: number, readonly stride = kernel) {
    super(name);
  }

  protected init([channels, length]: number[]): number[] {
    const out = Math.floor((length - this.kernel) / this.stride) + 1;
    if (out < 1) throw new InputError(`${this.name}: input length ${length} is shorter than the pooling window ${this.kernel}`);
    return [channels, out];
  }

  forward(x: Arr, batch: number): Arr {
    const [C, L] = this.inShape;
    const Lo = this.outShape[1];
    const y = this.buffer('y', batch * C * Lo);
    if (this.argmax.length !== y.length) this.argmax = this.argmaxFor(y.length);
    this.k.maxpool(x, y, this.argmax, batch * C, L, this.kernel, this.stride, Lo); // rows of L, in either layout
    return y;
  }

  backward(dy: Arr, batch: number): Arr {
    const [C, L] = this.inShape;
    const Lo = this.outShape[1];
    const dx = this.buffer('dx', batch * C * L);
    this.k.maxpoolBackward(dy, dx, this.argmax, batch * C * Lo, batch * C * L);
    return dx;
  }

  private readonly argmaxes = new Map<number, Int32Array>();

  private argmaxFor(size: number): Int32Array {
    let a = this.argmaxes.get(size);
    if (a === undefined) this.argmaxes.set(size, (a = this.k.allocateInt(size)));
    return a;
  }

  spec(): LayerSpec {
    return { kind: 'maxpool1d', name: this.name, kernel: this.kernel, stride: this.stride };
  }
}

export class Linear extends Layer {
  readonly kind = 'linear';
  weight!: Param;
  bias?: Param;
  private input: Arr = new Float32Array(0);

  constructor(name: string, readonly inFeatures: number, readonly outFeatures: number, readonly hasBias = true) {
    super(name);
  }

  protected init(inShape: number[], ctx: BuildContext): number[] {
    const n = inShape.reduce((a, b) => a * b, 1);
    if (n !== this.inFeatures) throw new InputError(`${this.name}: expects ${this.inFeatures} input features, got ${n} (shape ${inShape.join('×')})`);
    this.weight = this.param('weight', [this.outFeatures, this.inFeatures]);
    uniformInit(this.weight.value, this.inFeatures, ctx.rng);
    if (this.hasBias) {
      this.bias = this.param('bias', [this.outFeatures]);
      uniformInit(this.bias.value, this.inFeatures, ctx.rng);
    }
    return [this.outFeatures];
  }

  forward(x: Arr, batch: number): Arr {
    this.input = this.batchMajor(x, batch);
    x = this.input;
    const y = this.buffer('y', batch * this.outFeatures);
    if (this.bias) this.k.repeatRow(this.bias.value, y, batch, this.outFeatures);
    this.k.gemm(false, true, batch, this.outFeatures, this.inFeatures, x, this.weight.value, y, this.bias !== undefined);
    return y;
  }

  backward(dy: Arr, batch: number, inputGradient = true): Arr {
    this.k.gemm(true, false, this.outFeatures, this.inFeatures, batch, dy, this.input, this.weight.grad, true);
    if (this.bias) this.k.colSums(dy, this.bias.grad, batch, this.outFeatures);
    if (!inputGradient) return dy.subarray(0, 0);
    const dx = this.buffer('dx', batch * this.inFeatures);
    this.k.gemm(false, false, batch, this.inFeatures, this.outFeatures, dy, this.weight.value, dx, false);
    return this.channelMajor(dx, batch);
  }

  override params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  spec(): LayerSpec {
    return { kind: 'linear', name: this.name, inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.hasBias };
  }
}

export class Dropout extends Layer {
  readonly kind = 'dropout';
  private rng!: Rng;
  private mask: Arr = new Float32Array(0);
  private active = false;

  constructor(name: string, readonly p = 0.5) {
    super(name);
  }

  protected init(inShape: number[], ctx: BuildContext): number[] {
    this.rng = ctx.rng;
    return inShape;
  }

  forward(x: Arr, batch: number, training: boolean): Arr {
    this.active = training && this.p > 0;
    if (!this.active) return x;
    const size = batch * this.inShape.reduce((a, b) => a * b, 1);
    const y = this.buffer('y', size);
    this.mask = this.buffer('mask', size);
    const keep = 1 / (1 - this.p);
    for (let k = 0; k < size; k++) {
      this.mask[k] = this.rng.uniform() < this.p ? 0 : keep;
      y[k] = x[k] * this.mask[k];
    }
    return y;
  }

  backward(dy: Arr, batch: number): Arr {
    if (!this.active) return dy;
    const size = batch * this.inShape.reduce((a, b) => a * b, 1);
    const dx = this.buffer('dx', size);
    for (let k = 0; k < size; k++) dx[k] = dy[k] * this.mask[k];
    return dx;
  }

  spec(): LayerSpec {
    return { kind: 'dropout', name: this.name, p: this.p };
  }
}

export class Flatten extends Layer {
  readonly kind = 'flatten';
  protected init(inShape: number[]): number[] {
    return [inShape.reduce((a, b) => a * b, 1)];
  }
  forward(x: Arr, batch: number): Arr {
    return this.batchMajor(x, batch);
  }
  backward(dy: Arr, batch: number): Arr {
    return this.channelMajor(dy, batch);
  }
  spec(): LayerSpec {
    return { kind: 'flatten', name: this.name };
  }
}

/**
 * The residual block of the el-DoS network (reference.py's Res): relu(bn2(c2(relu(bn1(c1(x))))) + sc(x)),
 * sc a 1×1 projection (conv + BN) when the stride or the channel count changes, else identity.
 */
export class Residual extends Layer {
  readonly kind = 'residual';
  readonly main: Layer[];
  readonly shortcut: Layer[];
  private readonly out: ReLU;

  constructor(name: string, readonly inChannels: number, readonly outChannels: number, readonly stride = 1) {
    super(name);
    this.main = [
      new Conv1d(`${name}.c1`, inChannels, outChannels, 3, stride, 1, false),
      new BatchNorm1d(`${name}.b1`, outChannels),
      new ReLU(`${name}.relu1`),
      new Conv1d(`${name}.c2`, outChannels, outChannels, 3, 1, 1, false),
      new BatchNorm1d(`${name}.b2`, outChannels),
    ];
    this.shortcut = stride !== 1 || inChannels !== outChannels ? [new Conv1d(`${name}.sc.0`, inChannels, outChannels, 1, stride, 0, false), new BatchNorm1d(`${name}.sc.1`, outChannels)] : [];
    this.out = new ReLU(`${name}.relu2`);
  }

  protected init(inShape: number[], ctx: BuildContext): number[] {
    let shape = inShape;
    for (const l of this.main) shape = l.build(shape, ctx);
    let sc = inShape;
    for (const l of this.shortcut) sc = l.build(sc, ctx);
    if (shape.join() !== sc.join()) throw new InputError(`${this.name}: main path ${shape.join('×')} and shortcut ${sc.join('×')} differ`);
    return this.out.build(shape, ctx);
  }

  forward(x: Arr, batch: number, training: boolean): Arr {
    let h = x;
    for (const l of this.main) h = l.forward(h, batch, training);
    let s = x;
    for (const l of this.shortcut) s = l.forward(s, batch, training);
    const size = batch * this.outShape.reduce((a, b) => a * b, 1);
    const sum = this.buffer('sum', size);
    this.k.add(h, s, sum, size);
    return this.out.forward(sum, batch);
  }

  backward(dy: Arr, batch: number): Arr {
    const ds = this.out.backward(dy, batch);
    let g = ds;
    for (let k = this.main.length - 1; k >= 0; k--) g = this.main[k].backward(g, batch);
    let gs = ds;
    for (let k = this.shortcut.length - 1; k >= 0; k--) gs = this.shortcut[k].backward(gs, batch);
    const size = batch * this.inShape.reduce((a, b) => a * b, 1);
    const dx = this.buffer('dx', size);
    this.k.add(g, gs, dx, size);
    return dx;
  }

  override params(): Param[] {
    return [...this.main, ...this.shortcut].flatMap((l) => l.params());
  }

  override state(): StateTensor[] {
    return [...this.main, ...this.shortcut].flatMap((l) => l.state());
  }

  spec(): LayerSpec {
    return { kind: 'residual', name: this.name, inChannels: this.inChannels, outChannels: this.outChannels, stride: this.stride };
  }
}

export function layerFromSpec(spec: LayerSpec): Layer {
  switch (spec.kind) {
    case 'conv1d':
      return new Conv1d(spec.name, spec.inChannels, spec.outChannels, spec.kernel, spec.stride, spec.padding, spec.bias);
    case 'batchnorm1d':
      return new BatchNorm1d(spec.name, spec.channels, spec.eps, spec.momentum);
    case 'relu':
      return new ReLU(spec.name);
    case 'maxpool1d':
      return new MaxPool1d(spec.name, spec.kernel, spec.stride);
    case 'linear':
      return new Linear(spec.name, spec.inFeatures, spec.outFeatures, spec.bias);
    case 'dropout':
      return new Dropout(spec.name, spec.p);
    case 'flatten':
      return new Flatten(spec.name);
    case 'residual':
      return new Residual(spec.name, spec.inChannels, spec.outChannels, spec.stride);
    default:
      throw new InputError(`unknown layer kind "${(spec as { kind: string }).kind}"`);
  }
}
