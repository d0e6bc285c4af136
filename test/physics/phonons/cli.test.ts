import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStructure } from '../../../src/structure/io/formats.js';
import { writePoscar } from '../../../src/structure/io/poscar.js';
import { potentialsDirectory } from '../../../src/physics/tersoff/params.js';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { CLI, graphene, random, run, tempDir } from '../../helpers.js';

const needLammps = lammpsVersion() === undefined && !process.env.CI ? 'lmp (Debian lammps) is not installed' : false;

function jittered(): string {
  const atoms = graphene(2, 1, 1.40);
  const rand = random(3);
  for (let k = 0; k < atoms.positions.length; k++) atoms.positions[k] += 0.05 * (rand() - 0.5);
  return writePoscar(atoms);
}

test('relax --cell: LAMMPS finds no force and no in-plane stress on the written structure', { skip: needLammps }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.vasp'), jittered());
  const r = run(process.execPath, [CLI, 'relax', join(dir, 'in.vasp'), '--potential', 'lindsay-broido-2010', '--cell', '--fmax', '1e-5', '--out', join(dir, 'out.vasp'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const record = JSON.parse(r.stdout);
  assert.ok(record.fmax_eV_A < 1e-5);
  assert.equal(record.potential, 'tersoff:lindsay-broido-2010');
  const relaxed = readStructure(join(dir, 'out.vasp'));
  assert.equal(relaxed.cell[8], 20, 'c unchanged');
  const ref = await lammpsSinglePoint(relaxed, { pairStyle: 'tersoff', file: join(potentialsDirectory(), 'lindsay-broido-2010.tersoff') });
  // POSCAR text keeps ~1e-9 Å, so forces stay near the relaxation's tolerance.
  for (const f of ref.forces_eV_A) assert.ok(Math.abs(f) < 5e-5, `LAMMPS force ${f}`);
  for (const k of [0, 1, 3, 4]) assert.ok(Math.abs(ref.virial_eV[k]) < 1e-3, `LAMMPS virial ${ref.virial_eV[k]}`);
});

test('label ph-dos: the exact JSON array, bad files reported while the others go on, exit 1, --out written', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'good.vasp'), jittered());
  writeFileSync(join(dir, 'bad.vasp'), 'not a structure\n1\n');
  const out = join(dir, 'labels.json');
  const r = run(process.execPath, [CLI, 'label', 'ph-dos', join(dir, 'bad.vasp'), join(dir, 'good.vasp'), '--potential', 'lindsay-broido-2010', '--fmax', '1e-3', '--json', '--out', out]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /bad\.vasp/);
  assert.match(r.stderr, /1 of 2 input\(s\) failed/);
  const labels = JSON.parse(r.stdout);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), labels);
  assert.equal(labels.length, 1);
  const [label] = labels;
  assert.deepEqual(Object.keys(label), ['input', 'frequencies_THz', 'ph_dos']);
  assert.deepEqual(Object.keys(label.ph_dos), ['frequency_THz', 'dos']);
  assert.equal(label.input, join(dir, 'good.vasp'));
  assert.equal(label.frequencies_THz.length, 24);
  for (let k = 1; k < 24; k++) assert.ok(label.frequencies_THz[k] >= label.frequencies_THz[k - 1]);
  assert.deepEqual(label.ph_dos.frequency_THz, Array.from({ length: 100 }, (_, k) => k + 0.5));
  // The histogram of the printed frequencies, recounted here.
  const counts = new Array(100).fill(0);
  const inside = label.frequencies_THz.filter((f: number) => f >= 0 && f < 100);
  for (const f of inside) counts[Math.floor(f)]++;
  assert.deepEqual(label.ph_dos.dos, counts.map((c) => c / inside.length));
});

test('label ph-dos refuses an unknown potential in words', () => {
  const r = run(process.execPath, [CLI, 'label', 'ph-dos', 'x.vasp', '--potential', 'no-such-set']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /neither a shipped set/);
});
