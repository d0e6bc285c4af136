import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Atoms } from '../../src/structure/atoms.js';
import { describe } from '../../src/descriptors/featurize.js';
import { soapChannel } from '../../src/descriptors/soap.js';
import { DESCRIPTOR_CHOICES, descriptorChoiceOf, featurizeStructure, featurizeStructureInputs, inputShape, structureInput } from '../../src/tasks/modelInput.js';
import '../../src/tasks/allTasks.js';
import { taskSpec } from '../../src/tasks/taskSpec.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { tightBindingExact } from '../../src/physics/tb/exact.js';
import { EXAMPLES } from '../helpers.js';

test('every descriptor choice maps to channels and back', () => {
  for (const choice of DESCRIPTOR_CHOICES) assert.equal(descriptorChoiceOf(structureInput(choice, 'all')), choice);
  assert.deepEqual(structureInput('pcf+adf+env+soap').channels, [0, 1, 2, 3, 4]);
  assert.deepEqual(structureInput('pcf+env+soap').channels, [0, 1, 3, 4]);
  assert.deepEqual(structureInput('pcf+env+soap+tb').channels, [0, 1, 3, 4, 5]);
});

test('the tight-binding channel is the π TB el-DoS at 0.25 eV on the label grid, last, zero-padded', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const input = structureInput('pcf+adf+env+soap+tb', 'all');
  const row = featurizeStructure(atoms, input);
  const tb = tightBindingExact(atoms, { dosSigma_eV: 0.25 }).el_dos.dos;
  assert.equal(tb.length, 81);
  assert.deepEqual(Array.from(row.subarray(5 * 160, 5 * 160 + 81)), Array.from(tb));
  assert.ok(row.subarray(5 * 160 + 81).every((v) => v === 0));
  assert.deepEqual(Array.from(row.subarray(0, 5 * 160)), Array.from(featurizeStructure(atoms, structureInput('pcf+adf+env+soap', 'all'))));
  // the π model is carbon's: another element gives an empty channel (predicted, and out of domain by its elements), not an error
  const withBoron = new Atoms({ ...atoms, positions: atoms.positions, numbers: Uint8Array.from(atoms.numbers, (z, k) => (k === 0 ? 5 : z)) });
  assert.ok(featurizeStructure(withBoron, input).subarray(5 * 160).every((v) => v === 0));
});

test('a soap input row holds g2d, g3d, the environment and the soap channel of describe()', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0100'));
  const input = structureInput('pcf+env+soap', 'all');
  const row = featurizeStructure(atoms, input);
  const [channels, bins] = inputShape(input);
  assert.equal(row.length, channels * bins);
  const full = describe(atoms, { ...input.spec, adf: true });
  assert.deepEqual(Array.from(row.subarray(0, 2 * bins)), Array.from(full.subarray(0, 2 * bins)));
  assert.deepEqual(Array.from(row.subarray(2 * bins, 3 * bins)), Array.from(full.subarray(3 * bins, 4 * bins)));
  assert.deepEqual(Array.from(row.subarray(3 * bins, 3 * bins + 147)), Array.from(soapChannel(atoms)));
});

test('kernel ridge weighs the environment and soap blocks where they sit in the input', () => {
  for (const [task, choice, env, soap, tb] of [['el-dos', 'pcf+env+soap', 2, 3, -1], ['sigma', 'pcf+adf+env+soap', 3, 4, -1], ['el-dos', 'pcf+env', 2, -1, -1], ['el-dos', 'pcf+env+soap+tb', 2, 3, 4]] as const) {
    const input = structureInput(choice, 'all');
    const krr = taskSpec(task).recipes.ensemble.members(input, 0).find((m) => m.kind === 'krr');
    const weights = krr?.settings.blockWeights as { start: number; end: number; weight: number }[];
    const expected = [env, soap, tb].filter((p) => p >= 0).map((p) => ({ start: p * 160, end: (p + 1) * 160 }));
    assert.deepEqual(weights.map(({ start, end }) => ({ start, end })), expected, `${task} ${choice}`);
  }
});

test('models that soften g(r) differently share one power spectrum and TB el-DoS per structure, with the numbers of each alone', () => {
  const atoms = readStructure(join(EXAMPLES, 'POSCAR_0002'));
  const elDos = structureInput('pcf+env+soap+tb', 'all');
  const sigma = structureInput('pcf+adf+env+soap+tb', 'all', { binSpread: 0.2, bondWindow_A: 0.02 });
  const [a, b] = featurizeStructureInputs(atoms, [elDos, sigma]);
  assert.deepEqual(Array.from(a), Array.from(featurizeStructure(atoms, elDos)));
  assert.deepEqual(Array.from(b), Array.from(featurizeStructure(atoms, sigma)));
  // the cache is read, not recomputed: a marked power spectrum comes back as given
  const marked = new Float64Array(soapChannel(atoms).length).fill(7);
  const cache = { soap: marked };
  const spec = { ...sigma.spec, adf: true };
  const row = describe(atoms, spec, 'POSCAR_0002', cache);
  const soapAt = 4 * spec.bins; // g2d, g3d, adf, environment, then soap
  assert.deepEqual(Array.from(row.subarray(soapAt, soapAt + marked.length)), Array.from(marked));
  assert.ok(cache.soap === marked && (cache as { tb?: Float64Array }).tb !== undefined, 'the TB channel was computed once and kept');
});
