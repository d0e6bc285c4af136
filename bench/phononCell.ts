import { join } from 'node:path';
import { readStructure } from '../src/structure/io/formats.js';
import type { Atoms } from '../src/structure/atoms.js';
import type { ForceField } from '../src/physics/forceField.js';
import { relaxFire } from '../src/physics/relax/fire.js';
import { ROOT } from './shared.js';

/** The public flat electron cell copied for the phonon tests (227 C atoms, c = 10 Å). */
export const PHONON_FIXTURE = join(ROOT, 'test', 'fixtures', 'phonons', 'POSCAR_3975');

/**
 * A thermal-size flat AMC cell: the fixture relaxed under `forceField` (positions, fixed cell), then
 * repeated 2×2 (908 atoms, 3N = 2724). The repeat of a relaxed cell is relaxed too (periodicity), so
 * only the 227-atom cell is relaxed.
 */
export function relaxedThermalCell(forceField: ForceField, fmax_eV_A = 1e-4): { atoms: Atoms; steps: number; relax_s: number } {
  const t0 = performance.now();
  const { atoms, record } = relaxFire(readStructure(PHONON_FIXTURE), forceField, { fmax_eV_A, maxSteps: 200000 });
  return { atoms: atoms.repeat(2, 2, 1), steps: record.steps, relax_s: (performance.now() - t0) / 1000 };
}
