import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { parseCoordinateBlock } from '../../src/structure/io/poscarBlock.js';
import { scratchKernels } from '../../src/wasm/runtime.js';

const built = scratchKernels() !== null;

const HEADER = 'sheet\n1.0\n30 0 0\n0 22 0\n0 0 20\nC\n';

/** Cartesian POSCAR text around coordinate lines (so positions are the numbers as written). */
function poscar(lines: string[]): string {
  return `${HEADER}${lines.length}\nCartesian\n${lines.join('\n')}\n`;
}

function same(actual: Float64Array, expected: number[], what: string): void {
  expected.forEach((v, k) => assert.ok(Object.is(actual[k], v), `${what}: value ${k} is ${actual[k]}, Number() gives ${v}`));
}

/** The shortest round-trip form of doubles like coordinates: 16–17 significant digits, no exponent. */
const coordinate = fc.double({ min: -60, max: 60, noNaN: true }).map(String).filter((t) => !t.includes('e'));

test('the WebAssembly coordinate parser gives what Number() gives, bit for bit, and takes shortest round-trip coordinates itself', { skip: !built && 'build/kernels.wasm not built' }, () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(coordinate, coordinate, coordinate), { minLength: 1, maxLength: 40 }), (rows) => {
      const text = rows.map((r) => r.join(' ')).join('\n') + '\n';
      const out = new Float64Array(3 * rows.length);
      assert.equal(parseCoordinateBlock(text, 0, rows.length, out), text.length);
      same(out, rows.flat().map(Number), text);
    }),
    { numRuns: 300, seed: 4 },
  );
});

test('any token, taken by the kernel or left to the JavaScript reader, reads as Number() reads it', () => {
  const special = ['0', '-0', '-0.0', '+5', '.5', '5.', '-.25', '007.5', '1e5', '1E-5', '1.5e+3', '2.5e-30', '1e22', '1e23', '123456789012345678', '12345678901234567890', '9007199254740993.5', '0.30000000000000004', '1.0000000000000002', '4.440892098500626e-16', '1.7976931348623157e308', '5e-324', '4503599627370497.5', '4503599627370496.5', '-4503599627370498.5', '9007199254740995.0', '9007199254740997.0'];
  const token = fc.oneof(
    fc.constantFrom(...special),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.integer({ min: 0, max: 20 }), fc.boolean()).map(([m, decimals, negative]) => {
      const digits = m.toString().padStart(decimals + 1, '0');
      return `${negative ? '-' : ''}${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(token, token, token), { minLength: 1, maxLength: 12 }), (rows) => {
      const atoms = readPoscar(poscar(rows.map((r) => r.join('  '))), 'tokens');
      same(atoms.positions, rows.flat().map(Number), rows.map((r) => r.join(' ')).join(' | '));
    }),
    { numRuns: 400, seed: 5 },
  );
});

test('lines the kernel does not take read as before: Fortran exponents, flags, tabs, CRLF, non-ASCII after the numbers', () => {
  const cases: Array<[string[], number[]]> = [
    [['1.0D+00 2.0d-1 3'], [1, 0.2, 3]],
    [['1 2 3 T T F', '4\t5\t6 F F F'], [1, 2, 3, 4, 5, 6]],
    [['1 2 3\r', '4 5 6\r'], [1, 2, 3, 4, 5, 6]],
    [['1 2 3 # Å', '4 5 6 ü'], [1, 2, 3, 4, 5, 6]],
    [['0x10 1 2'], [16, 1, 2]], // Number() reads hexadecimal, and so did the reader
  ];
  for (const [lines, expected] of cases) same(readPoscar(poscar(lines), 'odd').positions, expected, lines.join(' | '));
});

test('the reader keeps its errors for bad coordinate blocks, whichever parser met them first', () => {
  const bad: Array<[string, RegExp]> = [
    [`${HEADER}2\nCartesian\n1 2 3\n`, /^ParseError: bad:10: file ends early: expected 2 coordinate lines, found 1$/],
    [`${HEADER}2\nCartesian\n1 2 3\n4 5\n`, /^ParseError: bad:10: expected three finite coordinates for atom 2 of 2, found "4 5"$/],
    [`${HEADER}2\nCartesian\n1 2 3\n4 5 1e999\n`, /^ParseError: bad:10: expected three finite coordinates for atom 2 of 2, found "4 5 1e999"$/],
    [`${HEADER}1\nCartesian\n1 2 3\n4 5 6\n`, /^ParseError: bad:10: a coordinate line beyond the 1 atoms the counts line \(line 7: 1\) gives/],
  ];
  for (const [text, pattern] of bad) assert.throws(() => readPoscar(text, 'bad'), pattern);
  // a blank line, then a CONTCAR's velocities: not an undercount
  assert.equal(readPoscar(`${HEADER}1\nCartesian\n1 2 3\n\n0.1 0.2 0.3\n`, 'contcar').length, 1);
});
