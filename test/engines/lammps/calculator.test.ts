import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Atoms } from '../../../src/structure/atoms.js';
import { LammpsCalculator } from '../../../src/engines/lammps/calculator.js';
import { lammpsVersion, runLammps, LammpsError } from '../../../src/engines/lammps/run.js';
import { TersoffCalculator } from '../../../src/physics/tersoff/calculator.js';
import { CLI, python, run, tempDir } from '../../helpers.js';
import { POTENTIALS, TERSOFF_FIXTURES, amc, assertClose, lammpsSkip, randomCell } from '../../physics/tersoff/support.js';

const skip = lammpsSkip();
const ALL = ['energy_eV', 'forces_eV_A', 'stress_eV_A3'] as const;

test('LammpsCalculator and TersoffCalculator agree (energy, forces, stress to 1e-8) on an AMC and a rotated triclinic cell', { skip }, async () => {
  const tri = randomCell([3.3, 0, 0, 0.9, 3.1, 0, 0.5, -0.7, 3.4], 4, ['C'], 5, 1.3);
  // Rotate about z and tilt: not LAMMPS' frame, so forces and stress must be rotated back.
  const c = Math.cos(0.7), s = Math.sin(0.7); // prettier-ignore
  const turn = (v: ArrayLike<number>): number[] => Array.from(v, (_, k) => (k % 3 === 0 ? c * v[k] - s * v[k + 1] : k % 3 === 1 ? s * v[k - 1] + c * v[k] : v[k]));
  const rotated = new Atoms({ positions: turn(tri.positions), numbers: tri.numbers, cell: turn(tri.cell), pbc: [true, true, true] });
  for (const [what, atoms, potential] of [['buckled AMC', amc('buckled'), 'tersoff-1988'], ['rotated triclinic', rotated, 'lindsay-broido-2010']] as const) {
    const ours = await new TersoffCalculator(potential).calculate(atoms, ALL);
    const lmp = await new LammpsCalculator({ potential }).calculate(atoms, ALL);
    const e0 = ours.properties.energy_eV as number;
    assert.ok(Math.abs(e0 - (lmp.properties.energy_eV as number)) < 1e-8 * Math.abs(e0), what);
    assertClose(ours.properties.forces_eV_A as Float64Array, lmp.properties.forces_eV_A as Float64Array, 1e-8, 1e-9, `${what} forces`);
    const stress = lmp.properties.stress_eV_A3 as Float64Array;
    const scale = Math.max(...stress.map(Math.abs));
    const d = assertClose(ours.properties.stress_eV_A3 as Float64Array, stress, 1e-8, 1e-8 * scale, `${what} stress`);
    console.log(`${what}: max |Δσ| = ${d.maxAbs.toExponential(2)} eV/Å³ of ${scale.toExponential(2)}`);
    assert.equal(ours.provenance.engine, 'builtin-tersoff');
    assert.equal(ours.provenance.settings.potential, potential);
    assert.match(String(ours.provenance.settings.sha256), /^[0-9a-f]{64}$/);
    assert.equal(lmp.provenance.engine, 'lammps');
    assert.equal(lmp.provenance.version, lammpsVersion());
    assert.equal(lmp.provenance.settings.sha256, ours.provenance.settings.sha256);
  }
});

test('calculators refuse properties they do not compute', async () => {
  await assert.rejects(new TersoffCalculator('tersoff-1988').calculate(amc('flat'), ['frequencies_THz']), /does not compute frequencies_THz/);
});

test('runLammps reports LAMMPS\' own ERROR line', { skip }, async () => {
  await assert.rejects(runLammps('units metal\nnot_a_command 1\n'), (e) => e instanceof LammpsError && /ERROR/.test(e.message) && /not_a_command/.test(e.message));
});

/**
 * `spramnet calc --json` against ASE's LAMMPSlib calculator (Debian python3-ase + python3-lammps):
 * an independent route from LAMMPS to ASE's sign convention and frame. ASE converts bar with its own
 * CODATA constants, 7.5e-8 away from LAMMPS' nktv2p, hence stress to 1e-6 relative.
 */
test('spramnet calc --json: shape, and values equal ASE + LAMMPSlib for both engines', { skip: skip || (python(['ase', 'lammps']) ? false : 'python3-ase/python3-lammps missing') }, () => {
  const dir = tempDir();
  // Debian ships liblammps.so.0 only; the python module dlopens liblammps.so.
  symlinkSync('/usr/lib/x86_64-linux-gnu/liblammps.so.0', join(dir, 'liblammps.so'));
  const script = join(dir, 'ase_lammps.py');
  writeFileSync(
    script,
    [
      'import sys, json',
      'from ase.io import read',
      'from ase.calculators.lammpslib import LAMMPSlib',
      "a = read(sys.argv[1], format='vasp')",
      "calc = LAMMPSlib(lmpcmds=['pair_style tersoff', 'pair_coeff * * ' + sys.argv[2] + ' C'], atom_types={'C': 1}, lammps_header=['units metal', 'atom_style atomic', 'atom_modify map array sort 0 0'], keep_alive=False)",
      'a.calc = calc',
      "print(json.dumps({'energy': a.get_potential_energy(), 'forces': a.get_forces().tolist(), 'stress': a.get_stress().tolist()}))",
    ].join('\n'),
  );
  const poscar = join(TERSOFF_FIXTURES, 'POSCAR_1110');
  const py = python(['ase', 'lammps']) as string;
  const env = { ...process.env, LD_LIBRARY_PATH: `${dir}${process.env.LD_LIBRARY_PATH ? `:${process.env.LD_LIBRARY_PATH}` : ''}` };
  const ase = spawnSync(py, [script, poscar, join(POTENTIALS, 'lindsay-broido-2010.tersoff')], { encoding: 'utf8', env });
  assert.equal(ase.status, 0, ase.stderr);
  const ref = JSON.parse(ase.stdout) as { energy: number; forces: number[][]; stress: number[] };
  for (const engine of ['builtin', 'lammps']) {
    const out = run(process.execPath, [CLI, 'calc', poscar, '--potential', 'lindsay-broido-2010', '--engine', engine, '--json']);
    assert.equal(out.status, 0, out.stderr);
    const records = JSON.parse(out.stdout) as Array<Record<string, unknown>>;
    assert.equal(records.length, 1);
    assert.deepEqual(Object.keys(records[0]), ['input', 'energy_eV', 'forces_eV_A', 'stress_eV_A3']);
    const r = records[0] as { input: string; energy_eV: number; forces_eV_A: number[][]; stress_eV_A3: number[] };
    assert.equal(r.input, poscar);
    assert.ok(Math.abs(r.energy_eV - ref.energy) < 1e-8 * Math.abs(ref.energy));
    assert.equal(r.forces_eV_A.length, ref.forces.length);
    assertClose(r.forces_eV_A.flat(), ref.forces.flat(), 1e-8, 1e-9, `${engine} forces vs ASE`);
    assertClose(r.stress_eV_A3, ref.stress, 1e-6, 1e-12, `${engine} stress vs ASE`);
  }
});

test('spramnet calc: table output, a bad file is reported and the others still computed, exit status 1', () => {
  const dir = tempDir();
  const bad = join(dir, 'POSCAR_bad');
  writeFileSync(bad, 'not a poscar\n');
  const good = join(TERSOFF_FIXTURES, 'POSCAR_3069');
  const out = run(process.execPath, [CLI, 'calc', bad, good, '--potential', 'tersoff-1988']);
  assert.equal(out.status, 1);
  assert.match(out.stderr, /POSCAR_bad/);
  assert.match(out.stdout, /POSCAR_3069[\s\S]*energy[\s\S]*eV\/atom[\s\S]*max \|F\|[\s\S]*stress/);
  const missing = run(process.execPath, [CLI, 'calc', good, '--potential', 'no-such-potential']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /no-such-potential/);
});

test('the LAMMPS engine without lmp is an InputError naming the Debian package', () => {
  const good = join(TERSOFF_FIXTURES, 'POSCAR_3069');
  const out = run('/usr/bin/env', [`SPRAMNET_LMP=${join(tempDir(), 'no-lmp')}`, process.execPath, CLI, 'calc', good, '--potential', 'tersoff-1988', '--engine', 'lammps']);
  assert.equal(out.status, 1);
  assert.match(out.stderr, /Debian package "lammps"/);
});
