import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LabelStore } from '../../src/data/labelStore.js';
import { labelKey } from '../../src/labels/runLabels.js';
import { AseDatabase } from '../../src/data/aseDb.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { CLI, FIXTURES, python, run, skipOutsideCi, tempDir } from '../helpers.js';

const py = python(['ase']);

test('label --db keeps each label in the store schema with its provenance, a re-run skips what is there, ASE reads the store', { skip: skipOutsideCi(py === undefined, 'python3-ase is not installed') }, () => {
  const dir = tempDir();
  const db = join(dir, 'labels.db');
  const files = [join(FIXTURES, 'tb', 'POSCAR_2002'), join(FIXTURES, 'tb', 'POSCAR_1201')];
  const first = run(process.execPath, [CLI, 'label', 'el-dos', ...files, '--mesh', '1,1,1', '--db', db, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const again = run(process.execPath, [CLI, 'label', 'el-dos', ...files, '--mesh', '1,1,1', '--db', db, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((again.stderr.match(/already in .*labels\.db, skipped/g) ?? []).length, 2);
  assert.deepEqual(JSON.parse(again.stdout), []);
  // other settings are another label
  const other = run(process.execPath, [CLI, 'label', 'el-dos', files[0], '--mesh', '2,2,1', '--db', db]);
  assert.equal(other.status, 0, other.stderr);
  const script = `
import json, sys
from ase.db import connect
rows = list(connect(sys.argv[1]).select(engine_el_dos='tb'))
print(json.dumps([[r.source, r.natoms, len(r.data['el_dos']), json.loads(r.provenance_el_dos)['engine'], r.set, r.origin] for r in rows]))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, db]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as [string, number, number, string, string, string][];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((x) => x.slice(2)), [[81, 'tb', 'electron', 'label'], [81, 'tb', 'electron', 'label'], [81, 'tb', 'electron', 'label']]);
  assert.equal(rows[0][1], readStructure(files[0]).length);
  // the JSON of the first run and the store hold the same label
  const printed = JSON.parse(first.stdout) as Array<{ el_dos: { dos: number[] } }>;
  const stored = new AseDatabase(db, { mustExist: true });
  const row = stored.select().find((x) => x.keyValues.source === files[0])!;
  stored.close();
  assert.deepEqual(Array.from(row.data.el_dos as Float64Array), printed[0].el_dos.dos);
});

test('a label is committed as soon as it is put: a store opened afresh sees it, in the canonical schema', () => {
  const dir = tempDir();
  const db = join(dir, 'labels.db');
  const atoms = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
  const store = new LabelStore(db);
  const result = { properties: { kappa_W_mK: { xx: 1, yy: 2, mean: 1.5 } }, provenance: { engine: 'test', settings: {} }, extra: { thickness_A: 3.35, method: 'gk' } };
  const key = labelKey(atoms, 'kappa', 'test', { method: 'gk' });
  store.put({ input: 'POSCAR_2002', key, kind: 'kappa', engine: 'test', settings: { method: 'gk' }, atoms, result, seconds: 1 });
  // no close(): another connection, as a later run after a kill would open it
  const reader = new AseDatabase(db, { mustExist: true });
  const rows = reader.select({ origin: 'label' });
  reader.close();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].keyValues.kappa_W_mK, 1.5);
  assert.equal(rows[0].keyValues.kappa_xx_W_mK, 1);
  assert.equal(rows[0].uniqueId, key);
  assert.equal(store.has(key), true);
  assert.notEqual(labelKey(atoms, 'kappa', 'test', { method: 'hnemd' }), key);
  store.close();
});
