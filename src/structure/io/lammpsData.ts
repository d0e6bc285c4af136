import { Atoms } from '../atoms.js';
import { inverse } from '../cell.js';
import { atomicNumber, elementFromMass, MASSES_AMU, SYMBOLS } from '../elements.js';
import { LineReader, fields, parseNumber } from './text.js';

export type LammpsAtomStyle = 'atomic' | 'charge' | 'full' | 'molecular';

/** Column of type, charge and x in each style's Atoms line (id is always column 0). */
const STYLE_COLUMNS: Record<LammpsAtomStyle, { type: number; charge?: number; x: number }> = {
  atomic: { type: 1, x: 2 },
  charge: { type: 1, charge: 2, x: 3 },
  molecular: { type: 2, x: 3 },
  full: { type: 2, charge: 3, x: 4 },
};

export interface LammpsReadOptions {
  /** Atom style when the "Atoms # style" comment is missing; otherwise guessed from the column count. */
  style?: LammpsAtomStyle;
  /** Element of each atom type (index 0 is type 1); overrides the Masses section. */
  typeSymbols?: readonly string[];
}

/**
 * LAMMPS data file (read_data format): orthogonal or triclinic box, Masses to species (by a "# C"
 * comment or the nearest standard mass), Atoms in atomic, charge, molecular or full style. Atoms are
 * sorted by id, positions are relative to the box origin, image flags are kept out (positions as given).
 */
export function readLammpsData(text: string, file = 'data.lammps', options: LammpsReadOptions = {}): Atoms {
  const r = new LineReader(file, text);
  const strip = (k: number): string => r.lines[k].replace(/#.*/, '').trim();
  let natoms: number | undefined;
  let ntypes: number | undefined;
  const bounds: Record<string, [number, number]> = {};
  let tilt = [0, 0, 0];
  let k = 1; // line 1 is a free title
  for (; k < r.count; k++) {
    const line = strip(k);
    if (line === '') continue;
    if (/^[A-Za-z]/.test(line)) break; // first section keyword
    const parts = fields(line);
    const tail = parts.filter((t) => !Number.isFinite(parseNumber(t))).join(' ');
    if (tail === 'atoms') natoms = r.integer(parts[0], k, 'the number of atoms', 1);
    else if (tail === 'atom types') ntypes = r.integer(parts[0], k, 'the number of atom types', 1);
    else if (/^[xyz]lo [xyz]hi$/.test(tail)) {
      const [lo, hi] = r.numbers(k, 2, `${tail} bounds`);
      if (!(hi > lo)) throw r.error(k, `${tail}: upper bound ${hi} must exceed lower bound ${lo}`);
      bounds[tail[0]] = [lo, hi];
    } else if (tail === 'xy xz yz') tilt = r.numbers(k, 3, 'the tilt factors xy xz yz');
  }
  if (natoms === undefined) throw r.error(undefined, 'header has no "N atoms" line');
  for (const axis of ['x', 'y', 'z']) if (bounds[axis] === undefined) throw r.error(undefined, `header has no "${axis}lo ${axis}hi" line`);

  // Sections: a keyword line, then data lines until the next keyword.
  const sections = new Map<string, { header: number; comment: string; rows: number[] }>();
  let current: { header: number; comment: string; rows: number[] } | undefined;
  for (; k < r.count; k++) {
    const line = strip(k);
    if (line === '') continue;
    if (/^[A-Za-z]/.test(line)) {
      current = { header: k, comment: (r.lines[k].split('#')[1] ?? '').trim(), rows: [] };
      sections.set(line, current);
    } else if (current !== undefined) current.rows.push(k);
  }
  const atomsSection = sections.get('Atoms');
  if (atomsSection === undefined) throw r.error(undefined, 'no "Atoms" section');
  if (atomsSection.rows.length !== natoms) {
    const at = atomsSection.rows[atomsSection.rows.length - 1] ?? atomsSection.header;
    throw r.error(at, `header says ${natoms} atoms but the Atoms section has ${atomsSection.rows.length} lines`);
  }

  const typeToZ = speciesOfTypes(r, sections.get('Masses'), ntypes, options.typeSymbols);
  const firstParts = fields(strip(atomsSection.rows[0]));
  const style = pickStyle(r, atomsSection, firstParts.length, options.style);
  const cols = STYLE_COLUMNS[style];

  const [xlo, xhi] = bounds.x;
  const [ylo, yhi] = bounds.y;
  const [zlo, zhi] = bounds.z;
  const cell = [xhi - xlo, 0, 0, tilt[0], yhi - ylo, 0, tilt[1], tilt[2], zhi - zlo];
  const rows = atomsSection.rows.map((line) => {
    const parts = fields(strip(line));
    if (parts.length < cols.x + 3) throw r.error(line, `expected at least ${cols.x + 3} columns for atom style ${style}, found ${parts.length}`);
    const id = r.integer(parts[0], line, 'an atom id', 1);
    const type = r.integer(parts[cols.type], line, 'an atom type', 1);
    const z = typeToZ.get(type);
    if (z === undefined) throw r.error(line, `atom type ${type} has no species (types known: ${[...typeToZ.keys()].join(', ')})`);
    const xyz = [0, 1, 2].map((d) => parseNumber(parts[cols.x + d]));
    if (!xyz.every(Number.isFinite)) throw r.error(line, `atom ${id}: coordinates "${parts.slice(cols.x, cols.x + 3).join(' ')}" are not finite numbers`);
    const charge = cols.charge === undefined ? 0 : parseNumber(parts[cols.charge]);
    if (!Number.isFinite(charge)) throw r.error(line, `atom ${id}: charge "${parts[cols.charge as number]}" is not a number`);
    return { id, z, xyz, charge, line };
  });
  rows.sort((a, b) => a.id - b.id);
  for (let i = 1; i < rows.length; i++) if (rows[i].id === rows[i - 1].id) throw r.error(rows[i].line, `atom id ${rows[i].id} appears twice`);
  const positions = new Float64Array(3 * natoms);
  rows.forEach((row, i) => {
    positions[3 * i] = row.xyz[0] - xlo;
    positions[3 * i + 1] = row.xyz[1] - ylo;
    positions[3 * i + 2] = row.xyz[2] - zlo;
  });
  const atoms = new Atoms({
    positions,
    numbers: rows.map((row) => row.z),
    cell,
    pbc: [true, true, true],
    info: { comment: r.lines[0].trim() },
  });
  if (cols.charge !== undefined) atoms.setArray('charges', rows.map((row) => row.charge), 1);
  return atoms;
}

function pickStyle(
  r: LineReader,
  section: { header: number; comment: string },
  columnCount: number,
  given: LammpsAtomStyle | undefined,
): LammpsAtomStyle {
  const named = section.comment.split(/\s+/)[0];
  if (named !== '') {
    if (!(named in STYLE_COLUMNS)) {
      throw r.error(section.header, `atom style "${named}" is not supported (supported: ${Object.keys(STYLE_COLUMNS).join(', ')})`);
    }
    return named as LammpsAtomStyle;
  }
  if (given !== undefined) return given;
  // Without a comment: atomic has 5 columns (8 with image flags), charge 6 (9).
  if (columnCount === 5 || columnCount === 8) return 'atomic';
  if (columnCount === 6 || columnCount === 9) return 'charge';
  throw r.error(section.header, `cannot tell the atom style from ${columnCount} columns; write "Atoms # full" or pass the style`);
}

function speciesOfTypes(
  r: LineReader,
  masses: { header: number; rows: number[] } | undefined,
  ntypes: number | undefined,
  typeSymbols: readonly string[] | undefined,
): Map<number, number> {
  const map = new Map<number, number>();
  if (typeSymbols !== undefined) {
    typeSymbols.forEach((s, k) => {
      const z = atomicNumber(s);
      if (z === undefined) throw r.error(undefined, `type ${k + 1}: unknown chemical symbol "${s}"`);
      map.set(k + 1, z);
    });
    return map;
  }
  if (masses === undefined) throw r.error(undefined, 'no Masses section: give the element of each atom type');
  for (const line of masses.rows) {
    const parts = fields(r.lines[line].replace(/#.*/, ''));
    const type = r.integer(parts[0], line, 'an atom type', 1);
    const mass = parseNumber(parts[1]);
    if (!(mass > 0)) throw r.error(line, `mass "${parts[1] ?? ''}" of type ${type} must be a positive number`);
    const label = (r.lines[line].split('#')[1] ?? '').trim().split(/\s+/)[0];
    const z = atomicNumber(label) ?? elementFromMass(mass);
    if (z === undefined) throw r.error(line, `mass ${mass} of type ${type} matches no element (within 0.1 amu); label it "# Symbol"`);
    map.set(type, z);
  }
  if (ntypes !== undefined && map.size !== ntypes) throw r.error(masses.header, `header says ${ntypes} atom types, Masses lists ${map.size}`);
  return map;
}

/**
 * LAMMPS data file, atomic style (charge style when the atoms carry a "charges" array). A cell
 * that is not already in LAMMPS' restricted triclinic form (a along x, b in the xy-plane) is rotated
 * into it, positions with it.
 */
export function writeLammpsData(atoms: Atoms): string {
  const { cell, positions } = toLammpsFrame(atoms);
  const types = [...new Set(atoms.numbers)];
  const charges = atoms.getArray('charges');
  const out = [`${atoms.formula()} written by spramnet`, '', `${atoms.length} atoms`, `${types.length} atom types`, ''];
  out.push(`0 ${cell[0]} xlo xhi`, `0 ${cell[4]} ylo yhi`, `0 ${cell[8]} zlo zhi`);
  if (cell[3] !== 0 || cell[6] !== 0 || cell[7] !== 0) out.push(`${cell[3]} ${cell[6]} ${cell[7]} xy xz yz`);
  out.push('', 'Masses', '');
  types.forEach((z, k) => out.push(`${k + 1} ${MASSES_AMU[z]} # ${SYMBOLS[z]}`));
  out.push('', `Atoms # ${charges ? 'charge' : 'atomic'}`, '');
  for (let i = 0; i < atoms.length; i++) {
    const type = types.indexOf(atoms.numbers[i]) + 1;
    const xyz = `${positions[3 * i]} ${positions[3 * i + 1]} ${positions[3 * i + 2]}`;
    out.push(charges ? `${i + 1} ${type} ${charges.data[i]} ${xyz}` : `${i + 1} ${type} ${xyz}`);
  }
  return out.join('\n') + '\n';
}

function toLammpsFrame(atoms: Atoms): { cell: Float64Array; positions: Float64Array } {
  const m = atoms.cell;
  if (m[1] === 0 && m[2] === 0 && m[5] === 0 && m[0] > 0 && m[4] > 0 && m[8] > 0) {
    return { cell: m, positions: atoms.positions };
  }
  const a = [m[0], m[1], m[2]];
  const b = [m[3], m[4], m[5]];
  const c = [m[6], m[7], m[8]];
  const dot = (u: number[], v: number[]): number => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const ax = Math.sqrt(dot(a, a));
  const ahat = a.map((v) => v / ax);
  const bx = dot(b, ahat);
  const by = Math.sqrt(Math.max(0, dot(b, b) - bx * bx));
  const cx = dot(c, ahat);
  const cy = (dot(b, c) - bx * cx) / by;
  const cz = Math.sqrt(Math.max(0, dot(c, c) - cx * cx - cy * cy));
  const cell = Float64Array.from([ax, 0, 0, bx, by, 0, cx, cy, cz]);
  const inv = inverse(m);
  const positions = new Float64Array(atoms.positions.length);
  for (let i = 0; i < atoms.length; i++) {
    const p = atoms.positions.subarray(3 * i, 3 * i + 3);
    const f = [0, 1, 2].map((d) => p[0] * inv[d] + p[1] * inv[3 + d] + p[2] * inv[6 + d]);
    for (let d = 0; d < 3; d++) positions[3 * i + d] = f[0] * cell[d] + f[1] * cell[3 + d] + f[2] * cell[6 + d];
  }
  return { cell, positions };
}
