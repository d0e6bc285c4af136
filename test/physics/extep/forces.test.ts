import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AtomicSystem } from '../../../src/physics/forceField.js';
import { Extep } from '../../../src/physics/extep/extep.js';
import { loadExtep } from '../../../src/physics/extep/params.js';
import { correctionXY, envelope, knotTable, patchTable } from '../../../src/physics/extep/spline.js';
import { forceConstants } from '../../../src/physics/phonons/forceConstants.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { random } from '../../helpers.js';
import { randomCell } from '../tersoff/support.js';
import { abnSheet, hbnHexagonal, homopolarBonds, withBond } from './support.js';

/**
 * ExTeP's forces and virial against finite differences of its own energy (no LAMMPS needed): forces
 * by central differences on distorted cells where F_corr is at work (an a-BN sheet with squeezed
 * homopolar pairs, a random dense B/N cell with bonds in the switching shell), the virial by finite
 * strain, the spline's derivatives by differences of its values, and cluster force constants
 * against whole-cell ones.
 */
const PARAMS = loadExtep('extep-bn-2017');

function energy(ff: Extep, atoms: AtomicSystem, positions: Float64Array, cell = atoms.cell): number {
  return ff.compute({ positions, numbers: atoms.numbers, cell, pbc: atoms.pbc }).energy_eV;
}

function distortedSheet(): Atoms {
  const sheet = abnSheet();
  const homo = homopolarBonds(sheet);
  const nn = homo.find((b) => sheet.numbers[b.i] === 7)!;
  const bb = homo.find((b) => sheet.numbers[b.i] === 5)!;
  const squeezed = withBond(withBond(sheet, nn, 1.15), bb, 1.25);
  const rand = random(9);
  const positions = Float64Array.from(squeezed.positions, (x) => x + 0.08 * (rand() - 0.5));
  return new Atoms({ positions, numbers: squeezed.numbers, cell: squeezed.cell, pbc: squeezed.pbc });
}

test('forces are −∂E/∂r by central differences (h = 1e-5 Å) on a distorted a-BN sheet and a random dense B/N cell', () => {
  const cases: [string, Atoms][] = [
    ['a-BN sheet, squeezed homopolar pairs, jiggled ±0.04 Å', distortedSheet()],
    ['random triclinic B/N cell', randomCell([6, 0, 0, 1.5, 6.2, 0, 0.3, -0.5, 5], 30, ['B', 'N'], 2, 1.2)],
  ];
  for (const [what, atoms] of cases) {
    const ff = new Extep(PARAMS);
    const { forces_eV_A } = ff.compute(atoms);
    const fcorr = ff.bondOrder.compute(atoms).forces_eV_A;
    const h = 1e-5;
    const x = Float64Array.from(atoms.positions);
    let worst = 0;
    let largestCorrection = 0;
    for (let k = 0; k < x.length; k++) {
      const x0 = x[k];
      x[k] = x0 + h;
      const ep = energy(ff, atoms, x);
      x[k] = x0 - h;
      const em = energy(ff, atoms, x);
      x[k] = x0;
      const fd = -(ep - em) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - forces_eV_A[k]));
      largestCorrection = Math.max(largestCorrection, Math.abs(forces_eV_A[k] - fcorr[k]));
      assert.ok(Math.abs(fd - forces_eV_A[k]) < 1e-6 * Math.max(1, Math.abs(fd)), `${what} coordinate ${k}: analytic ${forces_eV_A[k]}, finite difference ${fd}`);
    }
    assert.ok(largestCorrection > 1e-2, `${what}: F_corr moves the forces (largest change ${largestCorrection} eV/Å)`);
    console.log(`# ${what}: ${atoms.length} atoms, max |F − F_fd| = ${worst.toExponential(2)} eV/Å over all ${x.length} coordinates; F_corr changes forces by up to ${largestCorrection.toFixed(3)} eV/Å`);
  }
});

test('stress −W/V equals (1/V) ∂E/∂ε by finite strain (ε = 1e-5) on the distorted a-BN sheet and a jiggled hexagonal h-BN cell', () => {
  for (const [what, atoms] of [
    ['a-BN sheet', distortedSheet()],
    ['h-BN 3×3 hexagonal', hbnHexagonal(3, 1.42, 0.1, 4)],
  ] as const) {
    const ff = new Extep(PARAMS);
    const { virial_eV } = ff.compute(atoms);
    const volume = atoms.volume_A3;
    const h = 1e-5; // round-off of E (sums of ±100 eV terms) over 1e-6 would reach 1e-6 eV
    let worst = 0;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        // r → r + ε r_b e_a on every position and cell vector: dE/dε = −Σ f_a r_b = −W[b][a]
        const strained = (e: number): number => {
          const apply = (v: ArrayLike<number>): Float64Array => {
            const out = Float64Array.from(v);
            for (let k = 0; k < v.length; k += 3) out[k + a] += e * v[k + b];
            return out;
          };
          return energy(ff, atoms, apply(atoms.positions), apply(atoms.cell));
        };
        const fd = (strained(h) - strained(-h)) / (2 * h);
        const analytic = -virial_eV[3 * b + a];
        worst = Math.max(worst, Math.abs(fd - analytic) / volume);
        assert.ok(Math.abs(fd - analytic) < 1e-6 * Math.max(1, Math.abs(analytic)), `${what} W[${b}][${a}]: ${-analytic} vs finite strain ${-fd}`);
      }
    }
    console.log(`# ${what}: max |σ − σ_fd| = ${worst.toExponential(2)} eV/Å³`);
  }
});

test('per-atom energies sum to the energy; centroid and LAMMPS-form per-atom virials both sum to the virial', () => {
  const atoms = distortedSheet();
  for (const perAtomVirial of ['centroid', 'third'] as const) {
    const r = new Extep(PARAMS, { perAtomVirial }).compute(atoms, { energies: true, virials: true });
    const sumE = (r.energies_eV as Float64Array).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sumE - r.energy_eV) < 1e-10 * Math.abs(r.energy_eV));
    for (let c = 0; c < 9; c++) {
      let s = 0;
      for (let i = 0; i < atoms.length; i++) s += (r.virials_eV as Float64Array)[9 * i + c];
      assert.ok(Math.abs(s - r.virial_eV[c]) < 1e-9 * (1 + Math.abs(r.virial_eV[c])), `${perAtomVirial} component ${c}`);
    }
  }
});

test('F_XY and f_env: derivatives equal differences of values inside every patch; F_XY meets the file\'s knot values and slopes at the corners', () => {
  const nel = PARAMS.elements.length;
  const knots = knotTable(PARAMS.elements, PARAMS.knots);
  const patches = patchTable(nel, knots);
  const d = new Float64Array(2);
  const dp = new Float64Array(2);
  const h = 1e-6;
  const rand = random(17);
  let worst = 0;
  for (let ti = 0; ti < nel; ti++)
    for (let tj = 0; tj < nel; tj++)
      for (let a = 0; a < 4; a++)
        for (let b = 0; b < 4; b++) {
          const x = a + 0.05 + 0.9 * rand();
          const y = b + 0.05 + 0.9 * rand();
          correctionXY(patches, nel, ti, tj, x, y, d);
          const dx = (correctionXY(patches, nel, ti, tj, x + h, y, dp) - correctionXY(patches, nel, ti, tj, x - h, y, dp)) / (2 * h);
          const dy = (correctionXY(patches, nel, ti, tj, x, y + h, dp) - correctionXY(patches, nel, ti, tj, x, y - h, dp)) / (2 * h);
          worst = Math.max(worst, Math.abs(dx - d[0]), Math.abs(dy - d[1]));
          // at the patch's lower corner: value and slopes of the knot (a, b)
          const o = (((ti * nel + tj) * 5 + a) * 5 + b) * 3;
          const v = correctionXY(patches, nel, ti, tj, a, b, d);
          assert.ok(Math.abs(v - knots[o]) < 1e-15 && Math.abs(d[0] - knots[o + 1]) < 1e-12 && Math.abs(d[1] - knots[o + 2]) < 1e-12, `knot ${PARAMS.elements[ti]}${PARAMS.elements[tj]} (${a}, ${b})`);
        }
  assert.ok(worst < 1e-8, `F_XY derivative vs differences: ${worst}`);
  assert.equal(correctionXY(patches, nel, 0, 1, 4.2, 1.5, d), 0, 'no correction from a count of 4 on');
  // the knot table is mirrored: F_XY(i, j; x, y) = F_XY(j, i; y, x)
  for (const [x, y] of [[0.3, 2.7], [1.9, 0.4], [3.5, 3.1]]) assert.equal(correctionXY(patches, nel, 0, 1, x, y, d), correctionXY(patches, nel, 1, 0, y, x, dp));
  const e = new Float64Array(1);
  const ep = new Float64Array(1);
  for (const [x, y] of [[0.3, 0.6], [0.7, 2.5], [3.4, 0.2], [3.7, 3.6], [2.2, 3.3]]) {
    envelope(x, y, e);
    const fd = (envelope(x + h, y, ep) - envelope(x - h, y, ep)) / (2 * h);
    assert.ok(Math.abs(fd - e[0]) < 1e-8, `f_env′ at (${x}, ${y}): ${e[0]} vs ${fd}`);
    assert.ok(Math.abs(envelope(x, y, ep) - envelope(y, x, ep)) < 1e-15, 'f_env is symmetric');
  }
});

test('cluster force constants (the phonon default: atoms within 4 cut-offs of the displaced one) equal whole-cell ones on the distorted a-BN sheet', () => {
  // An ExTeP term spans up to 3 cut-offs (k–i–j–l), a Tersoff term 2; the cluster holds every term
  // that contains the displaced atom either way.
  const atoms = distortedSheet();
  const ff = new Extep(PARAMS);
  const full = forceConstants(atoms, ff, { method: 'full' });
  const cluster = forceConstants(atoms, ff, { method: 'cluster' });
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < full.length; k++) {
    worst = Math.max(worst, Math.abs(full[k] - cluster[k]));
    scale = Math.max(scale, Math.abs(full[k]));
  }
  assert.ok(worst < 1e-8 * scale, `cluster vs full: max |ΔΦ| ${worst} of ${scale} eV/Å²`);
  console.log(`# cluster vs full Φ: max |ΔΦ| ${worst.toExponential(2)} eV/Å² of largest |Φ| ${scale.toFixed(2)}`);
});
