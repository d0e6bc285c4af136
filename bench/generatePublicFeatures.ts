// Features (src/generate/compare.ts) of every public electron-set structure, one JSON line each:
// node dist/bench/generatePublicFeatures.js /work/data/raw_dataset_electron/POSCAR OUT.jsonl [EVERY]
// (EVERY k: only ids divisible by k, a systematic sample; resumable: files in OUT are skipped)
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHEET_FEATURES, sheetFeatures } from '../src/generate/compare.js';
import { readPoscar } from '../src/structure/io/poscar.js';

const [dir, out, everyText] = process.argv.slice(2);
const every = Number(everyText ?? 1);
const done = new Set<string>();
if (existsSync(out)) for (const line of readFileSync(out, 'utf8').split('\n')) if (line) done.add((JSON.parse(line) as { file: string }).file);
for (const f of readdirSync(dir).filter((x) => x.startsWith('POSCAR_')).sort()) {
  if (done.has(f) || Number(f.split('_')[1]) % every !== 0) continue;
  const atoms = readPoscar(readFileSync(join(dir, f), 'utf8'), f);
  const x = sheetFeatures(atoms, { file: f });
  const id = Number(f.split('_')[1]);
  appendFileSync(out, JSON.stringify({ file: f, id, atoms: atoms.length, c_A: atoms.cell[8], features: Object.fromEntries(SHEET_FEATURES.map((k, i) => [k, x[i]])) }) + '\n');
}
