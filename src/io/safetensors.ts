import { readFileOrFail } from './readFile.js';
import { ParseError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import type { Arr } from '../nn/kernels/index.js';

/**
 * safetensors (Hugging Face's format): an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}, then the
 * raw little-endian tensor bytes. Read by the Python `safetensors` package and by numpy slices.
 * Written by hand: the format is 30 lines, and no npm package for it is well kept.
 */
export interface NamedTensor {
  data: Arr;
  shape: number[];
}

const DTYPES = { F32: 4, F64: 8 } as const;

export function formatSafetensors(tensors: Map<string, NamedTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

export function parseSafetensors(bytes: Uint8Array, file = 'model.safetensors'): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const fail = (detail: string): ParseError => new ParseError(file, undefined, detail);
  if (bytes.length < 8) throw fail('not a safetensors file (shorter than its 8-byte header length)');
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (length > bytes.length - 8 || length > 100_000_000) throw fail(`header length ${length} does not fit the file (${bytes.length} bytes): truncated or not safetensors`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8'));
  } catch {
    throw fail('the header is not valid JSON');
  }
  const start = 8 + length;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const size = DTYPES[dtype as keyof typeof DTYPES];
    if (size === undefined) throw fail(`tensor "${name}": dtype ${dtype} is not supported (expected F32 or F64)`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(offsets) || offsets[1] - offsets[0] !== count * size || start + offsets[1] > bytes.length) {
      throw fail(`tensor "${name}": data_offsets ${JSON.stringify(offsets)} do not match shape ${JSON.stringify(shape)} or the file size`);
    }
    const copy = Uint8Array.prototype.slice.call(bytes, start + offsets[0], start + offsets[1]);
    tensors.set(name, { data: size === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer), shape });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}

export function writeSafetensors(file: string, tensors: Map<string, NamedTensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(file, formatSafetensors(tensors, metadata));
}

export function readSafetensors(file: string): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const bytes = readFileOrFail(file);
  return parseSafetensors(bytes, file);
}
