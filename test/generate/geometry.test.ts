import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyCrossing, bondsCross2d, nonBondedCloserThan } from '../../src/generate/geometry.js';
import { regionAround } from '../../src/generate/keating.js';
import { generateWww } from '../../src/generate/www.js';
import { Rng } from '../../src/util/random.js';
import type { BondNetwork } from '../../src/generate/network.js';

/** The checks as they were, over the whole sheet: every bond against every bond, every atom against every atom. */
function anyCrossingEverywhere(net: BondNetwork, atoms: ArrayLike<number>): boolean {
  const bonds = net.bonds();
  for (let t = 0; t < atoms.length; t++) {
    const a = atoms[t];
    for (let m = 0; m < net.degree[a]; m++) {
      const b = net.neighbor(a, m);
      for (let q = 0; q < bonds.length; q += 2) if (bondsCross2d(net, a, b, bonds[q], bonds[q + 1])) return true;
    }
  }
  return false;
}
function closestNonBondedEverywhere(net: BondNetwork, atoms: ArrayLike<number>): number {
  let best = Infinity;
  for (let t = 0; t < atoms.length; t++) for (let j = 0; j < net.n; j++) if (j !== atoms[t] && !net.bonded(atoms[t], j)) best = Math.min(best, net.distance(atoms[t], j));
  return best;
}

test('the switch checks that look near the region answer as the whole-sheet checks do, on disturbed WWW sheets', () => {
  const rng = new Rng(11);
  let crossings = 0;
  let contacts = 0;
  let cases = 0;
  for (const [atoms, seed] of [[96, 1], [200, 2], [400, 3]] as const) {
    const net = generateWww({ atoms, seed, dimensions: 2, temperature_K: 30000, switches: atoms, vacancies: 0.04 }).network;
    const home = Float64Array.from(net.positions);
    for (let trial = 0; trial < 40; trial++) {
      net.positions.set(home);
      const centre = Math.floor(rng.uniform() * net.n);
      const region = regionAround(net, [centre], 2);
      // push the region's atoms by up to 1.2 Å: some bonds cross, some atoms come close, many do neither
      for (const i of region.atoms) for (let d = 0; d < 2; d++) net.positions[3 * i + d] += 2.4 * (rng.uniform() - 0.5) * (trial % 3 === 0 ? 0.1 : 1);
      const crossing = anyCrossingEverywhere(net, region.atoms);
      assert.equal(anyCrossing(net, region.atoms), crossing, `${atoms} atoms, trial ${trial}`);
      const closest = closestNonBondedEverywhere(net, region.atoms);
      for (const limit of [1.2, 1.9, closest, closest + 1e-9]) assert.equal(nonBondedCloserThan(net, region.atoms, limit), closest < limit, `${atoms} atoms, trial ${trial}, limit ${limit}`);
      crossings += crossing ? 1 : 0;
      contacts += closest < 1.9 ? 1 : 0;
      cases++;
    }
  }
  // both answers occurred, so the comparison tested something
  assert.ok(crossings > 5 && crossings < cases - 5, `${crossings} of ${cases} with crossings`);
  assert.ok(contacts > 5 && contacts < cases, `${contacts} of ${cases} with close contacts`);
});
