import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTersoff } from '../../src/physics/tersoff/params.js';
import { Tersoff } from '../../src/physics/tersoff/tersoff.js';
import { Atoms } from '../../src/structure/atoms.js';
import { neighborList } from '../../src/structure/neighbors.js';
import { writePoscar } from '../../src/structure/io/poscar.js';
import { loadModelSet, predictInputs } from '../../src/tasks/predict.js';
import { parentGrapheneBond_A, thermalStructure } from '../../src/tasks/thermalStructure.js';
import { grapheneBondLength } from '../../src/generate/potentialGraphene.js';
import { tersoffForceField } from '../../src/generate/forceFields.js';
import { CLI, ROOT, graphene, run, tempDir } from '../helpers.js';

/** Lindsay–Broido graphene's bond, = LAMMPS to 1e-9 eV/atom (docs/factory.md). */
const LB_GRAPHENE_BOND_A = 1.43879;

/** A flat amorphous-like sheet: graphene with every atom pushed by up to 0.08 Å in-plane (seeded). */
function disorderedSheet(d: number): Atoms {
  const g = graphene(6, 4, d, 5);
  let seed = 3;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.16;
  const positions = Float64Array.from(g.positions);
  for (let i = 0; i < g.length; i++) {
    positions[3 * i] += rand();
    positions[3 * i + 1] += rand();
  }
  return new Atoms({ positions, numbers: g.numbers, cell: g.cell, pbc: g.pbc });
}

function bonds(atoms: Atoms): Float64Array {
  return neighborList(atoms.positions, atoms.cell, atoms.pbc, 1.85).distances;
}

test("graphene in DFT's 1.42 Å cell goes to the Lindsay–Broido bond; forces vanish by a separate evaluation", () => {
  const t = thermalStructure(disorderedSheet(1.42));
  assert.equal(t.record.relaxed, true);
  assert.equal(t.record.converged, true);
  assert.deepEqual(t.reasons, []);
  for (const b of bonds(t.atoms)) assert.ok(Math.abs(b - LB_GRAPHENE_BOND_A) < 2e-3, `bond ${b}`);
  // the cell grows by the two bonds' ratio (the median bond of the pushed sheet is ≈ 1.42 Å)
  assert.ok(Math.abs(t.atoms.cell[0] / disorderedSheet(1.42).cell[0] - LB_GRAPHENE_BOND_A / 1.42) < 3e-3, `scale ${t.record.in_plane_scale}`);
  const forces = new Tersoff(loadTersoff('lindsay-broido-2010')).compute({ positions: t.atoms.positions, numbers: t.atoms.numbers, cell: t.atoms.cell, pbc: t.atoms.pbc }).forces_eV_A;
  let fmax = 0;
  for (let i = 0; i < t.atoms.length; i++) fmax = Math.max(fmax, Math.hypot(forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]));
  assert.ok(fmax < 0.05, `fmax ${fmax}`);
  assert.ok(fmax <= (t.record.fmax_eV_A as number) * 1.001);
  // the recorded largest move is the relaxation's (after scaling), recomputed here: ≤ the 0.08·√2 Å push
  assert.ok((t.record.max_displacement_A as number) > 0.02 && (t.record.max_displacement_A as number) < 0.16, `${t.record.max_displacement_A}`);
  assert.ok((t.record.seconds as number) >= 0 && (t.record.steps as number) > 0);
});

test("a sheet already relaxed with the potential in its graphene cell is left where it is (idempotent)", () => {
  const once = thermalStructure(disorderedSheet(1.42));
  const twice = thermalStructure(once.atoms);
  assert.ok(Math.abs((twice.record.in_plane_scale as number) - 1) < 2e-3, `${twice.record.in_plane_scale}`);
  assert.ok((twice.record.max_displacement_A as number) < 0.01, `${twice.record.max_displacement_A}`);
});

test('the parent graphene is read off a graphene-supercell cell, in either orientation; other cells have none', () => {
  const cell = (lx: number, ly: number, xy = 0): number[] => [lx, 0, 0, xy, ly, 0, 0, 0, 20];
  const r3 = Math.sqrt(3);
  assert.ok(Math.abs(parentGrapheneBond_A(graphene(6, 4, 1.42).cell)! - 1.42) < 1e-12); // zigzag along x
  assert.ok(Math.abs(parentGrapheneBond_A(cell(3 * 1.43879 * 7, r3 * 1.43879 * 9))! - 1.43879) < 1e-12); // armchair along x
  // 10 × 3a by 20 × √3a is also 18 × √3a′ by 12 × 3a′: the sheet's bond picks the parent
  const twin = cell(30 * 1.43879, 20 * r3 * 1.43879);
  assert.equal(parentGrapheneBond_A(twin), undefined);
  assert.ok(Math.abs(parentGrapheneBond_A(twin, 1.44)! - 1.43879) < 1e-12);
  assert.ok(Math.abs(parentGrapheneBond_A(twin, 1.39)! - (1.43879 * 30) / (18 * r3)) < 1e-12);
  assert.equal(parentGrapheneBond_A(cell(3 * 1.42 * 7 * 1.01, r3 * 1.42 * 9)), undefined); // stretched in x only
  assert.equal(parentGrapheneBond_A(cell(3 * 1.42 * 7, r3 * 1.42 * 9, 0.5)), undefined); // sheared
});

test('a sheet in the potential\'s graphene cell is not stretched, whatever the median of its own bonds', () => {
  // the cell of graphene at the potential's own bond (LB_GRAPHENE_BOND_A to 5 digits)
  const lbBond = grapheneBondLength(tersoffForceField('lindsay-broido-2010'));
  assert.ok(Math.abs(lbBond - LB_GRAPHENE_BOND_A) < 1e-5);
  const sheet = disorderedSheet(lbBond);
  const median = Float64Array.from(bonds(sheet)).sort()[bonds(sheet).length >> 1];
  assert.ok(Math.abs(median / LB_GRAPHENE_BOND_A - 1) > 1e-4, `median ${median}: the pushes must move it off the graphene bond`);
  const t = thermalStructure(sheet);
  assert.equal(t.record.in_plane_scale, 1);
  assert.equal(t.record.scaled_from, 'graphene cell');
  assert.deepEqual(Array.from(t.atoms.cell), Array.from(sheet.cell));
  // a cell that is no graphene supercell falls back to the median bond
  const odd = new Atoms({ positions: sheet.positions, numbers: sheet.numbers, cell: [sheet.cell[0] * 1.004, 0, 0, 0, sheet.cell[4], 0, 0, 0, 20], pbc: sheet.pbc });
  assert.equal(thermalStructure(odd).record.scaled_from, 'median bond');
});

test("cell policies: 'fixed' keeps the cell, 'relaxed' moves it; relax false keeps the atoms", () => {
  const sheet = disorderedSheet(1.42);
  const fixed = thermalStructure(sheet, { cell: 'fixed' });
  assert.deepEqual(Array.from(fixed.atoms.cell), Array.from(sheet.cell));
  assert.equal(fixed.record.in_plane_scale, 1);
  const relaxed = thermalStructure(sheet, { cell: 'relaxed', maxSteps: 20000 });
  assert.notEqual(relaxed.atoms.cell[0], sheet.cell[0]);
  assert.ok((relaxed.record.in_plane_scale as number) > 1.01, `${relaxed.record.in_plane_scale}`);
  const asGiven = thermalStructure(sheet, { relax: false });
  assert.equal(asGiven.atoms, sheet);
  assert.equal(asGiven.record.relaxed, false);
});

test('buckled sheets and other elements are not relaxed and carry the reason', () => {
  const sheet = disorderedSheet(1.42);
  const buckled = new Atoms({ positions: sheet.positions.map((v, k) => (k % 3 === 2 ? v + 0.6 * Math.sin(k) : v)), numbers: sheet.numbers, cell: sheet.cell, pbc: sheet.pbc });
  const t = thermalStructure(buckled);
  assert.equal(t.record.relaxed, false);
  assert.match(t.record.skipped as string, /^not flat \(height spread 0\.\d\d Å\)$/);
  assert.match(t.reasons[0], /not flat .* the thermal models learnt flat sheets only/);
  const numbers = Uint8Array.from(sheet.numbers);
  numbers[0] = 1;
  const hydrogen = thermalStructure(new Atoms({ positions: sheet.positions, numbers, cell: sheet.cell, pbc: sheet.pbc }));
  assert.equal(hydrogen.record.relaxed, false);
  assert.match(hydrogen.reasons[0], /contains H; the thermal models saw only carbon/);
});

test('predict reads the ph-DoS and κ of a structure from its relaxed form, says so, and --no-thermal-relax skips it', () => {
  const dir = tempDir();
  const file = join(dir, 'POSCAR_flat');
  writeFileSync(file, writePoscar(disorderedSheet(1.42)));
  const models = loadModelSet(join(ROOT, 'models'), ['ph-dos', 'kappa']);
  const [p] = predictInputs([file], models);
  assert.equal(p.thermal_relax?.relaxed, true);
  assert.equal(p.thermal_relax?.converged, true);
  // the same numbers as the relaxed structure given as it is
  const relaxedFile = join(dir, 'POSCAR_relaxed');
  writeFileSync(relaxedFile, writePoscar(thermalStructure(disorderedSheet(1.42)).atoms));
  const [q] = predictInputs([relaxedFile], models, { thermal: { relax: false } });
  assert.deepEqual(p.ph_dos, q.ph_dos);
  assert.deepEqual(p.kappa, q.kappa);
  const r = run(process.execPath, [CLI, 'predict', '--task', 'kappa', '--json', '--no-thermal-relax', file]);
  assert.equal(r.status, 0, r.stderr);
  const [cli] = JSON.parse(r.stdout);
  assert.deepEqual(cli.thermal_relax, { relaxed: false, skipped: 'not asked (--no-thermal-relax)' });
  assert.notDeepEqual(cli.kappa, p.kappa);
});
