import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { bondChemistry } from '../../../src/generate/chemistry.js';
import { Extep } from '../../../src/physics/extep/extep.js';
import { loadExtep, parseExtep } from '../../../src/physics/extep/params.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { applyRows, assertClose, lammpsSkip, randomCell, rotation } from '../tersoff/support.js';
import { BN_EXTEP, abnSheet, hbnHexagonal, homopolarBonds, withBond } from './support.js';

/**
 * The built-in ExTeP against LAMMPS 29 Sep 2021 `pair_style extep` with Debian's BN.extep on the
 * same cell: energy, forces, the total virial (`compute pressure NULL virial`), per-atom energies
 * (`compute pe/atom`) and per-atom virials in LAMMPS' `compute stress/atom` form (our 'third'
 * sharing), all to 1e-10 relative (forces and virials: 1e-10 of the largest component), and the
 * centroid per-atom virials summing to the total. Each case logs the measured differences and the
 * size of the F_corr term (ExTeP minus its Tersoff part), so a case where F_corr vanishes shows.
 */
const skip = lammpsSkip();
const REL = 1e-10;
const file = BN_EXTEP;

async function compare(what: string, atoms: Atoms): Promise<Record<string, number>> {
  const params = parseExtep(readFileSync(file, 'utf8'), file);
  const third = new Extep(params, { perAtomVirial: 'third' });
  const ours = third.compute(atoms, { energies: true, virials: true });
  const centroid = new Extep(params).compute(atoms, { energies: true, virials: true });
  const ref = await lammpsSinglePoint(atoms, { pairStyle: 'extep', file }, { perAtom: true });

  const dE = Math.abs(ours.energy_eV - ref.energy_eV);
  assert.ok(dE <= REL * Math.abs(ref.energy_eV), `${what}: energy ${ours.energy_eV} vs LAMMPS ${ref.energy_eV}`);
  const fmax = Math.max(...ref.forces_eV_A.map(Math.abs));
  const f = assertClose(ours.forces_eV_A, ref.forces_eV_A, REL, REL * Math.max(fmax, 1), `${what} forces`);
  const e = assertClose(ours.energies_eV as Float64Array, ref.energies_eV as Float64Array, REL, REL, `${what} pe/atom`);
  const wmax = Math.max(...ref.virial_eV.map(Math.abs));
  const w = assertClose(ours.virial_eV, ref.virial_eV, REL, REL * wmax, `${what} virial`);
  let wAtom = NaN;
  const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (ref.frame.q.every((v, k) => Math.abs(v - identity[k]) < 1e-15)) {
    const order = [0, 4, 8, 1, 2, 5]; // LAMMPS xx yy zz xy xz yz with xy = r_x f_y
    const mine = new Float64Array(6 * atoms.length);
    for (let i = 0; i < atoms.length; i++) for (let c = 0; c < 6; c++) mine[6 * i + c] = (ours.virials_eV as Float64Array)[9 * i + order[c]];
    const sa = ref.stressAtomVirials_eV as Float64Array;
    const scale = Math.max(...sa.map(Math.abs));
    wAtom = assertClose(mine, sa, REL, REL * scale, `${what} stress/atom`).maxAbs;
  }
  assert.deepEqual(centroid.forces_eV_A, ours.forces_eV_A);
  const sum = new Float64Array(9);
  for (let i = 0; i < atoms.length; i++) for (let c = 0; c < 9; c++) sum[c] += (centroid.virials_eV as Float64Array)[9 * i + c];
  assertClose(sum, ref.virial_eV, REL, REL * wmax, `${what} Σ centroid virials`);

  const tersoffPart = third.bondOrder.compute(atoms);
  let dFcorr = 0;
  for (let k = 0; k < ours.forces_eV_A.length; k++) dFcorr = Math.max(dFcorr, Math.abs(ours.forces_eV_A[k] - tersoffPart.forces_eV_A[k]));
  const figures = {
    dE_rel: dE / Math.abs(ref.energy_eV),
    dF_abs: f.maxAbs,
    F_max: fmax,
    dW_abs: w.maxAbs,
    W_max: wmax,
    de_abs: e.maxAbs,
    dWatom_abs: wAtom,
    E_corr_eV: ours.energy_eV - tersoffPart.energy_eV,
    F_corr_max: dFcorr,
  };
  console.log(`# ${what} (${atoms.length} atoms): ${Object.entries(figures).map(([k, v]) => `${k}=${v.toExponential(2)}`).join(' ')}`);
  return figures;
}

test('pristine h-BN: the 2-atom hexagonal cell (every neighbour an image) and a jiggled 4 × 4 hexagonal supercell equal LAMMPS', { skip }, async () => {
  await compare('h-BN primitive, d = 1.4457 Å', hbnHexagonal(1, 1.4457));
  await compare('h-BN primitive, d = 1.30 Å (compressed)', hbnHexagonal(1, 1.3));
  await compare('h-BN 4×4 hexagonal, jiggled ±0.05 Å', hbnHexagonal(4, 1.4457, 0.1, 2));
});

test('a-BN sheet with B–B and N–N bonds, one N–N pair pushed to 1.10 Å and one B–B pair to 1.20 Å, equals LAMMPS', { skip }, async () => {
  const sheet = abnSheet();
  const chem = bondChemistry(sheet);
  assert.ok((chem.pairs['B-B'] ?? 0) > 0 && (chem.pairs['N-N'] ?? 0) > 0, `B–B and N–N bonds present: ${JSON.stringify(chem.pairs)}`);
  await compare('a-BN 96 atoms (generated)', sheet);
  const homo = homopolarBonds(sheet);
  const nn = homo.find((b) => sheet.numbers[b.i] === 7);
  const bb = homo.find((b) => sheet.numbers[b.i] === 5);
  assert.ok(nn && bb);
  const squeezed = withBond(withBond(sheet, nn, 1.1), bb, 1.2);
  const figures = await compare('a-BN 96 atoms, N–N at 1.10 Å, B–B at 1.20 Å', squeezed);
  assert.ok(figures.E_corr_eV !== 0 && figures.F_corr_max > 1e-3, 'F_corr contributes');
});

test('triclinic cells: a jiggled hexagonal h-BN supercell, random B/N cells (neighbour counts from 0 to above 4), one rotated out of LAMMPS\' frame, equal LAMMPS', { skip }, async () => {
  // A hexagonal cell's reduced tilt is exactly lx/2, which LAMMPS accepts only unrotated (round-off of
  // a rotation pushes it past ½ and LAMMPS refuses the box), so the rotated case is a random cell.
  await compare('h-BN 3×3 hexagonal, jiggled ±0.06 Å', hbnHexagonal(3, 1.44, 0.12, 5));
  const tri = randomCell([6, 0, 0, 1.5, 6.2, 0, 0.3, -0.5, 5], 30, ['B', 'N'], 2, 1.2);
  const rot = rotation(0.4, -0.3, 0.9);
  const rotated = new Atoms({ positions: applyRows(rot, Array.from(tri.positions)), numbers: tri.numbers, cell: applyRows(rot, [6, 0, 0, 1.5 + 6, 6.2, 0, 0.3, -0.5, 5]), pbc: [true, true, true] });
  await compare('random B/N cell 2, rotated, b with a large tilt', rotated);
  // Random cells: bonds at all lengths; N^t from 0 to above 4 (both envelope regimes), N^d from 0 to above 4.
  for (const [seed, cell, count, min] of [
    [1, [7, 0, 0, 0, 7.5, 0, 0, 0, 8], 40, 1.25],
    [2, [6, 0, 0, 1.5, 6.2, 0, 0.3, -0.5, 5], 30, 1.2],
    [3, [9, 0, 0, -2, 8.5, 0, 0.7, 0.4, 9], 30, 1.3],
  ] as const) {
    const figures = await compare(`random B/N cell ${seed}`, randomCell([...cell], count, ['B', 'N'], seed, min));
    assert.ok(figures.F_corr_max > 1e-3, 'F_corr contributes');
  }
});

test('the shipped extep-bn-2017 holds the numbers of Debian\'s BN.extep', { skip }, () => {
  const shipped = loadExtep('extep-bn-2017');
  const debian = parseExtep(readFileSync(BN_EXTEP, 'utf8'), BN_EXTEP);
  assert.deepEqual(shipped.elements, debian.elements);
  assert.deepEqual(shipped.entries, debian.entries);
  const strip = (k: (typeof debian.knots)[number]) => ({ ...k, line: 0 });
  assert.deepEqual(shipped.knots.map(strip), debian.knots.map(strip));
});
