/**
 * `spramnet predict` throughput: structures (all four properties with intervals and the domain
 * verdict: el-DoS and σ from the descriptors, ph-DoS and κ from the thermal g(r) computed from the
 * same pair pass) and g(r) files (ph-DoS + κ), inputs per second. The reference, in the same
 * process on the same files, is reading each structure and computing its reference descriptors
 * alone: the ratio says what the models add on top of the unavoidable per-structure work. No
 * relaxation of structures before their thermal g(r) is run (this measures predict with it off).
 * The peak resident memory of the process after the structure call is reported too (it should not
 * grow with the number of structures: inputs are predicted in batches).
 * usage: node dist/bench/predict.js [structures] [models-dir, default the shipped models]
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, REFERENCE_SPEC } from '../src/descriptors/featurize.js';
import { writeNpy } from '../src/io/npy.js';
import { readStructure } from '../src/structure/io/formats.js';
import { loadModelSet, predictInputs } from '../src/tasks/predict.js';
import { seededRandom } from '../src/util/random.js';
import { CACHE, ROOT, unpackShared } from './shared.js';

const count = Number(process.argv[2] ?? 300);
const poscars = unpackShared('electron', 'raw_dataset_electron/POSCAR');
const structures = readdirSync(poscars).sort().slice(0, count).map((f) => join(poscars, f));
const dir = join(CACHE, 'bench-predict');
mkdirSync(dir, { recursive: true });
const rand = seededRandom(5);
const pcfs = Array.from({ length: count }, (_, k) => {
  const file = join(dir, `g_${k}.npy`);
  writeNpy(file, { data: Float64Array.from({ length: 100 }, (_, i) => (i < 13 ? 0 : 0.1 + 0.3 * rand())), shape: [100] });
  return file;
});
const modelsDir = process.argv[3] ?? join(ROOT, 'models');
const models = loadModelSet(modelsDir);
const options = { thermal: { relax: false } };
predictInputs(structures.slice(0, 5), models, options); // warm-up

let started = performance.now();
for (const file of structures) describe(readStructure(file), REFERENCE_SPEC, file);
const descriptorsOnly = (performance.now() - started) / 1000;
started = performance.now();
const out = predictInputs(structures, models, options);
const structureSeconds = (performance.now() - started) / 1000;
started = performance.now();
predictInputs(pcfs, models, options);
const pcfSeconds = (performance.now() - started) / 1000;
const failed = out.filter((p) => p.error !== undefined).length;
console.log(
  JSON.stringify({
    structures: structures.length,
    structure_inputs_per_s: structures.length / structureSeconds,
    descriptors_only_per_s: structures.length / descriptorsOnly,
    ratio_predict_to_descriptors_only: structureSeconds / descriptorsOnly,
    pcf_inputs_per_s: pcfs.length / pcfSeconds,
    max_rss_MiB: process.resourceUsage().maxRSS / 1024,
    thermal_relaxation: 'off',
    models: modelsDir,
    failed,
    members: Object.fromEntries(Object.entries(models).map(([task, m]) => [task, m?.memberKinds])),
  }),
);
