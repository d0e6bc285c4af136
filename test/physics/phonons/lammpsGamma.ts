import assert from 'node:assert/strict';
import { Atoms } from '../../../src/structure/atoms.js';
import { MASSES_AMU } from '../../../src/structure/elements.js';
import { THZ_PER_SQRT_EV_A2_AMU } from '../../../src/physics/phonons/gamma.js';
import { lammpsSinglePoint, type LammpsPotential } from '../../../src/engines/lammps/singlePoint.js';
import { run } from '../../helpers.js';

/**
 * Γ frequencies (THz, ascending) of a small periodic cell from LAMMPS alone: central differences
 * of LAMMPS forces (step 1e-3 Å), mass-weighted and diagonalised by numpy — the independent
 * reference for gammaFrequencies. 6N LAMMPS runs: keep the cell to a few atoms.
 */
export async function lammpsGammaFrequencies(atoms: Atoms, potential: LammpsPotential, python: string, delta = 1e-3): Promise<number[]> {
  const dim = 3 * atoms.length;
  const d: number[][] = [];
  for (let row = 0; row < dim; row++) {
    const shifted = (s: number): Atoms => {
      const p = Float64Array.from(atoms.positions);
      p[row] += s;
      return new Atoms({ positions: p, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
    };
    const plus = (await lammpsSinglePoint(shifted(delta), potential)).forces_eV_A;
    const minus = (await lammpsSinglePoint(shifted(-delta), potential)).forces_eV_A;
    const mi = MASSES_AMU[atoms.numbers[Math.floor(row / 3)]];
    d.push(Array.from({ length: dim }, (_, c) => -(plus[c] - minus[c]) / (2 * delta) / Math.sqrt(mi * MASSES_AMU[atoms.numbers[Math.floor(c / 3)]])));
  }
  const script = `import sys, json, numpy as np
d = np.array(json.loads(sys.stdin.read())); d = (d + d.T) / 2
w = np.linalg.eigvalsh(d); print(json.dumps((np.sign(w) * np.sqrt(np.abs(w)) * ${THZ_PER_SQRT_EV_A2_AMU}).tolist()))`;
  const r = run(python, ['-c', script], JSON.stringify(d));
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as number[];
}
