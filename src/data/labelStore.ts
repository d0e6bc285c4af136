import { AseDatabase } from './aseDb.js';
import type { LabelRecord, LabelSink } from '../labels/runLabels.js';
import { labelValues, rowKeys } from './labelRows.js';

/**
 * Labels computed by `spramnet label … --db`, kept in the ASE-readable store in the one schema every
 * spramnet store shares (labelRows.ts): one row per (structure, label kind, engine, settings), with
 * the labelled structure, the canonical label values and the engine's provenance. A row is committed
 * on its own as soon as its label is done, so a killed batch loses nothing committed; a re-run finds
 * the row by its key and skips the work. `train`, `report --data` and `predict` read the store.
 */
export class LabelStore implements LabelSink {
  private readonly db: AseDatabase;

  constructor(
    file: string,
    readonly origin = 'label',
  ) {
    this.db = new AseDatabase(file);
  }

  has(key: string): boolean {
    return this.db.hasUniqueId(key);
  }

  put(record: LabelRecord): void {
    const values = labelValues(record.kind, record.result);
    const keyValues = { ...rowKeys([record.kind], this.origin, record.input), ...values.keyValues, label_seconds: record.seconds };
    this.db.transaction(() => this.db.write(record.key, record.atoms, keyValues, values.data));
  }

  close(): void {
    this.db.close();
  }
}
