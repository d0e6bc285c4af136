import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heatCurrent } from '../../../src/physics/thermal/heatCurrent.js';
import { lammpsDataWithVelocities, lastThermo } from '../../../src/physics/thermal/lammpsRun.js';
import { lammpsVersion, runLammps } from '../../../src/engines/lammps/run.js';
import { maxwellBoltzmann } from '../../../src/physics/md/dynamics.js';
import { BAR_A3_PER_EV, A_PS_PER_A_FS } from '../../../src/physics/md/units.js';
import { Rng } from '../../../src/util/random.js';
import { ARGON_LJ, argonCrystal, lennardJones } from '../md/toys.js';

const skip = !process.env.CI && lammpsVersion() === undefined ? 'lmp not installed' : false;

// Shifted-force LJ = LAMMPS lj/smooth/linear; the heat current and per-atom virials of our formula
// against compute heat/flux with ke/atom, pe/atom and centroid/stress/atom on the same state.
test('heat current of a pair potential equals LAMMPS compute heat/flux (centroid stress)', { skip }, async () => {
  const atoms = argonCrystal(2);
  const rng = new Rng(5);
  for (let k = 0; k < atoms.positions.length; k++) atoms.positions[k] += 0.3 * (rng.uniform() - 0.5);
  const v = maxwellBoltzmann(atoms.masses_amu(), 300, rng);
  const ff = lennardJones(ARGON_LJ.epsilon_eV, ARGON_LJ.sigma_A, ARGON_LJ.cutoff_A);
  const r = ff.compute(atoms, { energies: true, virials: true });
  const j = heatCurrent(v, atoms.masses_amu(), r.energies_eV!, r.virials_eV!);
  const input = `units metal
atom_style atomic
boundary p p p
read_data data.lmp
pair_style lj/smooth/linear ${ARGON_LJ.cutoff_A}
pair_coeff * * ${ARGON_LJ.epsilon_eV} ${ARGON_LJ.sigma_A}
compute ke all ke/atom
compute pe all pe/atom
compute s all centroid/stress/atom NULL virial
compute flux all heat/flux ke pe s
thermo_style custom step pe c_flux[1] c_flux[2] c_flux[3]
thermo_modify format float %.17g
dump d all custom 1 atoms.txt id c_pe c_s[*]
dump_modify d format float %.17g sort id
run 0
`;
  const run = await runLammps(input, { 'data.lmp': lammpsDataWithVelocities(atoms, v) });
  const atomsTxt = run.read('atoms.txt');
  run.cleanup();
  const thermo = lastThermo(run.log);
  assert.ok(Math.abs(thermo.get('PotEng')! - r.energy_eV) < 1e-10 * atoms.length);
  const ref = [thermo.get('c_flux[1]')!, thermo.get('c_flux[2]')!, thermo.get('c_flux[3]')!].map((x) => x / A_PS_PER_A_FS);
  // 1e-6: LAMMPS metal units use rounded constants (mvv2e = 1.0364269e-4, nktv2p = 1.6021765e6).
  const scale = Math.max(...ref.map(Math.abs));
  if (process.env.SPRAMNET_VERBOSE) console.log("J ours", Array.from(j), "LAMMPS", ref);
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(j[a] - ref[a]) < 1e-6 * scale, `J[${a}] ${j[a]} vs LAMMPS ${ref[a]}`);
  // Per-atom centroid virials: LAMMPS order xx yy zz xy xz yz yx zx zy, bar·Å³.
  const order = [0, 4, 8, 1, 2, 5, 3, 6, 7];
  const rows = atomsTxt.trim().split('\n').slice(9);
  for (const row of rows) {
    const f = row.trim().split(/\s+/).map(Number);
    const i = f[0] - 1;
    assert.ok(Math.abs(f[1] - r.energies_eV![i]) < 1e-12);
    for (let c = 0; c < 9; c++) assert.ok(Math.abs(-f[2 + c] / BAR_A3_PER_EV - r.virials_eV![9 * i + order[c]]) < 1e-9, `atom ${i} component ${c}`);
  }
});
