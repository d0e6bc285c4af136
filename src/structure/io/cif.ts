import { ParseError } from '../../errors.js';
import { readFileOrFail } from '../../io/readFile.js';
import { Atoms } from '../atoms.js';
import { atomicNumber } from '../elements.js';

/**
 * Crystallographic Information Files (CIF 1.1), the common subset: one structure per data block from
 * the cell (_cell_length_*, _cell_angle_*), fractional sites (_atom_site_fract_*, species from
 * _atom_site_type_symbol or the label) and the symmetry operations (_symmetry_equiv_pos_as_xyz or
 * _space_group_symop_operation_xyz) applied with duplicates removed. Partially occupied sites are
 * refused: a structure here has one atom per site.
 */

interface Token {
  text: string;
  line: number;
  /** Quoted or text field: never a tag or a reserved word. */
  literal: boolean;
}

interface Value {
  text: string;
  line: number;
  literal: boolean;
}

interface Loop {
  line: number;
  tags: string[];
  rows: Value[][];
}

interface Block {
  name: string;
  line: number;
  items: Map<string, Value>;
  loops: Loop[];
}

export interface CifOptions {
  /** Two sites closer than this in every fractional coordinate (periodically) are one site (ASE: symprec 1e-3). */
  symprec?: number;
}

/** Split CIF text into tokens: bare words, 'quoted' and "quoted" strings, ;text fields;, comments dropped. */
function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(';')) {
      const start = i;
      const parts = [line.slice(1)];
      for (i++; i < lines.length && !lines[i].startsWith(';'); i++) parts.push(lines[i]);
      if (i >= lines.length) throw new ParseError(file, start + 1, 'text field opened with ";" is never closed (a line starting with ";")');
      tokens.push({ text: parts.join('\n').trim(), line: start + 1, literal: true });
      continue;
    }
    let k = 0;
    while (k < line.length) {
      const c = line[k];
      if (c === ' ' || c === '\t') {
        k++;
        continue;
      }
      if (c === '#') break;
      if (c === "'" || c === '"') {
        // CIF 1.1: a quote closes only when followed by whitespace or the end of the line
        let end = k + 1;
        while (end < line.length && !(line[end] === c && (end + 1 === line.length || /\s/.test(line[end + 1])))) end++;
        if (end >= line.length) throw new ParseError(file, i + 1, `unterminated ${c}quoted${c} string starting "${line.slice(k, k + 20)}"`);
        tokens.push({ text: line.slice(k + 1, end), line: i + 1, literal: true });
        k = end + 1;
        continue;
      }
      let end = k;
      while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end++;
      tokens.push({ text: line.slice(k, end), line: i + 1, literal: false });
      k = end;
    }
  }
  return tokens;
}

const isTag = (t: Token): boolean => !t.literal && t.text.startsWith('_');
const reserved = (t: Token, word: string): boolean => !t.literal && t.text.toLowerCase().startsWith(word);

function parseBlocks(text: string, file: string): Block[] {
  const tokens = tokenize(text, file);
  const blocks: Block[] = [];
  let block: Block | undefined;
  let k = 0;
  const need = (t: Token): Block => {
    if (block === undefined) throw new ParseError(file, t.line, `"${t.text}" before the first data_ block`);
    return block;
  };
  while (k < tokens.length) {
    const t = tokens[k];
    if (reserved(t, 'data_')) {
      block = { name: t.text.slice(5), line: t.line, items: new Map(), loops: [] };
      blocks.push(block);
      k++;
    } else if (reserved(t, 'loop_')) {
      const b = need(t);
      const tags: string[] = [];
      for (k++; k < tokens.length && isTag(tokens[k]); k++) tags.push(tokens[k].text.toLowerCase());
      if (tags.length === 0) throw new ParseError(file, t.line, 'loop_ without tags (expected _names after loop_)');
      const values: Value[] = [];
      for (; k < tokens.length && !isTag(tokens[k]) && !reserved(tokens[k], 'loop_') && !reserved(tokens[k], 'data_') && !reserved(tokens[k], 'save_'); k++) values.push(tokens[k]);
      if (values.length % tags.length !== 0) {
        throw new ParseError(file, t.line, `loop of ${tags.length} tags (${tags.join(' ')}) holds ${values.length} values, not a whole number of rows`);
      }
      const rows: Value[][] = [];
      for (let r = 0; r < values.length; r += tags.length) rows.push(values.slice(r, r + tags.length));
      b.loops.push({ line: t.line, tags, rows });
    } else if (isTag(t)) {
      const b = need(t);
      const v = tokens[k + 1];
      if (v === undefined || isTag(v) || reserved(v, 'loop_') || reserved(v, 'data_')) throw new ParseError(file, t.line, `tag ${t.text} has no value`);
      b.items.set(t.text.toLowerCase(), v);
      k += 2;
    } else if (reserved(t, 'save_') || reserved(t, 'global_')) {
      throw new ParseError(file, t.line, `"${t.text}": save frames and global blocks are not supported (CIF dictionaries, not structures)`);
    } else {
      throw new ParseError(file, t.line, `unexpected value "${t.text}" (expected a _tag, loop_ or data_)`);
    }
  }
  return blocks;
}

/** A CIF number, its standard uncertainty in brackets dropped: "1.234(5)" → 1.234. NaN for "." and "?". */
export function cifNumber(text: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?:\(\d+\))?$/.exec(text);
  return m === null ? NaN : Number(m[1]);
}

/** One symmetry operation "−x+1/2, y, z+3/4" as rotation rows and translation (fractional). */
export interface SymmetryOperation {
  rotation: number[][];
  translation: number[];
}

export function parseSymmetryOperation(text: string): SymmetryOperation {
  const parts = text.toLowerCase().replace(/\s+/g, '').split(',');
  if (parts.length !== 3) throw new RangeError(`symmetry operation "${text}": expected three comma-separated components`);
  const rotation = [0, 1, 2].map(() => [0, 0, 0]);
  const translation = [0, 0, 0];
  parts.forEach((part, row) => {
    const term = /([+-]?)(\d+(?:\.\d*)?|\.\d+)?(?:\/(\d+(?:\.\d*)?))?\*?([xyz])?/g;
    let at = 0;
    while (at < part.length) {
      term.lastIndex = at;
      const m = term.exec(part);
      if (m === null || m.index !== at || m[0] === '' || (m[2] === undefined && m[4] === undefined)) {
        throw new RangeError(`symmetry operation "${text}": cannot read "${part.slice(at)}"`);
      }
      const sign = m[1] === '-' ? -1 : 1;
      const number = m[2] === undefined ? 1 : Number(m[2]) / (m[3] === undefined ? 1 : Number(m[3]));
      if (m[4] !== undefined) rotation[row]['xyz'.indexOf(m[4])] += sign * number;
      else translation[row] += sign * number;
      at += m[0].length;
    }
  });
  return { rotation, translation };
}

/** ASE's cellpar_to_cell (a along x, b in the xy plane), exact zeros for right angles. */
export function cellFromParameters(a: number, b: number, c: number, alpha: number, beta: number, gamma: number): Float64Array {
  const eps = 2 * 1.4210854715202004e-14; // 2·spacing(90.0), as ASE
  const cosA = Math.abs(Math.abs(alpha) - 90) < eps ? 0 : Math.cos((alpha * Math.PI) / 180);
  const cosB = Math.abs(Math.abs(beta) - 90) < eps ? 0 : Math.cos((beta * Math.PI) / 180);
  let cosG: number;
  let sinG: number;
  if (Math.abs(gamma - 90) < eps) [cosG, sinG] = [0, 1];
  else if (Math.abs(gamma + 90) < eps) [cosG, sinG] = [0, -1];
  else [cosG, sinG] = [Math.cos((gamma * Math.PI) / 180), Math.sin((gamma * Math.PI) / 180)];
  const cx = cosB;
  const cy = (cosA - cosB * cosG) / sinG;
  const cz2 = 1 - cx * cx - cy * cy;
  if (!(cz2 > 0)) throw new RangeError(`cell angles α = ${alpha}°, β = ${beta}°, γ = ${gamma}° do not form a cell`);
  return Float64Array.from([a, 0, 0, b * cosG, b * sinG, 0, c * cx, c * cy, c * Math.sqrt(cz2)]);
}

function symbolOf(text: string): string | undefined {
  const m = /^([A-Za-z]{1,2})/.exec(text);
  if (m === null) return undefined;
  const two = m[1].length === 2 ? m[1][0].toUpperCase() + m[1][1].toLowerCase() : undefined;
  if (two !== undefined && atomicNumber(two) !== undefined) return two;
  const one = m[1][0].toUpperCase();
  return atomicNumber(one) !== undefined ? one : undefined;
}

function blockToAtoms(block: Block, file: string, symprec: number): Atoms | undefined {
  const item = (tag: string): Value | undefined => block.items.get(tag);
  const siteLoop = block.loops.find((l) => l.tags.some((t) => t.startsWith('_atom_site_fract_') || t.startsWith('_atom_site_cartn_')));
  const cellTags = ['_cell_length_a', '_cell_length_b', '_cell_length_c', '_cell_angle_alpha', '_cell_angle_beta', '_cell_angle_gamma'];
  const hasCell = cellTags.some((t) => item(t) !== undefined);
  if (siteLoop === undefined && !hasCell) return undefined; // a block with no structure (e.g. publication data)
  if (siteLoop === undefined) throw new ParseError(file, block.line, `data_${block.name}: a cell but no _atom_site_fract_x/y/z loop`);
  const par = cellTags.map((tag, k) => {
    const v = item(tag);
    if (v === undefined) {
      if (k >= 3) return 90; // angles default to 90° as in ASE
      throw new ParseError(file, block.line, `data_${block.name}: missing ${tag} (the cell is needed to place fractional sites)`);
    }
    const x = cifNumber(v.text);
    if (!(x > 0)) throw new ParseError(file, v.line, `${tag} = "${v.text}": expected a positive number`);
    return x;
  });
  let cell: Float64Array;
  try {
    cell = cellFromParameters(par[0], par[1], par[2], par[3], par[4], par[5]);
  } catch (error) {
    throw new ParseError(file, item('_cell_angle_alpha')?.line ?? block.line, (error as Error).message);
  }

  const column = (tag: string): number => siteLoop.tags.indexOf(tag);
  const fx = ['x', 'y', 'z'].map((a) => column(`_atom_site_fract_${a}`));
  if (fx.some((c) => c < 0)) throw new ParseError(file, siteLoop.line, `data_${block.name}: the site loop needs _atom_site_fract_x, _y and _z (Cartesian sites are not supported)`);
  const typeColumn = column('_atom_site_type_symbol');
  const labelColumn = column('_atom_site_label');
  const occupancyColumn = column('_atom_site_occupancy');
  if (typeColumn < 0 && labelColumn < 0) throw new ParseError(file, siteLoop.line, 'the site loop needs _atom_site_type_symbol or _atom_site_label');

  const sites: Array<{ z: number; f: number[]; label: string }> = [];
  for (const row of siteLoop.rows) {
    const label = labelColumn >= 0 ? row[labelColumn].text : row[typeColumn].text;
    const speciesValue = typeColumn >= 0 ? row[typeColumn] : row[labelColumn];
    const symbol = symbolOf(speciesValue.text);
    if (symbol === undefined) throw new ParseError(file, speciesValue.line, `atom ${label}: "${speciesValue.text}" names no element`);
    if (occupancyColumn >= 0) {
      const o = row[occupancyColumn];
      const occupancy = o.text === '.' || o.text === '?' ? 1 : cifNumber(o.text);
      if (!(Math.abs(occupancy - 1) <= 1e-6)) {
        throw new ParseError(file, o.line, `atom ${label}: occupancy ${o.text}; only fully occupied sites (1) are supported`);
      }
    }
    const f = fx.map((c) => {
      const x = cifNumber(row[c].text);
      if (!Number.isFinite(x)) throw new ParseError(file, row[c].line, `atom ${label}: fractional coordinate "${row[c].text}" is not a number`);
      return x;
    });
    sites.push({ z: atomicNumber(symbol) as number, f, label });
  }

  const operations = symmetryOperations(block, file);
  const positions: number[] = [];
  const numbers: number[] = [];
  const placed: number[][] = [];
  for (const site of sites) {
    for (const op of operations) {
      const g = [0, 1, 2].map((r) => {
        const x = op.rotation[r][0] * site.f[0] + op.rotation[r][1] * site.f[1] + op.rotation[r][2] * site.f[2] + op.translation[r];
        return x - Math.floor(x);
      });
      const clash = placed.findIndex((p) => p.every((x, d) => {
        const diff = Math.abs(x - g[d]);
        return Math.min(diff, 1 - diff) < symprec;
      }));
      if (clash >= 0) {
        if (numbers[clash] !== site.z) throw new ParseError(file, siteLoop.line, `atom ${site.label} falls on a site of another element: a disordered or inconsistent structure`);
        continue;
      }
      placed.push(g);
      numbers.push(site.z);
      for (let d = 0; d < 3; d++) positions.push(g[0] * cell[d] + g[1] * cell[3 + d] + g[2] * cell[6 + d]);
    }
  }
  const spacegroup = item('_symmetry_space_group_name_h-m') ?? item('_space_group_name_h-m_alt');
  return new Atoms({
    positions,
    numbers,
    cell,
    pbc: [true, true, true],
    info: { name: block.name, ...(spacegroup !== undefined ? { spacegroup: spacegroup.text } : {}) },
  });
}

const SYMOP_TAGS = ['_symmetry_equiv_pos_as_xyz', '_space_group_symop_operation_xyz'];

function symmetryOperations(block: Block, file: string): SymmetryOperation[] {
  const texts: Value[] = [];
  for (const tag of SYMOP_TAGS) {
    const loop = block.loops.find((l) => l.tags.includes(tag));
    if (loop !== undefined) {
      const c = loop.tags.indexOf(tag);
      for (const row of loop.rows) texts.push(row[c]);
      break;
    }
    const single = block.items.get(tag);
    if (single !== undefined) {
      texts.push(single);
      break;
    }
  }
  if (texts.length === 0) {
    const name = block.items.get('_symmetry_space_group_name_h-m') ?? block.items.get('_space_group_name_h-m_alt');
    const number = block.items.get('_symmetry_int_tables_number') ?? block.items.get('_space_group_it_number');
    const p1 = (name === undefined || name.text.replace(/\s+/g, '').toUpperCase() === 'P1') && (number === undefined || number.text === '1');
    if (!p1) {
      const given = name?.text ?? `number ${number?.text}`;
      throw new ParseError(file, (name ?? number)?.line, `space group ${given} without symmetry operations; list them in _symmetry_equiv_pos_as_xyz or _space_group_symop_operation_xyz`);
    }
    return [{ rotation: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], translation: [0, 0, 0] }];
  }
  return texts.map((v) => {
    try {
      return parseSymmetryOperation(v.text);
    } catch (error) {
      throw new ParseError(file, v.line, (error as Error).message);
    }
  });
}

/** Every structure in a CIF's text, one per data block that holds atom sites. */
export function parseCif(text: string, file = 'structure.cif', options: CifOptions = {}): Atoms[] {
  const symprec = options.symprec ?? 1e-3;
  const blocks = parseBlocks(text, file);
  const out: Atoms[] = [];
  for (const block of blocks) {
    const atoms = blockToAtoms(block, file, symprec);
    if (atoms !== undefined) out.push(atoms);
  }
  if (out.length === 0) throw new ParseError(file, undefined, 'no data block with a cell and atom sites');
  return out;
}

export function readCif(file: string, options: CifOptions = {}): Atoms[] {
  return parseCif(readFileOrFail(file, 'utf8'), file, options);
}
