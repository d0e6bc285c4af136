import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { FIXTURES, maxAbsDiff } from '../../helpers.js';

const cell = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));

test('a 2×2 repeat at Γ has the unit cell’s DoS, E_F and σ on the Γ-centred 2×2 mesh (1e−9)', () => {
  const unit = tightBindingExact(cell, { mesh: [2, 2, 1], conductivity: true });
  const big = tightBindingExact(cell.repeat(2, 2, 1), { mesh: [1, 1, 1], conductivity: true });
  assert.ok(Math.abs(unit.fermi_eV - big.fermi_eV) < 1e-9, `E_F ${unit.fermi_eV} vs ${big.fermi_eV}`);
  assert.ok(maxAbsDiff(unit.el_dos.dos, big.el_dos.dos) < 1e-9);
  const a = unit.conductivity!;
  const b = big.conductivity!;
  for (const key of ['optical_S_m', 'dc_S_m', 'dcGaussian_S_m', 'label'] as const) {
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(a[key][i] - b[key][i]) < 1e-8 * Math.abs(a[key][i]), `${key}[${i}] ${a[key][i]} vs ${b[key][i]}`);
  }
});

test('a 2×2 repeat on a shifted 2×2 mesh equals the unit cell on the shifted 4×4 mesh', () => {
  const unit = tightBindingExact(cell, { mesh: [4, 4, 1], gammaCentred: false });
  const big = tightBindingExact(cell.repeat(2, 2, 1), { mesh: [2, 2, 1], gammaCentred: false });
  assert.ok(maxAbsDiff(unit.el_dos.dos, big.el_dos.dos) < 1e-9);
});

test('gauge: translating the structure (and wrapping nothing) changes neither DoS nor σ', () => {
  const moved = new Atoms({
    positions: cell.positions.map((x, k) => x + [0.37, -1.21, 0.53][k % 3]),
    numbers: cell.numbers,
    cell: cell.cell,
    pbc: cell.pbc,
  });
  const options = { mesh: [3, 2, 1] as [number, number, number], conductivity: true };
  const a = tightBindingExact(cell, options);
  const b = tightBindingExact(moved, options);
  assert.ok(maxAbsDiff(a.el_dos.dos, b.el_dos.dos) < 1e-10);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(a.conductivity!.optical_S_m[i] - b.conductivity!.optical_S_m[i]) < 1e-9 * a.conductivity!.optical_S_m[i]);
  }
});

test('E_F convention: mid-gap for a count that ends at a gap, the level itself when it ends inside one', async () => {
  const { fermiLevel } = await import('../../../src/physics/tb/spectra.js');
  const levels = { energies_eV: Float64Array.from([-2, -1, 1, 3]), weights: Float64Array.from([1, 1, 1, 1]) };
  assert.equal(fermiLevel(levels, 4), 0);
  assert.equal(fermiLevel(levels, 3), -1);
  const degenerate = { energies_eV: Float64Array.from([-1, 0.5, 0.5, 2]), weights: Float64Array.from([1, 1, 1, 1]) };
  assert.equal(fermiLevel(degenerate, 4), 0.5);
});
