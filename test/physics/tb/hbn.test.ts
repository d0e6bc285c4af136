import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Atoms } from '../../../src/structure/atoms.js';
import { InputError } from '../../../src/errors.js';
import { tightBindingExact } from '../../../src/physics/tb/exact.js';
import { HBN_PI_PARAMETERS, hoppings, piElectronCount, piParameters, type PiModelParameters } from '../../../src/physics/tb/model.js';
import { blochHamiltonian, hermiticityError, velocityMatrix } from '../../../src/physics/tb/bloch.js';
import { hermitianEigen } from '../../../src/physics/tb/eigen.js';
import { csrHamiltonian, csrMultiply } from '../../../src/physics/tb/sparse.js';
import { fermiLevel } from '../../../src/physics/tb/spectra.js';
import { graphene, random } from '../../helpers.js';

const EB = HBN_PI_PARAMETERS.onsite_eV!.B;
const EN = HBN_PI_PARAMETERS.onsite_eV!.N;

/** h-BN primitive cell at bond d (B at the origin, N at (a/2, d/2); a = √3·d), 10 Å of vacuum. */
function primitiveBn(d: number): Atoms {
  const a = Math.sqrt(3) * d;
  return new Atoms({ positions: [0, 0, 5, a / 2, d / 2, 5], symbols: ['B', 'N'], cell: [a, 0, 0, a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10], pbc: [true, true, true] });
}

/** The primitive cell repeated n × m (B, N alternate in the atom order). */
function bnSupercell(d: number, n: number, m: number): Atoms {
  const p = primitiveBn(d);
  const c = p.cell;
  const positions: number[] = [];
  const symbols: string[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      for (let s = 0; s < 2; s++) {
        for (let x = 0; x < 3; x++) positions.push(p.positions[3 * s + x] + i * c[x] + j * c[3 + x]);
        symbols.push(p.symbols[s]);
      }
  return new Atoms({ positions, symbols, cell: [n * c[0], n * c[1], 0, m * c[3], m * c[4], 0, 0, 0, 10], pbc: [true, true, true] });
}

/**
 * The two-site model's bands, E± = (ε_B + ε_N)/2 ± √(((ε_B − ε_N)/2)² + t²|f(k)|²) with
 * f(k) = Σ_δ e^{ik·δ} over B's three N neighbours δ (|f| is gauge-free).
 */
function analyticBands(d: number, t: number, k: readonly number[]): [number, number] {
  // B at the origin; its N neighbours at (a/2, d/2) and that minus a1 or a2
  const deltas = [[(Math.sqrt(3) / 2) * d, d / 2], [(-Math.sqrt(3) / 2) * d, d / 2], [0, -d]];
  let re = 0;
  let im = 0;
  for (const [x, y] of deltas) {
    re += Math.cos(k[0] * x + k[1] * y);
    im += Math.sin(k[0] * x + k[1] * y);
  }
  const mean = (EB + EN) / 2;
  const root = Math.sqrt(((EB - EN) / 2) ** 2 + t * t * (re * re + im * im));
  return [mean - root, mean + root];
}

const parameters = (over: Partial<PiModelParameters> = {}): PiModelParameters => piParameters({ ...HBN_PI_PARAMETERS, ...over });

test('h-BN primitive cell: bands equal the analytic two-site dispersion (1e-10) with t(r) = t0·exp(−β(r/a0 − 1)); the gap at K is ε_B − ε_N', () => {
  const a0 = HBN_PI_PARAMETERS.a0_A!;
  for (const model of ['pi-flat', 'pi-normals'] as const) {
    for (const d of [a0, 1.5]) {
      const p = parameters({ model });
      const h = hoppings(primitiveBn(d), p);
      const t = p.t0_eV * Math.exp(-p.beta * (d / a0 - 1));
      const a = Math.sqrt(3) * d;
      // K of the hexagonal zone: |K| = 4π/(3a) along a1
      const K = [(4 * Math.PI) / (3 * a), 0, 0];
      for (const k of [[0, 0, 0], [0.31, -0.72, 0], [1.13, 0.41, 0], K, [Math.PI / a, Math.PI / (Math.sqrt(3) * a), 0]]) {
        const e = hermitianEigen(blochHamiltonian(h, k), false);
        const step = e.embedded ? 2 : 1;
        const bands = [e.values[0], e.values[step]];
        const expected = analyticBands(d, t, k);
        for (let q = 0; q < 2; q++) assert.ok(Math.abs(bands[q] - expected[q]) < 1e-10, `${model} d=${d} k=${k}: band ${q} ${bands[q]} vs ${expected[q]}`);
      }
      const atK = hermitianEigen(blochHamiltonian(h, K), false);
      const gap = atK.values[atK.embedded ? 2 : 1] - atK.values[0];
      assert.ok(Math.abs(gap - Math.abs(EB - EN)) < 1e-10, `gap at K ${gap} vs |ε_B − ε_N| ${Math.abs(EB - EN)}`);
    }
  }
});

test('h-BN supercell el-DoS: no weight inside the gap, E_F mid-gap, 2 states per atom of which half are filled', () => {
  const atoms = bnSupercell(HBN_PI_PARAMETERS.a0_A!, 4, 4);
  const grid = Float64Array.from({ length: 2001 }, (_, k) => -10 + k * 0.01);
  const r = tightBindingExact(atoms, { parameters: { ...HBN_PI_PARAMETERS }, mesh: [6, 6, 1], grid_eV: grid });
  // the spectrum is symmetric about (ε_B + ε_N)/2 = 0, so mid-gap E_F is 0
  assert.ok(Math.abs(r.fermi_eV - (EB + EN) / 2) < 1e-12, `E_F ${r.fermi_eV}`);
  const e = r.levels.energies_eV;
  const below = Math.max(...e.filter((x) => x < r.fermi_eV));
  const above = Math.min(...e.filter((x) => x > r.fermi_eV));
  assert.ok(below <= EN + 1e-12 && above >= EB - 1e-12, `band edges ${below}, ${above} outside [ε_N, ε_B]`);
  const inGap = grid.map((x, k) => (Math.abs(x) < EB - 0.5 ? r.el_dos.dos[k] : 0));
  assert.equal(Math.max(...inGap), 0, 'el-DoS inside the gap');
  const dE = 0.01;
  const total = r.el_dos.dos.reduce((s, x) => s + x, 0) * dE;
  const filled = r.el_dos.dos.reduce((s, x, k) => s + (grid[k] < 0 ? x : 0), 0) * dE;
  assert.ok(Math.abs(total - 2) < 1e-6, `∫ dos = ${total} states/atom`);
  assert.ok(Math.abs(filled - 1) < 1e-6, `∫ dos below E_F = ${filled}`);
});

test('E_F follows the π electron count (B 0, C 1, N 2): a B-rich cell fills exactly its electrons', () => {
  const cell = bnSupercell(1.45, 2, 2);
  // one N → B: B5N3, 6 π electrons on 8 orbitals
  const bRich = new Atoms({ positions: cell.positions, symbols: cell.symbols.map((s, i) => (i === 1 ? 'B' : s)), cell: cell.cell, pbc: cell.pbc });
  assert.equal(piElectronCount(bRich), 6);
  assert.equal(piElectronCount(graphene(2, 2)), 16);
  const r = tightBindingExact(bRich, { parameters: { ...HBN_PI_PARAMETERS }, mesh: [3, 3, 1] });
  assert.notEqual(r.fermi_eV, fermiLevel(r.levels, 8), 'half filling would be another level');
  const occupied = r.levels.energies_eV.reduce((s, e, q) => s + (e < r.fermi_eV - 1e-9 ? 2 * r.levels.weights[q] : 0), 0);
  const atFermi = r.levels.energies_eV.reduce((s, e, q) => s + (Math.abs(e - r.fermi_eV) <= 1e-9 ? 2 * r.levels.weights[q] : 0), 0);
  assert.ok(occupied <= 6 + 1e-9 && occupied + atFermi >= 6 - 1e-9, `occupied ${occupied} (+${atFermi} at E_F) vs 6 electrons`);
});

test('on-site entries reach every consumer of the hopping list: CSR mat-vec = dense H(Γ); ħv stays Hermitian and equals ∂H/∂k + i[H, X]', () => {
  const base = bnSupercell(1.45, 3, 2);
  // a disordered cell: jiggle positions (and buckle) so every hopping differs
  const rand = random(7);
  const p = Float64Array.from(base.positions, (x) => x + 0.08 * (rand() - 0.5));
  const atoms = new Atoms({ positions: p, symbols: base.symbols, cell: base.cell, pbc: base.pbc });
  const h = hoppings(atoms, parameters());
  const n = h.n;
  assert.equal(h.i.length, hoppings(atoms, parameters({ onsite_eV: { B: 0, N: 0 } })).i.length + n, 'one diagonal entry per atom');
  const dense = blochHamiltonian(h, [0, 0, 0]);
  const x = Float64Array.from({ length: n }, () => rand() - 0.5);
  const y = new Float64Array(n);
  csrMultiply(csrHamiltonian(h), x, y);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += dense.re[i * n + j] * x[j];
    assert.ok(Math.abs(s - y[i]) < 1e-12, `row ${i}: ${y[i]} vs ${s}`);
  }
  for (let i = 0; i < n; i++) {
    const expected = atoms.symbols[i] === 'B' ? EB : EN;
    let diagonal = 0;
    for (let e = h.start[i]; e < h.start[i + 1]; e++) if (h.j[e] === i && h.d_A[3 * e] === 0 && h.d_A[3 * e + 1] === 0) diagonal += h.t_eV[e];
    assert.equal(diagonal, expected);
  }
  const k = [0.071, -0.113, 0];
  const hk = blochHamiltonian(h, k);
  assert.ok(hermiticityError(hk) < 1e-13);
  const v = velocityMatrix(h, k, 0);
  assert.ok(hermiticityError(v) < 1e-13);
  const step = 1e-5;
  const plus = blochHamiltonian(h, [k[0] + step, k[1], 0]);
  const minus = blochHamiltonian(h, [k[0] - step, k[1], 0]);
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const dx = atoms.positions[3 * j] - atoms.positions[3 * i];
      const fdRe = (plus.re[i * n + j] - minus.re[i * n + j]) / (2 * step);
      const fdIm = (plus.im[i * n + j] - minus.im[i * n + j]) / (2 * step);
      worst = Math.max(worst, Math.abs(v.re[i * n + j] + hk.im[i * n + j] * dx - fdRe), Math.abs(v.im[i * n + j] - hk.re[i * n + j] * dx - fdIm));
    }
  assert.ok(worst < 1e-6, `velocity vs finite-difference ∂H/∂k: ${worst}`);
});

test('carbon: zero on-site energies add no entries and change no number; B or N without an on-site energy is refused', () => {
  const atoms = graphene(2, 2);
  const plain = tightBindingExact(atoms, { mesh: [3, 3, 1] });
  const zero = tightBindingExact(atoms, { mesh: [3, 3, 1], parameters: { onsite_eV: { C: 0 } } });
  assert.deepEqual(zero.el_dos.dos, plain.el_dos.dos);
  assert.equal(zero.fermi_eV, plain.fermi_eV);
  assert.equal(hoppings(atoms, piParameters({ onsite_eV: { C: 0 } })).i.length, hoppings(atoms, piParameters()).i.length);
  assert.throws(() => hoppings(primitiveBn(1.45), piParameters()), (e: unknown) => e instanceof InputError && /carbon only unless onsite_eV/.test(e.message));
  assert.throws(() => hoppings(primitiveBn(1.45), piParameters({ onsite_eV: { B: 1 } })), (e: unknown) => e instanceof InputError && /atom 2 is N/.test(e.message));
  assert.throws(() => piParameters({ onsite_eV: { Si: 0 } }), InputError);
  assert.throws(() => piParameters({ onsite_eV: { B: Number.NaN } }), InputError);
});
