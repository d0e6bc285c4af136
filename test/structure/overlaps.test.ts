import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { Atoms } from '../../src/structure/atoms.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import { parseStructures, readStructures } from '../../src/structure/io/formats.js';
import { closestPair } from '../../src/structure/overlaps.js';
import { EXAMPLES, FIXTURES, graphene } from '../helpers.js';

/** Brute force over the 27 nearest images: the closest pair of distinct atoms, or of an atom and its own image. */
function bruteClosest(atoms: Atoms): number {
  const c = atoms.cell;
  let best = Infinity;
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i; j < atoms.length; j++) {
      for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let e = -1; e <= 1; e++) {
        if (i === j && a === 0 && b === 0 && e === 0) continue;
        const d = [0, 1, 2].map((k) => atoms.positions[3 * j + k] + a * c[k] + b * c[3 + k] + e * c[6 + k] - atoms.positions[3 * i + k]);
        best = Math.min(best, Math.hypot(d[0], d[1], d[2]));
      }
    }
  }
  return best;
}

test('closestPair finds the pair brute force over periodic images finds', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 20; trial++) {
    const n = 30;
    const cell = [6 + 4 * rand(), 0, 0, 2 * rand(), 6 + 4 * rand(), 0, 0, 0, 6 + 4 * rand()];
    const positions: number[] = [];
    for (let i = 0; i < n; i++) {
      const f = [rand(), rand(), rand()];
      for (let d = 0; d < 3; d++) positions.push(f[0] * cell[d] + f[1] * cell[3 + d] + f[2] * cell[6 + d]);
    }
    const atoms = new Atoms({ positions, symbols: new Array(n).fill('C'), cell, pbc: [true, true, true] });
    const truth = bruteClosest(atoms);
    const found = closestPair(atoms, 3);
    if (truth >= 3) assert.equal(found, undefined);
    else assert.ok(found !== undefined && Math.abs(found.distance_A - truth) < 1e-9, `trial ${trial}: ${found?.distance_A} vs ${truth}`);
  }
});

test('two atoms at one position are refused by every reader, naming the file, the atoms and their distance', () => {
  const sheet = graphene(3, 3);
  const positions = Float64Array.from(sheet.positions);
  positions.set(positions.subarray(3 * 4, 3 * 5), 3 * 9); // atom 10 onto atom 5
  const doubled = new Atoms({ positions, numbers: sheet.numbers, cell: sheet.cell, pbc: sheet.pbc });
  assert.throws(
    () => parseStructures(writeExtxyz([sheet, doubled]), 'two.extxyz'),
    (e: unknown) => e instanceof ParseError && e.file === 'two.extxyz' && /atoms 5 and 10 \(counting from 1\) are 0\.000 Å apart \(frame 1\)/.test(e.message),
  );
  const poscar = readFileSync(join(EXAMPLES, 'POSCAR_0055'), 'utf8').split('\n');
  poscar[9] = poscar[8]; // the second atom written twice
  assert.throws(() => parseStructures(poscar.join('\n'), 'POSCAR_dup'), /POSCAR_dup: atoms 1 and 2 \(counting from 1\) are 0\.000 Å apart/);
  // 0.4 Å apart is still refused; 0.74 Å (H₂'s bond) is a structure
  const pair = (d: number) => writeExtxyz([new Atoms({ positions: [5, 5, 5, 5 + d, 5, 5], symbols: ['H', 'H'], cell: [10, 0, 0, 0, 10, 0, 0, 0, 10], pbc: [true, true, true] })]);
  assert.throws(() => parseStructures(pair(0.4), 'h2.xyz'), /0\.400 Å apart/);
  assert.equal(parseStructures(pair(0.74), 'h2.xyz')[0].length, 2);
});

test('every shipped example and structure fixture (H, B, N, C₆₀, diamond, tiny cells) passes the check', () => {
  const files = [
    ...readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR')).map((f) => join(EXAMPLES, f)),
    ...readdirSync(join(FIXTURES, 'foreign')).map((f) => join(FIXTURES, 'foreign', f)),
    ...['POSCAR_ase', 'cart.vasp', 'frames.extxyz', 'atomic.data', 'charge.data'].map((f) => join(FIXTURES, 'ase', f)),
  ];
  // ASE writes LAMMPS data types in specorder, without element comments
  for (const file of files) assert.ok(readStructures(file, file.endsWith('.data') ? { species: ['B', 'C', 'H', 'N'] } : {}).length >= 1, file);
});
