import { releaseThermalPcf } from '../../src/descriptors/releasePcf.js';
import { THERMAL_GRID } from '../../src/tasks/modelInput.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHEET_FEATURES, sheetFeatures } from '../../src/generate/compare.js';
import { CLI, FIXTURES, graphene, run } from '../helpers.js';

test('release-normalised g(r) of graphene: shell counts per atom (each pair once) over 0.9 × the bin\'s left edge', () => {
  const d = 1.44;
  const g = releaseThermalPcf(graphene(8, 5, d), THERMAL_GRID, 'structure', { round: false });
  // shells: 3 at d (1.5 pairs per atom), 6 at √3 d = 2.49 (3), 3 at 2d = 2.88 (1.5), 6 at 3d = 4.32 (3)
  assert.ok(Math.abs(g[14] - 1.5 / 1.4 / 0.9) < 1e-12);
  assert.ok(Math.abs(g[24] - 3 / 2.4 / 0.9) < 1e-12);
  assert.ok(Math.abs(g[28] - 1.5 / 2.8 / 0.9) < 1e-12);
  assert.ok(Math.abs(g[43] - 3 / 4.3 / 0.9) < 1e-12);
  for (let b = 0; b < 14; b++) assert.equal(g[b], 0);
  // large r: π ρ Δr / 0.9 on average (ρ = 4 / (√3 d · 3 d))
  const rho = 4 / (Math.sqrt(3) * d * 3 * d);
  let mean = 0;
  for (let b = 50; b < 100; b++) mean += g[b] / 50;
  assert.ok(Math.abs((0.9 * mean) / (Math.PI * rho * 0.1) - 1) < 0.05, `mean ${mean}`);
});

test('sheet features of graphene: hexagons only, coordination 3, 120°, flat', () => {
  const f = sheetFeatures(graphene(4, 3));
  const at = (k: string) => f[SHEET_FEATURES.indexOf(k)];
  assert.equal(at('rings_6_per_atom'), 0.5);
  assert.equal(at('coordination_3_fraction'), 1);
  assert.ok(Math.abs(at('bond_angle_mean_deg') - 120) < 1e-9);
  assert.ok(at('height_std_A') < 1e-12);
});

test('spramnet rings --json prints exactly input, ring_fractions 3…12+, coordination 2/3/4, bond_length_A', () => {
  const file = join(FIXTURES, 'generate', 'POSCAR_3077');
  const r = run(process.execPath, [CLI, 'rings', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.equal(out.length, 1);
  assert.deepEqual(Object.keys(out[0]), ['input', 'ring_fractions', 'coordination', 'bond_length_A']);
  assert.equal(out[0].input, file);
  const rings = out[0].ring_fractions as Record<string, number>;
  assert.deepEqual(Object.keys(rings), ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12+']);
  assert.ok(Math.abs(Object.values(rings).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.deepEqual(Object.keys(out[0].coordination as object), ['2', '3', '4']);
  assert.deepEqual(Object.keys(out[0].bond_length_A as object), ['mean', 'std']);
});
