import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AseDatabase } from '../../src/data/aseDb.js';
import { importSpramnetPublic, phononIdOfKappa } from '../../src/data/importPublic.js';
import { parseDoscar, parseSigma } from '../../src/data/labels.js';
import { readNpy } from '../../src/io/npy.js';
import { FIXTURES, python, run, tempDir } from '../helpers.js';

const SAMPLE = join(FIXTURES, 'spramnet-sample');

test('import of a sample of the public layout: rows, labels, missing labels, bad files reported and skipped', () => {
  const db = join(tempDir(), 'amc.db');
  const report = importSpramnetPublic(SAMPLE, db);
  // electron: 0002, 0055, 0100 (0135 has a NaN coordinate); phonon 1, 4 (7 has a short g(r)); kappa 1, 464
  assert.equal(report.added, 7);
  const messages = report.failures.map((f) => `${f.file}: ${f.message}`).join('\n');
  assert.match(messages, /POSCAR_0135:10: expected three finite coordinates/);
  assert.match(messages, /DOSCAR_0100:1501: file ends early: expected 2000 DoS rows \(NEDOS\), found 1494/);
  assert.match(messages, /rdf_7\.npy: expected 100 g\(r\) values/);
  assert.equal(report.failures.length, 3);
  const store = new AseDatabase(db);
  const electron = store.select({ set: 'electron' });
  assert.deepEqual(electron.map((r) => r.keyValues.release_id), [2, 55, 100]);
  const [r2, r55, r100] = electron;
  assert.equal(r2.keyValues.sigma_xx, 182.2707);
  assert.equal(r2.keyValues.sigma_yy, 155.2396);
  assert.equal('sigma_xx' in r55.keyValues, false); // empty imag file: σ missing, not zero
  assert.equal((r2.data.el_dos as Float64Array).length, 81);
  assert.equal('el_dos' in r100.data, false); // truncated DOSCAR: that label missing, the rest kept
  assert.ok(r100.keyValues.sigma_xx !== undefined);
  assert.equal(r2.atoms?.length, 210);
  assert.equal((r2.data.descriptor_reference as Float64Array).length, 480);
  const kappa = store.select({ set: 'kappa' });
  assert.deepEqual(kappa.map((r) => [r.keyValues.release_id, r.keyValues.phonon_id]), [[1, 1], [464, phononIdOfKappa(464)]]);
  assert.equal(phononIdOfKappa(464), 501);
  const thermal = readNpy(join(SAMPLE, 'thermal_code', 'Kappa', 'thermal.npy')).data;
  assert.equal(kappa[0].keyValues.kappa_W_mK, thermal[0]);
  const phonon = store.select({ set: 'phonon' });
  const dos = phonon[0].data.ph_dos as Float64Array;
  assert.ok(Math.abs(dos.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  store.close();
  // running it again adds nothing and loses nothing
  const again = importSpramnetPublic(SAMPLE, db);
  assert.equal(again.added, 0);
  assert.equal(again.skipped, 7);
});

test('an import killed between batches resumes without duplicates', () => {
  const db = join(tempDir(), 'amc.db');
  assert.throws(() =>
    importSpramnetPublic(SAMPLE, db, {
      batch: 2,
      onProgress: (done) => {
        if (done >= 4) throw new Error('killed');
      },
    }),
  );
  const partial = new AseDatabase(db);
  const committed = partial.count();
  partial.close();
  assert.ok(committed >= 2 && committed < 7, `committed ${committed}`);
  const rest = importSpramnetPublic(SAMPLE, db, { batch: 2 });
  assert.equal(rest.added + committed, 7);
  const full = new AseDatabase(db);
  assert.equal(new Set(full.select().map((r) => r.uniqueId)).size, 7);
  full.close();
});

const py = python(['ase', 'numpy']);

test('ASE reads the database, and the labels equal an independent numpy evaluation of data.md', { skip: py === undefined && 'python3-ase is not installed' }, () => {
  const db = join(tempDir(), 'amc.db');
  importSpramnetPublic(SAMPLE, db);
  const script = `
import json, sys, numpy as np, ase.db
db = ase.db.connect(sys.argv[1]); sample = sys.argv[2]
r = db.get(set='electron', release_id=2)
lines = open(sample + '/raw_dataset_electron/DOSCAR/DOSCAR_0002').read().split('\\n')
natoms = int(lines[0].split()[0]); emax, emin, nedos, ef = [float(v) for v in lines[5].split()[:4]]
rows = np.array([[float(v) for v in l.split()[:2]] for l in lines[6:6 + int(nedos)]])
E, D = rows[:, 0], rows[:, 1]; dE = (emax - emin) / (nedos - 1); grid = ef + np.linspace(-2, 2, 81)
G = np.exp(-0.5 * ((grid[:, None] - E[None, :]) / 0.05) ** 2) / (np.sqrt(2 * np.pi) * 0.05)
dos = (G * D[None, :] * dE).sum(1) / natoms
w = np.load(sample + '/thermal_code/ph-DoS/w/w_1.npy'); h, _ = np.histogram(w, bins=100, range=(0, 100))
p = db.get(set='phonon', release_id=1)
print(json.dumps(dict(count=db.count(), electron=db.count(set='electron'), natoms=r.natoms, sigma=[r.sigma_xx, r.sigma_yy],
  eldos_diff=float(np.abs(r.data.el_dos - dos).max()), phdos_diff=float(np.abs(p.data.ph_dos - h / h.sum()).max()),
  formula=r.formula, pos0=r.positions[0].tolist())))`;
  const r = run(py as string, ['-c', script, db, SAMPLE]);
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout);
  assert.equal(seen.count, 7);
  assert.equal(seen.electron, 3);
  assert.equal(seen.formula, 'C210');
  assert.deepEqual(seen.sigma, [182.2707, 155.2396]);
  assert.ok(seen.eldos_diff < 1e-9, `el-DoS differs from numpy by ${seen.eldos_diff}`);
  assert.ok(seen.phdos_diff < 1e-15);
  assert.equal(seen.pos0[0], 3.930448898534973);
});

test('label parsers: bad σ and DOSCAR files name the line', () => {
  const imag = readFileSync(join(SAMPLE, 'raw_dataset_electron', 'imag', 'imag_0002.dat'), 'utf8');
  assert.deepEqual(parseSigma(imag), { xx: 182.2707, yy: 155.2396 });
  assert.throws(() => parseSigma(imag.split('\n').slice(0, 2000).join('\n'), 'imag_x.dat'), /imag_x\.dat:\d+: file ends after the first block/);
  assert.throws(() => parseDoscar('210 210 0 0\n', 'D'), /D:\d: file ends early/);
});
