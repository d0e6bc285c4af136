import { existsSync, readFileSync } from 'node:fs';
import { InputError, ParseError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import type { DynamicsState } from './dynamics.js';

/** Version of the checkpoint files written here; newer files are refused. */
export const CHECKPOINT_VERSION = 1;

/** Float64Array as base64 of its little-endian bytes: exact, and 3× smaller than decimal text. */
export function encodeFloat64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function encodeDynamics(s: DynamicsState): Record<string, unknown> {
  return {
    step: s.step,
    positions: encodeFloat64(s.positions),
    velocities: encodeFloat64(s.velocities),
    forces: encodeFloat64(s.forces),
    potential_eV: encodeFloat64(Float64Array.of(s.potential_eV)),
    xi: encodeFloat64(s.xi),
    vxi: encodeFloat64(s.vxi),
    rngState: s.rngState,
    bathWork_eV: encodeFloat64(Float64Array.of(s.bathWork_eV)),
  };
}

export function decodeDynamics(o: Record<string, unknown>, file: string): DynamicsState {
  const str = (key: string): string => {
    if (typeof o[key] !== 'string') throw new ParseError(file, undefined, `checkpoint field "${key}" missing or not a string`);
    return o[key] as string;
  };
  const num = (key: string): number => {
    if (typeof o[key] !== 'number') throw new ParseError(file, undefined, `checkpoint field "${key}" missing or not a number`);
    return o[key] as number;
  };
  return {
    step: num('step'),
    positions: decodeFloat64(str('positions')),
    velocities: decodeFloat64(str('velocities')),
    forces: decodeFloat64(str('forces')),
    potential_eV: decodeFloat64(str('potential_eV'))[0],
    xi: decodeFloat64(str('xi')),
    vxi: decodeFloat64(str('vxi')),
    rngState: num('rngState'),
    bathWork_eV: decodeFloat64(str('bathWork_eV'))[0],
  };
}

/** Write `{version, kind, ...payload}` atomically. */
export function writeCheckpoint(path: string, kind: string, payload: Record<string, unknown>): void {
  writeFileAtomic(path, JSON.stringify({ version: CHECKPOINT_VERSION, kind, ...payload }));
}

/** The payload of a checkpoint of this kind, or undefined when the file does not exist. */
export function readCheckpoint(path: string, kind: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ParseError(path, undefined, `not a JSON checkpoint (${(error as Error).message})`);
  }
  if (o.kind !== kind) throw new InputError(`${path}: checkpoint of kind "${String(o.kind)}", expected "${kind}"`);
  if (typeof o.version !== 'number' || o.version > CHECKPOINT_VERSION) {
    throw new InputError(`${path}: checkpoint version ${String(o.version)} is newer than this program's (${CHECKPOINT_VERSION})`);
  }
  return o;
}
