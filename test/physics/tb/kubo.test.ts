import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { hoppings, piParameters } from '../../../src/physics/tb/model.js';
import { blochHamiltonian, velocityMatrix, type ComplexMatrix } from '../../../src/physics/tb/bloch.js';
import { hermitianEigen } from '../../../src/physics/tb/eigen.js';
import { KuboAccumulator, HBAR_EVS, ELEMENTARY_CHARGE_C, type KuboSettings } from '../../../src/physics/tb/kubo.js';
import { FIXTURES, ROOT, graphene, python } from '../../helpers.js';

const settings: KuboSettings = { omega_eV: 0.0169, eta_eV: 0.1, kT_eV: 0.0259, dcSigma_eV: 0.05, window_eV: 1e3 };

test('Kubo–Greenwood sums equal an independent numpy computation (complex eigh) on the same H(k), v(k)', (t) => {
  const exe = python(['numpy', 'scipy']);
  if (exe === undefined) {
    if (process.env.CI) assert.fail('numpy/scipy needed in CI');
    t.skip('no numpy/scipy');
    return;
  }
  const atoms = readStructure(join(FIXTURES, 'tb', 'POSCAR_2002'));
  const h = hoppings(atoms, piParameters());
  // one general k (complex H: the embedded path) and one zone-boundary k (real H), unequal weights
  const ks = [
    { k: [0.0713, -0.0391, 0], w: 0.7 },
    { k: [Math.PI / atoms.cell[0], 0, 0], w: 0.3 },
  ];
  const fermi = 0.35;
  const acc = new KuboAccumulator(settings, fermi);
  const payload: Record<string, unknown>[] = [];
  const paths: boolean[] = [];
  for (const { k, w } of ks) {
    const hk = blochHamiltonian(h, k);
    const v: [ComplexMatrix, ComplexMatrix] = [velocityMatrix(h, k, 0), velocityMatrix(h, k, 1)];
    const eig = hermitianEigen(hk, true);
    paths.push(eig.embedded);
    acc.add(eig, v, w);
    payload.push({ w, hre: Array.from(hk.re), him: Array.from(hk.im), vre: v.map((m) => Array.from(m.re)), vim: v.map((m) => Array.from(m.im)) });
  }
  assert.deepEqual(paths, [true, false], 'one embedded and one real k-point');
  const input = JSON.stringify({ n: h.n, kpoints: payload, fermi, omega: settings.omega_eV, eta: settings.eta_eV, kT: settings.kT_eV, sigma: settings.dcSigma_eV, volume: atoms.volume_A3 });
  const r = spawnSync(exe, [join(ROOT, 'test', 'physics', 'tb', 'kubo_reference.py')], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as { optical: number[]; dc: number[]; gauss: number[] };
  const ours = acc.result(atoms.volume_A3);
  const close = (a: number[], b: number[], what: string): void =>
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 1e-8 * Math.abs(b[i]), `${what}[${i}] ${x} vs numpy ${b[i]}`));
  close(ours.optical_S_m, ref.optical, 'optical');
  close(ours.dc_S_m, ref.dc, 'dc');
  close(ours.dcGaussian_S_m, ref.gauss, 'gaussian');
  assert.ok(ours.optical_S_m[0] > 0 && ours.dc_S_m[1] > 0);
});

test('f-sum rule: ∫₀^∞ Re σ_xx dω = (π e² g_s/(2Ωħ²)) Σ_a f_a⟨a|−H∘d_x²|a⟩ on coronene (Hückel, 1 %)', () => {
  // coronene: the 24 atoms of a graphene sheet within 3.8 Å of a hexagon centre, as a molecule
  const sheet = graphene(4, 3);
  const d = 1.42;
  const cx = 2 * Math.sqrt(3) * d;
  const cy = 4 * d;
  const positions: number[] = [];
  for (let a = 0; a < sheet.length; a++) {
    const x = sheet.positions[3 * a], y = sheet.positions[3 * a + 1];
    if (Math.hypot(x - cx, y - cy) < 3.8) positions.push(x, y, 5);
  }
  const flake = new Atoms({ positions, symbols: Array(positions.length / 3).fill('C'), cell: [20, 0, 0, 0, 20, 0, 0, 0, 10], pbc: [false, false, false] });
  assert.equal(flake.length, 24);
  const h = hoppings(flake, piParameters({ model: 'pi-flat', beta: 0, cutoff_A: 1.8, taper_A: 0 }));
  const hk = blochHamiltonian(h, [0, 0, 0]);
  const eig = hermitianEigen(hk, true);
  const n = h.n;
  const fermi = 0.5 * (eig.values[11] + eig.values[12]);
  assert.ok(eig.values[12] - eig.values[11] > 1, 'coronene has a HOMO–LUMO gap');
  const v: [ComplexMatrix, ComplexMatrix] = [velocityMatrix(h, [0, 0, 0], 0), velocityMatrix(h, [0, 0, 0], 1)];
  // right side: ground-state expectation of K = −H∘d_x², occupied levels twice (spin)
  let kinetic = 0;
  for (let a = 0; a < 12; a++) {
    for (let e = 0; e < h.i.length; e++) {
      const dx = h.d_A[3 * e];
      kinetic += eig.vectors![h.i[e] * n + a] * eig.vectors![h.j[e] * n + a] * -h.t_eV[e] * dx * dx;
    }
  }
  const volume = flake.volume_A3;
  const e = ELEMENTARY_CHARGE_C;
  const hbarJs = HBAR_EVS * e;
  const rhs = ((Math.PI * e * e * 2) / (2 * volume * 1e-30 * hbarJs * hbarJs)) * kinetic * e * 1e-20;
  // left side: trapezoid over ħω ∈ (0, 20] eV with a narrow Lorentzian
  const step = 0.002;
  let integral = 0;
  let previous = 0;
  for (let q = 1; q <= 10000; q++) {
    const omega = q * step;
    const acc = new KuboAccumulator({ omega_eV: omega, eta_eV: 0.004, kT_eV: 0, dcSigma_eV: 0.05, window_eV: 1e3 }, fermi);
    acc.add(eig, v, 1);
    const s = acc.result(volume).optical_S_m[0];
    integral += 0.5 * (s + previous) * step;
    previous = s;
  }
  integral /= HBAR_EVS; // dω = dE/ħ
  assert.ok(Math.abs(integral - rhs) < 0.01 * rhs, `∫σ dω = ${integral} vs sum rule ${rhs}`);
});
