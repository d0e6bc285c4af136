import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphene, CC_A } from '../../helpers.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { hoppings, piParameters } from '../../../src/physics/tb/model.js';
import { blochHamiltonian, hermiticityError, velocityMatrix } from '../../../src/physics/tb/bloch.js';
import { hermitianEigen } from '../../../src/physics/tb/eigen.js';

// nearest neighbours only, constant t: the textbook graphene π model
const T = -2.7;
const NN = { model: 'pi-flat' as const, t0_eV: T, beta: 0, a0_A: CC_A, cutoff_A: 1.8, taper_A: 0 };

test('graphene bands: H(k) eigenvalues are ±|t|·|1 + e^{ik·a1} + e^{ik·a2}| (analytic, 1e-12)', () => {
  const atoms = graphene(1, 1);
  const h = hoppings(atoms, piParameters(NN));
  // primitive vectors of the honeycomb (a = √3 d) in the rectangular cell's frame
  const a = Math.sqrt(3) * CC_A;
  const a1 = [a, 0];
  const a2 = [a / 2, 1.5 * CC_A];
  for (const k of [[0.3, -0.7, 0], [1.1, 0.4, 0], [0, 0, 0], [(4 * Math.PI) / (3 * a), 0, 0]]) {
    const e = hermitianEigen(blochHamiltonian(h, k), false);
    const step = e.embedded ? 2 : 1;
    const bands = Array.from({ length: e.values.length / step }, (_, q) => e.values[q * step]);
    // the 4-atom rectangular cell folds two honeycomb k-points, k and k + G/2 along b
    const expected: number[] = [];
    for (const shift of [0, Math.PI / (1.5 * CC_A)]) {
      const ky = k[1] + shift;
      const re = 1 + Math.cos(k[0] * a1[0] + ky * a1[1]) + Math.cos(k[0] * a2[0] + ky * a2[1]);
      const im = Math.sin(k[0] * a1[0] + ky * a1[1]) + Math.sin(k[0] * a2[0] + ky * a2[1]);
      const f = Math.abs(T) * Math.hypot(re, im);
      expected.push(f, -f);
    }
    expected.sort((x, y) => x - y);
    bands.forEach((v, q) => assert.ok(Math.abs(v - expected[q]) < 1e-10, `k=${k}: band ${q} ${v} vs ${expected[q]}`));
  }
});

test('graphene DoS: V at E_F = 0 with slope 2√3/(3π t²), van Hove peaks at ±|t|, integrates to 2 states/atom', () => {
  const atoms = graphene(1, 1);
  const grid = Float64Array.from({ length: 1201 }, (_, k) => -12 + k * 0.02);
  const r = tightBindingExact(atoms, { parameters: NN, mesh: [240, 140, 1], grid_eV: grid, dosSigma_eV: 0.1 });
  assert.ok(Math.abs(r.fermi_eV) < 0.02, `E_F ${r.fermi_eV}`);
  const dos = r.el_dos.dos;
  const at = (e: number): number => dos[Math.round((e + 12) / 0.02)];
  const slope = (2 * Math.sqrt(3)) / (3 * Math.PI * T * T);
  for (const e of [-0.5, -0.3, 0.3, 0.5]) {
    assert.ok(Math.abs(at(e) - slope * Math.abs(e)) < 0.03 * slope * Math.abs(e), `dos(${e}) = ${at(e)} vs ${slope * Math.abs(e)}`);
  }
  assert.ok(at(0) < 0.2 * at(0.5), 'DoS at E_F much below the linear branch');
  let peak = 0;
  for (let k = 0; k < grid.length; k++) if (grid[k] > 0 && grid[k] < 5 && dos[k] > dos[peak]) peak = k;
  assert.ok(Math.abs(grid[peak] - Math.abs(T)) < 0.1, `van Hove at ${grid[peak]}`);
  let neg = 0;
  for (let k = 0; k < grid.length; k++) if (grid[k] < 0 && grid[k] > -5 && dos[k] > dos[neg]) neg = k;
  assert.ok(Math.abs(grid[neg] + Math.abs(T)) < 0.1, `van Hove at ${grid[neg]}`);
  const integral = dos.reduce((s, x) => s + x, 0) * 0.02;
  assert.ok(Math.abs(integral - 2) < 1e-3, `∫dos = ${integral}`);
});

test('H(k) and ħv(k) are Hermitian at a general k on a buckled public cell', async () => {
  const { readStructure } = await import('../../../src/structure/io/formats.js');
  const { FIXTURES } = await import('../../helpers.js');
  const atoms = readStructure(`${FIXTURES}/tb/POSCAR_1201`);
  const h = hoppings(atoms, piParameters());
  const k = [0.071, -0.113, 0];
  const hk = blochHamiltonian(h, k);
  assert.ok(hermiticityError(hk) < 1e-13);
  assert.ok(hermiticityError(velocityMatrix(h, k, 0)) < 1e-13);
  assert.ok(hermiticityError(velocityMatrix(h, k, 1)) < 1e-13);
  // ∂H/∂k by central differences equals ħv up to the gauge: in the periodic gauge ħv − ∂H/∂k = i[H, X]
  // with X the diagonal intracell positions, so compare (ħv − i[H, X]) with the finite difference
  const step = 1e-5;
  const plus = blochHamiltonian(h, [k[0] + step, k[1], 0]);
  const minus = blochHamiltonian(h, [k[0] - step, k[1], 0]);
  const v = velocityMatrix(h, k, 0);
  const n = h.n;
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const dx = atoms.positions[3 * j] - atoms.positions[3 * i];
      // i[H, X]_ij = i·H_ij·(x_j − x_i): real part −Im H·dx, imaginary part Re H·dx
      const commRe = -hk.im[i * n + j] * dx;
      const commIm = hk.re[i * n + j] * dx;
      const fdRe = (plus.re[i * n + j] - minus.re[i * n + j]) / (2 * step);
      const fdIm = (plus.im[i * n + j] - minus.im[i * n + j]) / (2 * step);
      worst = Math.max(worst, Math.abs(v.re[i * n + j] - commRe - fdRe), Math.abs(v.im[i * n + j] - commIm - fdIm));
    }
  assert.ok(worst < 1e-6, `velocity vs finite-difference ∂H/∂k: ${worst}`);
});
