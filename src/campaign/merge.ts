import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LabelKind } from '../calculators/registry.js';
import { AseDatabase, type DataValue, type KeyValue } from '../data/aseDb.js';
import { LABEL_SCHEMA_VERSION, labelValues, rowKeys } from '../data/labelRows.js';
import type { CalculationResult } from '../calculators/calculator.js';
import type { Atoms } from '../structure/atoms.js';
import { structureHash } from '../structure/hash.js';
import type { Plan, Stage } from './plan.js';
import { readShard, type ShardBody, type ShardCheck } from './shards.js';
import { storeFile, type CampaignState } from './state.js';
import { InputNotReady, structureOfItem } from './work.js';

/**
 * The campaign's store, kept equal to its shards by one process (the driver): one row per labelled
 * structure (unique id: rowOf) holding every label the store stage collects for it,
 * in the schema all spramnet stores share. A ledger table (spramnet_merged: item, checksum, row)
 * records which shard each row was built from, so a merge reads only new shards, rebuilds only the
 * rows they touch, and removes labels whose items left the plan (an edited plan): after any merge
 * the store holds every done label item exactly once.
 */
export interface MergeReport {
  store: string;
  rows: number;
  written: number;
  removed: number;
}

// the ledger, and indexes that let a row be rebuilt without scanning ASE's side tables (ASE's own
// schema indexes them by key, not by row id; an extra index changes nothing for ASE's readers)
const LEDGER = [
  'CREATE TABLE IF NOT EXISTS spramnet_merged (item TEXT PRIMARY KEY, sha256 TEXT NOT NULL, row TEXT NOT NULL, kind TEXT NOT NULL, schema INTEGER NOT NULL)',
  'CREATE INDEX IF NOT EXISTS spramnet_merged_row ON spramnet_merged(row)',
  ...['species', 'keys', 'text_key_values', 'number_key_values'].map((t) => `CREATE INDEX IF NOT EXISTS spramnet_${t}_id ON ${t}(id)`),
].join(';\n');

interface Ledger {
  item: string;
  sha256: string;
  row: string;
  kind: string;
  /** The store schema the row was built with (labelRows.ts): rows of an older one are rebuilt. */
  schema: number;
}

const prefixed = (prefix: string, o: Record<string, unknown>): Record<string, KeyValue> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean').map(([k, v]) => [`${prefix}${k.replace(/[^A-Za-z0-9_]/g, '_')}`, v as KeyValue]));

type Reader = (dir: string, id: string) => ShardCheck;

/** The generate item at the root of a label's lineage (its settings describe the structure). */
function rootGenerator(dir: string, body: ShardBody, read: Reader, depth = 0): ShardBody | undefined {
  if (body.kind === 'generate') return body;
  if (body.inputs.length === 0 || depth > 50) return undefined;
  const up = read(dir, body.inputs[0]);
  return up.ok ? rootGenerator(dir, up.body, read, depth + 1) : undefined;
}

/**
 * The row of a label: its lineage's root item and the labelled structure to the last bit. Labels of
 * one structure (ph-DoS and κ of the same relaxed sheet) share a row; a label of another structure
 * of the lineage (κ of the unrelaxed sheet) gets its own, and so do two items that happen to make
 * the same atoms (each item is one row of the store, never silently merged with another's).
 */
function rowOf(dir: string, body: ShardBody, read: Reader): string {
  const root = rootGenerator(dir, body, read)?.item ?? body.inputs[0] ?? body.item;
  return createHash('sha256').update(`${root}\0${structureHash(labelledStructure(dir, body, read))}`).digest('hex').slice(0, 32);
}

/** A label shard's structure: the atoms it moved to, else its input's. */
function labelledStructure(dir: string, body: ShardBody, read: Reader): Atoms {
  return (body.result.atoms as Atoms | undefined) ?? structureOfItem(dir, body.inputs[0], read);
}

/** Merge the done label items of a store stage into its store (see above). */
export function mergeStore(plan: Plan, dir: string, stage: Stage, state: CampaignState): MergeReport {
  if (stage.spec.kind !== 'store') throw new Error(`${stage.name} is not a store stage`);
  const file = storeFile(dir, stage);
  mkdirSync(dirname(file), { recursive: true });
  const origin = stage.spec.origin ?? `campaign:${plan.name}`;
  const done = state.stages.find((s) => s.stage.name === stage.name)!.items.filter((s) => s.status === 'done');
  // one merge reads each shard once (a generate shard serves every label of its structure)
  const cache = new Map<string, ShardCheck>();
  const read: Reader = (d, id) => {
    let c = cache.get(id);
    if (c === undefined) cache.set(id, (c = readShard(d, id)));
    return c;
  };
  const db = new AseDatabase(file);
  try {
    db.db.exec(LEDGER);
    const ledger = new Map((db.db.prepare('SELECT item, sha256, row, kind, schema FROM spramnet_merged').all() as Ledger[]).map((l) => [l.item, l]));
    const wanted = new Set(done.map((s) => s.item.id));
    // rows to rebuild: those of new or changed items, and those losing an item that left the plan
    const touched = new Set<string>();
    const fresh = new Map<string, { body: ShardBody; sha256: string; row: string }>();
    for (const s of done) {
      const known = ledger.get(s.item.id);
      if (known && known.schema === LABEL_SCHEMA_VERSION && known.sha256 === state.shardSha256.get(s.item.id)) continue;
      const shard = read(dir, s.item.id);
      if (!shard.ok) continue; // checked a moment ago; gone since: the next look finds it pending
      if (known && known.sha256 === shard.sha256 && known.schema === LABEL_SCHEMA_VERSION) continue;
      let row: string;
      try {
        row = rowOf(dir, shard.body, read);
      } catch (error) {
        if (error instanceof InputNotReady) continue; // its input's shard is being recomputed: merged on a later look
        throw error;
      }
      fresh.set(s.item.id, { body: shard.body, sha256: shard.sha256, row });
      touched.add(row);
      if (known) touched.add(known.row);
    }
    for (const l of ledger.values()) if (!wanted.has(l.item)) touched.add(l.row);
    if (touched.size === 0) return { store: file, rows: countRows(db), written: 0, removed: 0 };
    // every item of each touched row, old (still wanted) and new
    const members = new Map<string, string[]>();
    for (const l of ledger.values()) if (wanted.has(l.item) && touched.has(l.row) && !fresh.has(l.item)) members.set(l.row, [...(members.get(l.row) ?? []), l.item]);
    for (const [item, f] of fresh) members.set(f.row, [...(members.get(f.row) ?? []), item]);
    let written = 0;
    let removed = 0;
    const forget = db.db.prepare('DELETE FROM spramnet_merged WHERE row = ?');
    const insert = db.db.prepare('INSERT INTO spramnet_merged (item, sha256, row, kind, schema) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const row of touched) {
        db.deleteUniqueId(row);
        forget.run(row);
        const items = members.get(row) ?? [];
        if (items.length === 0) {
          removed++;
          continue;
        }
        const bodies = items.map((id) => {
          const f = fresh.get(id);
          if (f) return f;
          const shard = read(dir, id);
          if (!shard.ok) throw new Error(`shard of item ${id} became unreadable during the merge (${shard.reason}); run again`);
          return { body: shard.body, sha256: shard.sha256, row };
        });
        const kinds = bodies.map((b) => b.body.result.label as LabelKind);
        const root = rootGenerator(dir, bodies[0].body, read);
        const keyValues: Record<string, KeyValue> = {
          ...rowKeys(kinds, origin, `campaign ${plan.name}: ${bodies.map((b) => `${b.body.stage}/${b.body.item}`).join(', ')}`),
          campaign: plan.name,
          ...(root ? prefixed('gen_', (root.result.generator ?? {}) as Record<string, unknown>) : {}),
        };
        const data: { [key: string]: DataValue } = {};
        for (const b of bodies) {
          const values = labelValues(b.body.result.label as LabelKind, b.body.result as unknown as CalculationResult);
          Object.assign(keyValues, values.keyValues, { [`campaign_item_${String(b.body.result.label).replace(/-/g, '_')}`]: b.body.item });
          Object.assign(data, values.data);
        }
        db.write(row, labelledStructure(dir, bodies[0].body, read), keyValues, data);
        for (const b of bodies) insert.run(b.body.item, b.sha256, row, String(b.body.result.label), LABEL_SCHEMA_VERSION);
        written++;
      }
    });
    return { store: file, rows: countRows(db), written, removed };
  } finally {
    db.close();
  }
}

function countRows(db: AseDatabase): number {
  return (db.db.prepare('SELECT COUNT(*) AS n FROM systems').get() as { n: number }).n;
}

/** Merge every store stage of the plan. */
export function mergeStores(plan: Plan, dir: string, state: CampaignState): MergeReport[] {
  return plan.stages.filter((s) => s.spec.kind === 'store').map((s) => mergeStore(plan, dir, s, state));
}
