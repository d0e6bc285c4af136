import { createHash, type Hash } from 'node:crypto';
import type { Atoms } from './atoms.js';

/** Feed a structure's numbers, positions, cell and periodicity, bit for bit, into a hash. */
export function hashStructureInto(h: Hash, atoms: Atoms): Hash {
  const bytes = (a: Int32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(Int32Array.from(atoms.numbers)));
  h.update(bytes(atoms.positions));
  h.update(bytes(atoms.cell));
  h.update(atoms.pbc.map((p) => (p ? '1' : '0')).join(''));
  return h;
}

/**
 * A structure's identity: the SHA-256 of its atoms, positions, cell and periodicity (first 32 hex
 * digits). Two files holding the same atoms to the last bit share it, whatever their names.
 */
export function structureHash(atoms: Atoms): string {
  return hashStructureInto(createHash('sha256'), atoms).digest('hex').slice(0, 32);
}
