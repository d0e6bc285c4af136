import { Atoms } from '../structure/atoms.js';
import type { BondNetwork } from './network.js';

/**
 * A generated sheet as Atoms in the public files' frame: carbon, orthorhombic cell with vacuum
 * c (10 Å for flat sheets, 20 Å for free ones), positions wrapped into the cell in x and y,
 * the sheet's mean height at c/2.
 */
export function sheetAtoms(net: BondNetwork, c_A: number, comment: string): Atoms {
  const n = net.n;
  const p = new Float64Array(3 * n);
  let zMean = 0;
  for (let i = 0; i < n; i++) zMean += net.positions[3 * i + 2] / n;
  for (let i = 0; i < n; i++) {
    const x = net.positions[3 * i];
    const y = net.positions[3 * i + 1];
    p[3 * i] = x - net.lx_A * Math.floor(x / net.lx_A);
    p[3 * i + 1] = y - net.ly_A * Math.floor(y / net.ly_A);
    if (p[3 * i] >= net.lx_A) p[3 * i] = 0;
    if (p[3 * i + 1] >= net.ly_A) p[3 * i + 1] = 0;
    p[3 * i + 2] = net.positions[3 * i + 2] - zMean + c_A / 2;
  }
  return new Atoms({ positions: p, numbers: new Uint8Array(n).fill(6), cell: [net.lx_A, 0, 0, 0, net.ly_A, 0, 0, 0, c_A], pbc: [true, true, true], info: { comment } });
}
