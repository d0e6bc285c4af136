import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LabelStore } from '../../src/data/labelStore.js';
import { AseDatabase } from '../../src/data/aseDb.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { CLI, FIXTURES, python, run, skipOutsideCi, tempDir } from '../helpers.js';

const py = python(['ase']);

test('label --db keeps each label with its provenance, a re-run skips what is there, ASE reads the store', { skip: skipOutsideCi(py === undefined, 'python3-ase is not installed') }, () => {
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
rows = list(connect(sys.argv[1]).select(label='el-DoS'))
print(json.dumps([[r.source, r.natoms, len(r.data['el_dos_dos']), json.loads(r.provenance)['engine']] for r in rows]))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, db]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as [string, number, number, string][];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((x) => [x[2], x[3]]), [[81, 'tb'], [81, 'tb'], [81, 'tb']]);
  assert.equal(rows[0][1], readStructure(files[0]).length);
});

test('a label is committed as soon as it is written: a store opened afresh sees it, whatever happens later', () => {
  const dir = tempDir();
  const db = join(dir, 'labels.db');
  const atoms = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
  const store = new LabelStore(db);
  const key = LabelStore.key(atoms, 'kappa', { method: 'gk' });
  store.write(key, atoms, 'kappa', 'POSCAR_2002', { kappa_W_mK: { xx: 1, yy: 2, mean: 1.5 } }, { engine: 'test' });
  // no close(): another connection, as a later run after a kill would open it
  const reader = new AseDatabase(db, { mustExist: true });
  const rows = reader.select({ set: 'labels' });
  reader.close();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].keyValues.kappa_W_mK_mean, 1.5);
  assert.notEqual(LabelStore.key(atoms, 'kappa', { method: 'hnemd' }), key);
  store.close();
});
