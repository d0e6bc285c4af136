import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GpawCalculator, gpawScript } from '../../src/engines/gpaw/gpaw.js';
import { labelKind } from '../../src/calculators/registry.js';
import { EL_DOS_ENERGIES_EV } from '../../src/data/labels.js';
import { Atoms } from '../../src/structure/atoms.js';
import { CLI, maxAbsDiff, python, run, tempDir } from '../helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';

const py = python(['gpaw', 'ase']);
const skip = py === undefined && !process.env.CI ? 'GPAW (python3-gpaw, gpaw-data) is not installed' : false;

/** Graphene's 2-atom primitive cell, 10 Å of vacuum, a = 2.46 Å. */
function graphene(): Atoms {
  const a = 2.46;
  return new Atoms({
    symbols: ['C', 'C'],
    positions: [0, 0, 5, a / 2, a / (2 * Math.sqrt(3)), 5],
    cell: [a, 0, 0, -a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10],
    pbc: [true, true, true],
  });
}

test('GPAW LCAO on graphene: the el-DoS label equals ASE\'s DOS of the same run, and has graphene\'s Dirac point', { skip, timeout: 120_000 }, async () => {
  const dir = tempDir();
  const atoms = graphene();
  // 14 × 14 avoids the K point (14 is not a multiple of 3): no level sits exactly at E_F
  const started = Date.now();
  const result = await new GpawCalculator({ kpoints: [14, 14, 1], workDir: dir, dosSmearing_eV: 0 }).calculate(atoms, ['energy_eV', 'el_dos']);
  const seconds = (Date.now() - started) / 1000;
  const dos = result.properties.el_dos!.dos;
  assert.equal(dos.length, 81);
  assert.deepEqual(Array.from(result.properties.el_dos!.energy_eV), Array.from(EL_DOS_ENERGIES_EV));
  assert.equal(result.provenance.engine, 'gpaw');
  assert.match(String(result.provenance.version), /^\d+\.\d+/);
  assert.deepEqual(result.provenance.settings.kpoints, [14, 14, 1]);
  assert.equal(result.provenance.settings.basis, 'dzp');
  assert.ok(Number.isFinite(result.properties.energy_eV));

  // independent: ASE's DOS object on the saved calculator; its Gaussian exp(-(x/w)²)/(√π w) has w = √2 σ
  const script = `
import json, sys, numpy as np
from gpaw import GPAW
from ase.dft.dos import DOS
calc = GPAW(sys.argv[1] + '/gpaw.gpw', txt=None)
atoms = calc.get_atoms()
d = DOS(calc, width=0.05 * np.sqrt(2), window=(-2, 2), npts=81)
# with the public DOSCARs' smearing (0.2 eV in VASP's convention = ASE's width) folded in
s = DOS(calc, width=np.hypot(0.05 * np.sqrt(2), 0.2), window=(-2, 2), npts=81)
print(json.dumps(dict(dos=(d.get_dos() / len(atoms)).tolist(), energies=d.get_energies().tolist(), smeared=(s.get_dos() / len(atoms)).tolist(),
                      positions=atoms.positions.ravel().tolist(), cell=atoms.cell.array.ravel().tolist(),
                      energy=atoms.get_potential_energy())))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, dir]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { dos: number[]; smeared: number[]; energies: number[]; positions: number[]; cell: number[]; energy: number };
  assert.ok(maxAbsDiff(ase.energies, EL_DOS_ENERGIES_EV) < 1e-12);
  const diff = maxAbsDiff(dos, ase.dos);
  assert.ok(diff < 1e-9, `el-DoS vs ASE DOS: max |Δ| ${diff}`);
  // the script carried the structure exactly
  assert.ok(maxAbsDiff(ase.positions, atoms.positions) < 1e-12);
  assert.ok(maxAbsDiff(ase.cell, atoms.cell) < 1e-12);
  assert.ok(Math.abs(ase.energy - result.properties.energy_eV!) < 1e-9);
  assert.equal(result.extra?.reused, false);
  // resume: the same structure and settings in the same folder are read back, not run again
  // (the DoS smearing is not part of the run: the default, the public DOSCARs' 0.2/√2 eV, reuses it)
  const again = await new GpawCalculator({ kpoints: [14, 14, 1], workDir: dir }).calculate(atoms, ['el_dos']);
  assert.equal(again.extra?.reused, true);
  assert.equal(again.provenance.settings.dos_smearing_eV, 0.2 / Math.SQRT2);
  const smearedDiff = maxAbsDiff(again.properties.el_dos!.dos, ase.smeared);
  assert.ok(smearedDiff < 1e-9, `smeared el-DoS vs ASE DOS: max |Δ| ${smearedDiff}`);

  // physics: the DoS vanishes at the Dirac point and grows away from it, symmetric near E_F
  let atFermi = 0;
  let away = 0;
  let awayCount = 0;
  let asymmetry = 0;
  for (let m = 0; m < 81; m++) {
    const e = EL_DOS_ENERGIES_EV[m];
    if (Math.abs(e) <= 0.2 + 1e-9) atFermi = Math.max(atFermi, dos[m]);
    if (Math.abs(e) >= 1.5 - 1e-9) {
      away += dos[m];
      awayCount++;
    }
    if (Math.abs(e) <= 0.9 + 1e-9) asymmetry = Math.max(asymmetry, Math.abs(dos[m] - dos[80 - m]));
  }
  away /= awayCount;
  console.log(`GPAW graphene 14×14×1: ${seconds.toFixed(1)} s, max DoS |E| ≤ 0.2 eV ${atFermi.toExponential(2)}, mean DoS 1.5 ≤ |E| ≤ 2 eV ${away.toFixed(3)}, max |dos(E) − dos(−E)| (|E| ≤ 0.9 eV) ${asymmetry.toFixed(4)} /eV/atom`);
  assert.ok(atFermi < 0.01, `DoS near E_F ${atFermi}`);
  assert.ok(away > 0.1, `mean DoS 1.5–2 eV away from E_F ${away}`);
  assert.ok(away > 20 * atFermi);
  assert.ok(asymmetry < 0.02, `particle–hole asymmetry ${asymmetry}`);
});

/** h-BN's 2-atom primitive cell, a = 2.504 Å (bulk h-BN), 10 Å of vacuum. */
function hBN(): Atoms {
  const a = 2.504;
  return new Atoms({ symbols: ['B', 'N'], positions: [0, 0, 5, a / 2, a / (2 * Math.sqrt(3)), 5], cell: [a, 0, 0, -a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10], pbc: [true, true, true] });
}

test('GPAW el-DoS with material boron-nitride: the material\'s [−8, 8] eV window, equal to ASE\'s DOS of the run; h-BN\'s PBE gap (≈ 4.6 eV) is empty', { skip, timeout: 180_000 }, async () => {
  const dir = tempDir();
  const engine = labelKind('el-dos').engines.get('gpaw')!;
  const calc = engine.create(engine.settings.parse({ material: 'bn', mesh: [12, 12, 1] }), { workDir: dir });
  const result = await calc.calculate(hBN(), ['el_dos']);
  const { energy_eV, dos } = result.properties.el_dos!;
  assert.equal(energy_eV.length, 321);
  assert.ok(Math.abs(energy_eV[0] + 8) < 1e-12 && Math.abs(energy_eV[320] - 8) < 1e-12);
  assert.deepEqual(result.provenance.settings.el_dos_grid_eV, { min: -8, max: 8, points: 321 });
  assert.equal(result.provenance.settings.dos_smearing_eV, 0);
  // independent: ASE's DOS on the saved run at the material's σ (no DOSCAR smearing: that is carbon's contract)
  const script = `
import json, sys, numpy as np
from gpaw import GPAW
from ase.dft.dos import DOS
calc = GPAW(sys.argv[1] + '/gpaw.gpw', txt=None)
s = DOS(calc, width=0.05 * np.sqrt(2), window=(-8, 8), npts=321)
print(json.dumps(dict(dos=(s.get_dos() / 2).tolist(), energies=s.get_energies().tolist())))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, dir]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { dos: number[]; energies: number[] };
  assert.ok(maxAbsDiff(ase.energies, energy_eV) < 1e-12);
  assert.ok(maxAbsDiff(ase.dos, dos) < 1e-9, `el-DoS vs ASE DOS: max |Δ| ${maxAbsDiff(ase.dos, dos)}`);
  // physics: PBE puts monolayer h-BN's gap near 4.6 eV (Haastrup et al., 2D Mater. 5, 042002 (2018),
  // C2DB); the smeared edges (σ = 0.05 eV, 12 × 12 k-points) close it by a little at a 0.01 /eV/atom threshold
  const filled = energy_eV.filter((e, m) => e < 0 && dos[m] > 0.01);
  const empty = energy_eV.filter((e, m) => e > 0 && dos[m] > 0.01);
  const gap = Math.min(...empty) - Math.max(...filled);
  console.log(`GPAW h-BN 12×12×1: DoS gap at 0.01 /eV/atom ${gap.toFixed(2)} eV`);
  assert.ok(gap > 3.8 && gap < 5.0, `h-BN gap ${gap} eV`);
});

test('GPAW script: refuses bad settings before running anything', () => {
  assert.throws(() => gpawScript(graphene(), { kpoints: [0, 1, 1] }), /k-points/);
  assert.throws(() => gpawScript(graphene(), { basis: "dzp'); import os; ('" }), /basis/);
  assert.throws(() => gpawScript(graphene(), { smearing_eV: -1 }), /smearing/);
  assert.match(gpawScript(graphene(), { kpoints: [3, 3, 1] }), /'size': \(3, 3, 1\)/);
});

test('GpawCalculator refuses properties it does not compute', async () => {
  await assert.rejects(new GpawCalculator().calculate(graphene(), ['sigma_label']), /does not compute sigma_label/);
});

test('dft gpaw then dft read: one folder per structure, reused on a rerun, read back as GPAW labels', { skip, timeout: 120_000 }, () => {
  const dir = tempDir();
  const input = join(dir, 'graphene.extxyz');
  writeFileSync(input, writeExtxyz(graphene()));
  let r = run(process.execPath, [CLI, 'dft', 'gpaw', input, '--out', join(dir, 'runs'), '--kpoints', '4,4,1']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /graphene {2}\(2 atoms, [\d.]+ s\)/);
  r = run(process.execPath, [CLI, 'dft', 'gpaw', input, '--out', join(dir, 'runs'), '--kpoints', '4,4,1']);
  assert.match(r.stdout, /graphene {2}\(2 atoms, reused\)/);
  r = run(process.execPath, [CLI, 'dft', 'read', join(dir, 'runs'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const [label] = JSON.parse(r.stdout) as Array<{ engine: string; el_dos: { dos: number[] }; energy_eV: number }>;
  assert.equal(label.engine, 'gpaw');
  assert.equal(label.el_dos.dos.length, 81);
  assert.ok(Number.isFinite(label.energy_eV));
});
