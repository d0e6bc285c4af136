import { ParseError } from '../../errors.js';

/** Whitespace-separated fields of a line. A hand loop: 3–4× faster than split(/\s+/) on hot readers. */
export function fields(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let k = 0; k <= line.length; k++) {
    const c = k < line.length ? line.charCodeAt(k) : 32;
    const blank = c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12;
    if (blank) {
      if (start >= 0) {
        out.push(line.slice(start, k));
        start = -1;
      }
    } else if (start < 0) start = k;
  }
  return out;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22

/**
 * Decimal number in line[start, end), correctly rounded. Clinger's fast path: when the digits form
 * an integer m ≤ 2^53 and the decimal exponent e has |e| ≤ 22, m and 10^|e| are exact doubles and one
 * IEEE multiply or divide rounds correctly. That covers the coordinates and spectra of VASP files
 * and is ~4× faster than Number(); anything else (long mantissas, Fortran 1.0D+00, inf) falls back
 * to the exact general parser.
 */
export function parseDecimal(line: string, start: number, end: number): number {
  let k = start;
  let c = line.charCodeAt(k);
  const negative = c === 45;
  if (c === 45 || c === 43) k++;
  let mantissa = 0;
  let scale = 0;
  let sawDigit = false;
  let sawDot = false;
  for (; k < end; k++) {
    c = line.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      sawDigit = true;
      if (sawDot) scale--;
    } else if (c === 46 && !sawDot) sawDot = true;
    else break;
  }
  if (k < end && sawDigit && (c === 101 || c === 69)) {
    k++;
    c = line.charCodeAt(k);
    const expNegative = c === 45;
    if (c === 45 || c === 43) k++;
    const expStart = k;
    let exponent = 0;
    for (; k < end; k++) {
      c = line.charCodeAt(k);
      if (c < 48 || c > 57) break;
      exponent = exponent * 10 + (c - 48);
    }
    if (k === expStart) return parseNumber(line.slice(start, end));
    scale += expNegative ? -exponent : exponent;
  }
  // ≥ 2^53: an intermediate product may have rounded, so leave it to the general parser
  if (!sawDigit || k !== end || mantissa >= 9007199254740992 || scale < -22 || scale > 22) return parseNumber(line.slice(start, end));
  const value = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
  return negative ? -value : value;
}

/**
 * Parse up to `count` leading numeric fields of a line into out[offset…]; returns how many were
 * finite numbers. No array per line: the readers' inner loop over thousands of coordinate lines.
 */
export function scanNumbers(line: string, count: number, out: Float64Array, offset: number): number {
  return scanNumbersIn(line, 0, line.length, count, out, offset);
}

/** scanNumbers on text[start, end): a line of a whole file, read where it lies (no slice per line). */
export function scanNumbersIn(text: string, start: number, end: number, count: number, out: Float64Array, offset: number): number {
  let parsed = 0;
  let k = start;
  while (parsed < count) {
    while (k < end) {
      const c = text.charCodeAt(k);
      if (c !== 32 && c !== 9 && c !== 13) break;
      k++;
    }
    if (k >= end) break;
    const tokenStart = k;
    while (k < end) {
      const c = text.charCodeAt(k);
      if (c === 32 || c === 9 || c === 13) break;
      k++;
    }
    // a token longer than 16 characters has more significant digits than the fast path takes
    // (VASP and ASE write 16–17): hand it to Number() at once instead of scanning it twice
    const value = k - tokenStart > 16 ? parseNumber(text.slice(tokenStart, k)) : parseDecimal(text, tokenStart, k);
    if (!Number.isFinite(value)) break;
    out[offset + parsed++] = value;
  }
  return parsed;
}

/** Numeric field parse that rejects what Number() quietly accepts ("", "0x10", "Infinity" is allowed as inf). */
export function parseNumber(token: string | undefined): number {
  if (token === undefined || token.length === 0) return NaN;
  const v = Number(token);
  if (Number.isNaN(v)) {
    // Fortran doubles: 1.0D+00
    const fortran = Number(token.replace(/[dD]/, 'e'));
    return fortran;
  }
  return v;
}

/**
 * Lines of a text file with the file name kept beside them, so every reader reports errors the
 * same way: file, 1-based line, what was found, what was expected. The lines are those of
 * text.split('\n') less a last empty one (a file's final newline ends a line, it starts none).
 */
abstract class Lines {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Whether the file has a line at 0-based `index`. */
  abstract has(index: number): boolean;

  /** The line at 0-based `index`, which must exist. */
  abstract text(index: number): string;

  error(index: number | undefined, detail: string): ParseError {
    return new ParseError(this.file, index === undefined ? undefined : index + 1, detail);
  }

  /** The line at 0-based `index`; a missing line means the file was cut short. */
  line(index: number, expected: string): string {
    if (!this.has(index)) {
      throw this.error(index, `file ends early: expected ${expected}`);
    }
    return this.text(index);
  }

  /** At least `count` finite numbers at the start of a line. */
  numbers(index: number, count: number, expected: string): number[] {
    const parts = fields(this.line(index, expected));
    if (parts.length < count) {
      throw this.error(index, `expected ${expected} (${count} numbers), found "${this.text(index).trim()}"`);
    }
    const values = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      const v = parseNumber(parts[k]);
      if (!Number.isFinite(v)) {
        throw this.error(index, `expected ${expected}, field ${k + 1} "${parts[k]}" is not a finite number`);
      }
      values[k] = v;
    }
    return values;
  }

  integer(token: string | undefined, index: number, what: string, minimum = 0): number {
    const v = parseNumber(token);
    if (!Number.isInteger(v) || v < minimum) {
      throw this.error(index, `expected ${what} (an integer ≥ ${minimum}), found "${token ?? ''}"`);
    }
    return v;
  }
}

/** All lines split up front: for readers that look back and forth. */
export class LineReader extends Lines {
  readonly lines: string[];

  constructor(file: string, text: string) {
    super(file);
    this.lines = text.split('\n');
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  get count(): number {
    return this.lines.length;
  }

  has(index: number): boolean {
    return index < this.lines.length;
  }

  text(index: number): string {
    return this.lines[index];
  }
}

/**
 * Lines found as they are asked for, in order, left in the text: a reader of long blocks of numbers
 * (POSCAR coordinates) scans each line where it lies instead of splitting the file into strings.
 */
export class LazyLines extends Lines {
  private readonly source: string;
  /** starts[i]: offset of line i; starts grows as lines are asked for. */
  private readonly starts: number[] = [0];

  constructor(file: string, text: string) {
    super(file);
    this.source = text;
  }

  /** Offset of line `index` (the text's length if the text ends before it). */
  start(index: number): number {
    const starts = this.starts;
    const length = this.source.length;
    while (starts.length <= index) {
      const last = starts[starts.length - 1];
      if (last >= length) return length;
      const newline = this.source.indexOf('\n', last);
      starts.push(newline < 0 ? length : newline + 1);
    }
    return starts[index];
  }

  /** Offset just past line `index`, before its newline. */
  end(index: number): number {
    const next = this.start(index + 1);
    return next < this.source.length || this.source.charCodeAt(next - 1) === 10 ? next - 1 : next;
  }

  has(index: number): boolean {
    return this.start(index) < this.source.length;
  }

  text(index: number): string {
    return this.source.slice(this.start(index), this.end(index));
  }

  /** scanNumbers on line `index`, which must exist. */
  scanNumbers(index: number, count: number, out: Float64Array, offset: number): number {
    return scanNumbersIn(this.source, this.start(index), this.end(index), count, out, offset);
  }
}
