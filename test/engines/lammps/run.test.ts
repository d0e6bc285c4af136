import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Atoms } from '../../../src/structure/atoms.js';
import { lammpsSetup } from '../../../src/engines/lammps/singlePoint.js';
import { runLammps } from '../../../src/engines/lammps/run.js';
import { vectorsFromLammps, toLammpsCell } from '../../../src/engines/lammps/frame.js';
import { fields } from '../../../src/structure/io/text.js';
import { loadTersoff, potentialsDirectory } from '../../../src/physics/tersoff/params.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { amc, lammpsSkip } from '../../physics/tersoff/support.js';

const skip = lammpsSkip();

test('toLammpsCell: restricted triclinic box with small tilts, Q orthogonal, same lattice', () => {
  const cell = Float64Array.from([2, 1, 0.5, 7.3, 1.9, 0.4, 0.2, -9.1, 6]);
  const { reduced, lammps, q } = toLammpsCell(cell);
  assert.equal(lammps[1], 0);
  assert.equal(lammps[2], 0);
  assert.equal(lammps[5], 0);
  assert.ok(Math.abs(lammps[3]) <= lammps[0] / 2 + 1e-12 && Math.abs(lammps[6]) <= lammps[0] / 2 + 1e-12 && Math.abs(lammps[7]) <= lammps[4] / 2 + 1e-12);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      const dot = q[3 * r] * q[3 * c] + q[3 * r + 1] * q[3 * c + 1] + q[3 * r + 2] * q[3 * c + 2];
      assert.ok(Math.abs(dot - (r === c ? 1 : 0)) < 1e-12, 'Q Qᵀ = I');
    }
  // Reduced vectors are integer combinations of the original ones (same lattice, same volume).
  const det = (m: ArrayLike<number>): number => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  assert.ok(Math.abs(Math.abs(det(reduced)) - Math.abs(det(cell))) < 1e-9);
});

/**
 * The path the MD helpers use: lammpsSetup + their own commands + runLammps. 20 NVE steps from rest
 * in LAMMPS and in a plain velocity-Verlet loop over the built-in Tersoff, on a rotated (non-LAMMPS
 * frame) buckled AMC: unwrapped final positions agree after rotating LAMMPS' back.
 */
test('lammpsSetup + runLammps: 20 NVE steps in LAMMPS equal velocity Verlet over the built-in Tersoff (rotated cell)', { skip }, async () => {
  const base = amc('buckled');
  const c = Math.cos(0.4);
  const s = Math.sin(0.4);
  const turn = (v: ArrayLike<number>): number[] => Array.from(v, (_, k) => (k % 3 === 0 ? c * v[k] - s * v[k + 1] : k % 3 === 1 ? s * v[k - 1] + c * v[k] : v[k]));
  const atoms = new Atoms({ positions: turn(base.positions), numbers: base.numbers, cell: turn(base.cell), pbc: [true, true, true] });
  const steps = 20;
  const dt_ps = 0.0005;
  const setup = lammpsSetup(atoms, { pairStyle: 'tersoff', file: `${potentialsDirectory()}lindsay-broido-2010.tersoff` });
  const run = await runLammps(
    [
      ...setup.commands,
      `timestep ${dt_ps}`,
      'fix integrate all nve',
      `run ${steps}`,
      'write_dump all custom final.dump id xu yu zu modify sort id format float %.17g',
      '',
    ].join('\n'),
    setup.files,
  );
  const lines = run.read('final.dump').split('\n');
  run.cleanup();
  const start = lines.findIndex((l) => l.startsWith('ITEM: ATOMS')) + 1;
  const n = atoms.length;
  const xL = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const p = fields(lines[start + i]);
    for (let d = 0; d < 3; d++) xL[3 * i + d] = Number(p[1 + d]);
  }
  const lammpsFinal = vectorsFromLammps(xL, setup.frame.q);

  const ff = new Tersoff(loadTersoff('lindsay-broido-2010'));
  const masses = atoms.masses_amu();
  const FTM2V = 1 / 1.0364269e-4; // LAMMPS metal units: (eV/Å)/amu → Å/ps²
  const x = Float64Array.from(atoms.positions);
  const v = new Float64Array(3 * n);
  const f = new Float64Array(3 * n);
  const w = new Float64Array(9);
  const system = { positions: x, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc };
  ff.computeInto(system, f, w);
  for (let step = 0; step < steps; step++) {
    for (let k = 0; k < 3 * n; k++) {
      v[k] += (0.5 * dt_ps * FTM2V * f[k]) / masses[Math.floor(k / 3)];
      x[k] += dt_ps * v[k];
    }
    ff.computeInto(system, f, w);
    for (let k = 0; k < 3 * n; k++) v[k] += (0.5 * dt_ps * FTM2V * f[k]) / masses[Math.floor(k / 3)];
  }
  let worst = 0;
  let moved = 0;
  for (let k = 0; k < 3 * n; k++) {
    worst = Math.max(worst, Math.abs(x[k] - lammpsFinal[k]));
    moved = Math.max(moved, Math.abs(x[k] - atoms.positions[k]));
  }
  console.log(`20 NVE steps: max |Δx| = ${worst.toExponential(2)} Å (largest displacement ${moved.toExponential(2)} Å)`);
  assert.ok(moved > 1e-3, 'atoms moved');
  assert.ok(worst < 1e-8, `max |Δx| = ${worst} Å`);
});
