import { readFileOrFail } from './readFile.js';
import { ParseError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';

/** An n-dimensional array in C order, as NumPy's .npy holds it. */
export interface NdArray {
  data: Float64Array | Float32Array;
  shape: number[];
}

const MAGIC = '\x93NUMPY';

/**
 * Parse .npy bytes (format versions 1–3). Only little-endian float32/float64 in C order are accepted:
 * the descriptors and labels of spramnet are all floats, and anything else is a clear error rather
 * than a silent conversion.
 */
export function parseNpy(bytes: Uint8Array, file = 'array.npy'): NdArray {
  const fail = (detail: string): ParseError => new ParseError(file, undefined, detail);
  if (bytes.length < 10 || Buffer.from(bytes.subarray(0, 6)).toString('latin1') !== MAGIC) {
    throw fail('not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let offset: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw fail('truncated .npy header');
    headerLength = view.getUint32(8, true);
    offset = 12;
  } else throw fail(`unsupported .npy format version ${major}`);
  if (offset + headerLength > bytes.length) throw fail('truncated .npy header');
  const header = Buffer.from(bytes.subarray(offset, offset + headerLength)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(`malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw fail('Fortran-ordered arrays are not supported (expected C order; use np.ascontiguousarray)');
  const itemSize = descr === '<f8' || descr === 'float64' ? 8 : descr === '<f4' || descr === 'float32' ? 4 : 0;
  if (itemSize === 0) throw fail(`dtype ${descr} is not supported (expected little-endian float64 "<f8" or float32 "<f4")`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw fail(`bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = offset + headerLength;
  if (bytes.length - start < count * itemSize) {
    throw fail(`truncated data: shape (${shape.join(', ')}) needs ${count * itemSize} bytes, found ${bytes.length - start}`);
  }
  // a copy, aligned for the typed array (Buffer#slice would be a view into Node's shared pool)
  const raw = Uint8Array.prototype.slice.call(bytes, start, start + count * itemSize);
  const data = itemSize === 8 ? new Float64Array(raw.buffer, 0, count) : new Float32Array(raw.buffer, 0, count);
  return { data, shape };
}

export function readNpy(file: string): NdArray {
  const bytes = readFileOrFail(file);
  return parseNpy(bytes, file);
}

/** .npy version 1.0 bytes of a float array in C order. */
export function formatNpy(array: NdArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) throw new RangeError(`shape (${array.shape.join(', ')}) holds ${count} values, data has ${array.data.length}`);
  const descr = array.data instanceof Float64Array ? '<f8' : '<f4';
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + array.data.byteLength);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength), 10 + header.length);
  return out;
}

export function writeNpy(file: string, array: NdArray): void {
  writeFileAtomic(file, formatNpy(array));
}
