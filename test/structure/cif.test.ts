import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cifNumber, parseCif, parseSymmetryOperation, readCif } from '../../src/structure/io/cif.js';
import type { Atoms } from '../../src/structure/atoms.js';
import { FIXTURES, maxAbsDiff, python, run, tempDir } from '../helpers.js';

const DIR = join(FIXTURES, 'cif');
const py = python(['ase', 'numpy']);
const skip = py === undefined && !process.env.CI ? 'python3-ase is not installed' : false;

interface AseFrame {
  symbols: string[];
  positions: number[][];
  cell: number[];
}

/** Every frame ASE reads from a CIF. */
function aseRead(file: string): AseFrame[] {
  const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
from ase.io import read
print(json.dumps([dict(symbols=a.get_chemical_symbols(), positions=a.positions.tolist(), cell=a.cell.array.ravel().tolist())
                  for a in read(sys.argv[1], index=':', format='cif')]))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, file]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as AseFrame[];
}

/** Atoms as (symbol, x, y, z) rows sorted by position, so two readers' orders need not agree. */
function sortedSites(symbols: string[], positions: number[][]): Array<[string, number, number, number]> {
  return symbols
    .map((s, i) => [s, ...positions[i]] as [string, number, number, number])
    .sort((p, q) => Math.round(p[1] * 1e4) - Math.round(q[1] * 1e4) || Math.round(p[2] * 1e4) - Math.round(q[2] * 1e4) || Math.round(p[3] * 1e4) - Math.round(q[3] * 1e4));
}

function compareWithAse(file: string, frames: Atoms[]): void {
  const ase = aseRead(file);
  assert.equal(frames.length, ase.length, `${file}: number of structures`);
  frames.forEach((atoms, k) => {
    assert.equal(atoms.length, ase[k].symbols.length, `${file}[${k}]: atoms`);
    assert.ok(maxAbsDiff(atoms.cell, ase[k].cell) < 1e-9, `${file}[${k}]: cell ${Array.from(atoms.cell)} vs ${ase[k].cell}`);
    const ours = sortedSites(atoms.symbols, Array.from({ length: atoms.length }, (_, i) => Array.from(atoms.positions.subarray(3 * i, 3 * i + 3))));
    const theirs = sortedSites(ase[k].symbols, ase[k].positions);
    assert.deepEqual(ours.map((s) => s[0]), theirs.map((s) => s[0]), `${file}[${k}]: species`);
    assert.ok(maxAbsDiff(ours.flatMap((s) => s.slice(1) as number[]), theirs.flatMap((s) => s.slice(1) as number[])) < 1e-6, `${file}[${k}]: positions`);
  });
}

test('CIF written by ASE: graphene (hexagonal) has the cell and sites ASE wrote, to its 5 printed decimals', () => {
  const [g] = readCif(join(DIR, 'graphene-ase.cif'));
  const a = 2.46;
  // a along x, b in the xy plane at γ = 120°
  assert.ok(maxAbsDiff(g.cell, [a, 0, 0, -a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10]) < 1e-12);
  assert.deepEqual(g.symbols, ['C', 'C']);
  const second = [a / 3 - a / 3, 0, 0].map((_, d) => (1 / 3) * g.cell[d] + (2 / 3) * g.cell[3 + d] + 0.5 * g.cell[6 + d]);
  assert.ok(maxAbsDiff(g.positions.subarray(3, 6), second) < 1e-4);
  assert.ok(Math.abs(Math.hypot(g.positions[3] - g.positions[0], g.positions[4] - g.positions[1]) - a / Math.sqrt(3)) < 1e-4);
});

test('CIF: graphene, h-BN and Fd-3m diamond read as ASE reads them (count, cell, sorted positions to 1e-6)', { skip }, () => {
  for (const name of ['graphene-ase.cif', 'hbn-ase.cif', 'diamond-Fd-3m.cif']) compareWithAse(join(DIR, name), readCif(join(DIR, name)));
  // the same for files the installed ASE writes now, with a triclinic cell and more sites
  const dir = tempDir();
  const r = run(py ?? '/usr/bin/python3', ['-c', `
import sys, numpy as np
from ase import Atoms
from ase.io import write
rng = np.random.default_rng(4)
a = Atoms('C6N2', scaled_positions=rng.random((8, 3)), cell=[[5.1, 0, 0], [1.2, 4.8, 0], [0.7, -0.4, 9.5]], pbc=True)
write(sys.argv[1] + '/tri.cif', a, format='cif')
write(sys.argv[1] + '/multi.cif', [a, a.repeat((2, 1, 1))], format='cif')`, dir]);
  assert.equal(r.status, 0, r.stderr);
  for (const name of ['tri.cif', 'multi.cif']) compareWithAse(join(dir, name), readCif(join(dir, name)));
});

test('CIF: diamond from one site and 192 operations gives 8 atoms with 4 neighbours at a√3/4', () => {
  const [diamond, triclinic] = readCif(join(DIR, 'diamond-Fd-3m.cif'));
  assert.equal(diamond.length, 8);
  assert.equal(diamond.info.spacegroup, 'F d -3 m :2');
  const a = 3.56679;
  for (let i = 0; i < 8; i++) {
    let neighbours = 0;
    for (let j = 0; j < 8; j++)
      for (const s of [-1, 0, 1].flatMap((x) => [-1, 0, 1].flatMap((y) => [-1, 0, 1].map((z) => [x, y, z])))) {
        const d = Math.hypot(...[0, 1, 2].map((k) => diamond.positions[3 * j + k] + s[k] * a - diamond.positions[3 * i + k]));
        if (Math.abs(d - (a * Math.sqrt(3)) / 4) < 1e-9) neighbours++;
      }
    assert.equal(neighbours, 4);
  }
  // the block with no sites is skipped; the triclinic one follows ASE's cellpar convention
  assert.equal(triclinic.length, 3);
  assert.deepEqual(triclinic.symbols, ['Na', 'Cl', 'O']);
  assert.ok(Math.abs(Math.hypot(triclinic.cell[6], triclinic.cell[7], triclinic.cell[8]) - 5) < 1e-12);
  assert.equal(triclinic.cell[1], 0);
  assert.equal(triclinic.cell[2], 0);
  assert.equal(triclinic.cell[5], 0);
});

test('CIF syntax: uncertainties, quotes, text fields, several loop rows on one line, symmetry operations', () => {
  assert.equal(cifNumber('1.234(5)'), 1.234);
  assert.equal(cifNumber('-0.5'), -0.5);
  assert.equal(cifNumber('.25'), 0.25);
  assert.ok(Number.isNaN(cifNumber('?')));
  const op = parseSymmetryOperation('-x+1/2, y-z, 0.25+Z');
  assert.deepEqual(op.rotation, [[-1, 0, 0], [0, 1, -1], [0, 0, 1]]);
  assert.deepEqual(op.translation, [0.5, 0, 0.25]);
  assert.throws(() => parseSymmetryOperation('x,y'), /three/);
  assert.throws(() => parseSymmetryOperation('x,y,q'), /cannot read "q"/);
  const text = `data_t # a comment
_cell_length_a 4(1)
_cell_length_b 4
_cell_length_c 4
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_publ_section_title
;
 text with 'quotes' and _tags_ inside
;
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z' "-x, -y, -z"
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Si1 0.1 0.2 0.3 O2 0 0 0.5
`;
  const [t] = parseCif(text, 't.cif');
  assert.deepEqual(t.symbols, ['Si', 'Si', 'O']); // O at (0, 0, ½) is its own inverse: one atom
  assert.ok(maxAbsDiff(t.positions, [0.4, 0.8, 1.2, 3.6, 3.2, 2.8, 0, 0, 2]) < 1e-12);
  // ASE's symprec: images closer than 1e-3 (fractional) are one site
  assert.equal(parseCif(text.replace('O2 0 0 0.5', 'O2 0.0004 0 0.5'), 't.cif')[0].length, 3);
  assert.equal(parseCif(text.replace('O2 0 0 0.5', 'O2 0.01 0 0.5'), 't.cif')[0].length, 4);
});

test('CIF refusals name the file, the line and the atom', () => {
  const base = readFileSync(join(DIR, 'graphene-ase.cif'), 'utf8');
  const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const partial = base.replace('0.66667  0.50000  1.0000', '0.66667  0.50000  0.5(1)');
  assert.throws(() => parseCif(partial, 'partial.cif'), new RegExp(`^ParseError: partial\\.cif:${lineOf(partial, '0.5(1)')}: atom C2: occupancy 0\\.5\\(1\\); only fully occupied sites`));
  assert.throws(() => parseCif(base.replace(/_cell_length_b.*\n/, ''), 'nocell.cif'), /nocell\.cif:1: data_image0: missing _cell_length_b/);
  const loop = base.replace('1.0  0.33333', '1.0');
  assert.throws(() => parseCif(loop, 'loop.cif'), new RegExp(`loop\\.cif:${lineOf(loop, '_atom_site_type_symbol') - 1}: loop of 7 tags .* holds 13 values, not a whole number of rows`));
  const quote = base.replace("'x, y, z'", "'x, y, z");
  assert.throws(() => parseCif(quote, 'quote.cif'), new RegExp(`quote\\.cif:${lineOf(quote, "'x, y, z")}: unterminated 'quoted' string`));
  const sg = base.replace(/loop_\n {2}_space_group_symop_operation_xyz\n {2}'x, y, z'\n/, '').replace('"P 1"', '"P 63/m m c"').replace('_IT_number       1', '_IT_number       194');
  assert.throws(() => parseCif(sg, 'sg.cif'), new RegExp(`sg\\.cif:${lineOf(sg, 'P 63/m m c')}: space group P 63/m m c without symmetry operations`));
  const element = base.replace('C   C2', 'Xx  C2');
  assert.throws(() => parseCif(element, 'el.cif'), new RegExp(`el\\.cif:${lineOf(element, 'Xx  C2')}: atom C2: "Xx" names no element`));
  assert.throws(() => parseCif('data_x\n_journal_year 2020\n', 'empty.cif'), /empty\.cif: no data block with a cell and atom sites/);
  assert.throws(() => parseCif('_cell_length_a 3\n', 'nodata.cif'), /nodata\.cif:1: "_cell_length_a" before the first data_ block/);
  assert.throws(() => parseCif('data_x\n;\nnever closed\n', 'text.cif'), /text\.cif:2: text field opened with ";" is never closed/);
});
