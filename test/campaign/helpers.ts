import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { AseDatabase } from '../../src/data/aseDb.js';
import { expandItems } from '../../src/campaign/items.js';
import { readPlan } from '../../src/campaign/plan.js';
import { readShard } from '../../src/campaign/shards.js';
import { CLI } from '../helpers.js';
import type { Atoms } from '../../src/structure/atoms.js';

/**
 * A small campaign for the fault tests: 6 flat 40–48-atom WWW sheets (Keating only: fast), then a
 * short Green–Kubo κ of each with the built-in MD (≈ 1–2 s of CPU per item: long enough to be killed
 * in the middle), into the store. `kappaSeed` changes the label settings (a plan edit); the
 * campaign bench takes the same plan with its own shape and a longer κ run.
 */
export function smallPlan(kappaSeed = 1, production_ps = 3, shape: { name?: string; seed?: number; count?: number; atoms?: string } = {}): string {
  return `name = "${shape.name ?? 'fault-test'}"
seed = ${shape.seed ?? 5}
[defaults]
retries = 3
time_min = 10
[stages.sheets]
kind = "generate"
method = "www"
count = ${shape.count ?? 6}
atoms = ${shape.atoms ?? '[40, 48]'}
[stages.sheets.settings]
dimensions = 2
temperature_K = 40000
switches_per_atom = 1.0
vacancies = 0.05
[stages.md]
kind = "label"
label = "kappa"
from = "sheets"
[stages.md.settings]
method = "gk"
runs = 1
seed = ${kappaSeed}
equilibration_ps = 0.05
production_ps = ${production_ps}
correlation_ps = 0.1
timestep_fs = 1
[stages.store]
kind = "store"
from = "md"
`;
}

export function writePlan(dir: string, text: string, name = 'plan.toml'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** `spramnet campaign run` as a child process (to be killed). */
export function startRun(plan: string, dir: string, extra: string[] = []): ChildProcess {
  return spawn(process.execPath, [CLI, 'campaign', 'run', plan, '--dir', dir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout })));
}

export async function waitFor<T>(what: string, probe: () => T | undefined, timeout_ms = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - started > timeout_ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Running markers of a campaign folder (item id → marker). */
export function runningMarkers(dir: string): Array<{ item: string; pid: number; stage: string; job?: string }> {
  const root = join(dir, 'running');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((f) => {
    try {
      return [JSON.parse(readFileSync(join(root, f), 'utf8')) as { item: string; pid: number; stage: string; job?: string }];
    } catch {
      return [];
    }
  });
}

/**
 * The store holds every label item of the plan exactly once: one row per item (6 here), each row's
 * item id one of the plan's, no id twice, and each row's κ equal to its shard's to the last bit.
 */
export function assertStoreExactlyOnce(planFile: string, dir: string): void {
  const plan = readPlan(planFile);
  const labels = expandItems(plan).get('md')!;
  const db = new AseDatabase(join(dir, 'store.db'), { mustExist: true });
  const rows = db.select();
  const ledger = db.db.prepare('SELECT item FROM spramnet_merged').all() as Array<{ item: string }>;
  db.close();
  assert.equal(rows.length, labels.length, `store rows ${rows.length}, label items ${labels.length}`);
  const ids = rows.map((r) => String(r.keyValues.campaign_item_kappa)).sort();
  assert.deepEqual(ids, labels.map((l) => l.id).sort());
  assert.deepEqual(ledger.map((l) => l.item).sort(), ids);
  for (const r of rows) {
    const shard = readShard(dir, String(r.keyValues.campaign_item_kappa));
    assert.ok(shard.ok);
    const k = (shard.body.result.properties as { kappa_W_mK: { mean: number } }).kappa_W_mK.mean;
    assert.equal(r.keyValues.kappa_computed_W_mK, k);
    const input = readShard(dir, shard.body.inputs[0]);
    assert.ok(input.ok);
    assert.deepEqual(Buffer.from(r.atoms!.positions.buffer), Buffer.from((input.body.result.atoms as Atoms).positions.buffer));
  }
}
