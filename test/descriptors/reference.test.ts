import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { angularDistribution } from '../../src/descriptors/adf.js';
import { describe, descriptorSpec, REFERENCE_SPEC } from '../../src/descriptors/featurize.js';
import { Grid } from '../../src/descriptors/grid.js';
import { pairCorrelation } from '../../src/descriptors/pcf.js';
import { readNpy } from '../../src/io/npy.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { EXAMPLES, maxAbsDiff, python, run, SHARED, tempDir } from '../helpers.js';

const examples = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR')).map((f) => join(EXAMPLES, f));

test('the fused reference kernel equals the plain g(r) and ADF implementations bit for bit', () => {
  const grid = new Grid(0, 8, 160);
  for (const file of examples) {
    const atoms = readStructure(file);
    const fast = describe(atoms, REFERENCE_SPEC, file);
    const plain = [
      pairCorrelation(atoms, { kind: '2d', grid, images: 'minimum' }),
      pairCorrelation(atoms, { kind: '3d', grid, images: 'minimum' }),
      angularDistribution(atoms, { images: 'minimum' }),
    ];
    plain.forEach((channel, c) => assert.deepEqual(Array.from(fast.subarray(160 * c, 160 * c + channel.length)), Array.from(channel), `${file} channel ${c}`));
  }
});

test('all images = minimum image for cells ≥ 2·r_max wide; they differ in narrower cells', () => {
  const all = descriptorSpec({ ...REFERENCE_SPEC, images: 'all' });
  for (const file of examples) {
    const atoms = readStructure(file);
    const wide = atoms.cell[0] >= 16 && atoms.cell[4] >= 16;
    const d = maxAbsDiff(describe(atoms, REFERENCE_SPEC, file), describe(atoms, all, file));
    if (wide) assert.ok(d < 1e-12, `${file}: ${d}`);
    else assert.ok(d > 0.01, `${file} (b = ${atoms.cell[4]} Å) should differ`);
  }
});

const featurizer = join(SHARED, 'bench', 'featurize_reference.py');
const py = python(['numpy']);

test('descriptors equal the numpy reference featurizer of data.md to 1e-9 relative', { skip: (py === undefined || !existsSync(featurizer)) && 'needs python3 with numpy and ../shared' }, () => {
  const out = join(tempDir(), 'ref.npy');
  const r = run(py as string, [featurizer, out, ...examples]);
  assert.equal(r.status, 0, r.stderr);
  const ref = readNpy(out);
  assert.deepEqual(ref.shape, [examples.length, 3, 160]);
  examples.forEach((file, k) => {
    const mine = describe(readStructure(file), REFERENCE_SPEC, file);
    const theirs = ref.data.subarray(k * 480, (k + 1) * 480);
    for (let m = 0; m < 480; m++) {
      const scale = Math.max(Math.abs(theirs[m]), 1e-300);
      assert.ok(Math.abs(mine[m] - theirs[m]) / scale <= 1e-9 || (mine[m] === 0 && theirs[m] === 0), `${file} value ${m}: ${mine[m]} vs ${theirs[m]}`);
    }
  });
});
