import { parseSigma } from '../../data/labels.js';
import { ParseError } from '../../errors.js';
import { LineReader, scanNumbers } from '../../structure/io/text.js';
import { sigmaFromEpsilon2, type Epsilon2Block, type SigmaAt, type SigmaReading } from '../dft.js';

/**
 * Both ε₂ blocks of a release imag file (rows "ħω xx yy"; blank lines and a stray XML fragment
 * between them): density-density first, current-current second. Undefined for an empty file
 * (σ missing, not zero).
 */
export function parseImagBlocks(text: string, file = 'imag.dat'): Epsilon2Block[] | undefined {
  if (text.trim() === '') return undefined;
  const r = new LineReader(file, text);
  const row = new Float64Array(3);
  const blocks: number[][][] = [];
  let current: number[][] | undefined;
  for (let k = 0; k < r.count; k++) {
    if (scanNumbers(r.lines[k], 3, row, 0) === 3) {
      if (current === undefined) blocks.push((current = []));
      current.push([row[0], row[1], row[2]]);
    } else current = undefined;
  }
  return blocks.map((b) => ({
    energy_eV: Float64Array.from(b, (x) => x[0]),
    xx: Float64Array.from(b, (x) => x[1]),
    yy: Float64Array.from(b, (x) => x[2]),
  }));
}

/**
 * σ from an imag file: at 'row2' the label is parseSigma's (the canonical reader) and ħω₁ is that
 * row's frequency; at a fixed ħω it is interpolated on the second block.
 */
export function sigmaFromImag(text: string, file = 'imag.dat', at: SigmaAt = 'row2'): SigmaReading | undefined {
  const label = parseSigma(text, file);
  if (label === undefined) return undefined;
  const blocks = parseImagBlocks(text, file) as Epsilon2Block[];
  if (blocks.length < 2) throw new ParseError(file, undefined, `expected two ε₂ blocks, found ${blocks.length}`);
  const reading = sigmaFromEpsilon2(blocks[1], at, `${file} second block`);
  if (at === 'row2' && (reading.label.xx !== label.xx || reading.label.yy !== label.yy)) {
    throw new ParseError(file, undefined, 'the second block could not be located unambiguously (its row 2 differs from the σ label)');
  }
  return at === 'row2' ? { ...reading, label } : reading;
}
