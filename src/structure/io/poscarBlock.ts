import { scratchKernels, type ScratchKernels } from '../../wasm/runtime.js';
import { scanNumbersIn } from './text.js';

/**
 * The coordinate block of a POSCAR parsed in WebAssembly (assembly/coordinates.ts): the file's
 * characters from the first coordinate line are written into the kernel's memory as bytes and the
 * first three numbers of each of n lines parsed there, correctly rounded (3× the JavaScript scan,
 * whose Number() per 17-digit token dominates); the few lines it is not certain of are read here
 * with the JavaScript scan. Returns the character offset of the line after the block, or −1 when
 * the kernel is not built, the block has a line without three numbers, ends early or is not ASCII:
 * the caller's JavaScript loop then reads the block, with its error messages.
 */
class CoordinateParser {
  private readonly sk: ScratchKernels;
  private byteCapacity = 0;
  private atomCapacity = 0;
  private bytes!: Uint8Array;
  private values!: Float64Array;
  private lineStarts!: Int32Array;
  private readonly encoder = new TextEncoder();

  /** 10^0 … 10^22, exact doubles, for the kernel's fast path. */
  private readonly pow10At: number;

  constructor(sk: ScratchKernels) {
    this.sk = sk;
    this.pow10At = sk.reserve(8 * 23);
    new Float64Array(sk.memory.buffer, this.pow10At, 23).set(Array.from({ length: 23 }, (_, k) => 10 ** k));
  }

  /** Fresh regions when a file outgrows them (bump allocation, geometric growth). */
  private reserve(bytes: number, atoms: number): void {
    if (bytes <= this.byteCapacity && atoms <= this.atomCapacity) return;
    this.byteCapacity = Math.max(bytes, 2 * this.byteCapacity, 1 << 16);
    this.atomCapacity = Math.max(atoms, 2 * this.atomCapacity, 1024);
    const bytesAt = this.sk.reserve(this.byteCapacity);
    const valuesAt = this.sk.reserve(24 * this.atomCapacity);
    const lineStartsAt = this.sk.reserve(4 * this.atomCapacity);
    const buffer = this.sk.memory.buffer; // after every reserve: growing replaces the buffer object
    this.bytes = new Uint8Array(buffer, bytesAt, this.byteCapacity);
    this.values = new Float64Array(buffer, valuesAt, 3 * this.atomCapacity);
    this.lineStarts = new Int32Array(buffer, lineStartsAt, this.atomCapacity);
  }

  parse(text: string, start: number, lines: number, out: Float64Array): number {
    const block = start === 0 ? text : text.slice(start);
    this.reserve(block.length, lines);
    let encoded = this.encoder.encodeInto(block, this.bytes);
    if (encoded.read < block.length) {
      this.reserve(3 * block.length, lines); // non-ASCII text: up to 3 bytes a character
      encoded = this.encoder.encodeInto(block, this.bytes);
    }
    const end = this.sk.k.parseCoordinateLines(this.bytes.byteOffset, encoded.written, lines, this.values.byteOffset, this.lineStarts.byteOffset, this.pow10At);
    if (end < 0) return -1;
    out.set(this.values.subarray(0, 3 * lines));
    // every byte up to `end` is ASCII, one per character; lines the kernel left: read here
    for (let i = 0; i < lines; i++) {
      if (!Number.isNaN(out[3 * i])) continue;
      const lineStart = start + this.lineStarts[i];
      const newline = text.indexOf('\n', lineStart);
      if (scanNumbersIn(text, lineStart, newline < 0 ? text.length : newline, 3, out, 3 * i) !== 3) return -1; // a bad line: the caller's loop words the error
    }
    return start + end;
  }
}

let parser: CoordinateParser | null | undefined;

export function parseCoordinateBlock(text: string, start: number, lines: number, out: Float64Array): number {
  if (parser === undefined) {
    const sk = scratchKernels();
    parser = sk === null || typeof sk.k.parseCoordinateLines !== 'function' ? null : new CoordinateParser(sk); // a build from before this kernel: none
  }
  return parser === null ? -1 : parser.parse(text, start, lines, out);
}
