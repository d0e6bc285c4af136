import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { elDosFromLevels } from '../../src/engines/dft.js';
import { parsePwOutput, pwLevels, writePwInput } from '../../src/engines/qe/pw.js';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { FIXTURES, maxAbsDiff, python, randomSheet, run, tempDir } from '../helpers.js';

const DIR = join(FIXTURES, 'dft');
const py = python(['ase', 'numpy']);
const skip = py === undefined && !process.env.CI ? 'python3-ase is not installed' : false;
const PSEUDO = { C: 'C.pbe-n-kjpaw_psl.1.0.0.UPF', N: 'N.pbe-n-kjpaw_psl.1.0.0.UPF' };

test('pw.x output: energy, Fermi level, weights and eigenvalues equal ASE\'s espresso-out reader; el-DoS equals ASE\'s DOS', { skip }, () => {
  const file = join(DIR, 'pw-graphene.out');
  const out = parsePwOutput(readFileSync(file, 'utf8'), file);
  assert.equal(out.jobDone, true);
  assert.equal(out.converged, true);
  assert.equal(out.version, '7.2');
  assert.equal(out.atoms, 2);
  const levels = pwLevels(out, file);
  const script = `
import json, sys, numpy as np
from ase.io import read
from ase.dft.dos import DOS
a = read(sys.argv[1], format='espresso-out')
c = a.calc
w = c.get_k_point_weights()
d = DOS(c, width=0.05 * np.sqrt(2), window=(-2, 2), npts=81)
print(json.dumps(dict(energy=a.get_potential_energy(), fermi=c.get_fermi_level(), weights=list(map(float, w)),
     eig=[float(x) for k in range(len(w)) for x in c.get_eigenvalues(kpt=k, spin=0)],
     dos=(d.get_dos() / len(a) / w.sum()).tolist())))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, file]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { energy: number; fermi: number; weights: number[]; eig: number[]; dos: number[] };
  // ASE's Rydberg (CODATA 2014) and QE's (2018) differ by 1e-8 relative
  assert.ok(Math.abs(out.energy_eV! - ase.energy) < 1e-7 * Math.abs(ase.energy), `${out.energy_eV} vs ${ase.energy}`);
  assert.equal(out.fermi_eV, ase.fermi);
  const total = ase.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 2) < 1e-6, 'QE weights sum to 2');
  assert.ok(maxAbsDiff(levels.weights, ase.weights.map((w) => w / total)) < 1e-15);
  assert.deepEqual(Array.from(levels.eigenvalues_eV), ase.eig);
  // ASE's DOS: 2·Σ w_k δ(E − ε) with w summing to 2 here, hence the division by the weight sum above
  const dos = elDosFromLevels(levels, out.atoms).dos;
  const diff = maxAbsDiff(dos, ase.dos);
  assert.ok(diff < 1e-9, `el-DoS vs ASE DOS: ${diff}`);
});

test('pw.x output of a spin-polarised run: both spin blocks read, el-DoS equals ASE\'s DOS', { skip }, () => {
  // an LSDA output in pw.x's layout, made from the fixture: k-points listed once with half the weight
  // (QE does not print the spin-down copies), SPIN UP / SPIN DOWN blocks, the down levels 0.1 eV higher
  const text = readFileSync(join(DIR, 'pw-graphene.out'), 'utf8');
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.includes('number of k points='));
  const nk = Number(/=\s*(\d+)/.exec(lines[head])![1]);
  const klist = lines.slice(head + 2, head + 2 + nk).map((l) => l.replace(/wk =\s*(\S+)/, (_, w) => `wk = ${(Number(w) / 2).toFixed(7)}`));
  const start = lines.findIndex((l) => l.includes('End of self-consistent calculation'));
  const end = lines.findIndex((l) => l.includes('the Fermi energy is'));
  const up = lines.slice(start + 1, end);
  const down = up.map((l) => (/bands \(ev\)|occupation|^\s*$/.test(l) || /^\s+1\.0000|^\s+0\.0000/.test(l) ? l : l.replace(/-?\d+\.\d+/g, (x) => (Number(x) + 0.1).toFixed(4).padStart(x.length))));
  const lsda = [
    ...lines.slice(0, head),
    lines[head],
    lines[head + 1],
    ...klist,
    ...lines.slice(head + 2 + nk, start + 1),
    '',
    ' ------ SPIN UP ------------',
    '',
    ...up,
    ' ------ SPIN DOWN ----------',
    '',
    ...down,
    ...lines.slice(end),
  ].join('\n');
  const dir = tempDir();
  const file = join(dir, 'lsda.out');
  writeFileSync(file, lsda);
  const out = parsePwOutput(lsda, file);
  const levels = pwLevels(out, file);
  assert.equal(levels.nspins, 2);
  assert.equal(levels.weights.length, nk);
  const script = `
import json, sys, numpy as np
from ase.io import read
from ase.dft.dos import DOS
a = read(sys.argv[1], format='espresso-out')
c = a.calc
d = DOS(c, width=0.05 * np.sqrt(2), window=(-2, 2), npts=81)
print(json.dumps(dict(n=c.get_number_of_spins(), eig=[float(x) for s in range(2) for k in range(len(c.get_k_point_weights())) for x in c.get_eigenvalues(kpt=k, spin=s)],
                      dos=(d.get_dos() / len(a) / c.get_k_point_weights().sum()).tolist())))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, file]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { n: number; eig: number[]; dos: number[] };
  assert.equal(ase.n, 2);
  assert.deepEqual(Array.from(levels.eigenvalues_eV), ase.eig.slice(0, levels.eigenvalues_eV.length));
  const diff = maxAbsDiff(elDosFromLevels(levels, out.atoms).dos, ase.dos);
  assert.ok(diff < 1e-9, `LSDA el-DoS vs ASE DOS: ${diff}`);
});

test('pw.x output: an unfinished run and a run without the k-point list are refused in words', () => {
  const text = readFileSync(join(DIR, 'pw-graphene.out'), 'utf8');
  const cut = text.slice(0, text.indexOf('End of self-consistent calculation'));
  assert.throws(() => pwLevels(parsePwOutput(cut, 'cut.out'), 'cut.out'), /cut\.out: pw\.x did not finish/);
  const lines = text.split('\n');
  const k = lines.findIndex((l) => l.includes('number of k points='));
  const hidden = [...lines.slice(0, k + 1), '                       cart. coord. in units 2pi/alat', "     Number of k-points >= 100: set verbosity='high' to print them.", ...lines.slice(lines.findIndex((l) => l.includes('Self-consistent Calculation')))].join('\n');
  assert.throws(() => parsePwOutput(hidden, 'hidden.out'), /verbosity = 'high'/);
  assert.throws(() => parsePwOutput('hello\n', 'x.out'), /x\.out: no "number of atoms\/cell"/);
});

test('pw.x input: ASE\'s espresso-in reader gives back the cell, positions and species', { skip }, () => {
  const dir = tempDir();
  const cases = [readPoscar(readFileSync(join(DIR, 'POSCAR_3069'), 'utf8')), randomSheet(12, 7.3, 8.1, 1.2, 5, ['C', 'N'])];
  cases.forEach((atoms, index) => {
    const { text, settings } = writePwInput(atoms, { pseudopotentials: PSEUDO, pseudoDir: '/pseudo', kpoints: [3, 2, 1] });
    assert.deepEqual(settings.kpoints, [3, 2, 1]);
    const file = join(dir, `pw${index}.in`);
    writeFileSync(file, text);
    const r = run(py ?? '/usr/bin/python3', ['-c', 'import json,sys; from ase.io import read; a=read(sys.argv[1], format="espresso-in"); print(json.dumps(dict(p=a.positions.ravel().tolist(), c=a.cell.array.ravel().tolist(), s=a.get_chemical_symbols())))', file]);
    assert.equal(r.status, 0, r.stderr);
    const ase = JSON.parse(r.stdout) as { p: number[]; c: number[]; s: string[] };
    assert.deepEqual(ase.s, atoms.symbols);
    assert.ok(maxAbsDiff(ase.c, atoms.cell) < 1e-12, 'cell');
    assert.ok(maxAbsDiff(ase.p, atoms.positions) < 1e-12, 'positions');
    assert.match(text, /K_POINTS automatic\n {2}3 2 1 0 0 0/);
    assert.match(text, /verbosity = 'high'/);
  });
});

test('pw.x input: every species needs a pseudopotential', () => {
  const atoms = randomSheet(6, 5, 5, 1, 2, ['C', 'N']);
  assert.throws(() => writePwInput(atoms, { pseudopotentials: { C: 'C.UPF' } }), /no pseudopotential for N: pass --pseudo N=FILE\.UPF/);
  assert.throws(() => writePwInput(atoms, { pseudopotentials: { C: 'C.UPF', N: '../x y.UPF' } }), /plain file name/);
});
