import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ParseError } from '../errors.js';
import { Atoms } from '../structure/atoms.js';

/**
 * A dataset store in the schema of ASE's SQLite database (ase/db/sqlite.py, version 9), so that
 * `ase db amc.db` lists it and `ase.db.connect('amc.db')` reads it: atoms in the systems table,
 * key-value pairs as JSON plus the key/value side tables ASE queries, and the data column in ASE's
 * binary format (an int64 offset, the arrays' bytes, then JSON naming each array by offset).
 */
export const ASE_DB_VERSION = 9;

const SCHEMA = [
  `CREATE TABLE systems (
    id INTEGER PRIMARY KEY AUTOINCREMENT, unique_id TEXT UNIQUE, ctime REAL, mtime REAL, username TEXT,
    numbers BLOB, positions BLOB, cell BLOB, pbc INTEGER, initial_magmoms BLOB, initial_charges BLOB,
    masses BLOB, tags BLOB, momenta BLOB, constraints TEXT, calculator TEXT, calculator_parameters TEXT,
    energy REAL, free_energy REAL, forces BLOB, stress BLOB, dipole BLOB, magmoms BLOB, magmom REAL,
    charges BLOB, key_value_pairs TEXT, data BLOB, natoms INTEGER, fmax REAL, smax REAL, volume REAL,
    mass REAL, charge REAL)`,
  'CREATE TABLE species (Z INTEGER, n INTEGER, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))',
  'CREATE TABLE keys (key TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))',
  'CREATE TABLE text_key_values (key TEXT, value TEXT, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))',
  'CREATE TABLE number_key_values (key TEXT, value REAL, id INTEGER, FOREIGN KEY (id) REFERENCES systems(id))',
  'CREATE TABLE information (name TEXT, value TEXT)',
  `INSERT INTO information VALUES ('version', '${ASE_DB_VERSION}')`,
  'CREATE INDEX unique_id_index ON systems(unique_id)',
  'CREATE INDEX ctime_index ON systems(ctime)',
  'CREATE INDEX username_index ON systems(username)',
  'CREATE INDEX calculator_index ON systems(calculator)',
  'CREATE INDEX species_index ON species(Z)',
  'CREATE INDEX key_index ON keys(key)',
  'CREATE INDEX text_index ON text_key_values(key)',
  'CREATE INDEX number_index ON number_key_values(key)',
];

export type KeyValue = string | number | boolean;
export type DataValue = Float64Array | Float32Array | Int32Array | number | string | boolean | null | DataValue[] | { [key: string]: DataValue };

/** ASE's time unit: years since 2000-01-01 (ase.db.core.now). */
function aseNow(): number {
  return (Date.now() / 1000 - 946681200) / 31557600;
}

const DTYPE_NAMES = new Map<string, string>([
  ['Float64Array', 'float64'],
  ['Float32Array', 'float32'],
  ['Int32Array', 'int32'],
]);

/** ASE's object_to_bytes: 8-byte offset of the JSON, the array bytes, the JSON. */
export function encodeAseData(value: { [key: string]: DataValue }): Buffer {
  const parts: Buffer[] = [Buffer.alloc(8)];
  let size = 8;
  const walk = (v: DataValue): unknown => {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      const offset = size;
      const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      parts.push(Buffer.from(bytes));
      size += bytes.length;
      return { __ndarray__: [[v.length], DTYPE_NAMES.get(v.constructor.name), offset] };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const json = Buffer.from(JSON.stringify(walk(value)));
  parts[0].writeBigInt64LE(BigInt(size));
  parts.push(json);
  return Buffer.concat(parts);
}

export function decodeAseData(bytes: Buffer, where = 'data'): { [key: string]: DataValue } {
  if (bytes.length < 8) throw new ParseError(where, undefined, 'data blob shorter than its 8-byte header');
  const offset = Number(bytes.readBigInt64LE(0));
  if (offset > bytes.length) throw new ParseError(where, undefined, 'data blob offset beyond its end');
  const walk = (v: unknown): DataValue => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const nd = (v as { __ndarray__?: [number[], string, number] }).__ndarray__;
      if (nd !== undefined) {
        const [shape, dtype, start] = nd;
        const count = shape.reduce((a, b) => a * b, 1);
        const Ctor = dtype === 'float64' ? Float64Array : dtype === 'float32' ? Float32Array : dtype === 'int32' ? Int32Array : undefined;
        if (Ctor === undefined) throw new ParseError(where, undefined, `array dtype ${dtype} is not supported`);
        const slice = Uint8Array.prototype.slice.call(bytes, start, start + count * Ctor.BYTES_PER_ELEMENT);
        return new Ctor(slice.buffer);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v as DataValue;
  };
  return walk(JSON.parse(bytes.subarray(offset).toString('utf8'))) as { [key: string]: DataValue };
}

export interface StoreRow {
  id: number;
  uniqueId: string;
  atoms: Atoms | undefined;
  keyValues: Record<string, KeyValue>;
  data: { [key: string]: DataValue };
}

function blob(a: Float64Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A deterministic unique_id from a provenance string, so a re-import finds what is there. */
export function uniqueIdOf(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 32);
}

export class AseDatabase {
  readonly file: string;
  readonly db!: Database.Database;

  /**
   * Open a store; `mustExist` (reading commands) refuses a missing file instead of creating an
   * empty one. A file that is not SQLite, or a directory, is refused in words.
   */
  constructor(file: string, options: { mustExist?: boolean } = {}) {
    this.file = file;
    if (existsSync(file) && statSync(file).isDirectory()) throw new ParseError(file, undefined, 'is a directory; expected an ASE database file (.db) made by `spramnet import`');
    if (options.mustExist && !existsSync(file)) throw new ParseError(file, undefined, 'no such database; make one with `spramnet import spramnet-public <release> --out <file.db>`');
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = DELETE');
    } catch (error) {
      throw new ParseError(file, undefined, `not an SQLite database (${(error as Error).message}); expected an ASE database made by \`spramnet import\` or ASE`);
    }
    this.checkSchema(file);
  }

  private checkSchema(file: string): void {
    let exists: unknown;
    try {
      exists = this.db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='systems'").get();
    } catch (error) {
      this.db.close();
      throw new ParseError(file, undefined, `not an SQLite database (${(error as Error).message}); expected an ASE database made by \`spramnet import\` or ASE`);
    }
    if (exists === undefined) {
      this.db.transaction(() => {
        for (const s of SCHEMA) this.db.exec(s);
      })();
    } else {
      const row = this.db.prepare("SELECT value FROM information WHERE name='version'").get() as { value: string } | undefined;
      const version = Number(row?.value);
      if (!(version >= 1)) throw new ParseError(file, undefined, 'not an ASE database (no version in its information table)');
      if (version > ASE_DB_VERSION) throw new ParseError(file, undefined, `ASE database version ${version} is newer than this spramnet writes (${ASE_DB_VERSION})`);
      if (version < 9) throw new ParseError(file, undefined, `ASE database version ${version} is older than 9 (binary data); convert it with a current ASE`);
    }
  }

  close(): void {
    this.db.close();
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per connection (a batch of thousands of rows reuses it). */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  hasUniqueId(uniqueId: string): boolean {
    return this.statement('SELECT 1 FROM systems WHERE unique_id = ?').get(uniqueId) !== undefined;
  }

  /** Insert one row (call inside transaction() for batches). */
  write(uniqueId: string, atoms: Atoms | undefined, keyValues: Record<string, KeyValue>, data: { [key: string]: DataValue }): number {
    for (const key of Object.keys(keyValues)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ParseError(this.file, undefined, `key "${key}" is not a valid ASE key (letters, digits and _)`);
    }
    const t = aseNow();
    const n = atoms?.length ?? 0;
    const numbers = atoms ? Int32Array.from(atoms.numbers) : new Int32Array(0);
    const positions = atoms ? Float64Array.from(atoms.positions) : new Float64Array(0);
    const cell = atoms ? Float64Array.from(atoms.cell) : new Float64Array(9);
    const pbc = atoms ? (atoms.pbc[0] ? 1 : 0) + (atoms.pbc[1] ? 2 : 0) + (atoms.pbc[2] ? 4 : 0) : 0;
    const mass = atoms ? atoms.masses_amu().reduce((a, b) => a + b, 0) : 0;
    const volume = atoms && atoms.volume_A3 > 0 ? atoms.volume_A3 : null;
    const info = this
      .statement(
        `INSERT INTO systems (unique_id, ctime, mtime, username, numbers, positions, cell, pbc, key_value_pairs, data, natoms, volume, mass, charge)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(uniqueId, t, t, process.env.USER ?? 'spramnet', blob(numbers), blob(positions), blob(cell), pbc, JSON.stringify(keyValues), encodeAseData(data), n, volume, mass, 0);
    const id = Number(info.lastInsertRowid);
    if (atoms) {
      const counts = new Map<number, number>();
      for (const z of atoms.numbers) counts.set(z, (counts.get(z) ?? 0) + 1);
      const sp = this.statement('INSERT INTO species VALUES (?, ?, ?)');
      for (const [z, c] of counts) sp.run(z, c, id);
    }
    const num = this.statement('INSERT INTO number_key_values VALUES (?, ?, ?)');
    const txt = this.statement('INSERT INTO text_key_values VALUES (?, ?, ?)');
    const key = this.statement('INSERT INTO keys VALUES (?, ?)');
    for (const [k, v] of Object.entries(keyValues)) {
      if (typeof v === 'string') txt.run(k, v, id);
      else num.run(k, Number(v), id);
      key.run(k, id);
    }
    return id;
  }

  /** Remove a row and its side-table entries (in a transaction with the rest of a change). */
  deleteUniqueId(uniqueId: string): boolean {
    const row = this.statement('SELECT id FROM systems WHERE unique_id = ?').get(uniqueId) as { id: number } | undefined;
    if (row === undefined) return false;
    for (const table of ['species', 'keys', 'text_key_values', 'number_key_values']) this.statement(`DELETE FROM ${table} WHERE id = ?`).run(row.id);
    this.statement('DELETE FROM systems WHERE id = ?').run(row.id);
    return true;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  count(where: Record<string, KeyValue> = {}): number {
    return this.select(where).length;
  }

  /** Rows whose key-value pairs include all of `where`, in id order. */
  select(where: Record<string, KeyValue> = {}): StoreRow[] {
    const rows = this.db.prepare('SELECT id, unique_id, numbers, positions, cell, pbc, key_value_pairs, data, natoms FROM systems ORDER BY id').all() as Array<{
      id: number;
      unique_id: string;
      numbers: Buffer | null;
      positions: Buffer | null;
      cell: Buffer | null;
      pbc: number;
      key_value_pairs: string;
      data: Buffer | null;
      natoms: number;
    }>;
    const out: StoreRow[] = [];
    for (const r of rows) {
      const keyValues = JSON.parse(r.key_value_pairs || '{}') as Record<string, KeyValue>;
      if (!Object.entries(where).every(([k, v]) => keyValues[k] === v)) continue;
      let atoms: Atoms | undefined;
      if (r.natoms > 0 && r.numbers && r.positions && r.cell) {
        const numbers = new Int32Array(Uint8Array.prototype.slice.call(r.numbers).buffer);
        const positions = new Float64Array(Uint8Array.prototype.slice.call(r.positions).buffer);
        const cell = new Float64Array(Uint8Array.prototype.slice.call(r.cell).buffer);
        atoms = new Atoms({ positions, numbers, cell, pbc: [(r.pbc & 1) !== 0, (r.pbc & 2) !== 0, (r.pbc & 4) !== 0] });
      }
      out.push({ id: r.id, uniqueId: r.unique_id, atoms, keyValues, data: r.data ? decodeAseData(r.data, `${this.file} row ${r.id}`) : {} });
    }
    return out;
  }
}
