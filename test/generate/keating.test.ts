import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEATING_GRAPHENE, keatingEnergy, regionAround } from '../../src/generate/keating.js';
import { nearestGrapheneCell } from '../../src/generate/graphene.js';
import { applySwitch, grapheneNetwork, pickSwitch } from '../../src/generate/www.js';
import { Rng } from '../../src/util/random.js';

/** A strained 3D network: graphene with one Stone–Wales switch and random displacements. */
function disordered(seed: number) {
  const net = grapheneNetwork(nearestGrapheneCell(96));
  const rng = new Rng(seed);
  let sw;
  while ((sw = pickSwitch(net, rng)) === undefined);
  applySwitch(net, sw);
  for (let k = 0; k < net.positions.length; k++) net.positions[k] += 0.15 * rng.normal();
  return { net, sw };
}

for (const [label, params] of [['120° everywhere', KEATING_GRAPHENE], ['150° at two-coordinated atoms', { ...KEATING_GRAPHENE, cosTheta0TwoFold: Math.cos((150 * Math.PI) / 180) }]] as const)
test(`Keating forces equal central finite differences of the energy (3D, strained, vacancies, ${label})`, () => {
  const { net: full } = disordered(1);
  // a vacancy: its three neighbours become two-coordinated
  const keep = new Uint8Array(full.n).fill(1);
  keep[5] = 0;
  const net = full.subset(keep);
  const g = new Float64Array(net.positions.length);
  keatingEnergy(net, params, g);
  const h = 1e-5;
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < net.positions.length; k += 7) {
    const x = net.positions[k];
    net.positions[k] = x + h;
    const ep = keatingEnergy(net, params);
    net.positions[k] = x - h;
    const em = keatingEnergy(net, params);
    net.positions[k] = x;
    worst = Math.max(worst, Math.abs((ep - em) / (2 * h) - g[k]));
    scale = Math.max(scale, Math.abs(g[k]));
  }
  assert.ok(scale > 1, `forces of the strained network should be large, got ${scale}`);
  assert.ok(worst < 1e-6 * scale, `largest |FD − analytic| ${worst} eV/Å (scale ${scale})`);
});

test('regional Keating energy: moving region atoms changes it exactly as the total', () => {
  const { net, sw } = disordered(2);
  const region = regionAround(net, sw, 2);
  const e0 = keatingEnergy(net, KEATING_GRAPHENE);
  const r0 = keatingEnergy(net, KEATING_GRAPHENE, undefined, region);
  const rng = new Rng(9);
  for (const i of region.atoms) for (let d = 0; d < 3; d++) net.positions[3 * i + d] += 0.1 * rng.normal();
  const e1 = keatingEnergy(net, KEATING_GRAPHENE);
  const r1 = keatingEnergy(net, KEATING_GRAPHENE, undefined, region);
  assert.ok(Math.abs(e1 - e0) > 0.1);
  assert.ok(Math.abs(e1 - e0 - (r1 - r0)) < 1e-9 * Math.abs(e1), `total change ${e1 - e0}, regional ${r1 - r0}`);
  // and the regional gradient on region atoms is the full gradient there
  const gFull = new Float64Array(net.positions.length);
  const gRegion = new Float64Array(net.positions.length);
  keatingEnergy(net, KEATING_GRAPHENE, gFull);
  keatingEnergy(net, KEATING_GRAPHENE, gRegion, region);
  for (const i of region.atoms) for (let d = 0; d < 3; d++) assert.ok(Math.abs(gFull[3 * i + d] - gRegion[3 * i + d]) < 1e-9);
});

test('ideal graphene has zero Keating energy and force (d = 1.42 Å, 120°)', () => {
  const net = grapheneNetwork(nearestGrapheneCell(200));
  const g = new Float64Array(net.positions.length);
  const e = keatingEnergy(net, KEATING_GRAPHENE, g);
  assert.ok(Math.abs(e) < 1e-20 * net.n + 1e-12, `energy ${e}`);
  assert.ok(g.every((x) => Math.abs(x) < 1e-10));
});
