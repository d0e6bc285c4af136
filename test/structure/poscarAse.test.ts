import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { maxAbsDiff, python, run, tempDir } from '../helpers.js';

/**
 * The POSCAR reader against ASE's on the header and layout variants it scans (the reader finds the
 * lines in the text as it goes and parses numbers where they lie): VASP 4 and 5, scale factors,
 * selective dynamics, Direct and Cartesian, CRLF, no final newline, a CONTCAR's velocity block.
 */
const BASE = {
  comment: 'C N test sheet',
  lattice: ['  4.26  0.0  0.0', ' 0.1  2.46 0.0', '0.0 0.0   12.5'],
  species: 'C N',
  counts: '3 1',
  direct: ['0.0 0.0 0.5', '0.3333333333333333 0.6666666666666666 0.5123456789012345', '0.5 0.5 0.48', '-0.25 1.25 0.52'],
  cartesian: ['0.0 0.0 6.25', '13.204591538722248 0.7468960461257697 6.4', '2.13 1.23 6.0', '-1.065 3.075 6.5'],
};

function poscar(options: { vasp4?: boolean; scale?: string; selective?: boolean; cartesian?: boolean; crlf?: boolean; finalNewline?: boolean; velocities?: boolean }): string {
  const lines = [BASE.comment, options.scale ?? '1.0', ...BASE.lattice];
  if (!options.vasp4) lines.push(BASE.species);
  lines.push(BASE.counts);
  if (options.selective) lines.push('Selective dynamics');
  lines.push(options.cartesian ? 'Cartesian' : 'Direct');
  const coordinates = options.cartesian ? BASE.cartesian : BASE.direct;
  lines.push(...coordinates.map((c, i) => (options.selective ? `${c} ${i % 2 ? 'T T T' : 'F F T'}` : c)));
  if (options.velocities) lines.push('', ...coordinates.map(() => '0.01 -0.02 0.0'));
  const text = lines.join(options.crlf ? '\r\n' : '\n');
  return options.finalNewline === false ? text : text + (options.crlf ? '\r\n' : '\n');
}

const VARIANTS: Record<string, Parameters<typeof poscar>[0]> = {
  'vasp5-direct': {},
  'vasp4-direct': { vasp4: true },
  'vasp5-cartesian': { cartesian: true },
  'vasp4-cartesian-scaled': { vasp4: true, cartesian: true, scale: '1.7' },
  'scaled-direct': { scale: '0.93' },
  'volume-direct': { scale: '-150.0' },
  'volume-cartesian': { scale: '-150.0', cartesian: true },
  'selective-direct': { selective: true },
  'selective-cartesian-scaled': { selective: true, cartesian: true, scale: '2.0' },
  'crlf-selective': { crlf: true, selective: true },
  'no-final-newline': { finalNewline: false, cartesian: true },
  'contcar-velocities': { velocities: true },
};

const py = python(['ase', 'numpy']);

test('POSCAR variants read as ASE reads them', { skip: py === undefined && 'python3-ase is not installed' }, () => {
  const dir = tempDir();
  for (const [name, options] of Object.entries(VARIANTS)) writeFileSync(join(dir, name), poscar(options));
  const script = `
import json, sys, os
from ase.io import read
d = sys.argv[1]
out = {}
for name in sys.argv[2:]:
    path = os.path.join(d, name)
    lines = open(path, newline='').read().split('\\n')
    volume = -float(lines[1].split()[0])
    if volume > 0:  # a negative scale is the cell volume (VASP); ASE 3.22 multiplies by it: scale by hand
        lines[1] = '1.0'
        path += '.unit'
        open(path, 'w', newline='').write('\\n'.join(lines))
    a = read(path, format='vasp')
    if volume > 0:
        a.set_cell(a.cell.array * (volume / a.get_volume()) ** (1 / 3), scale_atoms=True)
    out[name] = dict(symbols=a.get_chemical_symbols(), positions=a.positions.flatten().tolist(), cell=a.cell.array.flatten().tolist())
print(json.dumps(out))
`;
  const r = run(py as string, ['-c', script, dir, ...Object.keys(VARIANTS)]);
  assert.equal(r.status, 0, r.stderr);
  const truth = JSON.parse(r.stdout) as Record<string, { symbols: string[]; positions: number[]; cell: number[] }>;
  for (const [name, options] of Object.entries(VARIANTS)) {
    const atoms = readPoscar(poscar(options), name);
    const expected = truth[name];
    assert.deepEqual(atoms.symbols, expected.symbols, name);
    const tolerance = name.startsWith('volume') ? 1e-10 : 1e-12; // a cube root taken two ways
    assert.ok(maxAbsDiff(atoms.cell, expected.cell) < tolerance, `${name} cell: ${Array.from(atoms.cell)} vs ${expected.cell}`);
    assert.ok(maxAbsDiff(atoms.positions, expected.positions) < tolerance, `${name} positions: ${Array.from(atoms.positions)} vs ${expected.positions}`);
  }
});

test('POSCAR layouts that differ only in line endings, final newline or trailing blocks read to the same numbers bit for bit', () => {
  const plain = readPoscar(poscar({ cartesian: true }), 'plain');
  for (const options of [{ crlf: true }, { finalNewline: false }, { velocities: true }, { crlf: true, finalNewline: false }]) {
    const atoms = readPoscar(poscar({ cartesian: true, ...options }), 'variant');
    assert.deepEqual(Array.from(atoms.positions), Array.from(plain.positions), JSON.stringify(options));
    assert.deepEqual(Array.from(atoms.cell), Array.from(plain.cell), JSON.stringify(options));
  }
  // the coordinates as Number() reads them: 17 significant digits included
  assert.equal(plain.positions[3], 13.204591538722248);
  assert.equal(plain.positions[4], 0.7468960461257697);
});

test('a POSCAR cut short in its coordinates or ending in a blank line names the line', () => {
  const text = poscar({});
  const lines = text.split('\n');
  const cut = lines.slice(0, 10).join('\n'); // comment … Direct, two coordinate lines, no final newline
  assert.throws(() => readPoscar(cut, 'cut'), /^ParseError: cut:11: file ends early: expected 4 coordinate lines, found 2$/);
  assert.throws(() => readPoscar(cut + '\n', 'cut'), /^ParseError: cut:11: file ends early: expected 4 coordinate lines, found 2$/);
  assert.throws(() => readPoscar(cut + '\n\n', 'cut'), /^ParseError: cut:11: expected three finite coordinates for atom 3 of 4, found ""$/);
  assert.throws(() => readPoscar(cut + '\n0.1 0.2\r\n', 'cut'), /^ParseError: cut:11: expected three finite coordinates for atom 3 of 4, found "0.1 0.2"$/);
});
