import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDoscar } from '../../src/data/labels.js';
import { defaultKpoints, elDosFromLevels, parseKpoints, PUBLIC_DOSCAR_SMEARING_EV, sigmaProperties, type KohnShamLevels } from '../../src/engines/dft.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readPoscar } from '../../src/structure/io/poscar.js';
import { FIXTURES, maxAbsDiff, random } from '../helpers.js';

/** Random levels of a 10-atom cell on 3 k-points, 12 bands, E_F = −1.3 eV. */
function levels(): KohnShamLevels {
  const rand = random(7);
  return {
    nspins: 1,
    nbands: 12,
    weights: Float64Array.from([0.25, 0.5, 0.25]),
    eigenvalues_eV: Float64Array.from({ length: 36 }, () => -5 + 7 * rand()),
    fermi_eV: -1.3,
  };
}

/** A DOSCAR as VASP writes it: the levels smeared by a Gaussian of `sigma` on a fine grid. */
function doscar(l: KohnShamLevels, atoms: number, sigma: number): string {
  const emin = -9;
  const emax = 6;
  const nedos = 7501; // ΔE = 2 meV
  const dE = (emax - emin) / (nedos - 1);
  const rows: string[] = [];
  for (let k = 0; k < nedos; k++) {
    const e = emin + k * dE;
    let d = 0;
    for (let i = 0; i < l.eigenvalues_eV.length; i++) {
      const x = (e - l.eigenvalues_eV[i]) / sigma;
      d += (2 * l.weights[Math.floor(i / l.nbands)] * Math.exp(-0.5 * x * x)) / (Math.sqrt(2 * Math.PI) * sigma);
    }
    rows.push(`${e} ${d} 0`);
  }
  return [`${atoms} ${atoms} 1 0`, '0 0 0 0 0', '1e-4', 'CAR', 'synthetic', `${emax} ${emin} ${nedos} ${l.fermi_eV} 1`, ...rows, ''].join('\n');
}

test('el-DoS from levels with DoS smearing s equals parseDoscar of the DOSCAR those levels give with SIGMA = s', () => {
  const l = levels();
  for (const s of [0.05, 0.1, 0.15]) {
    const ours = elDosFromLevels(l, 10, s).dos;
    const viaDoscar = parseDoscar(doscar(l, 10, s));
    const diff = maxAbsDiff(ours, viaDoscar);
    assert.ok(diff < 1e-6 * Math.max(...viaDoscar), `SIGMA ${s}: max |Δ| ${diff}`);
  }
  // no smearing: each level is one unit-area Gaussian of 0.05 eV, 2·w_k electrons, per atom
  const bare = elDosFromLevels({ nspins: 1, nbands: 1, weights: Float64Array.of(1), eigenvalues_eV: Float64Array.of(0.7), fermi_eV: 0.7 }, 4).dos;
  assert.ok(Math.abs(bare[40] - 2 / (Math.sqrt(2 * Math.PI) * 0.05) / 4) < 1e-12);
  assert.ok(Math.abs(bare[41] - (2 * Math.exp(-0.5)) / (Math.sqrt(2 * Math.PI) * 0.05) / 4) < 1e-12);
  // spin-polarised: one electron per level and spin
  const spin = elDosFromLevels({ nspins: 2, nbands: 1, weights: Float64Array.of(1), eigenvalues_eV: Float64Array.of(0.7, 0.7), fermi_eV: 0.7 }, 4).dos;
  assert.ok(Math.abs(spin[40] - bare[40]) < 1e-15);
  assert.throws(() => elDosFromLevels(l, 10, -0.1), /dosSmearing_eV/);
});

test('σ properties: S/m = ε₀·ω·label, sheet conductance over the cell height (volume / area) also for a slanted c', () => {
  const label = { xx: 200, yy: 300 };
  const factor = (8.8541878128e-12 * 0.0181) / 6.582119569e-16;
  const flat = new Atoms({ positions: [0, 0, 5], symbols: ['C'], cell: [10, 0, 0, 0, 12, 0, 0, 0, 20], pbc: [true, true, true] });
  const p = sigmaProperties(label, 0.0181, flat);
  assert.ok(Math.abs(p.sigma_S_m.xx - 200 * factor) < 1e-9 * p.sigma_S_m.xx);
  assert.ok(Math.abs(p.sheet_conductance_S!.yy - 300 * factor * 20e-10) < 1e-12 * p.sheet_conductance_S!.yy);
  const slanted = new Atoms({ positions: [0, 0, 5], symbols: ['C'], cell: [10, 0, 0, 0, 12, 0, 3, 4, 20], pbc: [true, true, true] });
  assert.ok(Math.abs(sigmaProperties(label, 0.0181, slanted).sheet_conductance_S!.xx - p.sheet_conductance_S!.xx) < 1e-12 * p.sheet_conductance_S!.xx);
  assert.equal(sigmaProperties(label, 0.0181).sheet_conductance_S, undefined);
});

test('default k-points: ⌈25 Å / width⌉ in the plane, one point across vacuum or a non-periodic axis', () => {
  const sheet = readPoscar(readFileSync(join(FIXTURES, 'dft', 'POSCAR_3069'), 'utf8'));
  assert.deepEqual(defaultKpoints(sheet), [2, 2, 1]); // 17.0 × 14.8 Å, 10 Å vacuum
  const a = 3.567;
  const diamond = new Atoms({ positions: [0, 0, 0, a / 4, a / 4, a / 4], symbols: ['C', 'C'], cell: [a, 0, 0, 0, a, 0, 0, 0, a], pbc: [true, true, true] });
  assert.deepEqual(defaultKpoints(diamond), [8, 8, 8]);
  const wire = new Atoms({ positions: [0, 0, 0], symbols: ['C'], cell: [2.5, 0, 0, 0, 15, 0, 0, 0, 15], pbc: [true, false, false] });
  assert.deepEqual(defaultKpoints(wire), [10, 1, 1]);
  assert.deepEqual(parseKpoints('4,4,1'), [4, 4, 1]);
  assert.throws(() => parseKpoints('4,4'), /three whole numbers/);
  assert.throws(() => parseKpoints('4,0,1'), /three whole numbers/);
});

test('the public DOSCAR is smeared by PUBLIC_DOSCAR_SMEARING_EV: its band-bottom tail is a Gaussian of that width', () => {
  // ln D(E) of the lowest rows is a parabola −(E − E₀)²/(2s²): fit it by least squares
  const rows = readFileSync(join(FIXTURES, 'dft', 'DOSCAR_3069'), 'utf8').split('\n').slice(6).map((l) => l.trim().split(/\s+/).map(Number));
  const tail = rows.filter((r) => r[1] > 5e-5).slice(0, 13);
  const n = tail.length;
  const x = tail.map((r) => r[0] - tail[0][0]);
  const y = tail.map((r) => Math.log(r[1]));
  // normal equations of y = a + b x + c x²
  const S = (f: (k: number) => number): number => Array.from({ length: n }, (_, k) => f(k)).reduce((p, q) => p + q, 0);
  const m = [
    [n, S((k) => x[k]), S((k) => x[k] ** 2)],
    [S((k) => x[k]), S((k) => x[k] ** 2), S((k) => x[k] ** 3)],
    [S((k) => x[k] ** 2), S((k) => x[k] ** 3), S((k) => x[k] ** 4)],
  ];
  const v = [S((k) => y[k]), S((k) => x[k] * y[k]), S((k) => x[k] ** 2 * y[k])];
  const det = (a: number[][]): number => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const c = det(m.map((row, i) => [row[0], row[1], v[i]])) / det(m);
  const width = Math.sqrt(-1 / (2 * c));
  assert.ok(Math.abs(width - PUBLIC_DOSCAR_SMEARING_EV) < 0.005, `fitted tail width ${width} eV`);
});
