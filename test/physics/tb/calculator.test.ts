import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { readStructure } from '../../../src/structure/io/formats.js';
import { TightBindingCalculator, KpmTightBindingCalculator } from '../../../src/physics/tb/calculator.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { EPSILON0_F_M, HBAR_EVS } from '../../../src/physics/tb/kubo.js';
import { EL_DOS_ENERGIES_EV } from '../../../src/data/labels.js';
import { CLI, FIXTURES, run, tempDir } from '../../helpers.js';

const file = join(FIXTURES, 'tb', 'POSCAR_2002');
const atoms = readStructure(file);

test('TightBindingCalculator: el-DoS on the label grid, σ in S/m, sheet = σ·c, label = σ/(ε₀ω₁); provenance names mesh and broadening', async () => {
  const calc = new TightBindingCalculator({ mesh: [2, 2, 1] });
  const r = await calc.calculate(atoms, ['el_dos', 'sigma_S_m', 'sheet_conductance_S', 'sigma_label']);
  assert.deepEqual(Array.from(r.properties.el_dos!.energy_eV), Array.from(EL_DOS_ENERGIES_EV));
  const s = r.properties.sigma_S_m!;
  const c_m = 10e-10; // this flat cell has c = 10 Å
  assert.ok(Math.abs(r.properties.sheet_conductance_S!.xx - s.xx * c_m) < 1e-12 * s.xx);
  const omega = 0.0169 / HBAR_EVS;
  assert.ok(Math.abs(r.properties.sigma_label!.yy - s.yy / (EPSILON0_F_M * omega)) < 1e-9 * r.properties.sigma_label!.yy);
  assert.ok(Math.abs(EPSILON0_F_M * omega - 227.4) < 0.2, 'ε₀ω₁ ≈ 227.4 S/m (data.md)');
  const settings = r.provenance.settings as { kpoints: { mesh: number[] }; kubo: { eta_eV: number } };
  assert.deepEqual(settings.kpoints.mesh, [2, 2, 1]);
  assert.equal(settings.kubo.eta_eV, 0.1);
  // same numbers as the library function
  const direct = tightBindingExact(atoms, { mesh: [2, 2, 1], conductivity: true });
  assert.equal(s.xx, direct.conductivity!.optical_S_m[0]);
  await assert.rejects(calc.calculate(atoms, ['energy_eV']), /does not compute energy_eV/);
});

test('KPM calculator on a replicated cell: el-DoS within stochastic error of exact diagonalisation on the matching k-mesh', async () => {
  const kpm = new KpmTightBindingCalculator({ minAtoms: 3000, randomVectors: 4, seed: 5 });
  const r = await kpm.calculate(atoms, ['el_dos']);
  const settings = r.provenance.settings as { kpm: { repeat: number[] } };
  const [r0, r1] = settings.kpm.repeat;
  const exact = tightBindingExact(atoms, { mesh: [r0, r1, 1] });
  const fermi = r.extra!.fermi_eV as number;
  // compare on absolute energies (E_F of a stochastic count is noisy inside gaps)
  const shifted = tightBindingExact(atoms, { mesh: [r0, r1, 1], grid_eV: Array.from(EL_DOS_ENERGIES_EV, (e) => e + fermi - exact.fermi_eV) });
  const worst = Math.max(...Array.from(r.properties.el_dos!.dos, (v, k) => Math.abs(v - shifted.el_dos.dos[k])));
  assert.ok(worst < 0.04, `max |Δ| ${worst}`);
});

test('CLI: label el-dos and sigma print the JSON rows; a bad file is reported and the others go on; gpaw is refused in words', () => {
  const dir = tempDir();
  const bad = join(dir, 'POSCAR_bad');
  writeFileSync(bad, 'not a poscar\n');
  const r = run(process.execPath, [CLI, 'label', 'el-dos', file, bad, '--json']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /POSCAR_bad/);
  const rows = JSON.parse(r.stdout) as Array<{ input: string; engine: string; el_dos: { energy_eV: number[]; dos: number[] } }>;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].engine, 'tb');
  assert.equal(rows[0].el_dos.dos.length, 81);
  assert.equal(rows[0].el_dos.energy_eV[0], -2);
  const s = run(process.execPath, [CLI, 'label', 'sigma', file, '--json', '--mesh', '1,1,1']);
  assert.equal(s.status, 0, s.stderr);
  const row = (JSON.parse(s.stdout) as Array<Record<string, { xx: number; yy: number } | number>>)[0];
  const direct = tightBindingExact(atoms, { mesh: [1, 1, 1], conductivity: true }).conductivity!;
  assert.ok(Math.abs((row.sigma_S_m as { xx: number }).xx - direct.optical_S_m[0]) < 1e-9 * direct.optical_S_m[0]);
  assert.ok((row.sheet_conductance_S as { yy: number }).yy > 0);
  assert.equal(row.broadening_eV, 0.1);
  const g = run(process.execPath, [CLI, 'label', 'sigma', file, '--engine', 'gpaw']);
  assert.notEqual(g.status, 0);
  assert.match(g.stderr, /engine "gpaw" does not compute sigma \(engines for sigma: tb, tb-kpm\)/); // GPAW gives el-DoS only
});
