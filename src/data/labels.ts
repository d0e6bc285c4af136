import { ParseError } from '../errors.js';
import { LineReader, scanNumbers } from '../structure/io/text.js';

/** σ(ω → 0) of one structure: xx and yy, in the release's units. */
export interface Sigma {
  xx: number;
  yy: number;
}

/**
 * σ from an `imag_NNNN.dat` optical-conductivity file (data.md): two blocks of rows `ħω xx yy`
 * separated by blank lines and a stray XML fragment; the second block is the real conductivity
 * and σ is its second row (the first non-zero frequency, ħω ≈ 0.017 eV; line 2016 in the public
 * files). An empty file means σ is missing: undefined, not zero.
 */
export function parseSigma(text: string, file = 'imag.dat'): Sigma | undefined {
  if (text.trim() === '') return undefined;
  const r = new LineReader(file, text);
  const row = new Float64Array(3);
  const numeric = (k: number): boolean => scanNumbers(r.lines[k], 3, row, 0) === 3;
  let k = 0;
  while (k < r.count && !numeric(k)) k++;
  const firstStart = k;
  while (k < r.count && numeric(k)) k++;
  const firstRows = k - firstStart;
  if (firstRows === 0) throw r.error(firstStart, 'expected rows of "ħω xx yy"');
  while (k < r.count && !numeric(k)) k++;
  const secondStart = k;
  if (secondStart >= r.count) throw r.error(r.count, `file ends after the first block (${firstRows} rows): expected a second block, the real conductivity`);
  if (secondStart + 1 >= r.count || !numeric(secondStart + 1)) throw r.error(secondStart + 1, 'the second block needs at least 2 rows (σ is its second row)');
  const [omega, xx, yy] = row;
  if (!(omega > 0)) throw r.error(secondStart + 1, `expected the first non-zero frequency in row 2 of the second block, found ħω = ${omega}`);
  if (!Number.isFinite(xx) || !Number.isFinite(yy)) throw new ParseError(file, secondStart + 2, 'σ is not finite');
  return { xx, yy };
}
