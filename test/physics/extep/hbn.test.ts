import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { honeycombMinimum } from '../../../src/generate/potentialGraphene.js';
import { Extep } from '../../../src/physics/extep/extep.js';
import { loadExtep } from '../../../src/physics/extep/params.js';
import { gammaFrequencies } from '../../../src/physics/phonons/gamma.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { python } from '../../helpers.js';
import { lammpsGammaFrequencies } from '../phonons/lammpsGamma.js';
import { lammpsSkip } from '../tersoff/support.js';
import { BN_EXTEP, hbnHexagonal } from './support.js';

/**
 * Monolayer h-BN under ExTeP (BN.extep): the honeycomb minimum (golden section) against a FIRE
 * relaxation of the primitive cell and against LAMMPS' zero stress there; the Γ modes of our
 * force constants against LAMMPS' (central differences of `pair_style extep` forces, numpy
 * eigenvalues). Figures in docs/materials/boron-nitride.md §7.
 */
const py = python(['numpy']);
const skip = lammpsSkip() || (py === undefined && !process.env.CI ? 'needs python3-numpy' : false);
const CM_PER_THZ = 33.35641;

const bondOf = (p: ArrayLike<number>): number => Math.hypot(p[3] - p[0], p[4] - p[1], p[5] - p[2]);

test('h-BN with ExTeP: honeycombMinimum = cell relaxation = LAMMPS zero stress; Γ modes equal LAMMPS finite differences + numpy', { skip }, async () => {
  const ff = new Extep(loadExtep(BN_EXTEP));
  const minimum = honeycombMinimum(ff, [5, 7]);
  const { atoms } = relaxFire(hbnHexagonal(1, 1.45), ff, { fmax_eV_A: 1e-7, relaxCell: true, maxSteps: 50000 });
  assert.ok(Math.abs(bondOf(atoms.positions) - minimum.bond_A) < 1e-4, `relaxed bond ${bondOf(atoms.positions)} vs honeycombMinimum ${minimum.bond_A}`);
  const potential = { pairStyle: 'extep', file: BN_EXTEP };
  const atMinimum = await lammpsSinglePoint(hbnHexagonal(1, minimum.bond_A), potential);
  assert.ok(Math.abs(atMinimum.energy_eV / 2 - minimum.energyPerAtom_eV) < 1e-10 * Math.abs(minimum.energyPerAtom_eV), `LAMMPS ${atMinimum.energy_eV / 2} vs ours ${minimum.energyPerAtom_eV} eV/atom`);
  for (const k of [0, 4]) assert.ok(Math.abs(atMinimum.virial_eV[k]) < 1e-5, `LAMMPS in-plane virial ${atMinimum.virial_eV[k]} eV at the honeycombMinimum bond`);
  const relaxedByUs = await lammpsSinglePoint(atoms, potential);
  for (const f of relaxedByUs.forces_eV_A) assert.ok(Math.abs(f) < 1e-6, `LAMMPS force on our relaxed cell ${f}`);

  const ours = gammaFrequencies(atoms, ff).frequencies_THz;
  const reference = await lammpsGammaFrequencies(atoms, potential, py!);
  const worst = Math.max(...reference.map((x, k) => Math.abs(x - ours[k])));
  for (let k = 0; k < 6; k++) assert.ok(Math.abs(ours[k] - reference[k]) < 2e-3, `mode ${k}: ${ours[k]} vs LAMMPS ${reference[k]} THz`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(ours[k]) < 0.05, `acoustic ${k}: ${ours[k]} THz`);
  assert.ok(Math.abs(ours[4] - ours[5]) < 1e-3, 'in-plane optical (E′, the monolayer’s E2g) doubly degenerate');
  console.log(
    `# h-BN ExTeP: bond ${minimum.bond_A.toFixed(5)} Å, a ${(Math.sqrt(3) * minimum.bond_A).toFixed(5)} Å, ${minimum.energyPerAtom_eV.toFixed(5)} eV/atom; ` +
      `ZO ${ours[3].toFixed(3)} THz (${(ours[3] * CM_PER_THZ).toFixed(1)} cm⁻¹, LAMMPS ${reference[3].toFixed(3)}), ` +
      `E′ ${ours[5].toFixed(3)} THz (${(ours[5] * CM_PER_THZ).toFixed(1)} cm⁻¹, LAMMPS ${reference[5].toFixed(3)}); max |ours − LAMMPS| ${worst.toExponential(1)} THz`,
  );
});
