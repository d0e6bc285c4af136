import { readFileOrFail } from '../io/readFile.js';
import { InputError, ParseError } from '../errors.js';
import { fields, parseNumber } from '../structure/io/text.js';
import type { Grid } from './grid.js';

/** A g(r) given on its own r points (Å), as a diffraction experiment delivers it. */
export interface MeasuredPcf {
  r_A: Float64Array;
  g: Float64Array;
  source: string;
}

export interface MeasuredReadOptions {
  /**
   * Number density ρ₀ in atoms/Å³, needed for PDFgetX3 `.gr` files, which hold the reduced pair
   * distribution G(r) = 4πrρ₀(g(r) − 1): g = 1 + G / (4πrρ₀).
   */
  numberDensity_A3?: number;
  /** Force the reading: `gr` (PDFgetX3 G(r)) or `text` (two columns r, g). Default: from the extension. */
  kind?: 'gr' | 'text';
}

/**
 * Read a measured g(r): two columns (r in Å, g), `#` comments; or a PDFgetX3 `.gr` file (its header
 * ends with "#### start data"; columns r, G(r) and optional errors).
 */
export function readMeasuredPcf(file: string, options: MeasuredReadOptions = {}): MeasuredPcf {
  const text = readFileOrFail(file, 'utf8');
  return parseMeasuredPcf(text, file, options);
}

export function parseMeasuredPcf(text: string, file: string, options: MeasuredReadOptions = {}): MeasuredPcf {
  const kind = options.kind ?? (/\.gr$/i.test(file) ? 'gr' : 'text');
  const lines = text.split('\n');
  let first = 0;
  if (kind === 'gr') {
    const marker = lines.findIndex((l) => /^#+\s*start data/i.test(l.trim()));
    first = marker >= 0 ? marker + 1 : 0;
    if (!(options.numberDensity_A3 !== undefined && options.numberDensity_A3 > 0)) {
      throw new ParseError(file, undefined, 'a PDFgetX3 .gr file holds G(r); give the number density in atoms/Å³ (--density) to convert it to g(r)');
    }
  }
  const r: number[] = [];
  const g: number[] = [];
  // every data row has as many columns as the first (r, g and, in a .gr, optional errors): a row
  // with more or fewer is a broken line, not data to half-read
  let columns = 0;
  let firstDataLine = 0;
  for (let k = first; k < lines.length; k++) {
    const line = lines[k].replace(/#.*/, '').trim();
    if (line === '' || /^[A-Za-z@]/.test(line)) {
      if (line !== '' && r.length > 0) throw new ParseError(file, k + 1, `expected two numbers (r, g), found "${line}"`);
      continue; // headers before the data
    }
    const parts = fields(line.replace(/,/g, ' '));
    if (columns === 0) {
      columns = parts.length;
      firstDataLine = k + 1;
      if (columns < 2) throw new ParseError(file, k + 1, `expected two numbers (r in Å, g), found "${line}"`);
    } else if (parts.length !== columns) {
      throw new ParseError(file, k + 1, `${parts.length} column${parts.length === 1 ? '' : 's'} ("${line}") where the data start with ${columns} (line ${firstDataLine}); every row must hold r and g${columns > 2 ? ' and the same further columns' : ''}`);
    }
    const x = parseNumber(parts[0]);
    const y = parseNumber(parts[1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new ParseError(file, k + 1, `expected two finite numbers (r in Å, g), found "${line}"`);
    if (r.length > 0 && !(x > r[r.length - 1])) throw new ParseError(file, k + 1, `r must increase: ${x} after ${r[r.length - 1]}`);
    r.push(x);
    g.push(y);
  }
  if (r.length < 2) throw new ParseError(file, undefined, `found ${r.length} data rows; expected at least 2 (r, g) pairs`);
  if (kind === 'gr') {
    const rho = options.numberDensity_A3 as number;
    for (let k = 0; k < r.length; k++) g[k] = r[k] > 0 ? 1 + g[k] / (4 * Math.PI * r[k] * rho) : 0;
  }
  return { r_A: Float64Array.from(r), g: Float64Array.from(g), source: file };
}

export interface ResampleOptions {
  /**
   * Treat g as 0 below the first measured r. Physically sound below the closest approach of two
   * atoms (≈1.2 Å for carbon); off by default so a short range is never filled in silently.
   */
  zeroBelowData?: boolean;
}

/** Linear interpolation of a measured g(r) onto a grid's bin centres; the data must cover them. */
export function resamplePcf(measured: MeasuredPcf, grid: Grid, options: ResampleOptions = {}): Float64Array {
  const centres = grid.centres();
  const { r_A: r, g } = measured;
  const rFirst = r[0];
  const rLast = r[r.length - 1];
  const need = centres[centres.length - 1];
  if (rLast < need) {
    throw new InputError(`${measured.source}: g(r) ends at r = ${rLast} Å but the model's grid needs values up to ${need} Å (r_max ${grid.stop} Å)`);
  }
  if (rFirst > centres[0] && !options.zeroBelowData) {
    throw new InputError(
      `${measured.source}: g(r) starts at r = ${rFirst} Å but the grid starts at ${centres[0]} Å; extend the data or allow zero below it (--zero-below)`,
    );
  }
  const out = new Float64Array(centres.length);
  let k = 0;
  for (let m = 0; m < centres.length; m++) {
    const x = centres[m];
    if (x < rFirst) continue; // zero below the data (allowed above)
    while (k < r.length - 2 && r[k + 1] < x) k++;
    const t = (x - r[k]) / (r[k + 1] - r[k]);
    out[m] = g[k] + t * (g[k + 1] - g[k]);
  }
  return out;
}
