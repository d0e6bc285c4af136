import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AseDatabase } from '../../src/data/aseDb.js';
import { elDosGrid, materialByName } from '../../src/materials/material.js';
import { Atoms } from '../../src/structure/atoms.js';
import { writeExtxyz } from '../../src/structure/io/extxyz.js';
import '../../src/tasks/allTasks.js';
import { featurizeStructure, inputChannelNames, structureInput } from '../../src/tasks/modelInput.js';
import { taskRows } from '../../src/tasks/taskData.js';
import { loadModelSet, pcfInputsMaterial, predictInputs } from '../../src/tasks/predict.js';
import { taskMaterials, taskNames, taskSpec } from '../../src/tasks/taskSpec.js';
import { CLI, EXAMPLES, ROOT, graphene, run, tempDir } from '../helpers.js';

/** h-BN: graphene's honeycomb at 1.4457 Å with B and N on alternate sites (graphene() lists its base as a bonded chain). */
function hBN(n = 4, m = 3): Atoms {
  const g = graphene(n, m, 1.4457, 5);
  return new Atoms({ positions: g.positions, numbers: Array.from({ length: g.length }, (_, k) => (k % 2 === 0 ? 5 : 7)), cell: g.cell, pbc: g.pbc });
}

test('each material has its own tasks: boron nitride’s el-DoS spans its [−8, 8] eV window, carbon’s stays the data contract’s', () => {
  assert.deepEqual(taskMaterials().sort(), ['boron-nitride', 'carbon']);
  assert.deepEqual(taskNames(), ['el-dos', 'sigma', 'ph-dos', 'kappa']);
  assert.deepEqual(taskNames('boron-nitride'), ['el-dos', 'sigma', 'ph-dos', 'kappa']);
  // a-BN's thermal tasks read the structure (partial g(r)), not a g(r): no release normalisation exists for it
  assert.equal(taskSpec('ph-dos', 'boron-nitride').input, 'structure');
  // κ in its label's convention: the material's thickness, and κ·t beside it
  const kappa = taskSpec('kappa', 'boron-nitride').toJson(Float64Array.of(Math.log10(5)), {}) as { kappa: { W_mK: number; thickness_A: number; sheet_conductance_W_K: number } };
  assert.ok(Math.abs(kappa.kappa.W_mK - 5) < 1e-12);
  assert.equal(kappa.kappa.thickness_A, 3.33);
  assert.ok(Math.abs(kappa.kappa.sheet_conductance_W_K - 5 * 3.33e-10) < 1e-22);
  // one κ line for either shape: a BN structure predicted with carbon's models still prints right
  const line = taskSpec('kappa', 'boron-nitride').summary(kappa.kappa);
  assert.match(line, /^κ 5 W\/\(m·K\) \(thickness 3\.33 Å; κ·t 1\.67e-9 W\/K\)$/);
  assert.equal(taskSpec('kappa').summary(kappa.kappa), line);
  assert.match(taskSpec('kappa', 'boron-nitride').summary({ W_mK: 5, W_mK_3p35A: 5 }), /public labels' convention; with 3\.35 Å 5/);
  const bn = taskSpec('el-dos', 'boron-nitride');
  assert.equal(bn.outputs, 321);
  assert.deepEqual(Array.from(bn.axis!.values), Array.from(elDosGrid(materialByName('bn'))));
  assert.equal(bn.axis!.values[0], -8);
  assert.equal(bn.axis!.values[320], 8);
  assert.equal(taskSpec('el-dos').outputs, 81);
  assert.equal(bn.jsonKey, taskSpec('el-dos').jsonKey, 'one JSON shape whatever the material');
  assert.throws(() => taskSpec('band-gap', 'boron-nitride'), /unknown task "band-gap" \(expected el-dos, sigma, ph-dos, kappa: the tasks of boron-nitride\)/);
  assert.throws(() => taskSpec('el-dos', 'silicon'), /no tasks are known for material "silicon" \(materials with tasks: carbon, boron-nitride\)/);
});

test('h-BN’s partial g(r): B–N at the bond, B–B and N–N from the second shell, and the concentration-weighted partials sum to the total', () => {
  const input = structureInput('pcf', 'all', false, taskSpec('el-dos', 'boron-nitride').partials);
  assert.deepEqual(inputChannelNames(input), ['g_2d', 'g_3d', 'g_2d_BB', 'g_2d_BN', 'g_2d_NN']);
  const atoms = hBN();
  const row = featurizeStructure(atoms, input, 'h-BN');
  const bins = input.spec.bins;
  const channel = (c: number) => row.subarray(c * bins, (c + 1) * bins);
  const [total, , bb, bnPartial, nn] = [0, 1, 2, 3, 4].map(channel);
  const first = (g: Float64Array) => g.findIndex((v) => v > 0);
  // 0.05 Å bins: the bond 1.4457 Å falls in bin 28 [1.40, 1.45), the second neighbours √3 · 1.4457 = 2.504 Å in bin 50 [2.50, 2.55)
  assert.equal(input.spec.rMax_A / bins, 0.05);
  assert.equal(first(bnPartial), 28);
  assert.equal(first(bb), 50);
  assert.equal(first(nn), 50);
  // N g = Σ_ab N_a ρ_b g_ab / ρ over ordered pairs: g = x_B² g_BB + 2 x_B x_N g_BN + x_N² g_NN (x = 1/2)
  let worst = 0;
  for (let k = 0; k < bins; k++) worst = Math.max(worst, Math.abs(total[k] - (bb[k] / 4 + bnPartial[k] / 2 + nn[k] / 4)));
  assert.ok(worst < 1e-12, `total vs partials: ${worst}`);
  // a carbon input without partials keeps the channel numbers models were trained with
  assert.deepEqual(structureInput('pcf+env+soap+tb', 'all').channels, [0, 1, 3, 4, 5]);
});

test('boron nitride end to end: its store’s rows train its tasks, predict sends each structure to its material’s models, a g(r) needs --material', () => {
  const dir = tempDir();
  const store = join(dir, 'labels.db');
  const ok = (args: string[]) => {
    const r = run(process.execPath, [CLI, ...args]);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  ok(['generate', 'www', '--material', 'bn', '--atoms', '40', '--count', '14', '--seed', '3', '--dimensions', '3', '--out', join(dir, 'sheets')]);
  const sheets = Array.from({ length: 14 }, (_, k) => join(dir, 'sheets', `POSCAR_${String(k + 1).padStart(4, '0')}`));
  ok(['label', 'el-dos', '--material', 'bn', ...sheets, '--db', store]);
  ok(['label', 'sigma', '--material', 'bn', ...sheets, '--db', store]);
  ok(['label', 'ph-dos', '--material', 'bn', ...sheets, '--db', store]);
  // a carbon row with carbon's el-DoS (81 values) in the same store: each material's task takes its own rows
  ok(['label', 'el-dos', join(EXAMPLES, 'POSCAR_0055'), '--db', store]);
  const db = new AseDatabase(store, { mustExist: true });
  try {
    assert.equal(taskRows(db, taskSpec('el-dos', 'boron-nitride')).length, 14);
    assert.equal(taskRows(db, taskSpec('el-dos')).length, 1);
  } finally {
    db.close();
  }
  const models = join(dir, 'bn-models');
  for (const task of ['el-dos', 'sigma', 'ph-dos']) ok(['train', '--material', 'bn', '--task', task, '--data', store, '--out', models, '--epochs', '1', '--validation-fraction', '0.25']);
  // one folder per material: a carbon model is refused in the a-BN folder before any training
  const mixed = run(process.execPath, [CLI, 'train', '--task', 'el-dos', '--data', store, '--out', models]);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /bn-models holds boron-nitride models \([a-z-]+\.ensemble\.json\); a carbon model goes into a folder of its own/);
  const card = JSON.parse(readFileSync(join(models, 'el-dos.card.json'), 'utf8')) as { material: string; data: { rows: number }; descriptor: { spec: { partials: string[][] } } };
  assert.equal(card.material, 'boron-nitride');
  assert.equal(card.data.rows, 14);
  assert.deepEqual(card.descriptor.spec.partials, [['B', 'B'], ['B', 'N'], ['N', 'N']]);
  assert.equal((JSON.parse(readFileSync(join(models, 'el-dos.ensemble.json'), 'utf8')) as { material: string }).material, 'boron-nitride');

  const bnFile = join(dir, 'h-BN.extxyz');
  writeFileSync(bnFile, writeExtxyz([hBN()]));
  const carbonModels = join(ROOT, 'models');
  const both = ok(['predict', bnFile, join(EXAMPLES, 'POSCAR_0055'), '--models', carbonModels, '--models', models, '--task', 'el-dos,sigma,ph-dos', '--json']);
  const [bn, carbon] = JSON.parse(both.stdout) as Array<{ material: string; el_dos: { energy_eV: number[]; dos: number[] }; sigma: { xx: number }; ph_dos: { dos: number[] }; thermal_relax?: unknown; domain: { reasons: string[] } }>;
  // a-BN's ph-DoS from the structure itself: a unit-sum spectrum, no relaxation with carbon's potential
  assert.ok(Math.abs(bn.ph_dos.dos.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.equal(bn.thermal_relax, undefined);
  assert.notEqual(carbon.thermal_relax, undefined);
  assert.equal(bn.material, 'boron-nitride');
  assert.equal(bn.el_dos.energy_eV.length, 321);
  assert.ok(bn.el_dos.dos.every((v) => v >= 0));
  assert.ok(bn.sigma.xx >= 0);
  assert.ok(!bn.domain.reasons.some((r) => /models are loaded|these models learnt|the models loaded learnt/.test(r)), bn.domain.reasons.join(" | "));
  assert.equal(carbon.material, 'carbon');
  assert.equal(carbon.el_dos.energy_eV.length, 81);
  assert.ok(!carbon.domain.reasons.some((r) => /models are loaded|these models learnt|the models loaded learnt/.test(r)), carbon.domain.reasons.join(" | "));

  // a g(r) says no material: it goes to the one loaded material whose models read a g(r) (carbon's thermal models)
  const npy = join(EXAMPLES, 'rdf_145.npy');
  const gr = ok(['predict', npy, bnFile, '--models', carbonModels, '--models', models, '--json']);
  assert.deepEqual((JSON.parse(gr.stdout) as Array<{ material: string }>).map((p) => p.material), ['carbon', 'boron-nitride']);
  const noThermal = run(process.execPath, [CLI, 'predict', npy, '--models', carbonModels, '--models', models, '--material', 'bn', '--json']);
  assert.equal(noThermal.status, 1);
  assert.match((JSON.parse(noThermal.stdout) as Array<{ error: string }>)[0].error, /no model for a g\(r\) input is loaded \(boron-nitride g\(r\) inputs give nothing\)/);
  // two materials whose models read a g(r): the g(r) needs --material, named in the refusal
  const thermal = loadModelSet(carbonModels, ['ph-dos']);
  const two = new Map([['carbon', thermal], ['boron-nitride', thermal]]);
  assert.throws(() => pcfInputsMaterial(two), /a g\(r\) does not say its material and models of carbon, boron-nitride read one: give --material \(carbon or boron-nitride\)/);
  assert.equal(pcfInputsMaterial(two, 'bn'), 'boron-nitride');
  const [refused, chosenInput] = [predictInputs([npy], two)[0], predictInputs([npy], two, { material: 'carbon' })[0]];
  assert.match(refused.error ?? '', /give --material/);
  assert.equal(chosenInput.material, 'carbon');
  const twice = run(process.execPath, [CLI, 'predict', npy, '--models', models, '--models', models]);
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /a second folder of boron-nitride models; give one folder per material/);
});
