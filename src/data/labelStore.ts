import { createHash } from 'node:crypto';
import { AseDatabase, type DataValue, type KeyValue } from './aseDb.js';
import type { Atoms } from '../structure/atoms.js';
import { VERSION } from '../version.js';

/**
 * Labels computed by the factory, kept in the ASE-readable store: one row per (structure, label
 * kind, settings), with the structure, the label values, the engine and its settings and versions
 * as provenance. A row is committed on its own as soon as its label is done, so a killed batch
 * loses nothing committed; a re-run finds the row by its key and skips the work.
 */
export class LabelStore {
  private readonly db: AseDatabase;

  constructor(file: string) {
    this.db = new AseDatabase(file);
  }

  /** The row key: the structure (numbers, positions, cell), the label kind and every setting that changes the numbers. */
  static key(atoms: Atoms, label: string, settings: unknown): string {
    const h = createHash('sha256');
    h.update(Buffer.from(atoms.numbers.buffer, atoms.numbers.byteOffset, atoms.numbers.byteLength));
    h.update(Buffer.from(atoms.positions.buffer, atoms.positions.byteOffset, atoms.positions.byteLength));
    h.update(Buffer.from(atoms.cell.buffer, atoms.cell.byteOffset, atoms.cell.byteLength));
    h.update(`\0${label}\0${JSON.stringify(settings)}`);
    return h.digest('hex').slice(0, 32);
  }

  has(key: string): boolean {
    return this.db.hasUniqueId(key);
  }

  /**
   * Commit one label: numbers and strings of `values` become key-value pairs (nested names joined
   * by `_`, e.g. `kappa_W_mK_xx`), number arrays go to the row's data; `provenance` (engine,
   * settings…) is kept as JSON text with the spramnet version.
   */
  write(key: string, atoms: Atoms, label: string, source: string, values: Record<string, unknown>, provenance: Record<string, unknown>): number {
    const keyValues: Record<string, KeyValue> = { set: 'labels', label, source, spramnet: VERSION, provenance: JSON.stringify(provenance) };
    const data: { [key: string]: DataValue } = {};
    const visit = (prefix: string, value: unknown): void => {
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') keyValues[prefix] = value;
      else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) data[prefix] = Float64Array.from(value as number[]);
      else if (value instanceof Float64Array) data[prefix] = value;
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(prefix ? `${prefix}_${k}` : k, v);
    };
    visit('', values);
    return this.db.transaction(() => this.db.write(key, atoms, keyValues, data));
  }

  close(): void {
    this.db.close();
  }
}
