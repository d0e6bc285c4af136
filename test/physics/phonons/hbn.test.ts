import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Atoms } from '../../../src/structure/atoms.js';
import { neighborList } from '../../../src/structure/neighbors.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { loadTersoff } from '../../../src/physics/tersoff/params.js';
import { relaxFire } from '../../../src/physics/relax/fire.js';
import { gammaFrequencies } from '../../../src/physics/phonons/gamma.js';
import { PhononCalculator } from '../../../src/physics/phonons/calculator.js';
import { grapheneSupercell } from '../../../src/generate/graphene.js';
import { honeycombMinimum } from '../../../src/generate/potentialGraphene.js';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { python } from '../../helpers.js';
import { LAMMPS_POTENTIALS, lammpsSkip } from '../tersoff/support.js';
import { lammpsGammaFrequencies } from './lammpsGamma.js';

/**
 * Monolayer h-BN under Kınacı et al.'s BNC.tersoff (Debian's LAMMPS copy; its B–N entries are
 * Sevik et al.'s 2011 fit): the honeycomb minimum, cohesive energy and Γ phonons of our Tersoff
 * against LAMMPS. Figures are in docs/materials/boron-nitride.md.
 */
const BNC = join(LAMMPS_POTENTIALS, 'BNC.tersoff');
const py = python(['numpy']);
const skip = lammpsSkip() || (py === undefined && !process.env.CI ? 'needs python3-numpy' : false);
const CM_PER_THZ = 33.35641;

/** h-BN primitive cell (B at the origin, N at (a/2, d/2); a = √3·d), 10 Å of vacuum. */
function primitiveBn(d: number): Atoms {
  const a = Math.sqrt(3) * d;
  return new Atoms({ positions: [0, 0, 5, a / 2, d / 2, 5], symbols: ['B', 'N'], cell: [a, 0, 0, a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10], pbc: [true, true, true] });
}

const bondOf = (atoms: Atoms): number => Math.hypot(atoms.positions[3] - atoms.positions[0], atoms.positions[4] - atoms.positions[1], atoms.positions[5] - atoms.positions[2]);

test('h-BN with BNC.tersoff: honeycombMinimum = cell relaxation = LAMMPS zero stress; Γ modes equal LAMMPS finite differences + numpy', { skip }, async () => {
  const ff = new Tersoff(loadTersoff(BNC));
  const minimum = honeycombMinimum(ff, [5, 7]);
  // independent of the golden section: FIRE on positions and cell, driven by the virial
  const { atoms } = relaxFire(primitiveBn(1.45), ff, { fmax_eV_A: 1e-7, relaxCell: true, maxSteps: 50000 });
  assert.ok(Math.abs(bondOf(atoms) - minimum.bond_A) < 1e-4, `relaxed bond ${bondOf(atoms)} vs honeycombMinimum ${minimum.bond_A}`);
  const potential = { pairStyle: 'tersoff', file: BNC };
  const atMinimum = await lammpsSinglePoint(primitiveBn(minimum.bond_A), potential);
  assert.ok(Math.abs(atMinimum.energy_eV / 2 - minimum.energyPerAtom_eV) < 1e-8 * Math.abs(minimum.energyPerAtom_eV), `LAMMPS ${atMinimum.energy_eV / 2} vs ours ${minimum.energyPerAtom_eV} eV/atom`);
  for (const k of [0, 4]) assert.ok(Math.abs(atMinimum.virial_eV[k]) < 1e-5, `LAMMPS in-plane virial ${atMinimum.virial_eV[k]} eV at the honeycombMinimum bond`);
  const relaxedByUs = await lammpsSinglePoint(atoms, potential);
  for (const f of relaxedByUs.forces_eV_A) assert.ok(Math.abs(f) < 1e-6, `LAMMPS force on our relaxed cell ${f}`);

  const ours = gammaFrequencies(atoms, ff).frequencies_THz;
  const reference = await lammpsGammaFrequencies(atoms, potential, py!);
  for (let k = 0; k < 6; k++) assert.ok(Math.abs(ours[k] - reference[k]) < 2e-3, `mode ${k}: ${ours[k]} vs LAMMPS ${reference[k]} THz`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(ours[k]) < 0.05, `acoustic ${k}: ${ours[k]} THz`);
  assert.ok(Math.abs(ours[4] - ours[5]) < 1e-3, 'in-plane optical (E′, the monolayer’s E2g) doubly degenerate');
  console.log(
    `# h-BN BNC.tersoff: bond ${minimum.bond_A.toFixed(5)} Å, a ${(Math.sqrt(3) * minimum.bond_A).toFixed(5)} Å, ${minimum.energyPerAtom_eV.toFixed(5)} eV/atom; ` +
      `ZO ${ours[3].toFixed(3)} THz (${(ours[3] * CM_PER_THZ).toFixed(1)} cm⁻¹, LAMMPS ${reference[3].toFixed(3)}), ` +
      `E′ ${ours[5].toFixed(3)} THz (${(ours[5] * CM_PER_THZ).toFixed(1)} cm⁻¹, LAMMPS ${reference[5].toFixed(3)}); ` +
      `max |ours − LAMMPS| ${Math.max(...reference.map((x, k) => Math.abs(x - ours[k]))).toExponential(1)} THz`,
  );
});

test('h-BN supercell through PhononCalculator: every bond B–N, three acoustic zeros, and the primitive cell’s Γ optical modes among its frequencies', { skip }, async () => {
  const ff = new Tersoff(loadTersoff(BNC));
  const { bond_A } = honeycombMinimum(ff, [5, 7]);
  // 24 atoms (2 × 3 rectangular 4-atom cells); grapheneSupercell alternates the sublattices atom by atom
  const cell = { nx: 2, ny: 3, atoms: 24, lx_A: 6 * bond_A, ly_A: 3 * Math.sqrt(3) * bond_A };
  const positions = grapheneSupercell(cell, bond_A);
  for (let i = 0; i < cell.atoms; i++) positions[3 * i + 2] = 5;
  const sheet = new Atoms({ positions, numbers: Uint8Array.from({ length: cell.atoms }, (_, k) => (k % 2 === 0 ? 5 : 7)), cell: [cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, 10], pbc: [true, true, true] });
  const bonds = neighborList(sheet.positions, sheet.cell, sheet.pbc, 1.6);
  for (let i = 0; i < sheet.length; i++) {
    assert.equal(bonds.start[i + 1] - bonds.start[i], 3, `atom ${i} has 3 bonds`);
    for (let e = bonds.start[i]; e < bonds.start[i + 1]; e++) assert.notEqual(sheet.numbers[bonds.index[e]], sheet.numbers[i], 'homopolar bond in the h-BN cell');
  }
  const r = await new PhononCalculator(ff).calculate(sheet, ['frequencies_THz', 'ph_dos']);
  const f = r.properties.frequencies_THz!;
  assert.equal(f.length, 72);
  assert.equal(f.filter((x) => Math.abs(x) < 0.05).length, 3, 'three acoustic zeros at Γ');
  const primitive = gammaFrequencies(relaxFire(primitiveBn(bond_A), ff, { fmax_eV_A: 1e-7, maxSteps: 50000 }).atoms, ff).frequencies_THz;
  for (const mode of [primitive[3], primitive[5]]) {
    const nearest = Math.min(...Array.from(f, (x) => Math.abs(x - mode)));
    assert.ok(nearest < 1e-3, `primitive Γ mode ${mode} THz missing from the supercell (nearest ${nearest})`);
  }
  const dos = r.properties.ph_dos!.dos;
  assert.ok(Math.abs(dos.reduce((s, x) => s + x, 0) - 1) < 1e-12);
  console.log(`# h-BN 24-atom cell: highest Γ mode ${f[f.length - 1].toFixed(3)} THz`);
});

test('honeycombMinimum: graphene as before ([6, 6] is grapheneBondLength), refuses a sublattice that is no element', async () => {
  const { InputError } = await import('../../../src/errors.js');
  const { grapheneBondLength } = await import('../../../src/generate/potentialGraphene.js');
  const ff = new Tersoff(loadTersoff('lindsay-broido-2010'));
  const carbon = honeycombMinimum(ff);
  assert.equal(grapheneBondLength(ff), carbon.bond_A);
  const e = ff.compute(primitiveGraphene(carbon.bond_A)).energy_eV / 2;
  assert.ok(Math.abs(e - carbon.energyPerAtom_eV) < 1e-12, `primitive cell ${e} vs ${carbon.energyPerAtom_eV} eV/atom`);
  assert.throws(() => honeycombMinimum(ff, [0, 7]), InputError);
  assert.throws(() => honeycombMinimum(ff, [5.5, 7]), InputError);
});

function primitiveGraphene(d: number): Atoms {
  const a = Math.sqrt(3) * d;
  return new Atoms({ positions: [0, 0, 5, a / 2, d / 2, 5], symbols: ['C', 'C'], cell: [a, 0, 0, a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10], pbc: [true, true, true] });
}
