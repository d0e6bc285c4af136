import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers.js';
import { predictionsToCsv, type CsvColumnSpec } from '../../src/web/csv.js';
import { csvColumnsOf, taskSpecs } from '../../src/tasks/taskSpec.js';
import '../../src/tasks/allTasks.js';
import type { WebPrediction } from '../../src/web/types.js';

const PYTHON = '/usr/bin/python3';
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'web', 'prediction-with-uncertainty.json'), 'utf8')) as { predictions: WebPrediction[] };

/** The CSV read by Python's csv module (an independent RFC 4180 reader), as a list of dicts. */
function pythonRows(csv: string): Record<string, string>[] {
  const r = spawnSync(PYTHON, ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: csv, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, string>[];
}

/** Carbon's four tasks' columns, as `predict --csv` with the shipped carbon models has them. */
const CARBON = csvColumnsOf(taskSpecs());

const skip = !existsSync(PYTHON) && !process.env.CI ? 'needs /usr/bin/python3' : false;

test('CSV with intervals and domain: every cell read back by Python equals the prediction', { skip }, () => {
  const tricky: WebPrediction = { input: 'odd, "name"\nwith newline.xyz', error: 'line 3: expected 3 numbers, found "a,b"' };
  const predictions = [...fixture.predictions, tricky];
  const rows = pythonRows(predictionsToCsv(predictions, CARBON));
  assert.equal(rows.length, 3);
  const [s, g, bad] = rows;
  const ps = fixture.predictions[0];
  const pg = fixture.predictions[1];
  assert.equal(s.input, ps.input);
  assert.equal(Number(s.sigma_xx), ps.sigma!.xx);
  assert.equal(Number(s.sigma_yy_lo90), ps.sigma!.interval90!.yy[0]);
  assert.equal(Number(s.sigma_xx_hi90), ps.sigma!.interval90!.xx[1]);
  assert.equal(Number(s.sheet_conductance_yy_S), ps.sheet_conductance!.yy);
  assert.equal(Number(s.sheet_conductance_xx_S_lo90), ps.sheet_conductance!.interval90!.xx[0]);
  assert.equal(Number(s.el_dos_at_EF_per_eV_atom), ps.el_dos!.dos[ps.el_dos!.energy_eV.indexOf(0)]);
  assert.equal(Number(s.el_dos_at_EF_hi90), ps.el_dos!.band90!.high[ps.el_dos!.energy_eV.indexOf(0)]);
  assert.equal(s.in_domain, 'true');
  assert.equal(s.kappa_W_mK, '');
  assert.equal(Number(g.kappa_W_mK), pg.kappa!.W_mK);
  assert.equal(Number(g.kappa_W_mK_lo90), pg.kappa!.interval90![0]);
  assert.equal(Number(g.kappa_W_mK_hi90), pg.kappa!.interval90![1]);
  const peak = pg.ph_dos!.frequency_THz[pg.ph_dos!.dos.indexOf(Math.max(...pg.ph_dos!.dos))];
  assert.equal(Number(g.ph_dos_peak_THz), peak);
  assert.equal(g.in_domain, 'false');
  assert.equal(Number(g.domain_score), pg.domain!.score);
  assert.equal(g.domain_reasons, pg.domain!.reasons.join('; '));
  assert.equal(g.sigma_xx, '');
  assert.equal(bad.input, tricky.input);
  assert.equal(bad.error, tricky.error);
});

test('CSV without optional fields has only the base columns; el-DoS at E_F interpolates off-grid', { skip }, () => {
  const p: WebPrediction = { input: 'a', el_dos: { energy_eV: [-0.3, 0.1, 0.5], dos: [1, 3, 7] }, sigma: { xx: 1.5, yy: 2.5 } };
  const csv = predictionsToCsv([p, { input: 'b', frame: 2, kappa: { W_mK: 3 } }], CARBON);
  const header = csv.split('\r\n')[0].split(',');
  // the material column appears when a prediction states one (predict always does)
  const withMaterial = pythonRows(predictionsToCsv([{ ...p, material: 'boron-nitride' }, { input: 'c', material: null }], CARBON));
  assert.deepEqual([withMaterial[0].material, withMaterial[1].material], ['boron-nitride', '']);
  assert.deepEqual(header, ['input', 'frame', 'error', 'el_dos_at_EF_per_eV_atom', 'sigma_xx', 'sigma_yy', 'ph_dos_peak_THz', 'kappa_W_mK']);
  const [a, b] = pythonRows(csv);
  assert.equal(Number(a.el_dos_at_EF_per_eV_atom), 1 + (0.3 / 0.4) * 2); // linear between (−0.3, 1) and (0.1, 3)
  assert.equal(a.frame, '');
  assert.equal(b.frame, '2');
  assert.ok(!csv.split('\r\n')[0].includes('lo90'));
});

test('the sheet conductance as predict gives it (xx_S, yy_S and their intervals) is read as S', async () => {
  const { sheetConductanceOf } = await import('../../src/web/csv.js');
  const p = { input: 'x', sheet_conductance: { xx_S: 1e-4, yy_S: 2e-4, xx_e2_h: 2.58, yy_e2_h: 5.16, interval90: { xx_S: [5e-5, 2e-4], yy_S: [1e-4, 3e-4] } } } as unknown as Parameters<typeof sheetConductanceOf>[0];
  assert.deepEqual(sheetConductanceOf(p), { xx: 1e-4, yy: 2e-4, interval90: { xx: [5e-5, 2e-4], yy: [1e-4, 3e-4] } });
});

test('the result columns are the tasks\' own: a task with a new JSON key brings its columns, shared names appear once', { skip }, () => {
  const gap: CsvColumnSpec[] = [
    { name: 'gap_eV', paths: [['gap', 'eV']] },
    { name: 'gap_eV_lo90', optional: true, paths: [['gap', 'interval90', 0]] },
  ];
  const bnTasks = taskSpecs('boron-nitride');
  const columns = csvColumnsOf([...taskSpecs(), ...bnTasks, { ...bnTasks[0], name: 'gap', jsonKey: 'gap', csv: gap }]);
  assert.deepEqual(columns.slice(0, CARBON.length), CARBON, 'a-BN shares carbon\'s keys, so it adds no column');
  assert.deepEqual(columns.slice(CARBON.length).map((c) => c.name), ['gap_eV', 'gap_eV_lo90']);
  const p = { input: 'x', material: 'boron-nitride', gap: { eV: 4.2, interval90: [3.9, 4.6] } } as unknown as WebPrediction;
  const [row] = pythonRows(predictionsToCsv([p], columns));
  assert.equal(Number(row.gap_eV), 4.2);
  assert.equal(Number(row.gap_eV_lo90), 3.9);
  assert.equal(row.sigma_xx, '', 'a loaded task without a value leaves its cell empty');
  const kappaOnly = predictionsToCsv([{ input: 'g', kappa: { W_mK: 3 } }], csvColumnsOf([taskSpecs().find((t) => t.name === 'kappa')!]));
  assert.equal(kappaOnly.split('\r\n')[0], 'input,error,kappa_W_mK', 'only the predicting tasks\' columns');
});
