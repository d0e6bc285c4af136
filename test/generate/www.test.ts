import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestGrapheneCell } from '../../src/generate/graphene.js';
import { KEATING_GRAPHENE } from '../../src/generate/keating.js';
import { ringStatistics, RING_CATEGORIES } from '../../src/generate/rings.js';
import { sheetAtoms } from '../../src/generate/toAtoms.js';
import { anyCrossing } from '../../src/generate/geometry.js';
import { applySwitch, degreeCounts, generateWww, grapheneNetwork, pickSwitch, relaxNetwork } from '../../src/generate/www.js';
import { Rng } from '../../src/util/random.js';

const six = RING_CATEGORIES.indexOf('6');

test('the nearest graphene cell: 4·nx·ny atoms, the requested count when feasible', () => {
  assert.equal(nearestGrapheneCell(96).atoms, 96);
  assert.equal(nearestGrapheneCell(252).atoms, 252);
  const c = nearestGrapheneCell(201);
  assert.equal(c.atoms % 4, 0);
  assert.ok(Math.abs(c.atoms - 201) <= 3);
});

test('one WWW switch on graphene makes a Stone–Wales 5-7-7-5 defect', () => {
  const net = grapheneNetwork(nearestGrapheneCell(160));
  const rng = new Rng(4);
  let sw;
  while ((sw = pickSwitch(net, rng)) === undefined);
  applySwitch(net, sw);
  relaxNetwork(net, KEATING_GRAPHENE, 2);
  const stats = ringStatistics(sheetAtoms(net, 10, 'sw'));
  const counts = Array.from(stats.ringCounts);
  assert.equal(counts[RING_CATEGORIES.indexOf('5')], 2);
  assert.equal(counts[RING_CATEGORIES.indexOf('7')], 2);
  // Euler on the torus: F = E − V = N/2 faces in all; the four defect rings replaced four hexagons
  assert.equal(counts[six], net.n / 2 - 4);
  assert.equal(counts.reduce((a, b) => a + b, 0), net.n / 2);
  assert.deepEqual(Array.from(degreeCounts(net)).slice(0, 5), [0, 0, 0, net.n, 0]);
});

test('WWW sheets: flat ones have no crossing bonds and stay at z = 0; same seed, same sheet bit for bit', () => {
  const a = generateWww({ atoms: 96, seed: 7, temperature_K: 60000, switches: 150 });
  const b = generateWww({ atoms: 96, seed: 7, temperature_K: 60000, switches: 150 });
  assert.ok(a.accepted > 5, `accepted ${a.accepted}`);
  assert.deepEqual(a.network.positions, b.network.positions);
  assert.ok(a.network.positions.every((x, k) => k % 3 !== 2 || x === 0));
  assert.equal(anyCrossing(a.network, Int32Array.from({ length: a.network.n }, (_, i) => i)), false);
  const rings = ringStatistics(sheetAtoms(a.network, 10, 'www'));
  // a disordered three-coordinated flat network: Euler's count of faces holds, with odd rings
  assert.equal(Array.from(rings.ringCounts).reduce((x, y) => x + y, 0), a.network.n / 2);
  assert.ok(rings.ringCounts[six] < a.network.n / 2);
});

test('WWW 3D with vacancies: the requested atom count, two-coordinated atoms, out-of-plane relief', () => {
  const r = generateWww({ atoms: 120, seed: 3, dimensions: 3, vacancies: 0.06, inPlaneScale: 0.96, temperature_K: 60000, switches: 120 });
  assert.equal(r.atoms, 120);
  const deg = degreeCounts(r.network);
  assert.ok(deg[2] >= 10, `two-coordinated ${deg[2]}`);
  let zMin = Infinity;
  let zMax = -Infinity;
  for (let i = 0; i < r.atoms; i++) {
    zMin = Math.min(zMin, r.network.positions[3 * i + 2]);
    zMax = Math.max(zMax, r.network.positions[3 * i + 2]);
  }
  assert.ok(zMax - zMin > 0.5, `height range ${zMax - zMin} Å under 4 % compression`);
});
