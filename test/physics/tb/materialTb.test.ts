import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { materialByName, materialTightBinding } from '../../../src/materials/material.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { writePoscar } from '../../../src/structure/io/poscar.js';
import { CLI, EXAMPLES, graphene, run, tempDir } from '../../helpers.js';

/** h-BN on graphene()'s rectangular cell (its four-atom base is a bonded chain: B and N alternate), at the π model's own bond. */
function hbn(nx: number, ny: number): Atoms {
  const bond = materialTightBinding(materialByName('bn')).parameters.a0_A;
  const g = graphene(nx, ny, bond, 5);
  return new Atoms({ positions: g.positions, numbers: Array.from({ length: g.length }, (_, k) => (k % 2 === 0 ? 5 : 7)), cell: g.cell, pbc: g.pbc });
}

test("h-BN in the boron-nitride material's π model: E_F mid-gap and the gap 2Δ = 7.25 eV, reached at K", () => {
  const tb = materialTightBinding(materialByName('boron-nitride'));
  const delta = tb.parameters.onsite_eV.B; // ε_B = −ε_N = Δ
  assert.equal(tb.parameters.onsite_eV.N, -delta);
  // 6 cells of √3·d along x fold K onto Γ of the supercell, so the Γ-centred mesh holds the band edge
  const r = tightBindingExact(hbn(6, 3), { parameters: tb.parameters, grid_eV: tb.grid_eV, dosSigma_eV: tb.dosSigma_eV, mesh: [2, 2, 1] });
  assert.ok(Math.abs(r.fermi_eV) < 1e-9, `E_F ${r.fermi_eV}`);
  const gapEdge = Math.min(...Array.from(r.levels.energies_eV, (e) => Math.abs(e - r.fermi_eV)));
  // E(k) = ±√(Δ² + |t f(k)|²): nothing inside ±Δ, and exactly Δ where f(K) = 0
  assert.ok(Math.abs(gapEdge - delta) < 1e-9, `band edge ${gapEdge} eV, Δ ${delta}`);
  // the el-DoS on the material's window: 321 points over [−8, 8] eV, empty inside the gap
  assert.equal(r.el_dos.energy_eV.length, 321);
  assert.equal(r.el_dos.energy_eV[0], -8);
  assert.equal(r.el_dos.energy_eV[320], 8);
  r.el_dos.energy_eV.forEach((e, k) => {
    if (Math.abs(e) < delta - 8 * tb.dosSigma_eV) assert.ok(r.el_dos.dos[k] < 1e-12, `dos(${e}) = ${r.el_dos.dos[k]}`);
  });
  // and states right at the edge (the grid point nearest Δ, half a σ from it)
  const edge = Array.from(r.el_dos.energy_eV).reduce((best, e, k, all) => (Math.abs(e - delta) < Math.abs(all[best] - delta) ? k : best), 0);
  assert.ok(r.el_dos.dos[edge] > 0.01, `dos(${r.el_dos.energy_eV[edge]}) = ${r.el_dos.dos[edge]}`);
});

test('label el-dos|sigma --material: boron nitride gets its model and window; --material carbon changes nothing', () => {
  const dir = tempDir();
  const file = join(dir, 'POSCAR_hbn');
  writeFileSync(file, writePoscar(hbn(3, 2)));
  const bn = run(process.execPath, [CLI, 'label', 'el-dos', file, '--material', 'bn', '--json']);
  assert.equal(bn.status, 0, bn.stderr);
  const [record] = JSON.parse(bn.stdout) as Array<{ el_dos: { energy_eV: number[]; dos: number[] }; provenance: { settings: { model: { onsite_eV: Record<string, number> }; dos: { energies_eV: { first: number; last: number; count: number } } } } }>;
  assert.equal(record.el_dos.energy_eV.length, 321);
  assert.deepEqual(record.provenance.settings.model.onsite_eV, { B: 3.625, N: -3.625 });
  assert.deepEqual(record.provenance.settings.dos.energies_eV, { first: -8, last: 8, count: 321 });
  // without the material the carbon model refuses boron, naming the way out
  const plain = run(process.execPath, [CLI, 'label', 'el-dos', file]);
  assert.notEqual(plain.status, 0);
  assert.match(plain.stderr, /atom 1 is B: the π tight-binding models are for carbon only unless onsite_eV gives the element's on-site energy/);
  const sigma = run(process.execPath, [CLI, 'label', 'sigma', file, '--material', 'boron-nitride', '--json']);
  assert.equal(sigma.status, 0, sigma.stderr);
  const example = join(EXAMPLES, 'POSCAR_0002');
  const a = run(process.execPath, [CLI, 'label', 'el-dos', example, '--json']);
  const b = run(process.execPath, [CLI, 'label', 'el-dos', example, '--material', 'carbon', '--json']);
  const dos = (out: string) => (JSON.parse(out) as Array<{ el_dos: unknown }>)[0].el_dos;
  assert.deepEqual(dos(b.stdout), dos(a.stdout));
  // an unknown material is refused before any engine runs, GPAW's included
  const gpaw = run(process.execPath, [CLI, 'label', 'el-dos', example, '--engine', 'gpaw', '--material', 'silicon']);
  assert.equal(gpaw.status, 2);
  assert.match(gpaw.stderr, /material "?silicon"?.*unknown|unknown.*silicon/);
});
