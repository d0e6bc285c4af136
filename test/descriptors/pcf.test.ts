import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { angularDistribution, coordinationHistogram } from '../../src/descriptors/adf.js';
import { Grid } from '../../src/descriptors/grid.js';
import { pairCorrelation, type PcfKind } from '../../src/descriptors/pcf.js';
import { Atoms } from '../../src/structure/atoms.js';
import { CC_A, graphene, maxAbsDiff, randomSheet } from '../helpers.js';

const grid8 = new Grid(0, 8, 160);

/** Number of neighbours per atom in [r0, r1) recovered from a per-area g(r): Σ g·ρ·2πr·dr. */
function neighboursFromG(g: Float64Array, grid: Grid, density: number, r0: number, r1: number): number {
  let sum = 0;
  const centres = grid.centres();
  for (let k = 0; k < grid.bins; k++) if (centres[k] >= r0 && centres[k] < r1) sum += g[k] * density * 2 * Math.PI * centres[k] * grid.step;
  return sum;
}

test('graphene: first g(r) peak at 1.42 Å, coordination exactly 3, then 6 at √3·d', () => {
  const g = graphene(8, 5);
  const area = g.cell[0] * g.cell[4];
  for (const kind of ['2d', '3d', 'quasi2d'] as PcfKind[]) {
    const pcf = pairCorrelation(g, { kind, grid: grid8 });
    const first = pcf.findIndex((v) => v > 0);
    assert.equal(first, grid8.binOf(CC_A), kind);
    assert.ok(Math.abs(neighboursFromG(pcf, grid8, g.length / area, 0, 1.8) - 3) < 1e-12, kind);
    assert.ok(Math.abs(neighboursFromG(pcf, grid8, g.length / area, 1.8, 2.6) - 6) < 1e-12, kind);
  }
});

test('2D g(r) of a large graphene sheet tends to 1 (smeared, averaged over 12–20 Å)', () => {
  const g = graphene(36, 20); // 2880 atoms, 88 × 85 Å
  const grid = new Grid(0, 20, 100);
  const pcf = pairCorrelation(g, { kind: '2d', grid, smearing_A: 0.3 });
  const centres = grid.centres();
  let sum = 0;
  let count = 0;
  for (let k = 0; k < grid.bins; k++) if (centres[k] > 12) (sum += pcf[k]), count++;
  assert.ok(Math.abs(sum / count - 1) < 0.02, `mean g = ${sum / count}`);
});

test('random points: g ≈ 1 within counting noise (2d, quasi2d of a buckled sheet, bulk)', () => {
  const grid = new Grid(0, 8, 16);
  const check = (g: Float64Array, expectedPairs: (k: number) => number, label: string): void => {
    for (let k = 2; k < grid.bins; k++) {
      const sigma = 1 / Math.sqrt(expectedPairs(k) / 2); // unordered pairs are Poisson
      assert.ok(Math.abs(g[k] - 1) < 5 * sigma, `${label} bin ${k}: g = ${g[k]}, σ = ${sigma}`);
    }
  };
  const flat = randomSheet(2500, 60, 60, 0, 1);
  const rho = 2500 / 3600;
  const area = (k: number): number => Math.PI * (grid.edge(k + 1) ** 2 - grid.edge(k) ** 2);
  check(pairCorrelation(flat, { kind: '2d', grid }), (k) => 2500 * rho * area(k), '2d');
  const buckled = randomSheet(2500, 60, 60, 3, 2);
  check(pairCorrelation(buckled, { kind: 'quasi2d', grid }), (k) => 2500 * rho * area(k) * 0.9, 'quasi2d');
  // The per-area 3D g(r) of the same sheet dips at small r: only pairs with |Δz| < r reach r.
  // For heights uniform over t = 3 Å, P(|Δz| < r) = 1 − (1 − r/t)², 0.826 at r = 1.75 Å.
  const g3 = pairCorrelation(buckled, { kind: '3d', grid });
  assert.ok(Math.abs(g3[3] - (1 - (1 - 1.75 / 3) ** 2)) < 0.03, `3d g at 1.75 Å = ${g3[3]}`);
  const box = randomSheet(3000, 25, 25, 25, 3);
  const bulk = new Atoms({ positions: box.positions, numbers: box.numbers, cell: [25, 0, 0, 0, 25, 0, 0, 0, 25], pbc: [true, true, true] });
  const vol = (k: number): number => (4 / 3) * Math.PI * (grid.edge(k + 1) ** 3 - grid.edge(k) ** 3);
  check(pairCorrelation(bulk, { kind: 'bulk', grid }), (k) => (3000 * 3000 * vol(k)) / 25 ** 3, 'bulk');
});

test('quasi2d equals 2d for a flat sheet', () => {
  const flat = randomSheet(300, 20, 18, 0, 5);
  assert.ok(maxAbsDiff(pairCorrelation(flat, { kind: 'quasi2d', grid: grid8 }), pairCorrelation(flat, { kind: '2d', grid: grid8 })) < 1e-12);
});

// (quasi2d partials are normalised by each pair's own height profile, so this identity is not theirs)
test('partials add up: g = Σ_ab x_a x_b g_ab', () => {
  const s = randomSheet(240, 20, 21, 1, 6, ['C', 'C', 'N', 'B']);
  const counts: Record<string, number> = { C: 120, N: 60, B: 60 };
  for (const kind of ['2d', '3d'] as PcfKind[]) {
    const total = pairCorrelation(s, { kind, grid: grid8 });
    const sum = new Float64Array(grid8.bins);
    for (const a of ['C', 'N', 'B'])
      for (const b of ['C', 'N', 'B']) {
        const part = pairCorrelation(s, { kind, grid: grid8, species: [a, b] });
        for (let k = 0; k < sum.length; k++) sum[k] += ((counts[a] * counts[b]) / 240 ** 2) * part[k];
      }
    assert.ok(maxAbsDiff(total, sum) < 1e-12, kind);
  }
});

test('Gaussian smearing keeps the number of pairs', () => {
  const s = randomSheet(200, 30, 30, 0.5, 8);
  const grid = new Grid(0, 12, 120);
  const area = 900;
  const plain = pairCorrelation(s, { kind: '2d', grid });
  const smeared = pairCorrelation(s, { kind: '2d', grid, smearing_A: 0.1 });
  assert.ok(Math.abs(neighboursFromG(plain, grid, 200 / area, 1, 11) - neighboursFromG(smeared, grid, 200 / area, 1, 11)) < 0.05);
  assert.ok(maxAbsDiff(plain, smeared) > 0.01);
});

test('ADF of graphene is one peak at 120°; coordination histogram is all 3', () => {
  const g = graphene(5, 3);
  const adf = angularDistribution(g, { grid: new Grid(1, 181, 90, 'deg') });
  assert.ok(Math.abs(adf[59] - 1) < 1e-12, `weight at 120° = ${adf[59]}`);
  const coord = coordinationHistogram(g);
  assert.equal(coord[3], 1);
});

/** Rotate a sheet about z (cell with it), translate, permute, replicate: g(r) and ADF must not change. */
test('E(3) (in-plane rotation, translation), permutation and supercell invariance', () => {
  const base = randomSheet(60, 11.5, 9.7, 1.4, 9);
  const grid = new Grid(0, 6, 60);
  const kinds: PcfKind[] = ['2d', '3d', 'quasi2d'];
  const reference = kinds.map((kind) => pairCorrelation(base, { kind, grid }));
  const adf0 = angularDistribution(base, { bondCutoff_A: 2.2 });
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      fc.tuple(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })),
      fc.integer({ min: 0, max: 1 << 30 }),
      fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      (theta, shift, seed, [n0, n1]) => {
        const c = Math.cos(theta);
        const s = Math.sin(theta);
        const order = Array.from({ length: 60 }, (_, i) => i).sort((a, b) => ((a * 2654435761 + seed) % 97) - ((b * 2654435761 + seed) % 97));
        const positions: number[] = [];
        for (const i of order) {
          const [x, y, z] = base.positions.subarray(3 * i, 3 * i + 3);
          positions.push(c * x - s * y + shift[0], s * x + c * y + shift[1], z + shift[2]);
        }
        const m = base.cell;
        const cell = [c * m[0] - s * m[1], s * m[0] + c * m[1], 0, c * m[3] - s * m[4], s * m[3] + c * m[4], 0, 0, 0, m[8]];
        const moved = new Atoms({ positions, numbers: order.map((i) => base.numbers[i]), cell, pbc: [true, true, true] }).repeat(n0, n1, 1);
        kinds.forEach((kind, k) => assert.ok(maxAbsDiff(pairCorrelation(moved, { kind, grid }), reference[k]) < 1e-9, kind));
        assert.ok(maxAbsDiff(angularDistribution(moved, { bondCutoff_A: 2.2 }), adf0) < 1e-9, 'adf');
      },
    ),
    { numRuns: 25, seed: 7 },
  );
});

test('bulk g(r) is invariant under any 3D rotation', () => {
  const box = randomSheet(80, 9, 9, 9, 12);
  const base = new Atoms({ positions: box.positions, numbers: box.numbers, cell: [9, 0, 0, 0, 9, 0, 0, 0, 9], pbc: [true, true, true] });
  const grid = new Grid(0, 7, 70);
  const g0 = pairCorrelation(base, { kind: 'bulk', grid });
  fc.assert(
    fc.property(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), (q) => {
      const norm = Math.hypot(...q);
      fc.pre(norm > 0.1);
      const [w, x, y, z] = q.map((v) => v / norm);
      const R = [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)];
      const rot = (v: ArrayLike<number>, o: number): number[] => [0, 1, 2].map((r) => R[3 * r] * v[o] + R[3 * r + 1] * v[o + 1] + R[3 * r + 2] * v[o + 2]);
      const positions = Array.from({ length: 80 }, (_, i) => rot(base.positions, 3 * i)).flat();
      const cell = [0, 1, 2].flatMap((r) => rot(base.cell, 3 * r));
      const turned = new Atoms({ positions, numbers: base.numbers, cell, pbc: [true, true, true] });
      assert.ok(maxAbsDiff(pairCorrelation(turned, { kind: 'bulk', grid }), g0) < 1e-9);
    }),
    { numRuns: 20, seed: 3 },
  );
});

test('a sheet cut by the z boundary of its cell gives the same g(r) as the whole sheet', () => {
  const whole = randomSheet(120, 14, 15, 1.5, 21); // z in [10, 11.5], c = 21.5
  const positions = Float64Array.from(whole.positions);
  for (let i = 0; i < 120; i++) positions[3 * i + 2] -= 10.7; // some atoms now below z = 0
  for (let i = 0; i < 120; i++) if (positions[3 * i + 2] < 0) positions[3 * i + 2] += whole.cell[8];
  const cut = new Atoms({ positions, numbers: whole.numbers, cell: whole.cell, pbc: [true, true, true] });
  for (const kind of ['3d', 'quasi2d'] as PcfKind[]) {
    assert.ok(maxAbsDiff(pairCorrelation(cut, { kind, grid: grid8 }), pairCorrelation(whole, { kind, grid: grid8 })) < 1e-9, kind);
  }
});
