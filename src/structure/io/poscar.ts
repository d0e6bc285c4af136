import { Atoms } from '../atoms.js';
import { determinant, inverse } from '../cell.js';
import { atomicNumber, SYMBOLS } from '../elements.js';
import { parseCoordinateBlock } from './poscarBlock.js';
import { LazyLines, fields, parseNumber, scanNumbersIn } from './text.js';

export interface PoscarReadOptions {
  /** Species for a VASP 4 file (no species line), in the order of the counts line. */
  species?: readonly string[];
}

/**
 * VASP POSCAR/CONTCAR, versions 4 and 5: scale factor (one positive number, a negative one meaning
 * the cell volume, or three per-axis factors), optional species line, optional "Selective dynamics",
 * Direct or Cartesian coordinates. Anything after the coordinates (velocities, predictor-corrector
 * blocks of a CONTCAR) is ignored. Line 1 is a free comment, stored as info.comment.
 */
export function readPoscar(text: string, file = 'POSCAR', options: PoscarReadOptions = {}): Atoms {
  const r = new LazyLines(file, text);
  const comment = r.line(0, 'a comment line').trim();
  const scaleParts = fields(r.line(1, 'the scale factor'));
  const scaleCount = scaleParts.length >= 3 && scaleParts.slice(0, 3).every((t) => Number.isFinite(parseNumber(t))) ? 3 : 1;
  const scale = r.numbers(1, scaleCount, 'the scale factor');
  const lattice = new Float64Array(9);
  for (let row = 0; row < 3; row++) lattice.set(r.numbers(2 + row, 3, `lattice vector ${'abc'[row]}`), 3 * row);
  if (scale.some((s) => s === 0)) throw r.error(1, 'scale factor is zero');
  if (scaleCount === 3 && scale.some((s) => s < 0)) throw r.error(1, 'three scale factors must all be positive');

  // VASP 5 has a species line before the counts; VASP 4 goes straight to the counts.
  let index = 5;
  let first = fields(r.line(index, 'species or atom counts'));
  let species: string[];
  if (first.length > 0 && !Number.isFinite(parseNumber(first[0]))) {
    species = first.map((s) => s.split(/[_/]/)[0]); // POTCAR labels such as C_s or C/xyz
    index++;
    first = fields(r.line(index, 'atom counts'));
  } else {
    species = vasp4Species(options.species, comment, first.length, r);
  }
  const counts = first.map((t) => r.integer(t, index, 'an atom count', 0));
  if (counts.length !== species.length) {
    throw r.error(index, `${counts.length} atom counts for ${species.length} species (${species.join(' ')})`);
  }
  const numbersOfSpecies = species.map((s) => {
    const z = atomicNumber(s);
    if (z === undefined) throw r.error(index - 1, `unknown chemical symbol "${s}"`);
    return z;
  });
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) throw r.error(index, 'the structure has no atoms');
  const countsLine = index;
  index++;

  let mode = r.line(index, 'Direct or Cartesian').trim();
  if (/^s/i.test(mode)) {
    index++;
    mode = r.line(index, 'Direct or Cartesian').trim();
  }
  if (mode.length === 0) throw r.error(index, 'expected "Direct" or "Cartesian", found an empty line');
  const cartesian = /^[ck]/i.test(mode);
  index++;

  // Scale: a negative single factor is the target volume.
  const axisScale =
    scaleCount === 3 ? scale : new Array(3).fill(scale[0] > 0 ? scale[0] : Math.cbrt(-scale[0] / Math.abs(determinant(lattice))));
  const cell = lattice.slice();
  for (let row = 0; row < 3; row++) for (let d = 0; d < 3; d++) cell[3 * row + d] *= axisScale[d];

  const positions = new Float64Array(3 * n);
  const blockEnd = r.has(index) ? parseCoordinateBlock(text, r.start(index), n, positions) : -1;
  if (blockEnd < 0) {
    for (let i = 0; i < n; i++) {
      const line = index + i;
      if (!r.has(line)) throw r.error(line, `file ends early: expected ${n} coordinate lines, found ${i}`);
      if (r.scanNumbers(line, 3, positions, 3 * i) !== 3) {
        throw r.error(line, `expected three finite coordinates for atom ${i + 1} of ${n}, found "${r.text(line).trim()}"`);
      }
    }
  }
  // A CONTCAR's velocity block follows a blank line; a coordinate line right after the last one
  // means the counts line undercounts the atoms, and reading on would silently drop them.
  const after = index + n;
  const afterHasThree = blockEnd < 0 ? r.has(after) && r.scanNumbers(after, 3, new Float64Array(3), 0) === 3 : lineHasThreeNumbers(text, blockEnd);
  if (afterHasThree) {
    throw r.error(after, `a coordinate line beyond the ${n} atoms the counts line (line ${countsLine + 1}: ${counts.join(' ')}) gives; the counts must add up to the number of coordinate lines`);
  }
  if (cartesian) {
    for (let k = 0; k < positions.length; k++) positions[k] *= axisScale[k % 3];
  } else {
    for (let i = 0; i < n; i++) {
      const f0 = positions[3 * i];
      const f1 = positions[3 * i + 1];
      const f2 = positions[3 * i + 2];
      for (let d = 0; d < 3; d++) positions[3 * i + d] = f0 * cell[d] + f1 * cell[3 + d] + f2 * cell[6 + d];
    }
  }
  const numbers = new Uint8Array(n);
  let at = 0;
  counts.forEach((c, k) => numbers.fill(numbersOfSpecies[k], at, (at += c)));
  return new Atoms({ positions, numbers, cell, pbc: [true, true, true], info: { comment } });
}

/** Whether the line starting at `start` (if any) begins with three finite numbers. */
function lineHasThreeNumbers(text: string, start: number): boolean {
  if (start >= text.length) return false;
  const newline = text.indexOf('\n', start);
  return scanNumbersIn(text, start, newline < 0 ? text.length : newline, 3, new Float64Array(3), 0) === 3;
}

function vasp4Species(given: readonly string[] | undefined, comment: string, needed: number, r: LazyLines): string[] {
  if (given !== undefined) {
    if (given.length !== needed) throw r.error(5, `${needed} atom counts but ${given.length} species were given`);
    return [...given];
  }
  const fromComment = fields(comment);
  if (fromComment.length >= needed && fromComment.slice(0, needed).every((s) => atomicNumber(s) !== undefined)) {
    return fromComment.slice(0, needed);
  }
  throw r.error(
    5,
    'VASP 4 file: no species line and the comment does not name the species; pass the species (e.g. --species C)',
  );
}

export interface PoscarWriteOptions {
  /** Write Direct (fractional) coordinates instead of Cartesian. Cartesian round-trips exactly. */
  direct?: boolean;
}

/** VASP 5 POSCAR; species in runs of equal atoms, in the atoms' order. */
export function writePoscar(atoms: Atoms, options: PoscarWriteOptions = {}): string {
  const comment = String(atoms.info.comment ?? atoms.formula()).replace(/\n/g, ' ');
  const runs: Array<[number, number]> = [];
  for (const z of atoms.numbers) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === z) last[1]++;
    else runs.push([z, 1]);
  }
  const out = [comment, '1.0'];
  for (let row = 0; row < 3; row++) out.push(Array.from(atoms.cell.subarray(3 * row, 3 * row + 3), String).join(' '));
  out.push(runs.map(([z]) => SYMBOLS[z]).join(' '), runs.map(([, c]) => String(c)).join(' '));
  out.push(options.direct ? 'Direct' : 'Cartesian');
  const inv = options.direct ? inverse(atoms.cell) : undefined;
  for (let i = 0; i < atoms.length; i++) {
    const p = atoms.positions.subarray(3 * i, 3 * i + 3);
    if (inv === undefined) out.push(`${p[0]} ${p[1]} ${p[2]}`);
    else {
      const f = [0, 1, 2].map((d) => p[0] * inv[d] + p[1] * inv[3 + d] + p[2] * inv[6 + d]);
      out.push(f.join(' '));
    }
  }
  return out.join('\n') + '\n';
}
