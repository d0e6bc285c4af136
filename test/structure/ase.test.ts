import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStructures } from '../../src/structure/io/formats.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import { writeLammpsData } from '../../src/structure/io/lammpsData.js';
import { writePoscar } from '../../src/structure/io/poscar.js';
import { FIXTURES, maxAbsDiff, python, randomSheet, run, tempDir } from '../helpers.js';

interface Truth {
  symbols: string[];
  positions: number[][];
  cell: number[][];
  pbc: boolean[];
  charges: number[];
}

/** Tolerances: extended XYZ as ASE writes it keeps 8 decimals; the others 16 digits. */
function checkAgainstTruth(dir: string): void {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Record<string, Truth[]>;
  for (const [file, frames] of Object.entries(truth)) {
    const tolerance = file.endsWith('xyz') ? 1e-7 : 1e-9;
    const atoms = readStructures(join(dir, file), { species: file.endsWith('.data') ? ['B', 'C', 'H', 'N'] : undefined });
    assert.equal(atoms.length, frames.length, file);
    frames.forEach((expected, k) => {
      assert.deepEqual(atoms[k].symbols, expected.symbols, file);
      assert.ok(maxAbsDiff(atoms[k].positions, expected.positions.flat()) < tolerance, `${file} positions`);
      assert.ok(maxAbsDiff(atoms[k].cell, expected.cell.flat()) < tolerance, `${file} cell`);
      if (!file.endsWith('.data')) assert.deepEqual([...atoms[k].pbc], expected.pbc, `${file} pbc`);
      if (file === 'charge.data') assert.ok(maxAbsDiff(atoms[k].getArray('charges')!.data, expected.charges) < 1e-12);
    });
  }
}

test('files written by ASE (committed fixtures) read to the positions ASE had', () => {
  checkAgainstTruth(join(FIXTURES, 'ase'));
});

const py = python(['ase', 'numpy']);

test('files written by the installed ASE read correctly (regenerated now)', { skip: py === undefined && 'python3-ase is not installed' }, () => {
  const dir = tempDir();
  const r = run(py as string, [join(FIXTURES, 'make_ase_fixtures.py'), dir]);
  assert.equal(r.status, 0, r.stderr);
  checkAgainstTruth(dir);
});

test('ASE reads the files spramnet writes', { skip: py === undefined && 'python3-ase is not installed' }, () => {
  const dir = tempDir();
  const atoms = randomSheet(20, 7.5, 8.25, 1.5, 11, ['C', 'N']);
  writeFileSync(join(dir, 'POSCAR'), writePoscar(atoms));
  writeFileSync(join(dir, 'a.extxyz'), writeExtxyz([atoms, atoms]));
  writeFileSync(join(dir, 'a.data'), writeLammpsData(atoms));
  const script = `
import json, sys
from ase.io import read
d = sys.argv[1]
out = {}
for name, kw in [('POSCAR', dict(format='vasp')), ('a.extxyz', dict(format='extxyz', index=-1)),
                 ('a.data', dict(format='lammps-data', style='atomic', Z_of_type={1: 6, 2: 7}))]:
    a = read(d + '/' + name, **kw)
    out[name] = dict(symbols=a.get_chemical_symbols(), positions=a.positions.ravel().tolist(), cell=a.cell.array.ravel().tolist())
print(json.dumps(out))`;
  const r = run(py as string, ['-c', script, dir]);
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout) as Record<string, { symbols: string[]; positions: number[]; cell: number[] }>;
  for (const [name, got] of Object.entries(seen)) {
    assert.deepEqual(got.symbols, atoms.symbols, name);
    assert.ok(maxAbsDiff(got.positions, atoms.positions) < 1e-9, name);
    assert.ok(maxAbsDiff(got.cell, atoms.cell) < 1e-9, name);
  }
});
