import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { potentialByName } from '../../../src/calculators/registry.js';
import { generateStructure } from '../../../src/generate/factory.js';
import { materialByName } from '../../../src/materials/material.js';
import { PhononCalculator } from '../../../src/physics/phonons/calculator.js';
import { readStructure } from '../../../src/structure/io/formats.js';
import { writePoscar } from '../../../src/structure/io/poscar.js';
import { CLI, run, tempDir } from '../../helpers.js';

/** `spramnet label ph-dos --material bn --potential extep-bn-2017` is the library's ExTeP phonon label, wired through the CLI. */
test('label ph-dos with ExTeP on a generated a-BN sheet: the CLI prints what PhononCalculator with potentialByName gives', async () => {
  const dir = tempDir();
  const file = join(dir, 'abn.vasp');
  const g = generateStructure({ method: 'www', count: 1, seed: 1, out: '', atoms: 48, material: materialByName('bn') }, 0);
  writeFileSync(file, writePoscar(g.atoms));
  const r = run(process.execPath, [CLI, 'label', 'ph-dos', file, '--material', 'bn', '--potential', 'extep-bn-2017', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const [label] = JSON.parse(r.stdout);
  assert.equal(label.frequencies_THz.length, 3 * g.atoms.length);
  const ours = await new PhononCalculator(potentialByName('extep-bn-2017').forceField).calculate(readStructure(file), ['frequencies_THz']);
  assert.deepEqual(label.frequencies_THz, Array.from(ours.properties.frequencies_THz as Float64Array));
  assert.equal(ours.provenance.settings?.potential, 'extep:extep-bn-2017');
});
