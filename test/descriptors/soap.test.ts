import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { describe, REFERENCE_SPEC } from '../../src/descriptors/featurize.js';
import { atomPowerSpectra, atomPowerSpectraReference, realSphericalHarmonics, SOAP_DEFAULTS, soapChannel, soapLength, soapMean } from '../../src/descriptors/soap.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { EXAMPLES, FIXTURES, graphene, maxAbsDiff, python, random, run, skipOutsideCi } from '../helpers.js';

const SMALL = { rCut_A: 4, nMax: 4, lMax: 4, width_A: 0.4 };

test('real spherical harmonics obey the addition theorem: Σ_m Y_lm(u) Y_lm(v) = (2l+1)/(4π) P_l(u·v)', () => {
  const rng = random(7);
  const unit = (): number[] => {
    const v = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
    const n = Math.hypot(v[0], v[1], v[2]);
    return v.map((x) => x / n);
  };
  const lMax = 8;
  const Yu = new Float64Array((lMax + 1) ** 2);
  const Yv = new Float64Array((lMax + 1) ** 2);
  for (let trial = 0; trial < 20; trial++) {
    const u = unit();
    const v = trial === 0 ? [0, 0, 1] : unit(); // the pole included
    realSphericalHarmonics(u[0], u[1], u[2], lMax, Yu);
    realSphericalHarmonics(v[0], v[1], v[2], lMax, Yv);
    const x = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
    const P = [1, x];
    for (let l = 2; l <= lMax; l++) P.push(((2 * l - 1) * x * P[l - 1] - (l - 1) * P[l - 2]) / l);
    for (let l = 0; l <= lMax; l++) {
      let s = 0;
      for (let h = l * l; h < (l + 1) ** 2; h++) s += Yu[h] * Yv[h];
      assert.ok(Math.abs(s - ((2 * l + 1) / (4 * Math.PI)) * P[l]) < 1e-12, `l = ${l}: ${s}`);
    }
  }
});

test('the fast path equals the pair-sum reference (addition theorem) on a buckled sheet', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0029'));
  for (const settings of [SMALL, SOAP_DEFAULTS]) assert.ok(maxAbsDiff(atomPowerSpectra(atoms, settings), atomPowerSpectraReference(atoms, settings)) < 1e-12);
});

test('graphene: every atom has the same spectrum; the mean is invariant under rotation, translation, permutation and replication', () => {
  const sheet = graphene(4, 3);
  const width = soapLength(SOAP_DEFAULTS);
  const spectra = atomPowerSpectra(sheet);
  for (let i = 1; i < sheet.length; i++) assert.ok(maxAbsDiff(spectra.subarray(i * width, (i + 1) * width), spectra.subarray(0, width)) < 1e-12);
  const base = readStructure(join(EXAMPLES, 'POSCAR_0055'));
  const reference = soapMean(base);
  const theta = 0.7;
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  const order = Array.from({ length: base.length }, (_, i) => (i * 37) % base.length);
  const positions: number[] = [];
  for (const i of order) {
    const [x, y, z] = base.positions.subarray(3 * i, 3 * i + 3);
    positions.push(c * x - s * y + 1.3, s * x + c * y - 2.1, z);
  }
  const m = base.cell;
  const cell = [c * m[0] - s * m[1], s * m[0] + c * m[1], 0, c * m[3] - s * m[4], s * m[3] + c * m[4], 0, 0, 0, m[8]];
  const moved = new Atoms({ positions, numbers: order.map((i) => base.numbers[i]), cell, pbc: base.pbc }).repeat(2, 1, 1);
  assert.ok(maxAbsDiff(soapMean(moved), reference) < 1e-10);
});

test('the soap channel is 1 + the mean spectrum, after the environment channel, zero-padded', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const d = describe(atoms, { ...REFERENCE_SPEC, environment: true, soap: true });
  const width = soapLength(SOAP_DEFAULTS);
  assert.equal(d.length, 5 * 160);
  assert.deepEqual(Array.from(d.subarray(0, 4 * 160)), Array.from(describe(atoms, { ...REFERENCE_SPEC, environment: true })));
  assert.deepEqual(Array.from(d.subarray(4 * 160, 4 * 160 + width)), Array.from(soapChannel(atoms)));
  assert.ok(d.subarray(4 * 160 + width).every((v) => v === 0));
  assert.ok(soapChannel(atoms).every((v) => v >= 0 && v <= 2));
});

const py = python(['numpy', 'scipy', 'ase']);

test('equals an independent ASE + SciPy implementation on example structures', { skip: skipOutsideCi(py === undefined, 'python3-numpy, -scipy or -ase is not installed') }, () => {
  const files = ['POSCAR_0002', 'POSCAR_1500'].map((f) => join(EXAMPLES, f));
  const r = run(py as string, [join(FIXTURES, 'soap_reference.py'), String(SMALL.rCut_A), String(SMALL.nMax), String(SMALL.lMax), String(SMALL.width_A), ...files]);
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
  files.forEach((f, k) => assert.ok(maxAbsDiff(atomPowerSpectra(readStructure(f), SMALL), theirs[k]) < 1e-9, f));
});
