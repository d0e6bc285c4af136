import type { Atoms } from '../structure/atoms.js';
import { neighborList } from '../structure/neighbors.js';
import { bondStatistics, ENVIRONMENT_FEATURES, unorderedBonds } from './bondStatistics.js';
import { sheetView } from './sheet.js';

/**
 * Local-environment statistics of a sheet, the information a g(r) averages away: which rings the
 * bonds close (the faces of the bond network seen from above, on the periodic sheet), how the
 * coordination is spread (sp chains, sp², sp³-like sites), bond-length spread and buckling.
 * All are invariant under in-plane rotations, translations, permutations and replication.
 * The computation is bondStatistics.ts's; with `window_A` > 0 every statistic is averaged over bond
 * cut-offs in [cutoff − window/2, cutoff + window/2], which makes it continuous in the positions.
 */
export { ENVIRONMENT_FEATURES };

export interface EnvironmentOptions {
  /** Width of the bond cut-off window, Å (0: the hard cut-off). */
  window_A?: number;
}

export function localEnvironment(atoms: Atoms, bondCutoff_A = 1.85, file = 'structure', options: EnvironmentOptions = {}): Float64Array {
  const sheet = sheetView(atoms, file);
  const window_A = options.window_A ?? 0;
  const list = neighborList(sheet.positions, sheet.cell, sheet.pbc, bondCutoff_A + window_A / 2);
  const stats = bondStatistics(atoms.length, unorderedBonds(list), sheet.positions, { cutoff_A: bondCutoff_A, window_A, environment: true });
  return stats.environment as Float64Array;
}
