import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { Atoms } from '../../src/structure/atoms.js';
import { parseKeyValues, readExtxyz, writeExtxyz } from '../../src/structure/io/extxyz.js';
import { graphene, randomSheet } from '../helpers.js';

test('key=value header: quoted, braced and bare values, flags', () => {
  const kv = parseKeyValues('Lattice="1 0 0 0 2 0 0 0 3" Properties=species:S:1:pos:R:3 energy=-1.5 name="a b" ok tags={1 2}');
  assert.equal(kv.get('Lattice'), '1 0 0 0 2 0 0 0 3');
  assert.equal(kv.get('energy'), '-1.5');
  assert.equal(kv.get('name'), 'a b');
  assert.equal(kv.get('ok'), 'T');
  assert.equal(kv.get('tags'), '1 2');
});

test('multi-frame extended XYZ with pbc, info and extra per-atom arrays', () => {
  const text = `2
Lattice="4 0 0 0 5 0 0 0 6" Properties=species:S:1:pos:R:3:forces:R:3 energy=-3.25 pbc="T T F"
C 0 0 0 0.1 0.2 0.3
H 1 1 1 -0.1 -0.2 -0.3
1
plain comment
O 1.5 2.5 3.5
`;
  const frames = readExtxyz(text, 'f.xyz');
  assert.equal(frames.length, 2);
  assert.deepEqual(frames[0].pbc, [true, true, false]);
  assert.equal(frames[0].info.energy, -3.25);
  assert.deepEqual(Array.from(frames[0].getArray('forces')!.data), [0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
  assert.deepEqual(frames[1].symbols, ['O']);
  assert.deepEqual(frames[1].pbc, [false, false, false]);
  assert.equal(frames[1].info.comment, 'plain comment');
});

test('write → read round-trips positions, cell, pbc, info and arrays exactly', () => {
  const a = randomSheet(30, 9.3, 7.1, 1.2, 4, ['C', 'N']);
  a.setArray('charges', Array.from({ length: 30 }, (_, i) => i / 7), 1);
  a.info.energy = -12.5;
  a.info.label = 'two words';
  const b = new Atoms({ positions: graphene(1, 1).positions, symbols: ['C', 'C', 'C', 'C'], pbc: [false, false, false] });
  const [ra, rb] = readExtxyz(writeExtxyz([a, b]), 'rt.xyz');
  assert.deepEqual(Array.from(ra.positions), Array.from(a.positions));
  assert.deepEqual(Array.from(ra.cell), Array.from(a.cell));
  assert.deepEqual(ra.symbols, a.symbols);
  assert.deepEqual(Array.from(ra.getArray('charges')!.data), Array.from(a.getArray('charges')!.data));
  assert.equal(ra.info.energy, -12.5);
  assert.equal(ra.info.label, 'two words');
  assert.deepEqual(rb.pbc, [false, false, false]);
});

test('bad extended XYZ names file and line', () => {
  const good = '2\nLattice="4 0 0 0 5 0 0 0 6" Properties=species:S:1:pos:R:3\nC 0 0 0\nC 1 1 1\n';
  const cases: Array<[string, number | undefined, RegExp]> = [
    [good.replace('C 1 1 1\n', ''), 4, /file ends early/],
    [good.replace('C 1 1 1', 'C 1 nan 1'), 4, /not a finite number/],
    [good.replace('C 1 1 1', 'Qq 1 1 1'), 4, /unknown chemical symbol "Qq"/],
    [good.replace('2\n', 'two\n'), 1, /number of atoms/],
    [good.replace('0 0 0 6"', '0 0 6"'), 2, /Lattice must hold 9/],
    [good.replace('C 1 1 1', 'C 1 1'), 4, /expected 4 columns/],
  ];
  for (const [text, line, pattern] of cases) {
    assert.throws(() => readExtxyz(text, 'bad.xyz'), (e: unknown) => e instanceof ParseError && e.line === line && pattern.test(e.message));
  }
});
