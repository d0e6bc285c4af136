import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { lammpsVersion } from '../../../src/engines/lammps/run.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { FIXTURES, ROOT, random } from '../../helpers.js';

export const TERSOFF_FIXTURES = join(FIXTURES, 'tersoff');
export const POTENTIALS = join(ROOT, 'potentials');
/** Debian's lammps package ships these; they are the LAMMPS-side references. */
export const LAMMPS_POTENTIALS = '/usr/share/lammps/potentials';

/** Skip reason when LAMMPS is missing outside CI; in CI a missing LAMMPS fails the test instead. */
export function lammpsSkip(): string | false {
  if (lammpsVersion() !== undefined && existsSync(LAMMPS_POTENTIALS)) return false;
  if (process.env.CI) return false;
  return 'lmp (Debian package lammps) is not installed';
}

/** Public AMC fixtures: a flat (c = 10 Å) and a buckled (c = 20 Å) structure. */
export function amc(name: 'flat' | 'buckled' | 'flat252'): Atoms {
  const file = { flat: 'POSCAR_3069', buckled: 'POSCAR_1110', flat252: 'POSCAR_3983' }[name];
  return readStructure(join(TERSOFF_FIXTURES, file), { format: 'vasp' });
}

/**
 * Random atoms in a (possibly triclinic) periodic cell, no two closer than `minDistance` Å (checked
 * over the 27 nearest images), species cycling through `symbols`.
 */
export function randomCell(cell: number[], count: number, symbols: string[], seed: number, minDistance = 1.25): Atoms {
  const rand = random(seed);
  const positions: number[] = [];
  let tries = 0;
  while (positions.length < 3 * count) {
    if (++tries > 100000) throw new Error('randomCell: cannot place atoms; lower the count or minDistance');
    const f = [rand(), rand(), rand()];
    const p = [0, 1, 2].map((d) => f[0] * cell[d] + f[1] * cell[3 + d] + f[2] * cell[6 + d]);
    let ok = true;
    for (let k = 0; k < positions.length && ok; k += 3) {
      for (let s0 = -1; s0 <= 1 && ok; s0++)
        for (let s1 = -1; s1 <= 1 && ok; s1++)
          for (let s2 = -1; s2 <= 1 && ok; s2++) {
            const d = [0, 1, 2].map((c) => positions[k + c] + s0 * cell[c] + s1 * cell[3 + c] + s2 * cell[6 + c] - p[c]);
            if (Math.hypot(d[0], d[1], d[2]) < minDistance) ok = false;
          }
    }
    if (ok) positions.push(...p);
  }
  return new Atoms({
    positions,
    symbols: Array.from({ length: count }, (_, i) => symbols[i % symbols.length]),
    cell,
    pbc: [true, true, true],
  });
}

/** |a − b| ≤ rel·|b| + abs for every element, with the worst offender in the message. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs: number, what: string): { maxAbs: number } {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  let maxAbs = 0;
  for (let k = 0; k < actual.length; k++) {
    const d = Math.abs(actual[k] - expected[k]);
    maxAbs = Math.max(maxAbs, d);
    assert.ok(d <= rel * Math.abs(expected[k]) + abs, `${what}[${k}]: ${actual[k]} vs ${expected[k]} (|Δ| = ${d})`);
  }
  return { maxAbs };
}

/** Rz · Ry · Rx, row-major: a general rotation for cells turned out of LAMMPS' frame. */
export function rotation(ax: number, ay: number, az: number): number[] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  return [
    cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
    sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
    -sy, cy * sx, cy * cx,
  ]; // prettier-ignore
}

/** Each row v (3 numbers) → R v. */
export function applyRows(r: number[], rows: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < rows.length; k += 3) {
    for (let d = 0; d < 3; d++) out.push(r[3 * d] * rows[k] + r[3 * d + 1] * rows[k + 1] + r[3 * d + 2] * rows[k + 2]);
  }
  return out;
}
