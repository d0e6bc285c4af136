import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, ParseError } from '../../errors.js';
import { readFileOrFail } from '../../io/readFile.js';
import { atomicNumber } from '../../structure/elements.js';

/**
 * Tersoff parameters in LAMMPS' `pair_style tersoff` file format: one entry per element triplet
 * (i, j, k) with 14 numbers, `m gamma lambda3 c d costheta0 n beta lambda2 B R D lambda1 A`, read
 * as LAMMPS reads them ('#' starts a comment, an entry may continue over several lines).
 * Two-body numbers (n, beta, lambda2, B, lambda1, A) come from the (i, j, j) entry, three-body ones
 * (m, gamma, lambda3, c, d, costheta0) and the cut-off of r_ik from (i, j, k), as in LAMMPS.
 */
export interface TersoffEntry {
  elements: [string, string, string];
  m: number;
  gamma: number;
  lam3: number;
  c: number;
  d: number;
  h: number;
  n: number;
  beta: number;
  lam2: number;
  B: number;
  R: number;
  D: number;
  lam1: number;
  A: number;
}

export interface TersoffParameters {
  /** A shipped name ("lindsay-broido-2010") or the file path. */
  name: string;
  /** sha256 of the file's bytes (hex), for provenance. */
  sha256: string;
  /** Element symbols in order of first appearance. */
  elements: string[];
  entries: TersoffEntry[];
}

/** The 14 numbers of an entry in file order (the `.extep` format shares them). */
export const TERSOFF_FIELDS = ['m', 'gamma', 'lam3', 'c', 'd', 'h', 'n', 'beta', 'lam2', 'B', 'R', 'D', 'lam1', 'A'] as const;

/** The parameter sets shipped in `potentials/` (file name without `.tersoff`). */
export const SHIPPED_TERSOFF = ['lindsay-broido-2010', 'tersoff-1988', 'kinaci-2012-bn'] as const;

/** Parse a `.tersoff` file's text. Checks the same constraints LAMMPS does (m is 1 or 3, D ≤ R, …). */
export function parseTersoff(text: string, file = 'potential.tersoff', name = file): TersoffParameters {
  const lines = text.split(/\r?\n/);
  const entries: TersoffEntry[] = [];
  const elements: string[] = [];
  let words: string[] = [];
  let firstLine = 0;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].replace(/#.*/, '').trim();
    if (line === '') continue;
    if (words.length === 0) firstLine = k + 1;
    words.push(...line.split(/\s+/));
    if (words.length < 17) continue;
    if (words.length > 17) throw new ParseError(file, k + 1, `an entry has 17 fields (3 elements and 14 numbers), found ${words.length}`);
    const values = words.slice(3).map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ParseError(file, firstLine, `${TERSOFF_FIELDS[bad]} = "${words[3 + bad]}" is not a number`);
    const entry = { elements: [words[0], words[1], words[2]] } as TersoffEntry;
    TERSOFF_FIELDS.forEach((f, i) => (entry[f] = values[i]));
    const problem = checkTersoffEntry(entry);
    if (problem !== undefined) throw new ParseError(file, firstLine, `entry ${entry.elements.join(' ')}: ${problem}`);
    if (entries.some((e) => e.elements.every((s, i) => s === entry.elements[i]))) {
      throw new ParseError(file, firstLine, `entry ${entry.elements.join(' ')} appears twice`);
    }
    for (const s of entry.elements) if (!elements.includes(s)) elements.push(s);
    entries.push(entry);
    words = [];
  }
  if (words.length > 0) throw new ParseError(file, firstLine, `last entry is incomplete: ${words.length} of 17 fields`);
  if (entries.length === 0) throw new ParseError(file, undefined, 'no Tersoff entries (expected lines of 3 elements and 14 numbers)');
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { name, sha256, elements, entries };
}

/** LAMMPS' checks of one entry (non-negative numbers, D ≤ R, m = 1 or 3); the problem in words, or undefined. */
export function checkTersoffEntry(e: TersoffEntry): string | undefined {
  const nonNegative = ['c', 'd', 'n', 'beta', 'lam2', 'B', 'R', 'D', 'lam1', 'A', 'gamma'] as const;
  for (const f of nonNegative) if (e[f] < 0) return `${f} = ${e[f]} must be ≥ 0`;
  if (e.D > e.R) return `D = ${e.D} must not exceed R = ${e.R}`;
  if (e.m !== 1 && e.m !== 3) return `m = ${e.m} must be 1 or 3`;
  return undefined;
}

/** The directory of the shipped `.tersoff` files (repository or package root). */
export function potentialsDirectory(): string {
  return fileURLToPath(new URL('../../../../potentials/', import.meta.url));
}

/** A shipped set by name (`lindsay-broido-2010`, `tersoff-1988`, `kinaci-2012-bn`) or any `.tersoff` file by path. */
export function loadTersoff(nameOrFile: string): TersoffParameters {
  if ((SHIPPED_TERSOFF as readonly string[]).includes(nameOrFile)) {
    const file = `${potentialsDirectory()}${nameOrFile}.tersoff`;
    return parseTersoff(readFileOrFail(file, 'utf8'), file, nameOrFile);
  }
  if (!existsSync(nameOrFile)) {
    throw new InputError(`Tersoff potential "${nameOrFile}" is neither a shipped set (${SHIPPED_TERSOFF.join(', ')}) nor an existing file`);
  }
  return parseTersoff(readFileOrFail(nameOrFile, 'utf8'), nameOrFile, nameOrFile);
}

/** Largest R + D over all entries: the interaction range. */
export function tersoffCutoff(params: TersoffParameters): number {
  return Math.max(...params.entries.map((e) => e.R + e.D));
}

/**
 * What a parameter set lacks to describe a structure of these elements: each element pair i–j
 * needs its two-body entry (i, j, j) and every triplet (i, j, k) its three-body entry. Returns one
 * sentence per missing pair ("B–C (no entry for the triplets B C C, …)"), empty when the set covers them all.
 */
export function missingPairs(params: TersoffParameters, symbols: readonly string[]): string[] {
  const present = [...new Set(symbols)];
  const has = (a: string, b: string, c: string): boolean => params.entries.some((e) => e.elements[0] === a && e.elements[1] === b && e.elements[2] === c);
  const out: string[] = [];
  for (let x = 0; x < present.length; x++) {
    for (let y = x; y < present.length; y++) {
      const [a, b] = [present[x], present[y]];
      const lacking: string[] = [];
      for (const [i, j] of a === b ? [[a, b]] : [[a, b], [b, a]]) {
        for (const k of present) if (!has(i, j, k)) lacking.push(`${i} ${j} ${k}`);
      }
      if (lacking.length > 0) out.push(`${a}–${b} (no entry for the triplet${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')})`);
    }
  }
  return out;
}

/** Atomic number of a file's element name (a chemical symbol; names such as "Si(D)" match no atom). */
export function elementNumber(name: string): number | undefined {
  return atomicNumber(name);
}
