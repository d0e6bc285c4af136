import assert from 'node:assert/strict';
import { test } from 'node:test';
import { potentialByName } from '../../../src/calculators/registry.js';
import { PhononCalculator, relaxForPhonons } from '../../../src/physics/phonons/calculator.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { graphene, random } from '../../helpers.js';

/** Graphene stretched by 3 % in-plane (the cell must relax), positions jittered by ±0.05 Å in-plane. */
function strainedSheet(): Atoms {
  const g = graphene(3, 2, 1.42 * 1.03);
  const rand = random(4);
  const positions = Float64Array.from(g.positions, (x, k) => (k % 3 === 2 ? x : x + 0.1 * (rand() - 0.5)));
  return new Atoms({ numbers: g.numbers, positions, cell: g.cell, pbc: g.pbc });
}

test('phonon relaxation: a positions-and-cell FIRE stopped at its step limit is restarted (positions alone, then positions and cell, fresh each); one that converges is untouched', () => {
  const ff = potentialByName('lindsay-broido-2010').forceField;
  const sheet = strainedSheet();
  const settings = { fmax_eV_A: 0.01, maxSteps: 30, relaxCell: true };

  // the sequence written out by hand
  const first = relaxFire(sheet, ff, { ...settings, onMaxSteps: 'return' });
  assert.equal(first.record.converged, false, 'the first relaxation stops at its 30 steps');
  const positions = relaxFire(first.atoms, ff, { ...settings, relaxCell: false, onMaxSteps: 'return' });
  const again = relaxFire(positions.atoms, ff, { ...settings, onMaxSteps: 'return' });

  const { relaxed, restarts } = relaxForPhonons(sheet, ff, settings);
  assert.deepEqual(restarts, [{ positions_steps: positions.record.steps, steps: again.record.steps, fmax_eV_A: again.record.fmax_eV_A, converged: again.record.converged }]);
  assert.deepEqual(Array.from(relaxed.atoms.positions), Array.from(again.atoms.positions));
  assert.deepEqual(Array.from(relaxed.atoms.cell), Array.from(again.atoms.cell));
  assert.ok(restarts[0].fmax_eV_A < first.record.fmax_eV_A, `the restart got further: ${restarts[0].fmax_eV_A} < ${first.record.fmax_eV_A}`);

  // converged at first: no restart, the plain relaxation
  const plain = relaxFire(sheet, ff, { ...settings, maxSteps: 100000 });
  const easy = relaxForPhonons(sheet, ff, { ...settings, maxSteps: 100000 });
  assert.equal(easy.restarts.length, 0);
  assert.deepEqual(Array.from(easy.relaxed.atoms.positions), Array.from(plain.atoms.positions));
  // positions only: no restart either (the stall is FIRE's, with the cell)
  assert.equal(relaxForPhonons(sheet, ff, { ...settings, relaxCell: false }).restarts.length, 0);
});

test('phonon label: a relaxation still unconverged after its restart is refused, naming the restart; a restarted one that converges is labelled and says so', async () => {
  const ff = potentialByName('lindsay-broido-2010').forceField;
  const sheet = strainedSheet();
  const hopeless = new PhononCalculator(ff, { relax: { fmax_eV_A: 1e-9, maxSteps: 20, relaxCell: true } });
  await assert.rejects(hopeless.calculate(sheet, ['ph_dos']), /did not converge .*after 20 FIRE steps and 1 restart\(s\) from positions alone/);
  const settings = { fmax_eV_A: 0.01, maxSteps: 30, relaxCell: true };
  const { relaxed, restarts } = relaxForPhonons(sheet, ff, settings);
  if (!relaxed.record.converged) return assert.fail(`the restarted 30-step relaxation should converge this small sheet (fmax ${restarts[0]?.fmax_eV_A})`);
  const labelled = await new PhononCalculator(ff, { relax: settings }).calculate(sheet, ['ph_dos']);
  assert.deepEqual((labelled.extra?.relaxation as { restarts?: unknown }).restarts, restarts);
});
