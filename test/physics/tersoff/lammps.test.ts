import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Atoms } from '../../../src/structure/atoms.js';
import { lammpsSinglePoint } from '../../../src/engines/lammps/singlePoint.js';
import { parseTersoff, loadTersoff, type TersoffParameters } from '../../../src/physics/tersoff/params.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { tempDir } from '../../helpers.js';
import { LAMMPS_POTENTIALS, POTENTIALS, amc, applyRows, assertClose, lammpsSkip, randomCell, rotation } from './support.js';

/**
 * The built-in Tersoff against LAMMPS 29 Sep 2021 `pair_style tersoff` on the same file and cell:
 * energy and forces to 1e-8 relative (1e-9 eV/Å absolute for tiny forces), per-atom energies
 * (`compute pe/atom`) and per-atom virials in LAMMPS' `compute stress/atom` form (our 'third'
 * sharing) to the same tolerance, the total virial (`compute pressure NULL virial`), and the
 * centroid per-atom virials summing to it.
 */
const skip = lammpsSkip();
const REL = 1e-8;
const ABS_F = 1e-9;

interface Case {
  what: string;
  atoms: Atoms;
  file: string;
}

async function compare({ what, atoms, file }: Case): Promise<Record<string, number>> {
  const params: TersoffParameters = parseTersoff(readFileSync(file, 'utf8'), file);
  const third = new Tersoff(params, { perAtomVirial: 'third' }).compute(atoms, { energies: true, virials: true });
  const centroid = new Tersoff(params).compute(atoms, { energies: true, virials: true });
  const ref = await lammpsSinglePoint(atoms, { pairStyle: 'tersoff', file }, { perAtom: true });

  const dE = Math.abs(third.energy_eV - ref.energy_eV);
  assert.ok(dE <= REL * Math.abs(ref.energy_eV), `${what}: energy ${third.energy_eV} vs LAMMPS ${ref.energy_eV}`);
  const f = assertClose(third.forces_eV_A, ref.forces_eV_A, REL, ABS_F, `${what} forces`);
  const e = assertClose(third.energies_eV as Float64Array, ref.energies_eV as Float64Array, REL, 1e-10, `${what} pe/atom`);
  const scale = Math.max(...ref.virial_eV.map(Math.abs));
  const w = assertClose(third.virial_eV, ref.virial_eV, REL, REL * scale, `${what} virial`);

  // Per-atom virials in LAMMPS' frame: compare only when that frame is ours (no rotation).
  const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  let wAtom = NaN;
  if (ref.frame.q.every((v, k) => Math.abs(v - identity[k]) < 1e-15)) {
    const order = [0, 4, 8, 1, 2, 5]; // LAMMPS xx yy zz xy xz yz with xy = r_x f_y
    const n = atoms.length;
    const ours = new Float64Array(6 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 6; c++) ours[6 * i + c] = (third.virials_eV as Float64Array)[9 * i + order[c]];
    wAtom = assertClose(ours, ref.stressAtomVirials_eV as Float64Array, REL, 1e-9, `${what} stress/atom`).maxAbs;
  }
  // Centroid form: same energies and forces, per-atom virials summing to the total.
  assert.deepEqual(centroid.forces_eV_A, third.forces_eV_A);
  const sum = new Float64Array(9);
  for (let i = 0; i < atoms.length; i++) for (let c = 0; c < 9; c++) sum[c] += (centroid.virials_eV as Float64Array)[9 * i + c];
  assertClose(sum, ref.virial_eV, REL, REL * scale, `${what} Σ centroid virials`);
  const fmax = Math.max(...ref.forces_eV_A.map(Math.abs));
  return { dE_rel: dE / Math.abs(ref.energy_eV), dF_abs: f.maxAbs, F_max: fmax, de_abs: e.maxAbs, dW_abs: w.maxAbs, dWatom_abs: wAtom };
}

function report(what: string, figures: Record<string, number>): void {
  console.log(`${what}: ${Object.entries(figures).map(([k, v]) => `${k}=${v.toExponential(2)}`).join(' ')}`);
}

test('AMC fixtures (flat and buckled) with both shipped carbon sets equal LAMMPS', { skip }, async () => {
  for (const name of ['flat', 'buckled'] as const) {
    for (const set of ['lindsay-broido-2010', 'tersoff-1988']) {
      const what = `${name} AMC, ${set}`;
      report(what, await compare({ what, atoms: amc(name), file: join(POTENTIALS, `${set}.tersoff`) }));
    }
  }
});

test('random B/N/C cells with BNC.tersoff (all 27 triplets, mixed cut-offs) equal LAMMPS', { skip }, async () => {
  for (const seed of [1, 2]) {
    const atoms = randomCell([7, 0, 0, 0, 7.5, 0, 0, 0, 8], 40, ['B', 'N', 'C'], seed);
    const what = `random BNC seed ${seed}`;
    report(what, await compare({ what, atoms, file: join(LAMMPS_POTENTIALS, 'BNC.tersoff') }));
  }
});

test('angular exponent terms: λ3 ≠ 0 with m = 3 and m = 1, γ ≠ 1, and SiC (Erhart–Albe, m = 1) equal LAMMPS', { skip }, async () => {
  // BNC with λ3 switched on: m = 1 for triplets starting with B, m = 3 otherwise; γ varies.
  const lines = readFileSync(join(LAMMPS_POTENTIALS, 'BNC.tersoff'), 'utf8').split('\n');
  const modified = lines.map((line) => {
    const parts = line.replace(/#.*/, '').trim().split(/\s+/);
    if (parts.length !== 17) return line;
    parts[3] = parts[0] === 'B' ? '1' : '3';
    parts[4] = parts[1] === 'N' ? '0.8' : '1.1';
    parts[5] = parts[0] === 'B' ? '1.7' : '1.3';
    return parts.join(' ');
  });
  const dir = tempDir();
  const file = join(dir, 'BNC-lambda3.tersoff');
  writeFileSync(file, modified.join('\n'));
  const atoms = randomCell([7, 0, 0, 0, 7.5, 0, 0, 0, 8], 40, ['B', 'N', 'C'], 3);
  report('BNC with λ3', await compare({ what: 'BNC with λ3', atoms, file }));
  const sic = randomCell([8, 0, 0, 0, 8, 0, 0, 0, 8], 36, ['Si', 'C'], 4, 1.4);
  report('SiC Erhart-Albe', await compare({ what: 'SiC Erhart-Albe', atoms: sic, file: join(LAMMPS_POTENTIALS, 'SiC_Erhart-Albe.tersoff') }));
});

test('small triclinic cells (images of an atom are its neighbours), in LAMMPS frame and rotated, equal LAMMPS', { skip }, async () => {
  const file = join(POTENTIALS, 'lindsay-broido-2010.tersoff');
  // Graphene's 2-atom primitive cell, atoms displaced: every neighbour is an image.
  const a = 2.46;
  const prim = new Atoms({
    positions: [0.02, -0.01, 5.0, a / 2 + 0.01, (a * Math.sqrt(3)) / 6 + 0.03, 5.04],
    symbols: ['C', 'C'],
    cell: [a, 0, 0, a / 2, (a * Math.sqrt(3)) / 2, 0, 0, 0, 10],
    pbc: [true, true, true],
  });
  report('graphene primitive cell', await compare({ what: 'graphene primitive cell', atoms: prim, file }));
  // A dense 3D triclinic cell narrower than twice the cut-off, in LAMMPS' frame…
  const tri = randomCell([3.3, 0, 0, 0.9, 3.1, 0, 0.5, -0.7, 3.4], 4, ['C'], 5, 1.3);
  report('triclinic 3D', await compare({ what: 'triclinic 3D', atoms: tri, file }));
  // …and the same cell rotated out of it (large tilt and a general orientation).
  const rot = rotation(0.3, -0.5, 1.1);
  const cell = applyRows(rot, [3.3, 0, 0, 0.9 + 3.3, 3.1, 0, 0.5, -0.7, 3.4]);
  const rotated = new Atoms({ positions: applyRows(rot, Array.from(tri.positions)), numbers: tri.numbers, cell, pbc: [true, true, true] });
  report('triclinic 3D rotated', await compare({ what: 'triclinic 3D rotated', atoms: rotated, file }));
  const amcRot = amc('buckled');
  const turned = new Atoms({
    positions: applyRows(rot, Array.from(amcRot.positions)),
    numbers: amcRot.numbers,
    cell: applyRows(rot, Array.from(amcRot.cell)),
    pbc: [true, true, true],
  });
  report('buckled AMC rotated', await compare({ what: 'buckled AMC rotated', atoms: turned, file }));
});

test('b_ij asymptotic branches (βζ below LAMMPS\' c3 and c4 thresholds: a third atom just inside the cut-off) equal LAMMPS', { skip }, async () => {
  const file = join(POTENTIALS, 'lindsay-broido-2010.tersoff');
  // βζ = β f_c(r_ik) g(θ): a gap of 1e-6 Å gives βζ ≈ 1e-11 < c3 (the 1 − (βζ)^n/2n form), and
  // f_c = 0 in floating point from 1e-9 Å on (βζ < c4, b = 1).
  for (const gap of [1e-3, 1e-6, 1e-9, 1e-12]) {
    const rk = 2.1 - gap;
    const angle = (100 * Math.PI) / 180;
    const atoms = new Atoms({
      positions: [5, 5, 5, 6.4, 5, 5, 5 + rk * Math.cos(angle), 5 + rk * Math.sin(angle), 5],
      symbols: ['C', 'C', 'C'],
      cell: [14, 0, 0, 0, 14, 0, 0, 0, 14],
      pbc: [true, true, true],
    });
    const what = `trimer, third atom ${gap} Å inside the cut-off`;
    report(what, await compare({ what, atoms, file }));
  }
});

test('shipped parameter sets equal the carbon entries of LAMMPS\' BNC.tersoff (Lindsay–Broido) and SiCGe.tersoff (Tersoff)', { skip }, () => {
  const pick = (p: TersoffParameters) => p.entries.find((e) => e.elements.join(' ') === 'C C C');
  const ours = { lb: pick(loadTersoff('lindsay-broido-2010')), t88: pick(loadTersoff('tersoff-1988')) };
  const bnc = pick(parseTersoff(readFileSync(join(LAMMPS_POTENTIALS, 'BNC.tersoff'), 'utf8')));
  const sicge = pick(parseTersoff(readFileSync(join(LAMMPS_POTENTIALS, 'SiCGe.tersoff'), 'utf8')));
  assert.ok(ours.lb && ours.t88 && bnc && sicge);
  assert.deepEqual({ ...ours.lb }, { ...bnc });
  assert.deepEqual({ ...ours.t88 }, { ...sicge });
});
