import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { InputError, ParseError } from '../../errors.js';
import { readFileOrFail } from '../../io/readFile.js';
import { checkTersoffEntry, potentialsDirectory, TERSOFF_FIELDS, type TersoffEntry, type TersoffParameters } from '../tersoff/params.js';

/**
 * ExTeP parameters (Los et al., Phys. Rev. B 96, 184108, 2017) in LAMMPS' `pair_style extep` file
 * format, e.g. Debian's /usr/share/lammps/potentials/BN.extep. Two kinds of lines ('#' starts a
 * comment), told apart by their third word (an element name or a number):
 *
 * - a Tersoff entry per element triplet: `I J K` and the 14 numbers of a `.tersoff` entry in the same
 *   order (m, γ, λ3, c, d, cos θ0, n, β, λ2, B, R, D, λ1, A); it may continue over several lines;
 * - a knot of the coordination correction F_corr: `I J N_ij N_ji value dF/dN_ij dF/dN_ji d²F` with
 *   integer N in 0…4. LAMMPS ignores the last column and stores each knot for (I, J) and, mirrored,
 *   for (J, I); missing knots are 0. See spline.ts.
 *
 * Numbers may carry Fortran exponents (`2.d0`, `306.586555205d0`), as BN.extep's do; a d exponent
 * is read as an e.
 */
export interface ExtepKnot {
  elements: [string, string];
  /** N_ij, N_ji: the corner's neighbour counts (integers 0…4). */
  n: [number, number];
  value: number;
  dx: number;
  dy: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface ExtepParameters {
  /** A shipped name ("extep-bn-2017") or the file path. */
  name: string;
  /** sha256 of the file's bytes (hex), for provenance. */
  sha256: string;
  /** Element symbols in order of first appearance among the triplet entries. */
  elements: string[];
  /** The Tersoff part, one entry per triplet (every triplet of `elements` is present). */
  entries: TersoffEntry[];
  /** F_corr knots in file order (later ones overwrite earlier ones, as in LAMMPS). */
  knots: ExtepKnot[];
}

/** The sets shipped in `potentials/` (file name without `.extep`). */
export const SHIPPED_EXTEP = ['extep-bn-2017'] as const;

/** Largest knot index of F_corr: N_ij, N_ji ∈ 0…4 (LAMMPS' NSPLINE = 5). */
export const MAX_KNOT = 4;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A number in C or Fortran notation, or undefined. */
function number(word: string): number | undefined {
  if (!NUMBER.test(word)) return undefined;
  const v = Number(word.replace(/[dD]/, 'e'));
  return Number.isFinite(v) ? v : undefined;
}

const KNOT_FIELDS = ['value', 'dF/dN_ij', 'dF/dN_ji', 'd²F/dN_ij dN_ji'] as const;

/** Parse a `.extep` file's text; every problem is a ParseError naming the file and line. */
export function parseExtep(text: string, file = 'potential.extep', name = file): ExtepParameters {
  const lines = text.split(/\r?\n/);
  const entries: TersoffEntry[] = [];
  const entryLines: number[] = [];
  const rawKnots: { words: string[]; line: number }[] = [];
  let words: string[] = [];
  let firstLine = 0;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].replace(/#.*/, '').trim();
    if (line === '') continue;
    const here = line.split(/\s+/);
    if (words.length === 0 && here.length >= 3 && number(here[2]) !== undefined) {
      rawKnots.push({ words: here, line: k + 1 });
      continue;
    }
    if (words.length === 0) firstLine = k + 1;
    words.push(...here);
    if (words.length < 17) continue;
    if (words.length > 17) {
      throw new ParseError(file, k + 1, `expected a triplet entry of 17 fields (3 elements and the 14 numbers ${TERSOFF_FIELDS.join(' ')}) or an F_corr knot of 8 (2 elements, 2 integer neighbour counts, value, dF/dN_ij, dF/dN_ji, d²F); found ${words.length} fields`);
    }
    const entry = { elements: [words[0], words[1], words[2]] } as TersoffEntry;
    for (const [i, f] of TERSOFF_FIELDS.entries()) {
      const v = number(words[3 + i]);
      if (v === undefined) throw new ParseError(file, firstLine, `entry ${words.slice(0, 3).join(' ')}: ${f} = "${words[3 + i]}" is not a number`);
      entry[f] = v;
    }
    for (const s of entry.elements) {
      if (number(s) !== undefined) throw new ParseError(file, firstLine, `expected three element names to open a triplet entry, found "${words.slice(0, 3).join(' ')}"`);
    }
    const problem = checkTersoffEntry(entry);
    if (problem !== undefined) throw new ParseError(file, firstLine, `entry ${entry.elements.join(' ')}: ${problem}`);
    if (entries.some((e) => e.elements.every((s, i) => s === entry.elements[i]))) throw new ParseError(file, firstLine, `entry ${entry.elements.join(' ')} appears twice`);
    entries.push(entry);
    entryLines.push(firstLine);
    words = [];
  }
  if (words.length > 0) throw new ParseError(file, firstLine, `last triplet entry is incomplete: ${words.length} of 17 fields`);
  if (entries.length === 0) throw new ParseError(file, undefined, 'no ExTeP triplet entries (expected lines of 3 elements and 14 numbers)');

  const elements: string[] = [];
  for (const e of entries) for (const s of e.elements) if (!elements.includes(s)) elements.push(s);
  // LAMMPS needs every triplet of the elements it maps; a file's own elements are what it offers.
  const lastEntryLine = entryLines[entryLines.length - 1];
  for (const a of elements)
    for (const b of elements)
      for (const c of elements) {
        if (!entries.some((e) => e.elements[0] === a && e.elements[1] === b && e.elements[2] === c)) {
          throw new ParseError(file, lastEntryLine, `the triplet entries end here without one for ${a} ${b} ${c}: ExTeP needs an entry for every triplet of its elements (${elements.join(', ')})`);
        }
      }

  const knots = rawKnots.map(({ words: w, line }) => knot(w, line, file, elements));
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { name, sha256, elements, entries, knots };
}

function knot(w: string[], line: number, file: string, elements: string[]): ExtepKnot {
  if (w.length !== 8) throw new ParseError(file, line, `an F_corr knot has 8 fields (2 elements, N_ij, N_ji, value, dF/dN_ij, dF/dN_ji, d²F), found ${w.length}`);
  for (const s of [w[0], w[1]]) {
    if (!elements.includes(s)) throw new ParseError(file, line, `F_corr knot for element "${s}", which has no triplet entries (elements: ${elements.join(', ')})`);
  }
  const n: [number, number] = [0, 0];
  for (const k of [0, 1]) {
    const word = w[2 + k];
    const v = INTEGER.test(word) ? Number(word) : NaN;
    if (!(v >= 0 && v <= MAX_KNOT)) throw new ParseError(file, line, `F_corr knot: ${k === 0 ? 'N_ij' : 'N_ji'} = "${word}" must be an integer from 0 to ${MAX_KNOT}`);
    n[k] = v;
  }
  const values = KNOT_FIELDS.map((f, k) => {
    const v = number(w[4 + k]);
    if (v === undefined) throw new ParseError(file, line, `F_corr knot ${w[0]} ${w[1]} ${n[0]} ${n[1]}: ${f} = "${w[4 + k]}" is not a number`);
    return v;
  });
  return { elements: [w[0], w[1]], n, value: values[0], dx: values[1], dy: values[2], line };
}

/** The Tersoff part as a Tersoff parameter set (the bond-order terms ExTeP adds F_corr to). */
export function tersoffPart(p: ExtepParameters): TersoffParameters {
  return { name: p.name, sha256: p.sha256, elements: p.elements, entries: p.entries };
}

/** Whether a potential name means ExTeP: a shipped ExTeP name or a path ending in `.extep`. */
export function isExtep(nameOrFile: string): boolean {
  return (SHIPPED_EXTEP as readonly string[]).includes(nameOrFile) || /\.extep$/i.test(nameOrFile);
}

/** The file behind a name: `potentials/NAME.extep` for a shipped name, else the path itself. */
export function extepFile(nameOrFile: string): string {
  return (SHIPPED_EXTEP as readonly string[]).includes(nameOrFile) ? `${potentialsDirectory()}${nameOrFile}.extep` : nameOrFile;
}

/** A shipped set by name (`extep-bn-2017`) or any `.extep` file by path. */
export function loadExtep(nameOrFile: string): ExtepParameters {
  const file = extepFile(nameOrFile);
  if (!existsSync(file)) {
    throw new InputError(`ExTeP potential "${nameOrFile}" is neither a shipped set (${SHIPPED_EXTEP.join(', ')}) nor an existing file`);
  }
  return parseExtep(readFileOrFail(file, 'utf8'), file, nameOrFile);
}

/** Largest R + D over all entries: the interaction range of one bond. */
export function extepCutoff(p: ExtepParameters): number {
  return Math.max(...p.entries.map((e) => e.R + e.D));
}
