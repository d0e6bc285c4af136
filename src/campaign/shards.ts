import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { Atoms } from '../structure/atoms.js';

/**
 * One item's result on disk: a header line naming the format, the SHA-256 and byte count of the
 * body, then the body (JSON). Written atomically (temporary file, fsync, rename) by the worker that
 * computed it, read and merged by one process; a truncated or altered shard fails its checksum and
 * its item is computed again. Typed arrays are stored bit for bit (base64 of little-endian bytes).
 */
export interface ShardBody {
  item: string;
  stage: string;
  kind: string;
  inputs: string[];
  /** The item's result (stage-kind specific), typed arrays and Atoms encoded. */
  result: Record<string, unknown>;
  provenance: {
    spramnet: string;
    node: string;
    host: string;
    pid: number;
    started: string;
    finished: string;
    /** Wall seconds of the computation, and the CPU seconds it used (this process and the engines it ran). */
    seconds: number;
    cpu_seconds?: number;
    cores: number;
    attempt: number;
    engine?: string;
    settings?: unknown;
    [key: string]: unknown;
  };
}

const HEADER = 'spramnet-shard 1';

/** Typed arrays and Atoms to JSON-safe values (exact), and back. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Float64Array) return { __f64__: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Int32Array) return { __i32__: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Atoms) return { __atoms__: { numbers: encodeValue(Int32Array.from(value.numbers)), positions: encodeValue(value.positions), cell: encodeValue(value.cell), pbc: value.pbc } };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  return value;
}

function fromBase64<T extends Float64Array | Int32Array>(text: string, Ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Ctor(copy.buffer);
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.__f64__ === 'string') return fromBase64(o.__f64__, Float64Array);
    if (typeof o.__i32__ === 'string') return fromBase64(o.__i32__, Int32Array);
    if (o.__atoms__ !== undefined) {
      const a = decodeValue(o.__atoms__) as { numbers: Int32Array; positions: Float64Array; cell: Float64Array; pbc: [boolean, boolean, boolean] };
      return new Atoms({ numbers: a.numbers, positions: a.positions, cell: a.cell, pbc: a.pbc });
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
}

/** Where item `id`'s shard lives: shards/<first two hex digits>/<id>.shard (a few thousand files per folder at most). */
export function shardPath(dir: string, id: string): string {
  return join(dir, 'shards', id.slice(0, 2), `${id}.shard`);
}

/** What the header line repeats of the provenance, so a status need not parse whole bodies. */
export interface ShardMeta {
  seconds: number;
  cpu_seconds?: number;
  cores: number;
}

export function writeShard(dir: string, body: ShardBody): string {
  const text = JSON.stringify(encodeValue(body));
  const bytes = Buffer.from(text, 'utf8');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const path = shardPath(dir, body.item);
  const meta: ShardMeta = { seconds: body.provenance.seconds, ...(body.provenance.cpu_seconds !== undefined ? { cpu_seconds: body.provenance.cpu_seconds } : {}), cores: body.provenance.cores };
  mkdirSync(join(dir, 'shards', body.item.slice(0, 2)), { recursive: true });
  writeFileAtomic(path, Buffer.concat([Buffer.from(`${HEADER} sha256=${sha} bytes=${bytes.length} ${JSON.stringify(meta)}\n`), bytes]));
  return path;
}

export type ShardCheck = { ok: true; body: ShardBody; sha256: string } | { ok: false; reason: string };
export type ShardVerdict = { ok: true; sha256: string; meta?: ShardMeta } | { ok: false; reason: string };

function checkRaw(raw: Buffer): { ok: true; sha256: string; body: Buffer; meta?: ShardMeta } | { ok: false; reason: string } {
  const newline = raw.indexOf(10);
  const header = newline < 0 ? '' : raw.subarray(0, newline).toString('utf8');
  const m = /^spramnet-shard 1 sha256=([0-9a-f]{64}) bytes=(\d+)(?: (\{.*\}))?$/.exec(header);
  if (m === null) return { ok: false, reason: 'no shard header' };
  const body = raw.subarray(newline + 1);
  if (body.length !== Number(m[2])) return { ok: false, reason: `truncated: ${body.length} of ${m[2]} bytes` };
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== m[1]) return { ok: false, reason: 'checksum mismatch' };
  let meta: ShardMeta | undefined;
  try {
    meta = m[3] === undefined ? undefined : (JSON.parse(m[3]) as ShardMeta);
  } catch {
    return { ok: false, reason: 'unreadable header' };
  }
  return { ok: true, sha256: sha, body, ...(meta ? { meta } : {}) };
}

/** Check a shard's length and checksum without decoding its body (the header carries the timings). */
export function verifyShard(dir: string, id: string): ShardVerdict {
  const path = shardPath(dir, id);
  if (!existsSync(path)) return { ok: false, reason: 'missing' };
  const c = checkRaw(readFileSync(path));
  if (!c.ok) return c;
  if (c.meta) return { ok: true, sha256: c.sha256, meta: c.meta };
  // a shard written before the header carried the timings: take them from the body
  const full = readShard(dir, id);
  return full.ok ? { ok: true, sha256: full.sha256, meta: { seconds: full.body.provenance.seconds, cpu_seconds: full.body.provenance.cpu_seconds, cores: full.body.provenance.cores } } : full;
}

/** Read and verify a shard; `ok: false` with the reason when it is missing, truncated or altered. */
export function readShard(dir: string, id: string): ShardCheck {
  const path = shardPath(dir, id);
  if (!existsSync(path)) return { ok: false, reason: 'missing' };
  const c = checkRaw(readFileSync(path));
  if (!c.ok) return c;
  try {
    const decoded = decodeValue(JSON.parse(c.body.toString('utf8'))) as ShardBody;
    if (decoded.item !== id) return { ok: false, reason: `holds item ${decoded.item}` };
    return { ok: true, body: decoded, sha256: c.sha256 };
  } catch (error) {
    return { ok: false, reason: `unreadable body (${(error as Error).message})` };
  }
}

/** A shard that failed its check is moved aside (kept for inspection) so its item counts as not done. */
export function quarantineShard(dir: string, id: string, reason: string): void {
  const path = shardPath(dir, id);
  if (!existsSync(path)) return;
  const aside = join(dir, 'corrupt');
  mkdirSync(aside, { recursive: true });
  renameSync(path, join(aside, `${id}.${Date.now()}.shard`));
  writeFileAtomic(join(aside, `${id}.${Date.now()}.reason.txt`), reason + '\n');
}

/** Ids of every shard file present (not checked). */
export function listShards(dir: string): Set<string> {
  const out = new Set<string>();
  const root = join(dir, 'shards');
  if (!existsSync(root)) return out;
  for (const sub of readdirSync(root)) {
    for (const f of readdirSync(join(root, sub))) if (f.endsWith('.shard')) out.add(f.slice(0, -'.shard'.length));
  }
  return out;
}
