import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConvergenceError, InputError } from '../../src/errors.js';
import { bondChemistry } from '../../src/generate/chemistry.js';
import { generateQuench } from '../../src/generate/quench.js';
import { generateStructure, type GenerateRun } from '../../src/generate/factory.js';
import { ringStatistics, RING_CATEGORIES } from '../../src/generate/rings.js';
import { listMaterials, loadMaterial, materialByName, materialOfElements, materialsDirectory } from '../../src/materials/material.js';
import { resolvePotential } from '../../src/physics/md/potential.js';
import { materialPartials } from '../../src/cli/descriptors.js';
import { tempDir } from '../helpers.js';
import { PhononCalculator } from '../../src/physics/phonons/calculator.js';

test('the shipped materials load; bn is an alias of boron-nitride; unknown names and bad files are refused in words', () => {
  assert.deepEqual(listMaterials().map((m) => m.name), ['boron-nitride', 'carbon']);
  const bn = materialByName('bn');
  assert.equal(bn.name, 'boron-nitride');
  assert.equal(materialByName('boron-nitride'), bn);
  assert.deepEqual(bn.elements, ['B', 'N']);
  assert.equal(materialByName().name, 'carbon');
  assert.equal(materialOfElements(['N', 'B', 'B']).name, 'boron-nitride');
  assert.throws(() => materialOfElements(['B', 'N', 'C']), /no material has the elements B, C, N/);
  assert.throws(() => materialByName('silicon'), (e: unknown) => e instanceof InputError && /unknown \(known: boron-nitride alias bn, a-bn \(B, N\), carbon \(C\)/.test(e.message));
  // a material file with a missing field names the file and the key
  const dir = tempDir();
  const text = readFileSync(join(materialsDirectory(), 'boron-nitride.toml'), 'utf8').replace(/^\[kappa\]\n(#.*\n)*thickness_A = .*\n/m, '');
  const file = join(dir, 'broken.toml');
  writeFileSync(file, text);
  assert.throws(() => loadMaterial(file), (e: unknown) => e instanceof InputError && /kappa/.test(e.message), 'missing [kappa] is named');
  // the potential of each material describes its elements; a carbon potential on B/N names the pairs it lacks
  const sheet = generateStructure({ method: 'www', count: 1, seed: 2, out: '', atoms: 48, material: bn }, 0).atoms;
  assert.doesNotThrow(() => resolvePotential(bn.potentials.default).forceField.compute(sheet));
  assert.throws(() => resolvePotential('lindsay-broido-2010').forceField.compute(sheet), /does not describe B \(atom \d+\), N \(atom \d+\).*missing element pairs: .*B–N/);
  assert.deepEqual(materialPartials(bn.elements), [['B', 'B'], ['B', 'N'], ['N', 'N']]);
  assert.deepEqual(materialPartials(['C']), []);
});

test('carbon through the material (by name or absent) is the carbon generator to the last bit', () => {
  const base: GenerateRun = { method: 'www', count: 1, seed: 9, out: '', atoms: 64, www: { dimensions: 3 } };
  const plain = generateStructure(base, 0);
  const named = generateStructure({ ...base, material: materialByName('carbon') }, 0);
  assert.deepEqual(named.atoms.positions, plain.atoms.positions);
  assert.deepEqual(named.atoms.numbers, plain.atoms.numbers);
  assert.deepEqual(named.provenance, plain.provenance);
  assert.ok(plain.atoms.numbers.every((z) => z === 6));
});

test('a-BN by WWW: B = N, three bonds each, B–N preferred (homopolar fraction well below a random 50 %), not a crystal, same seed → same sheet', () => {
  const bn = materialByName('bn');
  const run: GenerateRun = { method: 'www', count: 1, seed: 1, out: '', atoms: 96, material: bn };
  const g = generateStructure(run, 0);
  const a = g.atoms;
  assert.equal(a.numbers.filter((z) => z === 5).length, a.length / 2);
  assert.equal(a.numbers.filter((z) => z === 7).length, a.length / 2);
  const chem = bondChemistry(a);
  assert.equal(chem.bonds, (3 * a.length) / 2, 'every atom three-coordinated');
  assert.ok(chem.homopolarFraction > 0 && chem.homopolarFraction < 0.3, `homopolar fraction ${chem.homopolarFraction}`);
  assert.equal(g.provenance.homopolar_fraction, chem.homopolarFraction);
  assert.equal(g.provenance.material, 'boron-nitride');
  const counts = ringStatistics(a, { maxRing: 12 }).ringCounts;
  const six = counts[RING_CATEGORIES.indexOf('6')];
  const total = counts.reduce((x, y) => x + y, 0);
  assert.ok(six < total, 'rings other than hexagons');
  // odd rings need homopolar bonds, so a sheet with odd rings has some
  const odd = ['5', '7', '9', '11'].reduce((s, k) => s + counts[RING_CATEGORIES.indexOf(k)], 0);
  if (odd > 0) assert.ok(chem.homopolar > 0);
  // bond length scaled to the material's h-BN parent
  const again = generateStructure(run, 0);
  assert.deepEqual(again.atoms.positions, a.positions);
  assert.deepEqual(again.atoms.numbers, a.numbers);
  // no penalty → near-random chemistry; a larger penalty → fewer homopolar bonds (same seed, moves)
  const free = bondChemistry(generateStructure({ ...run, chemistry: { homopolarPenalty_eV: 0, swapFraction: 0.5 } }, 0).atoms).homopolarFraction;
  assert.ok(free > chem.homopolarFraction + 0.1, `no penalty ${free} vs 2 eV ${chem.homopolarFraction}`);
});

test('a-BN: a penalty that freezes the sheet is refused as a crystal, like carbon', () => {
  const run: GenerateRun = { method: 'www', count: 1, seed: 1, out: '', atoms: 48, material: materialByName('bn'), www: { temperature_K: 5000 }, chemistry: { homopolarPenalty_eV: 10 } };
  assert.throws(() => generateStructure(run, 0), (e: unknown) => e instanceof ConvergenceError && /no amorphous sheet/.test(e.message));
  // a quench that never melts the h-BN parent is refused the same way, naming what to raise
  const cold = { ...run, method: 'quench' as const, forceField: resolvePotential('extep-bn-2017').forceField, quench: { meltTemperature_K: 400, meltTime_ps: 0.02, rate_K_ps: 1e6 } };
  assert.throws(() => generateStructure(cold, 0), (e: unknown) => e instanceof ConvergenceError && /every ring is a hexagon/.test(e.message) && /raise --rate-K-ps or --melt-K/.test(e.message));
});

test('a-BN melt-quench starts from h-BN (B and N on their sublattices, masses per species) and keeps the 1:1 count when it melts', () => {
  const extep = resolvePotential('extep-bn-2017').forceField;
  const count = (z: Uint8Array, k: number) => z.filter((x) => x === k).length;
  // cold: the parent survives, every bond B–N (a species put on the wrong sublattice would bond to itself)
  const cold = generateQuench({ atoms: 48, seed: 3, sublattices: [5, 7], bond_A: 1.4457, meltTemperature_K: 400, meltTime_ps: 0.02, rate_K_ps: 1e6 }, extep);
  assert.equal(count(cold.atoms.numbers, 5), 24);
  assert.equal(count(cold.atoms.numbers, 7), 24);
  assert.equal(bondChemistry(cold.atoms).homopolarFraction, 0);
  // hot (ExTeP's flat 48-atom h-BN stays crystalline at 20 000 K for 3 ps; at 25 000 K it melts in 1 ps): homopolar bonds form, the counts stay
  const hot = generateQuench({ atoms: 48, seed: 3, sublattices: [5, 7], bond_A: 1.4457, meltTemperature_K: 25000, meltTime_ps: 1, rate_K_ps: 1e5 }, extep);
  assert.equal(count(hot.atoms.numbers, 5), 24);
  assert.ok(bondChemistry(hot.atoms).homopolarFraction > 0.05, `homopolar ${bondChemistry(hot.atoms).homopolarFraction}`);
});

test('a-BN pair switches keep B–N alternation: no homopolar bond, 4- and 8-rings appear (buckled, 200 kK)', () => {
  const run: GenerateRun = { method: 'www', count: 1, seed: 1, out: '', atoms: 96, material: materialByName('bn'), www: { dimensions: 3, temperature_K: 200000 }, chemistry: { homopolarPenalty_eV: 4.3, swapFraction: 0, pairSwitchFraction: 1 } };
  const g = generateStructure(run, 0);
  const chem = bondChemistry(g.atoms);
  assert.equal(chem.homopolar, 0, 'no B–B or N–N bond');
  assert.equal(g.provenance.network_homopolar_bonds, 0);
  assert.ok((g.provenance.pair_switches_accepted as number) > 0);
  const counts = ringStatistics(g.atoms, { maxRing: 12 }).ringCounts;
  for (const odd of ['3', '5', '7', '9', '11']) assert.equal(counts[RING_CATEGORIES.indexOf(odd)], 0, `no ${odd}-rings in an alternating network`);
  assert.ok(counts[RING_CATEGORIES.indexOf('4')] > 0 && counts[RING_CATEGORIES.indexOf('8')] > 0, `4- and 8-rings: ${Array.from(counts).join(',')}`);
});

test('ph-DoS refuses a structure whose potential collapses atoms (BNC.tersoff pulls homopolar B–B and N–N pairs below 1 Å)', async () => {
  const bn = materialByName('bn');
  const g = generateStructure({ method: 'www', count: 1, seed: 1, out: '', atoms: 48, material: bn }, 0);
  assert.ok(bondChemistry(g.atoms).homopolar > 0, 'the sheet has homopolar bonds');
  // BNC.tersoff's B/N entries, no longer the material's default (ExTeP is: its homopolar terms repel)
  assert.ok(bn.potentials.others.includes('kinaci-2012-bn'));
  const calc = new PhononCalculator(resolvePotential('kinaci-2012-bn').forceField);
  await assert.rejects(calc.calculate(g.atoms, ['frequencies_THz', 'ph_dos']), (e: unknown) => e instanceof ConvergenceError && /closer than 1 Å .*(N–N|B–B)/.test(e.message));
});
