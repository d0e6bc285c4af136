import { Atoms, type Pbc } from '../atoms.js';
import { atomicNumber, SYMBOLS } from '../elements.js';
import { LineReader, fields, parseNumber } from './text.js';

interface Column {
  name: string;
  type: 'S' | 'R' | 'I' | 'L';
  width: number;
}

/** key=value pairs of an extended-XYZ comment line; values may be "quoted", 'quoted' or {braced}. */
export function parseKeyValues(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /([A-Za-z_][\w-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|\{[^}]*\}|\S+))?/g;
  for (const m of line.matchAll(pattern)) {
    let value = m[2] ?? 'T';
    if (/^["'{]/.test(value)) value = value.slice(1, -1).replace(/\\"/g, '"');
    out.set(m[1], value);
  }
  return out;
}

function parseColumns(spec: string, r: LineReader, line: number): Column[] {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0) throw r.error(line, `Properties="${spec}" must be name:type:width triples`);
  const columns: Column[] = [];
  for (let k = 0; k < parts.length; k += 3) {
    const type = parts[k + 1].toUpperCase();
    const width = Number(parts[k + 2]);
    if (!['S', 'R', 'I', 'L'].includes(type) || !Number.isInteger(width) || width < 1) {
      throw r.error(line, `Properties entry "${parts.slice(k, k + 3).join(':')}": expected name:S|R|I|L:width`);
    }
    columns.push({ name: parts[k], type: type as Column['type'], width });
  }
  return columns;
}

function parseBool(value: string): boolean | undefined {
  if (/^(t|true)$/i.test(value)) return true;
  if (/^(f|false)$/i.test(value)) return false;
  return undefined;
}

/** All frames of an (extended) XYZ file, as ASE writes them: Lattice, Properties, pbc and info keys. */
export function readExtxyz(text: string, file = 'structure.xyz'): Atoms[] {
  const r = new LineReader(file, text);
  const frames: Atoms[] = [];
  let index = 0;
  while (index < r.count) {
    if (r.lines[index].trim() === '') {
      index++;
      continue;
    }
    const n = r.integer(fields(r.lines[index])[0], index, 'the number of atoms', 0);
    const header = index + 1;
    const comment = r.line(header, 'the comment line');
    const kv = parseKeyValues(comment);
    const isExtended = kv.has('Lattice') || kv.has('Properties');
    const columns = parseColumns(kv.get('Properties') ?? 'species:S:1:pos:R:3', r, header);
    let cell: Float64Array | undefined;
    let pbc: Pbc = [false, false, false];
    if (kv.has('Lattice')) {
      const values = fields(kv.get('Lattice') as string).map(parseNumber);
      if (values.length !== 9 || !values.every(Number.isFinite)) {
        throw r.error(header, `Lattice must hold 9 finite numbers, found "${kv.get('Lattice')}"`);
      }
      cell = Float64Array.from(values);
      pbc = [true, true, true];
    }
    if (kv.has('pbc')) {
      const flags = fields(kv.get('pbc') as string).map(parseBool);
      if (flags.length !== 3 || flags.some((f) => f === undefined)) {
        throw r.error(header, `pbc must be three T/F flags, found "${kv.get('pbc')}"`);
      }
      pbc = flags as unknown as Pbc;
    }
    const totalWidth = columns.reduce((s, c) => s + c.width, 0);
    const positions = new Float64Array(3 * n);
    const numbers = new Uint8Array(n);
    const extras = new Map<string, Float64Array>();
    for (const c of columns) if (c.name !== 'pos' && c.name !== 'species' && c.type !== 'S') extras.set(c.name, new Float64Array(n * c.width));
    for (let i = 0; i < n; i++) {
      const line = header + 1 + i;
      if (line >= r.count) throw r.error(line, `file ends early: expected ${n} atom lines, found ${i}`);
      const parts = fields(r.lines[line]);
      if (parts.length < totalWidth) {
        throw r.error(line, `expected ${totalWidth} columns (${columns.map((c) => c.name).join(', ')}), found ${parts.length}`);
      }
      let k = 0;
      for (const c of columns) {
        if (c.name === 'species') {
          const token = parts[k];
          const z = atomicNumber(token) ?? (/^\d+$/.test(token) ? Number(token) : undefined);
          if (z === undefined || z < 1 || z >= SYMBOLS.length) throw r.error(line, `unknown chemical symbol "${token}"`);
          numbers[i] = z;
        } else if (c.name === 'pos') {
          for (let d = 0; d < 3; d++) {
            const v = parseNumber(parts[k + d]);
            if (!Number.isFinite(v)) throw r.error(line, `position of atom ${i + 1}: "${parts[k + d]}" is not a finite number`);
            positions[3 * i + d] = v;
          }
        } else if (c.name === 'Z' && c.type === 'I') {
          numbers[i] = r.integer(parts[k], line, 'an atomic number', 1);
        } else if (c.type !== 'S') {
          const target = extras.get(c.name) as Float64Array;
          for (let d = 0; d < c.width; d++) {
            const token = parts[k + d];
            const v = c.type === 'L' ? Number(parseBool(token) ?? NaN) : parseNumber(token);
            if (Number.isNaN(v)) throw r.error(line, `column ${c.name}: "${token}" is not of type ${c.type}`);
            target[i * c.width + d] = v;
          }
        }
        k += c.width;
      }
    }
    if (!columns.some((c) => c.name === 'pos')) throw r.error(header, 'Properties has no pos:R:3 column');
    if (!columns.some((c) => c.name === 'species' || c.name === 'Z')) throw r.error(header, 'Properties has no species column');
    const info: Record<string, string | number | boolean> = {};
    if (isExtended) {
      for (const [key, value] of kv) {
        if (key === 'Lattice' || key === 'Properties' || key === 'pbc') continue;
        const num = parseNumber(value);
        const bool = parseBool(value);
        info[key] = bool ?? (Number.isFinite(num) ? num : value);
      }
    } else if (comment.trim() !== '') info.comment = comment.trim();
    const atoms = new Atoms({ positions, numbers, cell, pbc, info });
    for (const c of columns) {
      const data = extras.get(c.name);
      if (data !== undefined && c.name !== 'Z') atoms.setArray(c.name, data, c.width);
    }
    frames.push(atoms);
    index = header + 1 + n;
  }
  if (frames.length === 0) throw r.error(undefined, 'no frames: expected a line with the number of atoms');
  return frames;
}

function formatInfoValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return String(value);
  return /[\s"=]/.test(value) || value === '' ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/** Extended XYZ, one frame per Atoms, readable by ASE (`ase.io.read(f, ':')`). Numbers round-trip exactly. */
export function writeExtxyz(frames: Atoms | readonly Atoms[]): string {
  const list: readonly Atoms[] = frames instanceof Atoms ? [frames] : (frames as readonly Atoms[]);
  const out: string[] = [];
  for (const atoms of list) {
    const extras = atoms.arrayNames().map((name) => ({ name, ...(atoms.getArray(name) as { data: Float64Array; width: number }) }));
    const props = ['species:S:1', 'pos:R:3', ...extras.map((e) => `${e.name}:R:${e.width}`)].join(':');
    const head = [
      `Lattice="${Array.from(atoms.cell, String).join(' ')}"`,
      `Properties=${props}`,
      ...Object.entries(atoms.info).map(([k, v]) => `${k}=${formatInfoValue(v)}`),
      `pbc="${atoms.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`,
    ];
    out.push(String(atoms.length), head.join(' '));
    const symbols = atoms.symbols;
    for (let i = 0; i < atoms.length; i++) {
      const row = [symbols[i], ...Array.from(atoms.positions.subarray(3 * i, 3 * i + 3), String)];
      for (const e of extras) row.push(...Array.from(e.data.subarray(i * e.width, (i + 1) * e.width), String));
      out.push(row.join(' '));
    }
  }
  return out.join('\n') + '\n';
}
