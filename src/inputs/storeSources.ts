import { AseDatabase } from '../data/aseDb.js';
import { formatNpy } from '../io/npy.js';
import type { InputSource } from './detect.js';

/** A store file among predict's inputs: an ASE/spramnet SQLite database, by its name. */
export const isStoreFile = (name: string): boolean => /\.db$/i.test(name);

/**
 * The rows of a store (public import, `label --db`, a campaign: one schema) as predict inputs, named
 * `FILE@id`: a row with atoms gives its structure, a row with only a g(r) (the public thermal set)
 * that g(r). Rows with neither are returned by id, to be reported.
 */
export function storeSources(file: string): { sources: InputSource[]; skipped: number[] } {
  const db = new AseDatabase(file, { mustExist: true });
  try {
    const sources: InputSource[] = [];
    const skipped: number[] = [];
    for (const row of db.select()) {
      const name = `${file}@${row.id}`;
      const rdf = row.data.rdf;
      if (row.atoms) sources.push({ name, frames: [row.atoms] });
      else if (rdf instanceof Float64Array) sources.push({ name, kind: 'pcf-npy', bytes: formatNpy({ data: rdf, shape: [rdf.length] }) });
      else skipped.push(row.id);
    }
    return { sources, skipped };
  } finally {
    db.close();
  }
}
