import type { Atoms } from '../../structure/atoms.js';
import { SYMBOLS } from '../../structure/elements.js';
import { neighborList } from '../../structure/neighbors.js';
import type { SwitchingShell } from '../forceField.js';

/**
 * Pairs of atoms inside a potential's switching shell, and those within `edge_A` of its edges.
 *
 * A pair inside the shell R − D … R + D feels f_c's curvature, up to ½(π/2D)² ≈ 31 Å⁻² at the edges
 * for D = 0.15 Å, in its own term and in the bond orders of both atoms' bonds: Γ modes of 80–600 THz
 * on one such pair (docs/materials/boron-nitride.md §6–7; data.md: about 5 % of the public spectra
 * reach above 100 THz). At an edge f_c″ jumps, so a pair within the finite-difference step of it has
 * no well-defined harmonic frequency. The ph-DoS label reports both counts so that a user can tell
 * such spectra apart; the label's 0–100 THz window drops the stiffest of those modes.
 */
export interface SwitchingShellReport {
  /** Pairs strictly between R − D and R + D (each pair once). */
  pairs_in_shell: number;
  /** Of all pairs, those within edge_A of R − D or of R + D. */
  pairs_at_edge: number;
  edge_A: number;
}

/** Default edge tolerance: ten finite-difference steps (1e-3 Å); nearer than this to R ± D, where f_c″ jumps, a pair is parked on the kink. */
export const SHELL_EDGE_A = 0.01;

export function switchingShellReport(atoms: Atoms, shells: readonly SwitchingShell[], edge_A = SHELL_EDGE_A): SwitchingShellReport {
  const report: SwitchingShellReport = { pairs_in_shell: 0, pairs_at_edge: 0, edge_A };
  if (shells.length === 0 || atoms.length === 0) return report;
  const shellOf = new Map<string, SwitchingShell>();
  for (const s of shells) {
    shellOf.set(`${s.elements[0]}|${s.elements[1]}`, s);
    shellOf.set(`${s.elements[1]}|${s.elements[0]}`, s);
  }
  const reach = Math.max(...shells.map((s) => s.outer_A)) + edge_A;
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, reach);
  for (let i = 0; i < atoms.length; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const j = list.index[e];
      // each pair once: j > i from i's list; an atom and its own periodic image once (+L, not −L)
      if (j < i || (j === i && !positiveVector(list.vectors, e))) continue;
      const shell = shellOf.get(`${SYMBOLS[atoms.numbers[i]]}|${SYMBOLS[atoms.numbers[j]]}`);
      if (shell === undefined) continue;
      const r = list.distances[e];
      if (r > shell.inner_A && r < shell.outer_A) report.pairs_in_shell++;
      if (Math.abs(r - shell.inner_A) <= edge_A || Math.abs(r - shell.outer_A) <= edge_A) report.pairs_at_edge++;
    }
  }
  return report;
}

/** Whether entry e's vector's first non-zero component is positive. */
function positiveVector(vectors: Float64Array, e: number): boolean {
  for (let c = 0; c < 3; c++) if (vectors[3 * e + c] !== 0) return vectors[3 * e + c] > 0;
  return false;
}
