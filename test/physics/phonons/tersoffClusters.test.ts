import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readStructure } from '../../../src/structure/io/formats.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { loadTersoff } from '../../../src/physics/tersoff/params.js';
import { forceConstants } from '../../../src/physics/phonons/forceConstants.js';
import { FIXTURES } from '../../helpers.js';

/**
 * The cluster method assumes a force depends only on atoms within 2 cut-offs (true for Tersoff's
 * three-body bond order). Checked against whole-cell displacements on a public AMC cell (88 atoms,
 * flat, c = 10 Å) and on a buckled one, for both shipped sets.
 */
for (const [file, set] of [['POSCAR_3069', 'lindsay-broido-2010'], ['POSCAR_1110', 'tersoff-1988']] as const) {
  test(`Tersoff force constants from clusters equal whole-cell displacements (${file}, ${set})`, () => {
    const atoms = readStructure(join(FIXTURES, 'tersoff', file), { format: 'vasp' });
    const ff = new Tersoff(loadTersoff(set));
    const full = forceConstants(atoms, ff, { method: 'full' });
    const cluster = forceConstants(atoms, ff, { method: 'cluster' });
    let scale = 0;
    let diff = 0;
    for (let k = 0; k < full.length; k++) {
      scale = Math.max(scale, Math.abs(full[k]));
      diff = Math.max(diff, Math.abs(full[k] - cluster[k]));
    }
    assert.ok(scale > 10, `force constants of order ${scale} eV/Å²`);
    assert.ok(diff < 1e-9 * scale, `max |Φ_cluster − Φ_full| = ${diff} (scale ${scale})`);
    console.log(`# ${file} ${set}: max |Φ_cluster − Φ_full| = ${diff.toExponential(2)} eV/Å² of ${scale.toFixed(1)}`);
  });
}
