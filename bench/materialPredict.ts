/**
 * Predict speed for amorphous boron nitride against carbon (issue 22): the electronic tasks (el-DoS
 * and σ with intervals and the domain verdict) of `count` a-BN sheets with the boron-nitride models,
 * and of `count` public carbon POSCARs with carbon's shipped models, in the same process. The a-BN
 * sheets are generated once into the bench cache (`generate www --material bn`, 60–250 atoms, free
 * to buckle: the size range of the a-BN campaign's electronic stages). Prints structures and atoms
 * per second for each and the ratio of a-BN's time per structure to carbon's.
 * usage: node dist/bench/materialPredict.js [count=100] [bn-models-dir=models/boron-nitride]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readStructure } from '../src/structure/io/formats.js';
import { loadModelSet, predictInputs } from '../src/tasks/predict.js';
import { CACHE, ROOT, unpackShared } from './shared.js';

const count = Number(process.argv[2] ?? 100);
const bnModels = process.argv[3] ?? join(ROOT, 'models', 'boron-nitride');
const carbonFiles = readdirSync(unpackShared('electron', 'raw_dataset_electron/POSCAR')).sort().slice(0, count);
const carbon = carbonFiles.map((f) => join(unpackShared('electron', 'raw_dataset_electron/POSCAR'), f));

const bnDir = join(CACHE, `bench-bn-sheets-${count}`);
if (!existsSync(bnDir)) {
  // sizes drawn per sheet, as the campaign does: three batches spanning 60–250 atoms
  for (const [k, atoms] of [60, 150, 250].entries()) {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'generate', 'www', '--material', 'bn', '--dimensions', '3', '--atoms', String(atoms), '--count', String(Math.ceil(count / 3)), '--seed', String(k + 1), '--out', join(bnDir, String(k))], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generate www --material bn: ${r.stderr}`);
  }
}
const bn = readdirSync(bnDir)
  .flatMap((sub) => readdirSync(join(bnDir, sub)).map((f) => join(bnDir, sub, f)))
  .sort()
  .slice(0, count);

const atomsIn = (files: string[]) => files.reduce((sum, f) => sum + readStructure(f).length, 0);
const carbonModels = loadModelSet(join(ROOT, 'models'), ['el-dos', 'sigma']);
const bnSet = loadModelSet(bnModels);

function rate(files: string[], models: ReturnType<typeof loadModelSet>): { seconds: number; failed: number } {
  predictInputs(files.slice(0, 3), models); // warm-up
  const started = performance.now();
  const out = predictInputs(files, models);
  return { seconds: (performance.now() - started) / 1000, failed: out.filter((p) => p.error !== undefined).length };
}

const c = rate(carbon, carbonModels);
const b = rate(bn, bnSet);
const [carbonAtoms, bnAtoms] = [atomsIn(carbon), atomsIn(bn)];
console.log(
  JSON.stringify({
    bench: 'material-predict',
    tasks: ['el-dos', 'sigma'],
    carbon: { structures: carbon.length, atoms: carbonAtoms, structures_per_s: carbon.length / c.seconds, atoms_per_s: carbonAtoms / c.seconds, failed: c.failed },
    boron_nitride: { structures: bn.length, atoms: bnAtoms, structures_per_s: bn.length / b.seconds, atoms_per_s: bnAtoms / b.seconds, failed: b.failed, models: bnModels },
    ratio_bn_to_carbon_time_per_structure: b.seconds / bn.length / (c.seconds / carbon.length),
    ratio_bn_to_carbon_time_per_atom: b.seconds / bnAtoms / (c.seconds / carbonAtoms),
  }),
);
