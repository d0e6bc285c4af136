/**
 * Featurize every shared POSCAR with the reference descriptors of data.md (g2d, g3d, ADF) and time
 * it against ../shared/bench/featurize_reference.py (numpy) on the same files in the same run.
 * Prints one JSON line. usage: node dist/bench/featurize.js [max-files]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, REFERENCE_SPEC } from '../src/descriptors/featurize.js';
import { readNpy } from '../src/io/npy.js';
import { readPoscar } from '../src/structure/io/poscar.js';
import { CACHE, SHARED, findPython, unpackShared } from './shared.js';

const limit = Number(process.argv[2] ?? Infinity);
const dir = unpackShared('electron', 'raw_dataset_electron/POSCAR');
const files = readdirSync(dir).sort().slice(0, limit).map((f) => join(dir, f));

function featurizeAll(): Float64Array {
  const out = new Float64Array(files.length * 480);
  files.forEach((file, k) => out.set(describe(readPoscar(readFileSync(file, 'utf8'), file), REFERENCE_SPEC, file), 480 * k));
  return out;
}

featurizeAll(); // warm-up: JIT
const runs: number[] = [];
let mine: Float64Array = new Float64Array(0);
for (let k = 0; k < 3; k++) {
  const t = process.hrtime.bigint();
  mine = featurizeAll();
  runs.push(Number(process.hrtime.bigint() - t) / 1e9);
}
const seconds = Math.min(...runs);

const python = findPython(['numpy']);
let reference: { seconds: number } | undefined;
let maxRelDiff: number | undefined;
if (python !== undefined) {
  const out = join(CACHE, 'featurize_reference.npy');
  const r = spawnSync(python, [join(SHARED, 'bench', 'featurize_reference.py'), out, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  reference = JSON.parse(r.stdout.trim().split('\n').pop() as string);
  const ref = readNpy(out).data;
  maxRelDiff = 0;
  for (let m = 0; m < ref.length; m++) if (ref[m] !== 0 || mine[m] !== 0) maxRelDiff = Math.max(maxRelDiff, Math.abs(mine[m] - ref[m]) / Math.abs(ref[m]));
}
console.log(
  JSON.stringify({
    bench: 'featurize',
    files: files.length,
    threads: 1,
    seconds,
    ms_per_structure: (1000 * seconds) / files.length,
    reference_seconds: reference?.seconds ?? null,
    speedup_vs_numpy: reference ? reference.seconds / seconds : null,
    max_rel_diff_vs_numpy: maxRelDiff ?? null,
  }),
);
