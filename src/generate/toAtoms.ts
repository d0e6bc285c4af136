import { Atoms } from '../structure/atoms.js';
import type { BondNetwork } from './network.js';

/**
 * A generated sheet as Atoms in the public files' frame: carbon, orthorhombic cell with vacuum
 * c (10 Å for flat sheets, 20 Å for free ones), positions wrapped into the cell in x and y,
 * the sheet's mean height at c/2.
 */
/** Wrap x and y into [0, lx) × [0, ly) in place, as the public files have them (a value rounding up to lx becomes 0). */
export function wrapInPlane(positions: Float64Array, lx_A: number, ly_A: number): void {
  for (let i = 0; 3 * i < positions.length; i++) {
    positions[3 * i] -= lx_A * Math.floor(positions[3 * i] / lx_A);
    positions[3 * i + 1] -= ly_A * Math.floor(positions[3 * i + 1] / ly_A);
    if (positions[3 * i] >= lx_A) positions[3 * i] = 0;
    if (positions[3 * i + 1] >= ly_A) positions[3 * i + 1] = 0;
  }
}

/** `numbers`: the atoms' elements (two-element sheets); carbon when absent. */
export function sheetAtoms(net: BondNetwork, c_A: number, comment: string, numbers?: Uint8Array): Atoms {
  const n = net.n;
  const p = new Float64Array(3 * n);
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += net.positions[3 * i + 2] / n;
  p.set(net.positions.subarray(0, 3 * n));
  wrapInPlane(p, net.lx_A, net.ly_A);
  for (let i = 0; i < n; i++) p[3 * i + 2] = net.positions[3 * i + 2] - zMean + c_A / 2;
  return new Atoms({ positions: p, numbers: numbers !== undefined ? Uint8Array.from(numbers) : new Uint8Array(n).fill(6), cell: [net.lx_A, 0, 0, 0, net.ly_A, 0, 0, 0, c_A], pbc: [true, true, true], info: { comment } });
}
