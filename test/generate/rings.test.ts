import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localEnvironment } from '../../src/descriptors/environment.js';
import { ringStatistics, ringSummary, RING_CATEGORIES } from '../../src/generate/rings.js';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { FIXTURES, ROOT, graphene, python, run } from '../helpers.js';

const DIR = join(FIXTURES, 'generate');
const FILES = readdirSync(DIR).filter((f) => f.startsWith('POSCAR_')).sort();
const read = (f: string) => readPoscar(readFileSync(join(DIR, f), 'utf8'), f);

test('graphene: every ring is a hexagon, N/2 of them; every atom in three; coordination 3', () => {
  const atoms = graphene(4, 3);
  const s = ringStatistics(atoms);
  assert.equal(s.rings.length, atoms.length / 2);
  assert.ok(s.rings.every((r) => r.length === 6));
  for (let i = 0; i < atoms.length; i++) assert.equal(s.ringsPerAtom[RING_CATEGORIES.length * i + RING_CATEGORIES.indexOf('6')], 3);
  const summary = ringSummary('g', s);
  assert.equal(summary.ring_fractions['6'], 1);
  assert.deepEqual(summary.coordination, { '2': 0, '3': 1, '4': 0 });
  assert.ok(Math.abs(summary.bond_length_A.mean - 1.42) < 1e-12 && summary.bond_length_A.std < 1e-12);
  assert.deepEqual(Object.keys(summary.ring_fractions), ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12+']);
});

test('flat public sheets: SP ring counts equal the environment channel\'s faces for sizes 3–11', () => {
  let flat = 0;
  for (const f of FILES) {
    const atoms = read(f);
    if (atoms.cell[8] !== 10) continue;
    flat++;
    const mine = ringStatistics(atoms, { file: f }).ringCounts;
    const faces = localEnvironment(atoms, 1.85, f);
    for (let k = 0; k < 9; k++) assert.equal(mine[k], Math.round(faces[k] * atoms.length), `${f}: rings of ${RING_CATEGORIES[k]}`);
  }
  assert.ok(flat >= 5);
});

const py = python(['networkx', 'numpy']);
const skip = py === undefined && !process.env.CI ? 'python3-networkx is not installed' : false;

test('SP rings up to 12 equal an independent networkx enumeration (flat and buckled public sheets)', { skip }, () => {
  const r = run(py as string, [join(ROOT, 'test', 'generate', 'sp_rings_networkx.py'), '12', ...FILES.map((f) => join(DIR, f))]);
  assert.equal(r.status, 0, r.stderr);
  const reference = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
  for (const f of FILES) {
    const s = ringStatistics(read(f), { maxRing: 12, file: f });
    const mine: Record<string, number> = {};
    for (const ring of s.rings) mine[String(ring.length)] = (mine[String(ring.length)] ?? 0) + 1;
    assert.deepEqual(mine, reference[join(DIR, f)], f);
  }
});
