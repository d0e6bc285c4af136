import { AseDatabase } from '../data/aseDb.js';
import { errorMessage } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { readStructures, type ReadOptions } from '../structure/io/formats.js';

/** One structure to label, named as predict names inputs: the file, or `file@k` for frame k of a multi-frame file. */
export interface StructureSource {
  name: string;
  atoms: Atoms;
}

/** An input that could not be read: reported, and the others go on. */
export interface SourceFailure {
  name: string;
  error: string;
}

export type SourceItem = StructureSource | SourceFailure;

export const isFailure = (s: SourceItem): s is SourceFailure => 'error' in s;

/** Every frame of every file (files are read one at a time, as the runner asks for them). */
export function* structuresFromFiles(files: readonly string[], options: ReadOptions = {}): Generator<SourceItem> {
  for (const file of files) {
    let frames: Atoms[];
    try {
      frames = readStructures(file, options);
      if (frames.length === 0) throw new Error('no structure in the file');
    } catch (error) {
      yield { name: file, error: errorMessage(error) };
      continue;
    }
    if (frames.length === 1) yield { name: file, atoms: frames[0] };
    else for (const [k, atoms] of frames.entries()) yield { name: `${file}@${k}`, atoms };
  }
}

/** The structures of a store's rows (those with atoms and all of `where`'s key-value pairs), named `file@id`. */
export function structuresFromStore(file: string, where: Record<string, string | number | boolean> = {}): StructureSource[] {
  const db = new AseDatabase(file, { mustExist: true });
  try {
    return db.select(where).flatMap((row) => (row.atoms === undefined ? [] : [{ name: `${file}@${row.id}`, atoms: row.atoms }]));
  } finally {
    db.close();
  }
}

/** Structures already in memory, named by the caller. */
export function structuresFromAtoms(atoms: readonly Atoms[], name = (k: number) => `structure ${k + 1}`): StructureSource[] {
  return atoms.map((a, k) => ({ name: name(k), atoms: a }));
}
