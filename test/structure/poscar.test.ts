import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { readPoscar, writePoscar } from '../../src/structure/io/poscar.js';
import { EXAMPLES, graphene, maxAbsDiff } from '../helpers.js';

const VASP5 = `graphene-ish
1.0
 2.0 0.0 0.0
 0.0 3.0 0.0
 0.0 0.0 10.0
 C H
 1 2
Direct
 0.0 0.0 0.5
 0.5 0.5 0.5
 0.25 0.75 0.5
`;

test('VASP 5 direct coordinates become Cartesian through the cell', () => {
  const atoms = readPoscar(VASP5, 't.vasp');
  assert.deepEqual(atoms.symbols, ['C', 'H', 'H']);
  assert.deepEqual(Array.from(atoms.positions), [0, 0, 5, 1, 1.5, 5, 0.5, 2.25, 5]);
  assert.deepEqual(atoms.pbc, [true, true, true]);
  assert.equal(atoms.info.comment, 'graphene-ish');
});

test('VASP 4: species from the comment line, or given; an error when neither names them', () => {
  const vasp4 = VASP5.replace(' C H\n', '').replace('graphene-ish', 'C H sample');
  assert.deepEqual(readPoscar(vasp4, 'v4').symbols, ['C', 'H', 'H']);
  const bare = vasp4.replace('C H sample', 'no names here');
  assert.deepEqual(readPoscar(bare, 'v4', { species: ['B', 'N'] }).symbols, ['B', 'N', 'N']);
  assert.throws(() => readPoscar(bare, 'v4'), (e: unknown) => e instanceof ParseError && e.line === 6 && /species/.test(e.message));
});

test('a negative scale factor is the cell volume; three factors scale the axes', () => {
  const volume = readPoscar(VASP5.replace('\n1.0\n', '\n-480\n'), 'v'); // 2·3·10 = 60 → ×8 volume → ×2 lengths
  assert.ok(Math.abs(volume.cell[0] - 4) < 1e-12 && Math.abs(volume.cell[8] - 20) < 1e-12);
  assert.ok(Math.abs(volume.volume_A3 - 480) < 1e-9);
  const cart = VASP5.replace('Direct', 'Cartesian').replace('\n1.0\n', '\n1 2 3\n');
  const atoms = readPoscar(cart, 'v');
  assert.deepEqual(Array.from(atoms.cell), [2, 0, 0, 0, 6, 0, 0, 0, 30]);
  assert.deepEqual(Array.from(atoms.positions.subarray(3, 6)), [0.5, 1, 1.5]);
});

test('selective dynamics flags and a trailing velocity block are read past', () => {
  const text = VASP5.replace('Direct', 'Selective dynamics\nDirect')
    .replace(' 0.0 0.0 0.5\n', ' 0.0 0.0 0.5 T T F\n')
    .concat('\n 0.1 0.2 0.3\n 0 0 0\n 0 0 0\n');
  const atoms = readPoscar(text, 'contcar');
  assert.equal(atoms.length, 3);
  assert.deepEqual(Array.from(atoms.positions.subarray(0, 3)), [0, 0, 5]);
});

test('the public SPRamNet files read as they are (free comment, species line, Cartesian)', () => {
  const text = readFileSync(join(EXAMPLES, 'POSCAR_0002'), 'utf8');
  const atoms = readPoscar(text, 'POSCAR_0002');
  assert.equal(atoms.length, 210);
  assert.match(String(atoms.info.comment), /^N=210, ave_E=/);
  assert.equal(atoms.positions[0], 3.930448898534973);
});

test('write → read is exact, Cartesian and Direct (to rounding)', () => {
  const atoms = graphene(3, 2);
  const back = readPoscar(writePoscar(atoms), 'w');
  assert.deepEqual(Array.from(back.positions), Array.from(atoms.positions));
  assert.deepEqual(Array.from(back.cell), Array.from(atoms.cell));
  const direct = readPoscar(writePoscar(atoms, { direct: true }), 'w');
  assert.ok(maxAbsDiff(direct.positions, atoms.positions) < 1e-12);
});

test('bad POSCARs name the file and line', () => {
  const cases: Array<[string, string, number | undefined, RegExp]> = [
    ['truncated', VASP5.split('\n').slice(0, 10).join('\n'), 11, /file ends early/],
    ['NaN coordinate', VASP5.replace('0.25 0.75 0.5', '0.25 nan 0.5'), 11, /three finite coordinates/],
    ['unknown species', VASP5.replace(' C H', ' C Xx'), 6, /unknown chemical symbol "Xx"/],
    ['count mismatch', VASP5.replace(' 1 2', ' 1 2 3'), 7, /3 atom counts for 2 species/],
    ['bad count', VASP5.replace(' 1 2', ' 1 two'), 7, /atom count/],
    ['bad lattice', VASP5.replace(' 0.0 3.0 0.0', ' 0.0 3.0'), 4, /lattice vector b/],
    ['zero scale', VASP5.replace('\n1.0\n', '\n0\n'), 2, /scale factor is zero/],
    // the counts undercount: the third coordinate line would be dropped silently
    ['counts too small', VASP5.replace(' 1 2', ' 1 1'), 11, /coordinate line beyond the 2 atoms the counts line \(line 7: 1 1\)/],
  ];
  for (const [name, text, line, pattern] of cases) {
    assert.throws(
      () => readPoscar(text, 'bad.vasp'),
      (e: unknown) => e instanceof ParseError && e.file === 'bad.vasp' && e.line === line && pattern.test(e.message),
      name,
    );
  }
});

test('the fast decimal parser agrees with Number() bit for bit', async () => {
  const { parseDecimal } = await import('../../src/structure/io/text.js');
  const fc = (await import('fast-check')).default;
  const check = (token: string): void => {
    const expected = Number(token.replace(/[dD]/, 'e'));
    const got = parseDecimal(` ${token} `, 1, token.length + 1);
    assert.ok(Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected)), `${token}: ${got} vs ${expected}`);
  };
  for (const t of ['0', '-0.0', '1.', '.5', '-.25e-3', '3.930448898534973', '9.0999999999999996', '1e22', '1e23', '123456789012345678', '1.0D+00', '1e', '+7', 'nan', '-', '.']) check(t);
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => check(String(x))), { numRuns: 3000, seed: 9 });
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 18 }), fc.integer({ min: -30, max: 30 }), (m, decimals, e) => {
      const digits = String(Math.abs(m)).padStart(decimals + 1, '0');
      check(`${m < 0 ? '-' : ''}${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}e${e}`);
    }),
    { numRuns: 3000, seed: 10 },
  );
});
