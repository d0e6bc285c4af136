/**
 * How continuous the predictions are in the positions (issue 19.5). 50 held-out public structures
 * (the validation rows of the σ model's split, read from the store), every atom moved by 1e-5 Å
 * in a random direction: the largest relative change of σ (xx, yy) and κ and how many structures
 * move by more than 0.1 %, the largest change of el-DoS and ph-DoS (absolute, their own units).
 * Then the same atoms written by ASE (/usr/bin/python3) as POSCAR and as extended XYZ (8 decimals):
 * the same figures between the two files. The reference, in the same run: the unmoved structures
 * predicted a second time (0 unless predict is not deterministic); the same structures moved by a
 * tenth as much (a continuous prediction changes ten times less, a jump would not); and the π
 * tight-binding el-DoS at the label's 0.05 eV broadening and at the public labels' effective 0.15 eV under the same
 * displacement (how much the physics itself moves, against which the model's el-DoS change is read),
 * and which descriptor channel and which member the el-DoS change comes through.
 * Last, how far the continuous thermal g(r) predict computes from a structure lies from the release's
 * own form (hard bins, rounded to 0.001: what the thermal models were trained on), over `sample`
 * public structures: per-bin differences of g (mean, mean absolute, largest) and of the κ and
 * ph-DoS predictions (mean signed and mean absolute Δlog10 κ, beside the model's validation error).
 * Each model computes the descriptors its card records (models without the continuous settings,
 * as the shipped ones: hard bins, hard cut-off, the release's hard thermal g(r)); structures are not
 * relaxed before their thermal g(r) (FIRE stops at a force tolerance, so a relaxed structure is not
 * a continuous function of the input positions).
 * usage: node dist/bench/continuity.js [models-dir] [store, default amc.db] [count] [--thermal=release|continuous]
 *   --thermal: every g(r) model reads a structure's thermal g(r) in this form instead of its card's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AseDatabase } from '../src/data/aseDb.js';
import { Atoms } from '../src/structure/atoms.js';
import { writePoscar } from '../src/structure/io/poscar.js';
import { releaseThermalPcf, THERMAL_PCF_FOR_PREDICT } from '../src/descriptors/releasePcf.js';
import { readCard, readValidation } from '../src/tasks/modelFolder.js';
import { RELEASE_PCF_FORM, structurePcfForm, THERMAL_GRID } from '../src/tasks/modelInput.js';
import { loadModelSet, predictInputs, type Prediction, type PredictSource } from '../src/tasks/predict.js';
import { seededRandom } from '../src/util/random.js';
import { tightBindingExact } from '../src/physics/tb/exact.js';
import { PUBLIC_DOSCAR_SMEARING_EV } from '../src/engines/dft.js';
import { channelNames, describe } from '../src/descriptors/featurize.js';
import { taskSpec } from '../src/tasks/taskSpec.js';
import { findPython, ROOT } from './shared.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sampleArg = process.argv.find((a) => a.startsWith('--sample='));
const thermalArg = process.argv.find((a) => a.startsWith('--thermal='))?.split('=')[1];
if (thermalArg !== undefined && thermalArg !== 'release' && thermalArg !== 'continuous') throw new Error(`--thermal must be release or continuous, got ${thermalArg}`);
const modelsDir = args[0] ?? join(ROOT, 'models');
const dbFile = args[1] ?? 'amc.db'; // as the README imports it, in the project root
const count = Number(args[2] ?? 50);
const JITTER_A = 1e-5;

const validation = readValidation(modelsDir, 'sigma');
if (validation === undefined) throw new Error(`${modelsDir}: no sigma.validation.safetensors to take the held-out rows from`);
const heldOut = new Set(Array.from(validation.rowIds).slice(0, count));
const db = new AseDatabase(dbFile, { mustExist: true });
const electron = db.select({ set: 'electron' }).filter((r) => r.atoms !== undefined);
db.close();
const structures = electron.filter((r) => heldOut.has(r.id)).map((r) => ({ name: String(r.keyValues.source ?? `row ${r.id}`), atoms: r.atoms as Atoms }));

const models = loadModelSet(modelsDir);
const options = { thermal: { relax: false }, ...(thermalArg === undefined ? {} : { thermalPcf: thermalArg === 'release' ? RELEASE_PCF_FORM : THERMAL_PCF_FOR_PREDICT }) };
const predict = (sources: PredictSource[]): Prediction[] => predictInputs(sources, models, options);

/** Every atom moved by `length` Å in a uniformly random direction. */
function moved(atoms: Atoms, length: number, rand: () => number): Atoms {
  const positions = Float64Array.from(atoms.positions);
  for (let i = 0; i < atoms.length; i++) {
    const z = 2 * rand() - 1;
    const phi = 2 * Math.PI * rand();
    const s = Math.sqrt(1 - z * z);
    positions[3 * i] += length * s * Math.cos(phi);
    positions[3 * i + 1] += length * s * Math.sin(phi);
    positions[3 * i + 2] += length * z;
  }
  return new Atoms({ positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
}

interface Change {
  sigma_max_rel: number;
  sigma_over_0p1pct: number;
  kappa_max_rel: number;
  kappa_over_0p1pct: number;
  el_dos_max_abs: number;
  ph_dos_max_abs: number;
}

function compare(a: Prediction[], b: Prediction[]): Change {
  const c: Change = { sigma_max_rel: 0, sigma_over_0p1pct: 0, kappa_max_rel: 0, kappa_over_0p1pct: 0, el_dos_max_abs: 0, ph_dos_max_abs: 0 };
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(x);
  const maxAbs = (x: number[] | undefined, y: number[] | undefined) => (x && y ? Math.max(...x.map((v, k) => Math.abs(v - y[k]))) : 0);
  a.forEach((p, k) => {
    const q = b[k];
    if (p.error || q.error) throw new Error(`${p.input}: ${p.error ?? q.error}`);
    const s = Math.max(rel(p.sigma!.xx, q.sigma!.xx), rel(p.sigma!.yy, q.sigma!.yy));
    c.sigma_max_rel = Math.max(c.sigma_max_rel, s);
    if (s > 1e-3) c.sigma_over_0p1pct++;
    const kappa = rel(p.kappa!.W_mK, q.kappa!.W_mK);
    c.kappa_max_rel = Math.max(c.kappa_max_rel, kappa);
    if (kappa > 1e-3) c.kappa_over_0p1pct++;
    c.el_dos_max_abs = Math.max(c.el_dos_max_abs, maxAbs(p.el_dos?.dos, q.el_dos?.dos));
    c.ph_dos_max_abs = Math.max(c.ph_dos_max_abs, maxAbs(p.ph_dos?.dos, q.ph_dos?.dos));
  });
  return c;
}

const asSources = (list: { name: string; atoms: Atoms }[]): PredictSource[] => list.map(({ name, atoms }) => ({ name, frames: [atoms] }));
const base = predict(asSources(structures));
const repeat = compare(base, predict(asSources(structures)));
const movedBy = (length: number, seed: number) => {
  const rand = seededRandom(seed);
  return structures.map(({ name, atoms }) => ({ name, atoms: moved(atoms, length, rand) }));
};
const jittered = movedBy(JITTER_A, 19);
const jitter = compare(base, predict(asSources(jittered)));
// a tenth of the displacement: a continuous prediction changes ten times less, a jump does not
const jitterTenth = compare(base, predict(asSources(movedBy(JITTER_A / 10, 19))));

// what the physics does under the same displacement: the π tight-binding el-DoS at the label's own
// broadening (0.05 eV, data.md), and at the public labels' effective one (the DOSCARs' 0.141 eV
// smearing folded in: √(0.05² + 0.141²) = 0.15 eV) — a model that moved less than this would not
// follow the structure
const tbChange = (sigma_eV: number) => {
  const change = structures.map(({ atoms }, k) => {
    const a = tightBindingExact(atoms, { dosSigma_eV: sigma_eV }).el_dos.dos;
    const b = tightBindingExact(jittered[k].atoms, { dosSigma_eV: sigma_eV }).el_dos.dos;
    return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  }).sort((x, y) => x - y);
  return { sigma_eV, max_abs: change[change.length - 1], median_abs: change[Math.floor((change.length - 1) / 2)] };
};
const elDosPhysics = tbChange(0.05);
const elDosPhysicsPublic = tbChange(Math.hypot(0.05, PUBLIC_DOSCAR_SMEARING_EV));

// where the el-DoS change comes from: each descriptor channel's jittered values swapped in alone
// (the rest unmoved), and each member's own change before weighting
const elDosChannels = (() => {
  const model = models['el-dos'];
  if (model === undefined || model.input.kind !== 'spramnet-descriptor') return null;
  const spec = model.input.spec;
  const names = channelNames(spec);
  const x0 = structures.map(({ atoms }) => describe(atoms, spec));
  const x1 = jittered.map(({ atoms }) => describe(atoms, spec));
  const n = structures.length;
  const width = x0[0].length;
  const bins = width / names.length;
  const stack = (rows: Float64Array[]) => {
    const out = new Float64Array(n * width);
    rows.forEach((x, k) => out.set(x, k * width));
    return out;
  };
  const finish = taskSpec('el-dos').finish ?? ((y: Float64Array) => y);
  const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);
  const y0 = finish(model.predict(stack(x0), n));
  const channels = Object.fromEntries(names.map((name, c) => {
    const mixed = x0.map((x, k) => {
      const m = Float64Array.from(x);
      m.set(x1[k].subarray(c * bins, (c + 1) * bins), c * bins);
      return m;
    });
    return [name, { descriptor_max_abs: Math.max(...x0.map((x, k) => maxAbs(x.subarray(c * bins, (c + 1) * bins), x1[k].subarray(c * bins, (c + 1) * bins)))), el_dos_max_abs: maxAbs(y0, finish(model.predict(stack(mixed), n))) }];
  }));
  const a = model.memberPredictions(stack(x0), n);
  const b = model.memberPredictions(stack(x1), n);
  const members = model.memberKinds.map((kind, j) => ({ kind, weight: model.manifest.members[j].weight, el_dos_max_abs: maxAbs(a[j], b[j]) }));
  return { channels, members };
})();

// the same atoms through ASE: POSCAR (direct) and extended XYZ (8 decimals)
let formats: Change | null = null;
const python = findPython(['ase']);
if (python !== undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-continuity-'));
  try {
    const script = [
      'import sys',
      'from ase.io import read, write',
      'for path in sys.argv[1:]:',
      '    atoms = read(path, format="vasp")',
      '    write(path + ".vasp", atoms, format="vasp", direct=True)',
      '    write(path + ".extxyz", atoms, format="extxyz", columns=["symbols", "positions"], write_info=False, write_results=False)',
    ].join('\n');
    const files = structures.map((s, k) => {
      const file = join(dir, `s${k}`);
      writeFileSync(file, writePoscar(s.atoms));
      return file;
    });
    const r = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const read = (suffix: string): PredictSource[] => files.map((f, k) => ({ name: `held-out-${k}${suffix}`, text: readFileSync(f + suffix, 'utf8') }));
    formats = compare(predict(read('.vasp')), predict(read('.extxyz')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// the continuous thermal g(r) against the release's form, on an evenly spaced sample of the public structures
const sampleSize = Number(sampleArg?.split('=')[1] ?? 300);
const sample = electron.filter((_, k) => k % Math.max(1, Math.floor(electron.length / sampleSize)) === 0).slice(0, sampleSize);
let gBias = 0;
let gMeanAbs = 0;
let gMax = 0;
let values = 0;
for (const r of sample) {
  const a = releaseThermalPcf(r.atoms as Atoms, THERMAL_GRID, 'sample', THERMAL_PCF_FOR_PREDICT);
  const b = releaseThermalPcf(r.atoms as Atoms, THERMAL_GRID, 'sample', RELEASE_PCF_FORM);
  for (let k = 0; k < a.length; k++) {
    gBias += a[k] - b[k];
    gMeanAbs += Math.abs(a[k] - b[k]);
    gMax = Math.max(gMax, Math.abs(a[k] - b[k]));
    values++;
  }
}
const thermalOnly = loadModelSet(modelsDir, ['ph-dos', 'kappa']);
const sampleSources = asSources(sample.map((r) => ({ name: `row ${r.id}`, atoms: r.atoms as Atoms })));
const continuousForm = predictInputs(sampleSources, thermalOnly, { thermal: { relax: false }, thermalPcf: THERMAL_PCF_FOR_PREDICT });
const releaseForm = predictInputs(sampleSources, thermalOnly, { thermal: { relax: false }, thermalPcf: RELEASE_PCF_FORM });
let kBias = 0;
let kMeanAbs = 0;
let phMse = 0;
continuousForm.forEach((p, k) => {
  const d = Math.log10(p.kappa!.W_mK) - Math.log10(releaseForm[k].kappa!.W_mK);
  kBias += d / sample.length;
  kMeanAbs += Math.abs(d) / sample.length;
  const x = p.ph_dos!.dos;
  const y = releaseForm[k].ph_dos!.dos;
  phMse += x.reduce((acc, v, i) => acc + (v - y[i]) ** 2, 0) / x.length / sample.length;
});
const kappaCard = readCard(modelsDir, 'kappa');
const thermalForm = {
  structures: sample.length,
  g_mean_diff: gBias / values,
  g_mean_abs_diff: gMeanAbs / values,
  g_max_abs_diff: gMax,
  kappa_mean_dlog10: kBias,
  kappa_mean_abs_dlog10: kMeanAbs,
  kappa_validation_log10_mae: (kappaCard?.validation as Record<string, number> | undefined)?.log10Mae ?? null,
  ph_dos_mse_between_forms: phMse,
};

console.log(
  JSON.stringify({
    bench: 'continuity',
    structures: structures.length,
    models: modelsDir,
    structure_descriptors: models['sigma']?.input.kind === 'spramnet-descriptor' ? { binSpread: models['sigma'].input.spec.binSpread ?? 0, bondWindow_A: models['sigma'].input.spec.bondWindow_A ?? 0 } : null,
    thermal_pcf: Object.fromEntries(['ph-dos', 'kappa'].map((task) => { const input = models[task]?.input; return [task, input?.kind === 'public-thermal-rdf' ? (options.thermalPcf ?? structurePcfForm(input)) : null]; })),
    thermal_relaxation: 'off',
    jitter_A: JITTER_A,
    jitter,
    jitter_tenth: jitterTenth,
    el_dos_tb_label_broadening_under_jitter: elDosPhysics,
    el_dos_tb_public_broadening_under_jitter: elDosPhysicsPublic,
    el_dos_by_channel_under_jitter: elDosChannels,
    poscar_vs_extxyz: formats,
    reference_repeat: repeat,
    thermal_form_vs_release: thermalForm,
  }),
);
