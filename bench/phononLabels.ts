/**
 * How our ph-DoS labels compare with the public ones: the 908-atom flat cell (public electron cell
 * 3975 relaxed with each Tersoff set, 2×2) against the mean ph-DoS of the public phonon set
 * (phononDos of every w_i.npy). Prints the highest mode, the modes above 100 THz and the MSE to the
 * public mean, beside the public set's own spread. Report only; no reference timing.
 * Usage: node dist/bench/phononLabels.js
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tersoff } from '../src/physics/tersoff/tersoff.js';
import { loadTersoff } from '../src/physics/tersoff/params.js';
import { gammaFrequencies } from '../src/physics/phonons/gamma.js';
import { phononDos } from '../src/data/labels.js';
import { readNpy } from '../src/io/npy.js';
import { relaxedThermalCell } from './phononCell.js';
import { unpackShared } from './shared.js';

function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return s / a.length;
}

const extracted = '/work/data/thermal_code/ph-DoS/w';
const wDir = existsSync(extracted) ? extracted : join(unpackShared('thermal', 'thermal_code/ph-DoS/w'));
const files = readdirSync(wDir).filter((f) => f.endsWith('.npy'));
const mean = new Float64Array(100);
const dosList: Float64Array[] = [];
const highest: number[] = [];
for (const f of files) {
  const w = readNpy(join(wDir, f)).data;
  const dos = phononDos(w, f);
  dosList.push(dos);
  let top = -Infinity;
  for (const x of w) top = Math.max(top, x);
  highest.push(top);
  for (let k = 0; k < 100; k++) mean[k] += dos[k] / files.length;
}
highest.sort((p, q) => p - q);
const spread = dosList.reduce((s, d) => s + mse(d, mean), 0) / dosList.length;
let peak = 0;
for (let k = 1; k < 100; k++) if (mean[k] > mean[peak]) peak = k;
console.log(`public phonon set: ${files.length} structures; highest mode median ${highest[highest.length >> 1].toFixed(1)} THz; ${highest.filter((h) => h >= 100).length} with a mode ≥ 100 THz; mean ph-DoS peak bin ${peak}–${peak + 1} THz; per-structure MSE to the mean ${spread.toExponential(2)}`);

for (const set of ['lindsay-broido-2010', 'tersoff-1988']) {
  const ff = new Tersoff(loadTersoff(set));
  const { atoms, steps, relax_s } = relaxedThermalCell(ff);
  for (const displacement_A of set === 'lindsay-broido-2010' ? [1e-3, 5e-4] : [1e-3]) {
    const { frequencies_THz: f, timing_s } = gammaFrequencies(atoms, ff, { displacement_A });
    const dos = phononDos(f);
    let ours = 0;
    for (let k = 1; k < 100; k++) if (dos[k] > dos[ours]) ours = k;
    const negative = f.filter((x) => x < -0.01).length;
    console.log(
      `${set} (δ = ${displacement_A} Å; FIRE ${steps} steps, ${relax_s.toFixed(0)} s; FC ${timing_s.forceConstants.toFixed(1)} s, eigenvalues ${timing_s.eigenvalues.toFixed(1)} s): ` +
        `highest ${f[f.length - 1].toFixed(2)} THz, ${f.filter((x) => x >= 100).length} modes ≥ 100 THz, ${negative} below −0.01 THz (lowest ${f[0].toFixed(3)}), ` +
        `DoS peak bin ${ours}–${ours + 1} THz, MSE to the public mean ${mse(dos, mean).toExponential(2)}`,
    );
  }
}
