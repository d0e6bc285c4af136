/**
 * Γ-point phonons of a 908-atom flat AMC cell (public electron cell 3975, LB Tersoff-relaxed, 2×2):
 * our force constants + eigenvalues against numpy eigvalsh (OpenBLAS LAPACK, 1 and 2 threads) of
 * the same dynamical matrix, in the same run. Usage: node dist/bench/phonons.js [potential]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tersoff } from '../src/physics/tersoff/tersoff.js';
import { loadTersoff } from '../src/physics/tersoff/params.js';
import { forceConstants } from '../src/physics/phonons/forceConstants.js';
import { dynamicalMatrix } from '../src/physics/phonons/gamma.js';
import { symmetricEigenvalues } from '../src/linalg/symmetricEigen.js';
import { writeNpy } from '../src/io/npy.js';
import { findPython } from './shared.js';
import { cpuSecondsSince, numpyEigvalsh } from './eigen.js';
import { relaxedThermalCell } from './phononCell.js';

const potential = process.argv[2] ?? 'lindsay-broido-2010';
const ff = new Tersoff(loadTersoff(potential));
const { atoms, steps, relax_s } = relaxedThermalCell(ff);
const n = atoms.length;
const dim = 3 * n;
console.log(`${potential}: ${n} atoms (3N = ${dim}); FIRE on the 227-atom cell: ${steps} steps, ${relax_s.toFixed(1)} s (not compared)`);

let t = performance.now();
let c = process.cpuUsage();
const phi = forceConstants(atoms, ff);
const tFc = (performance.now() - t) / 1000;
const cFc = cpuSecondsSince(c);
// The whole-cell method on a few atoms, for its cost per atom.
const probe = 8;
t = performance.now();
{
  const work = { positions: Float64Array.from(atoms.positions), numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc };
  for (let row = 0; row < 3 * probe; row++) {
    const x0 = work.positions[row];
    work.positions[row] = x0 + 1e-3;
    ff.compute(work);
    work.positions[row] = x0 - 1e-3;
    ff.compute(work);
    work.positions[row] = x0;
  }
}
const tFullPerAtom = (performance.now() - t) / 1000 / probe;
const d = dynamicalMatrix(phi, atoms.numbers);
t = performance.now();
c = process.cpuUsage();
const ours = symmetricEigenvalues(d, dim);
const tEig = (performance.now() - t) / 1000;
const cEig = cpuSecondsSince(c);
console.log(
  `ours: force constants (clusters) ${tFc.toFixed(2)} s wall / ${cFc.toFixed(2)} s CPU; whole-cell displacements would take ${(tFullPerAtom * n).toFixed(1)} s wall (${probe} atoms timed); eigenvalues ${tEig.toFixed(2)} s wall / ${cEig.toFixed(2)} s CPU`,
);

const py = findPython(['numpy']);
if (py === undefined) {
  console.log('numpy not found: no reference');
} else {
  const file = join(mkdtempSync(join(tmpdir(), 'phonon-bench-')), 'd.npy');
  writeNpy(file, { data: d, shape: [dim, dim] });
  for (const threads of [1, 2]) {
    const ref = numpyEigvalsh(py, file, threads);
    let norm = 0;
    let diff = 0;
    for (let k = 0; k < dim; k++) {
      norm = Math.max(norm, Math.abs(ref.values[k]));
      diff = Math.max(diff, Math.abs(ref.values[k] - ours[k]));
    }
    const cpu = threads === 1 ? ` | CPU-time ratios: eigenvalues ${(cEig / ref.cpuSeconds).toFixed(2)}, (FC + eigenvalues) ${((cFc + cEig) / ref.cpuSeconds).toFixed(2)}` : '';
    console.log(
      `numpy eigvalsh ${threads} thread(s): ${ref.seconds.toFixed(2)} s wall / ${ref.cpuSeconds.toFixed(2)} s CPU [${ref.kernel}] | wall ratios: eigenvalues ours/numpy ${(tEig / ref.seconds).toFixed(2)}, (FC + eigenvalues)/numpy ${((tFc + tEig) / ref.seconds).toFixed(2)}${cpu} | max |Δλ|/max|λ| ${(diff / norm).toExponential(2)}`,
    );
  }
}
