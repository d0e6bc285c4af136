import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDoscar, parseSigma } from '../../src/data/labels.js';
import { CLI, FIXTURES, run, tempDir } from '../helpers.js';

const DIR = join(FIXTURES, 'dft');

test('dft read --json: VASP and QE run folders give labels, a bad folder is reported and the others go on', () => {
  const root = tempDir();
  for (const name of ['vasp', 'qe', 'empty', 'vasprun']) mkdirSync(join(root, name));
  copyFileSync(join(DIR, 'DOSCAR_3069'), join(root, 'vasp', 'DOSCAR'));
  copyFileSync(join(DIR, 'imag_3069.dat'), join(root, 'vasp', 'imag.dat'));
  copyFileSync(join(DIR, 'POSCAR_3069'), join(root, 'vasp', 'POSCAR'));
  copyFileSync(join(DIR, 'pw-graphene.out'), join(root, 'qe', 'pw.out'));
  copyFileSync(join(DIR, 'vasprun-optics.xml'), join(root, 'vasprun', 'vasprun.xml'));
  const r = run(process.execPath, [CLI, 'dft', 'read', root, '--json']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /empty: no finished run found/);
  const runs = JSON.parse(r.stdout) as Array<Record<string, any>>;
  assert.deepEqual(runs.map((x) => [x.input.split('/').pop(), x.engine]), [['qe', 'qe'], ['vasp', 'vasp'], ['vasprun', 'vasp']]);
  const vasp = runs[1];
  assert.deepEqual(vasp.el_dos.dos, Array.from(parseDoscar(readFileSync(join(DIR, 'DOSCAR_3069'), 'utf8'))));
  assert.equal(vasp.el_dos.energy_eV.length, 81);
  assert.deepEqual(vasp.sigma_label, parseSigma(readFileSync(join(DIR, 'imag_3069.dat'), 'utf8')));
  assert.ok(vasp.sheet_conductance_S.xx > 0 && vasp.sigma_S_m.yy > 0);
  assert.equal(runs[0].el_dos.dos.length, 81);
  assert.ok(Number.isFinite(runs[0].energy_eV));
  // vasprun.xml alone: σ from its current-current block, no structure so no sheet conductance
  assert.deepEqual(runs[2].sigma_label, vasp.sigma_label);
  assert.equal(runs[2].sheet_conductance_S, undefined);
  assert.match(JSON.stringify(runs[2].extra.missing), /no CONTCAR or POSCAR/);
});

test('dft write vasp|qe: one folder per structure, POTCAR left to the user, pseudopotentials required for qe', () => {
  const out = tempDir();
  const poscar = join(DIR, 'POSCAR_3069');
  let r = run(process.execPath, [CLI, 'dft', 'write', 'vasp', poscar, '--out', join(out, 'vasp'), '--kpoints', '3,3,1']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(join(out, 'vasp', 'POSCAR_3069')).sort(), ['INCAR', 'KPOINTS', 'POSCAR', 'README.md']);
  assert.match(readFileSync(join(out, 'vasp', 'POSCAR_3069', 'KPOINTS'), 'utf8'), /^3 3 1$/m);
  assert.match(r.stderr, /no POTCAR written/);
  // a second run does not overwrite
  r = run(process.execPath, [CLI, 'dft', 'write', 'vasp', poscar, '--out', join(out, 'vasp')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists already/);

  r = run(process.execPath, [CLI, 'dft', 'write', 'qe', poscar, '--out', join(out, 'qe')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no pseudopotential for C/);
  assert.equal(existsSync(join(out, 'qe')), false, 'a run that wrote nothing leaves no folder behind');
  r = run(process.execPath, [CLI, 'dft', 'write', 'qe', poscar, '--out', join(out, 'qe'), '--pseudo', 'C=C.pbe-n-kjpaw_psl.1.0.0.UPF', '--pseudo-dir', '/pp']);
  assert.equal(r.status, 0, r.stderr);
  const pw = readFileSync(join(out, 'qe', 'POSCAR_3069', 'pw.in'), 'utf8');
  assert.match(pw, /C 12\.011 C\.pbe-n-kjpaw_psl\.1\.0\.0\.UPF/);
  assert.match(pw, /pseudo_dir = '\/pp'/);
  r = run(process.execPath, [CLI, 'dft', 'write', 'castep', poscar, '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected vasp or qe/);
  r = run(process.execPath, [CLI, 'dft', 'write', 'vasp', poscar, '--out', out, '--kpoints', '3,3']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /three whole numbers/);
});
