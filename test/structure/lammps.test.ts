import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readLammpsData, writeLammpsData } from '../../src/structure/io/lammpsData.js';
import { maxAbsDiff, randomSheet } from '../helpers.js';
import { pairCorrelation } from '../../src/descriptors/pcf.js';
import { Grid } from '../../src/descriptors/grid.js';

const ATOMIC = `LAMMPS data file via write_data

3 atoms
2 atom types

-1.0 4.0 xlo xhi
0.0 5.0 ylo yhi
0.0 6.0 zlo zhi

Masses

1 12.011
2 1.008

Atoms # atomic

3 2 1.0 1.0 1.0 0 0 0
1 1 0.0 0.0 0.0 0 0 0
2 1 2.0 0.5 0.5 0 0 0

Velocities

1 0 0 0
2 0 0 0
3 0 0 0
`;

test('atomic style: species from masses, sorted by id, origin at the box corner', () => {
  const atoms = readLammpsData(ATOMIC, 'a.data');
  assert.deepEqual(atoms.symbols, ['C', 'C', 'H']);
  assert.deepEqual(Array.from(atoms.positions), [1, 0, 0, 3, 0.5, 0.5, 2, 1, 1]);
  assert.deepEqual(Array.from(atoms.cell), [5, 0, 0, 0, 5, 0, 0, 0, 6]);
});

test('charge style and a triclinic box; style guessed from the columns when not named', () => {
  const text = ATOMIC.replace('Atoms # atomic', 'Atoms')
    .replace('3 2 1.0 1.0 1.0 0 0 0', '3 2 0.5 1.0 1.0 1.0')
    .replace('1 1 0.0 0.0 0.0 0 0 0', '1 1 -0.25 0.0 0.0 0.0')
    .replace('2 1 2.0 0.5 0.5 0 0 0', '2 1 -0.25 2.0 0.5 0.5')
    .replace('0.0 6.0 zlo zhi', '0.0 6.0 zlo zhi\n0.5 0.25 -0.75 xy xz yz');
  const atoms = readLammpsData(text, 'c.data');
  assert.deepEqual(Array.from(atoms.getArray('charges')!.data), [-0.25, -0.25, 0.5]);
  assert.deepEqual(Array.from(atoms.cell), [5, 0, 0, 0.5, 5, 0, 0.25, -0.75, 6]);
});

test('write → read round-trips; a general cell is rotated into LAMMPS form without changing g(r)', () => {
  const a = randomSheet(40, 8, 9, 1, 7, ['C', 'H']);
  const back = readLammpsData(writeLammpsData(a), 'rt.data');
  assert.deepEqual(back.symbols, a.symbols);
  assert.ok(maxAbsDiff(back.positions, a.positions) < 1e-12);
  // a bulk cell with arbitrary orientation
  const theta = 0.7;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const rot = (x: number, y: number, z: number): number[] => [c * x - s * y, s * x + c * y, z];
  const cell = [...rot(7, 0, 0), ...rot(1, 8, 0), ...rot(0.5, 0.3, 9)];
  const positions: number[] = [];
  for (let i = 0; i < 40; i++) positions.push(...rot(a.positions[3 * i] * 0.9, a.positions[3 * i + 1] * 0.8, a.positions[3 * i + 2] - 5));
  const bulk = new Atoms({ positions, symbols: a.symbols, cell, pbc: [true, true, true] });
  const rotated = readLammpsData(writeLammpsData(bulk), 'rot.data');
  assert.equal(rotated.cell[1], 0);
  assert.equal(rotated.cell[2], 0);
  assert.equal(rotated.cell[5], 0);
  const grid = new Grid(0, 6, 60);
  const g0 = pairCorrelation(bulk, { kind: 'bulk', grid });
  const g1 = pairCorrelation(rotated, { kind: 'bulk', grid });
  assert.ok(maxAbsDiff(g0, g1) < 1e-9);
});

test('bad LAMMPS data files name the file and line', () => {
  const cases: Array<[string, number | undefined, RegExp]> = [
    [ATOMIC.replace('3 atoms', '4 atoms'), 19, /header says 4 atoms/],
    [ATOMIC.replace('2 1 2.0 0.5 0.5', '2 3 2.0 0.5 0.5'), 19, /atom type 3 has no species/],
    [ATOMIC.replace('2 1 2.0 0.5 0.5', '2 1 2.0 nan 0.5'), 19, /not finite/],
    [ATOMIC.replace('2 1.008', '2 77.7'), 13, /matches no element/],
    [ATOMIC.replace('Atoms # atomic', 'Atoms # dipole'), 15, /not supported/],
    [ATOMIC.replace('0.0 5.0 ylo yhi\n', ''), undefined, /ylo yhi/],
  ];
  for (const [text, line, pattern] of cases) {
    assert.throws(() => readLammpsData(text, 'bad.data'), (e: unknown) => e instanceof ParseError && e.line === line && pattern.test(e.message), String(pattern));
  }
});
