import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDoscar, parseSigma } from '../../src/data/labels.js';
import { elDosFromDoscar, FileLabelCalculator } from '../../src/engines/vasp/files.js';
import { writeVaspInputs } from '../../src/engines/vasp/inputs.js';
import { elDosFromVasprun, parseVasprun, sigmaFromDielectric, type Vasprun } from '../../src/engines/vasp/vasprun.js';
import { elDosFromLevels } from '../../src/engines/dft.js';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { FIXTURES, maxAbsDiff, python, run, tempDir } from '../helpers.js';

const DIR = join(FIXTURES, 'dft');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const py = python(['ase', 'numpy']);
const skipAse = py === undefined && !process.env.CI ? 'python3-ase is not installed' : false;

// CODATA 2018, written out here rather than imported: σ = ε₀ ω₁ ε₂
const sPerLabel = (hbarOmega_eV: number): number => (8.8541878128e-12 * hbarOmega_eV) / 6.582119569e-16;

test('vasprun.xml as VASP 5.4.4 wrote it: Fermi level, k-point weights and eigenvalues equal ASE\'s reader', { skip: skipAse }, () => {
  const v = parseVasprun(read('vasprun-lammps.xml'), 'vasprun-lammps.xml');
  assert.equal(v.atoms, 4);
  assert.match(String(v.version), /^5\.4\.4/);
  const script = `
import json, sys
from ase.io import read
a = read(sys.argv[1], format='vasp-xml', index=-1)
c = a.calc
w = c.get_k_point_weights()
print(json.dumps(dict(fermi=c.get_fermi_level(), weights=list(map(float, w)), nspins=c.get_number_of_spins(),
     eig=[float(x) for k in range(len(w)) for x in c.get_eigenvalues(kpt=k, spin=0)])))`;
  const r = run(py ?? '/usr/bin/python3', ['-c', script, join(DIR, 'vasprun-lammps.xml')]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { fermi: number; weights: number[]; nspins: number; eig: number[] };
  const levels = v.levels!;
  assert.equal(levels.nspins, ase.nspins);
  assert.equal(v.fermi_eV, ase.fermi);
  const total = ase.weights.reduce((a, b) => a + b, 0);
  assert.ok(maxAbsDiff(levels.weights, ase.weights.map((w) => w / total)) < 1e-15);
  assert.deepEqual(Array.from(levels.eigenvalues_eV), ase.eig);
  // the label from these levels: finite, non-negative, on 81 points
  const dos = elDosFromLevels(levels, v.atoms).dos;
  assert.equal(dos.length, 81);
  assert.ok(dos.every((d) => d >= 0 && Number.isFinite(d)));
});

test('vasprun.xml optics: σ label from the second (current-current) ε₂ block equals the imag file\'s; el-DoS equals the DOSCAR label', () => {
  const v = parseVasprun(read('vasprun-optics.xml'), 'vasprun-optics.xml');
  assert.equal(v.dielectric.length, 2);
  const s = sigmaFromDielectric(v);
  const fromImag = parseSigma(read('imag_3069.dat'), 'imag_3069.dat')!;
  assert.deepEqual(s.label, fromImag);
  assert.equal(s.interpolated, false);
  assert.equal(s.hbarOmega_eV, 0.0198); // this file's grid: ħω₁ is not 0.0169 eV in every public file
  assert.match(s.block, /second unlabelled/);
  // same DoS rows, printed to 4 decimals in vasprun.xml vs 4 significant digits in DOSCAR
  const viaVasprun = elDosFromVasprun(v).dos;
  const viaDoscar = parseDoscar(read('DOSCAR_3069'), 'DOSCAR_3069');
  const diff = maxAbsDiff(viaVasprun, viaDoscar);
  console.log(`el-DoS from vasprun.xml vs DOSCAR: max |Δ| ${diff.toExponential(2)} /eV/atom (label max ${Math.max(...viaDoscar).toFixed(3)})`);
  assert.ok(diff < 2e-3, `max |Δ| ${diff}`);
});

test('VASP ≥ 6 names the blocks: the current-current one is taken, wherever it sits', () => {
  const text = read('vasprun-optics.xml');
  let seen = 0;
  const named = text.replace(/<dielectricfunction>/g, () => (seen++ === 0 ? '<dielectricfunction comment="current-current">' : '<dielectricfunction comment="density-density">'));
  const s = sigmaFromDielectric(parseVasprun(named));
  const blocks = parseVasprun(text).dielectric;
  assert.equal(s.block, 'current-current');
  assert.deepEqual(s.label, { xx: blocks[0].components.xx[1], yy: blocks[0].components.yy[1] });
  const one = text.slice(0, text.indexOf('<dielectricfunction>')) + text.slice(text.lastIndexOf('<dielectricfunction>'));
  assert.throws(() => sigmaFromDielectric(parseVasprun(one)), /no current-current dielectric function/);
});

test('σ at a fixed ħω: interpolated through ω·ε₂, exact for ε₂ = C/ω and for ω·ε₂ linear in ω', () => {
  const grid = Float64Array.from({ length: 30 }, (_, k) => 0.025 * k);
  const make = (f: (w: number) => number): Vasprun => {
    const xx = Float64Array.from(grid, (w, k) => f(k === 0 ? grid[1] : w)); // VASP repeats row 2 at ω = 0
    const block = { comment: 'current-current', line: 1, energy_eV: grid, components: { xx, yy: Float64Array.from(xx, (x) => 2 * x) } };
    return { version: undefined, atoms: 1, fermi_eV: 0, levels: undefined, dos: undefined, dielectric: [block] };
  };
  const row2 = sigmaFromDielectric(make((w) => 3.7 / w));
  assert.deepEqual(row2.label, { xx: 3.7 / 0.025, yy: (2 * 3.7) / 0.025 });
  assert.equal(row2.interpolated, false);
  for (const at of [0.0169, 0.04, 0.0613]) {
    const drude = sigmaFromDielectric(make((w) => 3.7 / w), 'x', at);
    assert.equal(drude.interpolated, true);
    assert.ok(Math.abs(drude.label.xx - 3.7 / at) < 1e-12 * (3.7 / at));
    assert.ok(Math.abs(drude.label.yy - (2 * 3.7) / at) < 1e-12 * ((2 * 3.7) / at));
    const linear = sigmaFromDielectric(make((w) => (1.5 + 4 * w) / w), 'x', at);
    assert.ok(Math.abs(linear.label.xx - (1.5 + 4 * at) / at) < 1e-12 * linear.label.xx);
  }
  assert.throws(() => sigmaFromDielectric(make((w) => 1 / w), 'x', 5), /grid ends at/);
});

test('FileLabelCalculator on the public layout: DOSCAR and imag give the labels, σ in S/m and the sheet conductance', async () => {
  const atoms = readPoscar(read('POSCAR_3069'), 'POSCAR_3069');
  const calc = new FileLabelCalculator({ doscar: join(DIR, 'DOSCAR_3069'), imag: join(DIR, 'imag_3069.dat') });
  const r = await calc.calculate(atoms, ['el_dos', 'sigma_label', 'sigma_S_m', 'sheet_conductance_S']);
  assert.deepEqual(Array.from(r.properties.el_dos!.dos), Array.from(parseDoscar(read('DOSCAR_3069'))));
  // data.md: σ is row 2 of the second block (line 2016 of the public files)
  const line2016 = read('imag_3069.dat').split('\n')[2015].trim().split(/\s+/).map(Number);
  assert.deepEqual(r.properties.sigma_label, { xx: line2016[1], yy: line2016[2] });
  // σ = ε₀·ω₁·ε₂ at this file's ħω₁ (0.0198 eV)
  assert.ok(Math.abs(r.properties.sigma_S_m!.xx - sPerLabel(line2016[0]) * line2016[1]) < 1e-12 * r.properties.sigma_S_m!.xx);
  // flat quench cell: c = 10 Å
  assert.ok(Math.abs(r.properties.sheet_conductance_S!.yy - sPerLabel(line2016[0]) * line2016[2] * 10e-10) < 1e-12 * r.properties.sheet_conductance_S!.yy);
  assert.equal(r.provenance.engine, 'vasp-files');
  assert.equal(r.provenance.settings.sigma_hbar_omega_eV, line2016[0]);
  // read at data.md's 0.0169 eV instead: ε₂ ∝ 1/ω there, so σ in S/m stays within 0.5 %
  const fixed = await new FileLabelCalculator({ imag: join(DIR, 'imag_3069.dat') }, { sigmaAt: 0.0169 }).calculate(atoms, ['sigma_label', 'sigma_S_m']);
  assert.ok(fixed.properties.sigma_label!.xx > line2016[1]);
  assert.ok(Math.abs(fixed.properties.sigma_S_m!.xx / r.properties.sigma_S_m!.xx - 1) < 5e-3);

  // an empty imag file means σ is missing, not zero
  const dir = tempDir();
  copyFileSync(join(DIR, 'DOSCAR_3069'), join(dir, 'DOSCAR'));
  writeFileSync(join(dir, 'imag.dat'), '');
  const empty = await new FileLabelCalculator(dir).calculate(atoms, ['el_dos', 'sigma_label']);
  assert.equal(empty.properties.sigma_label, undefined);
  assert.match(String(empty.extra?.missing), /empty/);

  // the DOSCAR must be for this structure
  await assert.rejects(calc.calculate(atoms.repeat(2, 1, 1), ['el_dos']), /for 88 atoms, the structure has 176/);
  assert.throws(() => new FileLabelCalculator(tempDir()), /no DOSCAR, imag or vasprun.xml/);
});

test('VASP inputs: LOPTICS DOS run settings, and ASE reads the POSCAR back to the same structure', { skip: skipAse }, () => {
  const atoms = readPoscar(read('POSCAR_3069'), 'POSCAR_3069');
  const inputs = writeVaspInputs(atoms);
  const incar = inputs.files.INCAR;
  const value = (key: string): string | undefined => new RegExp(`^${key}\\s*=\\s*([^#\\s]+)`, 'm').exec(incar)?.[1];
  assert.equal(value('LOPTICS'), '.TRUE.');
  assert.equal(value('NEDOS'), '2000');
  assert.equal(value('ISMEAR'), '0');
  assert.equal(value('SIGMA'), '0.2');
  assert.equal(Number(value('NBANDS')), 4 * 88); // NELECT of 88 C atoms: twice the occupied 176 bands
  assert.ok(!('POTCAR' in inputs.files));
  assert.match(inputs.files['README.md'], /No POTCAR is written/);
  assert.deepEqual(inputs.files.KPOINTS.split('\n').slice(2, 4), ['Gamma', '2 2 1']);
  const dir = tempDir();
  writeFileSync(join(dir, 'POSCAR'), inputs.files.POSCAR);
  const r = run(py ?? '/usr/bin/python3', ['-c', 'import json,sys; from ase.io import read; a=read(sys.argv[1], format="vasp"); print(json.dumps(dict(p=a.positions.ravel().tolist(), c=a.cell.array.ravel().tolist(), s=a.get_chemical_symbols())))', join(dir, 'POSCAR')]);
  assert.equal(r.status, 0, r.stderr);
  const ase = JSON.parse(r.stdout) as { p: number[]; c: number[]; s: string[] };
  assert.ok(maxAbsDiff(ase.c, atoms.cell) < 1e-12);
  assert.ok(maxAbsDiff(ase.p, atoms.positions) < 1e-9);
  assert.equal(ase.s.length, 88);
  assert.throws(() => writeVaspInputs(atoms, { kpoints: [2, 0, 1] }), /k-points/);
});

test('a spin-polarised DOSCAR has both channels summed: same label as the one-channel file with their sum', () => {
  const text = read('DOSCAR_3069');
  const lines = text.split('\n');
  const split = lines.map((l, k) => {
    if (k < 6 || l.trim() === '') return l;
    const [e, d, i] = l.trim().split(/\s+/).map(Number);
    return `${e} ${0.625 * d} ${0.375 * d} ${0.5 * i} ${0.5 * i}`;
  });
  const spin = elDosFromDoscar(split.join('\n'), 'DOSCAR-spin');
  const single = parseDoscar(text);
  assert.ok(maxAbsDiff(spin, single) < 1e-12 * Math.max(...single));
  assert.deepEqual(Array.from(elDosFromDoscar(text)), Array.from(single));
});

test('vasprun.xml of VASP 6 with KPOINTS_OPT: the extra band-structure eigenvalues do not replace the SCF ones', () => {
  const text = read('vasprun-lammps.xml');
  const at = text.indexOf(' </calculation>');
  const extra = [
    '  <eigenvalues_kpoints_opt>',
    '   <kpoints>',
    '    <varray name="weights" >',
    '     <v>       1.00000000 </v>',
    '    </varray>',
    '   </kpoints>',
    '   <eigenvalues>',
    '    <array>',
    '     <set>',
    '      <set comment="spin 1">',
    '       <set comment="kpoint 1">',
    '        <r>   99.0000    1.0000 </r>',
    '       </set>',
    '      </set>',
    '     </set>',
    '    </array>',
    '   </eigenvalues>',
    '  </eigenvalues_kpoints_opt>',
  ].join('\n');
  const v6 = parseVasprun(text.slice(0, at) + extra + '\n' + text.slice(at));
  const v5 = parseVasprun(text);
  assert.deepEqual(Array.from(v6.levels!.eigenvalues_eV), Array.from(v5.levels!.eigenvalues_eV));
});
