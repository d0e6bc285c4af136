import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readStructure } from '../../../src/structure/io/formats.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { hoppings, piParameters } from '../../../src/physics/tb/model.js';
import { csrHamiltonian, csrVelocity } from '../../../src/physics/tb/sparse.js';
import {
  chebyshevScale, exactMoments, gaussianKpmCount, gaussianKpmDos, jacksonDos, kpmConductivityDc, kpmMoments,
} from '../../../src/physics/tb/kpm.js';
import { FIXTURES } from '../../helpers.js';

const cell = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
// enough moments for the Gaussian's own Chebyshev series (σ/a ≈ 0.005) to decay below 1e−10
const N = 1500;

test('KPM moments with the exact trace equal the moments of the exact eigenvalues; Gaussian-kernel DoS = exact Gaussian DoS (1e−8)', () => {
  const exact = tightBindingExact(cell, { mesh: [1, 1, 1] });
  const h = csrHamiltonian(hoppings(cell, piParameters()));
  const scale = chebyshevScale(h);
  const m = kpmMoments(h, { moments: N, randomVectors: 0, exactTrace: true, scale });
  const ref = exactMoments(exact.levels.energies_eV, N, scale);
  let worst = 0;
  for (let k = 0; k < N; k++) worst = Math.max(worst, Math.abs(m.mu[k] - ref[k]));
  assert.ok(worst < 1e-10, `moments differ by ${worst}`);
  const grid = Array.from(exact.el_dos.energy_eV, (e) => e + exact.fermi_eV);
  const dos = gaussianKpmDos(m, grid, 0.05);
  for (let k = 0; k < grid.length; k++) assert.ok(Math.abs(2 * dos[k] - exact.el_dos.dos[k]) < 1e-8, `E=${grid[k]}`);
});

test('Jackson KPM ≈ exact DoS broadened by a Gaussian of σ = πa/N near the band centre (5 % of the peak)', () => {
  const h = csrHamiltonian(hoppings(cell, piParameters()));
  const scale = chebyshevScale(h);
  const moments = 512;
  const sigma = (Math.PI * scale.a_eV) / moments;
  const exact = tightBindingExact(cell, { mesh: [1, 1, 1], dosSigma_eV: sigma, grid_eV: Array.from({ length: 81 }, (_, k) => -2 + k * 0.05) });
  const m = { mu: exactMoments(exact.levels.energies_eV, moments, scale), scale, n: cell.length, randomVectors: 0, matVecs: 0 };
  const grid = Array.from(exact.el_dos.energy_eV, (e) => e + exact.fermi_eV);
  const jackson = jacksonDos(m, grid);
  const peak = Math.max(...exact.el_dos.dos);
  const worst = Math.max(...grid.map((_, k) => Math.abs(2 * jackson[k] - exact.el_dos.dos[k])));
  assert.ok(worst < 0.05 * peak, `max |Δ| ${worst} vs peak ${peak}`);
});

test('stochastic KPM on a 4×4 repeat (1504 atoms, 8 random-phase vectors) matches the unit cell on a 4×4 k-mesh within 3.5 standard errors', () => {
  const exact = tightBindingExact(cell, { mesh: [4, 4, 1] });
  const big = cell.repeat(4, 4, 1);
  const h = csrHamiltonian(hoppings(big, piParameters()));
  const m = kpmMoments(h, { moments: N, randomVectors: 8, seed: 7 });
  const grid = Array.from(exact.el_dos.energy_eV, (e) => e + exact.fermi_eV);
  const dos = gaussianKpmDos(m, grid, 0.05);
  const peak = Math.max(...exact.el_dos.dos);
  const worst = Math.max(...grid.map((_, k) => Math.abs(2 * dos[k] - exact.el_dos.dos[k])));
  // expected noise of one point: 2·sqrt(ρ_spin(E)/(2√π σ N_atoms R_real)) ≈ 0.01 here (ρ ≈ 0.1/eV); max over 81 points
  assert.ok(worst < 0.035, `max |Δ| ${worst} (peak ${peak})`);
  // the count at the exact E_F is half filling (E_F itself is ill-conditioned inside a gap); standard error 1/(2√(N·R)) = 0.0046
  assert.ok(Math.abs(gaussianKpmCount(m, exact.fermi_eV, 0.05) - 0.5) < 0.02);
});

test('KPM DC Kubo–Greenwood: exact trace = exact Tr[vδvδ] at Γ (1e−6); random vectors within 25 %', () => {
  const exact = tightBindingExact(cell, { mesh: [1, 1, 1], conductivity: true });
  const hop = hoppings(cell, piParameters());
  const h = csrHamiltonian(hop);
  const v = [csrVelocity(hop, 0), csrVelocity(hop, 1)] as const;
  const full = kpmConductivityDc(h, v, exact.fermi_eV, 0.05, cell.volume_A3, { moments: N, randomVectors: 0, exactTrace: true });
  const ref = exact.conductivity!.dcGaussian_S_m;
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(full.sigma_S_m[i] - ref[i]) < 1e-6 * ref[i], `${full.sigma_S_m[i]} vs ${ref[i]}`);
  const noisy = kpmConductivityDc(h, v, exact.fermi_eV, 0.05, cell.volume_A3, { moments: N, randomVectors: 24, seed: 3 });
  const total = (s: number[]): number => s[0] + s[1];
  assert.ok(Math.abs(total(noisy.sigma_S_m) - total(ref)) < 0.25 * total(ref), `${noisy.sigma_S_m} vs ${ref}`);
});
