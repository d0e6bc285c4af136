import { InputError, ParseError } from '../errors.js';
import type { Arr } from './kernels/index.js';
import { Network, type NetworkSpec } from './network.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';

/**
 * What a model needs besides its weights: how inputs are prepared (transform, and the descriptor
 * settings they came from, so predict recomputes exactly those), how outputs are scaled back, and
 * free-form notes (task, training record). Stored as JSON in the safetensors metadata.
 */
export type CnnInputTransform = 'none' | 'log(x+1e-4)' | 'log(x+1e-2)';

/** The offset c of each log(x + c) input transform. */
const LOG_OFFSETS: Record<string, number> = { 'log(x+1e-4)': 1e-4, 'log(x+1e-2)': 1e-2 };

export interface CnnModelInfo {
  task?: string;
  /** Applied to every input value before the network: "log(x+1e-4)" as SPRamNet does, the gentler "log(x+1e-2)" (models/featureTransforms.ts), or "none". */
  inputTransform: CnnInputTransform;
  /** The descriptor settings the inputs were computed with (a DescriptorSpec, or the thermal grid). */
  descriptor?: unknown;
  /** Network output y maps to prediction y / outputScale + outputOffset (el-DoS is trained ×10). */
  outputScale: number;
  outputOffset: number;
  notes?: Record<string, unknown>;
}

export const MODEL_FORMAT = 'spramnet-cnn';
export const MODEL_VERSION = 1;

/** `metadata`: extra string entries stored beside the model's own (its input specification, the task). */
export function saveCnnModel(file: string, net: Network, info: CnnModelInfo, metadata: Record<string, string> = {}): void {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of net.stateDict()) tensors.set(name, { data: Float32Array.from(t.value), shape: t.shape });
  writeSafetensors(file, tensors, {
    ...metadata,
    format: MODEL_FORMAT,
    version: String(MODEL_VERSION),
    network: JSON.stringify(net.spec()),
    info: JSON.stringify(info),
  });
}

export interface LoadedCnnModel {
  net: Network;
  info: CnnModelInfo;
  /** Every metadata entry of the file. */
  metadata: Record<string, string>;
}

export function loadCnnModel(file: string): LoadedCnnModel {
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== MODEL_FORMAT) throw new ParseError(file, undefined, `not a spramnet CNN model (format "${metadata.format ?? 'none'}", expected "${MODEL_FORMAT}")`);
  const version = Number(metadata.version);
  if (!(version >= 1)) throw new ParseError(file, undefined, `bad model version "${metadata.version}"`);
  if (version > MODEL_VERSION) throw new ParseError(file, undefined, `model version ${version} is newer than this spramnet reads (${MODEL_VERSION}); upgrade spramnet`);
  let spec: NetworkSpec;
  let info: CnnModelInfo;
  try {
    spec = JSON.parse(metadata.network);
    info = JSON.parse(metadata.info);
  } catch {
    throw new ParseError(file, undefined, 'the network or info metadata is not valid JSON');
  }
  const net = new Network(spec);
  net.loadStateDict(new Map([...tensors].map(([k, v]) => [k, v.data])), file);
  return { net, info, metadata };
}

/** Inputs prepared as the model was trained: the transform applied, into a float32 array. */
export function prepareInputs(info: CnnModelInfo, x: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(x);
  const offset = LOG_OFFSETS[info.inputTransform];
  if (offset !== undefined) for (let k = 0; k < out.length; k++) out[k] = Math.log(out[k] + offset);
  else if (info.inputTransform !== 'none') throw new InputError(`unknown input transform "${info.inputTransform}"`);
  return out;
}

/** Predictions in the label's units for `count` samples of raw (untransformed) inputs. */
export function predictCnn(model: LoadedCnnModel, x: ArrayLike<number>, count: number): Float64Array {
  const y: Arr = model.net.predict(prepareInputs(model.info, x), count);
  return Float64Array.from(y, (v) => v / model.info.outputScale + model.info.outputOffset);
}
