import { releaseThermalPcf } from '../src/descriptors/releasePcf.js';
import { THERMAL_GRID } from '../src/tasks/modelInput.js';
// Validation of the structure factory against the public electron set (see bench/generate_auc.py).
//   node dist/bench/generateValidate.js gen www|quench COUNT OUTDIR PUBLIC_POSCAR_DIR [SEED] [VARIANT] [CELL]
//     (VARIANT for www: base (default), compressed, tersoff, wide2 — see RANGES; CELL: the cell policy
//     of Tersoff-relaxed sheets, graphene (default here: the first runs') | potential | relaxed)
//     structures at the public subset's atom counts (WWW-3D ↔ ids 1–2000, flat quench ↔ 2001–4000),
//     each with its own disorder settings drawn from its seed over the ranges below (resumable)
//   node dist/bench/generateValidate.js thermal COUNT OUTDIR [SEED] [tersoff | tersoff-potential | tersoff-relaxed]
//     flat WWW sheets of 700–925 atoms (the phonon set's sizes), disorder drawn per structure;
//     tersoff: Tersoff-relaxed in the 1.42 Å graphene cell stretched 0–3 % (the first runs);
//     tersoff-potential / -relaxed: in the cell policy of that name, not stretched
//   node dist/bench/generateValidate.js features DIR OUT.jsonl
//     the comparison features (src/generate/compare.ts) of every POSCAR in DIR (resumable)
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHEET_FEATURES, sheetFeatures } from '../src/generate/compare.js';
import { runGenerate, type CellPolicy, type GenerateMethod } from '../src/generate/factory.js';
import { tersoffForceField } from '../src/generate/forceFields.js';
import { readPoscar } from '../src/structure/io/poscar.js';
import { Rng } from '../src/util/random.js';

/**
 * Keating constants fitted by eye to the public WWW sheets' spread of bond lengths and angles
 * (softer bonds, stiffer angles than graphene's α = 26.06, β = 5.51 eV/Å²): see the report.
 */
export const KEATING_FIT = { alpha_eV_A2: 5, beta_eV_A2: 8, bond_A: 1.44, cosTheta0: -0.5 };

/** Disorder settings of one structure, drawn from its seed: ranges chosen to span the public sets. */
export const RANGES = {
  www: { temperature_K: [15000, 50000], switchesPerAtom: [0.3, 1.5], vacancies: [0.02, 0.09], inPlaneScale: [0.92, 1.02], bond_A: [1.4, 1.47], minNonBonded_A: [1.6, 1.9] },
  /** More compression (taller buckles) and closer non-bonded contacts allowed. */
  wwwCompressed: { temperature_K: [15000, 50000], switchesPerAtom: [0.3, 1.5], vacancies: [0.02, 0.09], inPlaneScale: [0.88, 0.98], bond_A: [1.4, 1.47], minNonBonded_A: [1.5, 1.8] },
  /** Base ranges, a little more compression, and wider angles at two-coordinated atoms. */
  wwwWide2: { temperature_K: [15000, 50000], switchesPerAtom: [0.3, 1.5], vacancies: [0.02, 0.09], inPlaneScale: [0.9, 1.0], bond_A: [1.4, 1.47], minNonBonded_A: [1.6, 1.9], twoFold_deg: [130, 160] },
  /** Then relaxed with Tersoff (LB) at fixed cell: cells stretched so its 1.44 Å bonds fit. */
  wwwTersoff: { temperature_K: [15000, 50000], switchesPerAtom: [0.3, 1.5], vacancies: [0.02, 0.09], inPlaneScale: [0.95, 1.05], bond_A: [1.44, 1.5], minNonBonded_A: [1.6, 1.9] },
  quench: { rate_K_ps: [5000, 50000], meltTemperature_K: [4500, 7500], vacancies: [0, 0.08] },
  thermal: { temperature_K: [15000, 50000], switchesPerAtom: [0.05, 0.8], vacancies: [0, 0.05], inPlaneScale: [0.95, 1.0] },
  /** Relaxed with Tersoff (LB) afterwards: cells near LB graphene's (bond 1.44 Å = 1.014 × 1.42). */
  thermalTersoff: { temperature_K: [15000, 50000], switchesPerAtom: [0.05, 1.0], vacancies: [0, 0.06], inPlaneScale: [1.0, 1.03] },
  /** The same disorder in the generator's own cells (--cell potential or relaxed): no extra stretch. */
  thermalTersoffOwnCell: { temperature_K: [15000, 50000], switchesPerAtom: [0.05, 1.0], vacancies: [0, 0.06], inPlaneScale: [1.0, 1.0] },
} as const;

function publicAtomCounts(dir: string, method: GenerateMethod): number[] {
  const out: number[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('POSCAR_'))) {
    const id = Number(f.split('_')[1]);
    if ((method === 'www') !== id <= 2000) continue;
    const lines = readFileSync(join(dir, f), 'utf8').split('\n', 8);
    out.push(Number(lines[6].trim().split(/\s+/)[0]));
  }
  return out.sort((a, b) => a - b);
}

const logUniform = (r: Rng, [a, b]: readonly number[]): number => Math.exp(Math.log(a) + r.uniform() * (Math.log(b) - Math.log(a)));
const uniform = (r: Rng, [a, b]: readonly number[]): number => a + r.uniform() * (b - a);

const [mode, ...args] = process.argv.slice(2);
if (mode === 'gen') {
  const [method, countText, out, publicDir, seedText, variant, cellText] = args as [GenerateMethod, string, string, string, string?, string?, string?];
  const w = variant === 'compressed' ? RANGES.wwwCompressed : variant === 'tersoff' ? RANGES.wwwTersoff : variant === 'wide2' ? RANGES.wwwWide2 : RANGES.www;
  const atoms = publicAtomCounts(publicDir, method);
  const t0 = Date.now();
  const report = runGenerate({
    method,
    count: Number(countText),
    seed: Number(seedText ?? 2026),
    out,
    atoms,
    www: { dimensions: 3 },
    quench: { dimensions: 2, meltTime_ps: 0.3 },
    forceField: method === 'quench' || variant === 'tersoff' ? tersoffForceField() : undefined,
    relax: variant === 'tersoff' ? 'forcefield' : 'keating',
    cell: (cellText ?? 'graphene') as CellPolicy,
    vary: (_index, seed) => {
      const r = new Rng(seed ^ 0x5bd1e995);
      if (method === 'www') {
        // switches per atom of the structure's own atom count (the factory draws it the same way)
        return {
          temperature_K: logUniform(r, w.temperature_K),
          switches: Math.round(uniform(r, w.switchesPerAtom) * atoms[seed % atoms.length]),
          vacancies: uniform(r, w.vacancies),
          inPlaneScale: uniform(r, w.inPlaneScale),
          minNonBonded_A: uniform(r, w.minNonBonded_A),
          keating: { ...KEATING_FIT, bond_A: uniform(r, w.bond_A), ...('twoFold_deg' in w ? { cosTheta0TwoFold: Math.cos((uniform(r, w.twoFold_deg) * Math.PI) / 180) } : {}) },
        };
      }
      const q = RANGES.quench;
      return { rate_K_ps: logUniform(r, q.rate_K_ps), meltTemperature_K: uniform(r, q.meltTemperature_K), vacancies: uniform(r, q.vacancies) };
    },
    onProgress: (done, total) => {
      if (done > 0 && done % 10 === 0) console.error(`${done}/${total} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  console.log(JSON.stringify({ ...report, atomCounts: undefined, seconds: (Date.now() - t0) / 1000 }));
} else if (mode === 'thermal') {
  const [countText, out, seedText, variant] = args;
  const relax = variant?.startsWith('tersoff') ? 'tersoff' : undefined;
  const cell: CellPolicy = variant === 'tersoff-potential' ? 'potential' : variant === 'tersoff-relaxed' ? 'relaxed' : 'graphene';
  const t = variant === 'tersoff' ? RANGES.thermalTersoff : relax ? RANGES.thermalTersoffOwnCell : RANGES.thermal;
  const t0 = Date.now();
  const report = runGenerate({
    method: 'www',
    count: Number(countText),
    seed: Number(seedText ?? 2027),
    out,
    atoms: Array.from({ length: 226 }, (_, k) => 700 + k),
    www: { dimensions: 2 },
    relax: relax === 'tersoff' ? 'forcefield' : 'keating',
    forceField: relax === 'tersoff' ? tersoffForceField() : undefined,
    cell,
    vary: (_index, seed) => {
      const r = new Rng(seed ^ 0x5bd1e995);
      return {
        temperature_K: logUniform(r, t.temperature_K),
        switches: Math.round(uniform(r, t.switchesPerAtom) * (700 + (seed % 226))),
        vacancies: uniform(r, t.vacancies),
        inPlaneScale: uniform(r, t.inPlaneScale),
      };
    },
    onProgress: (done, total) => console.error(`${done}/${total} ${((Date.now() - t0) / 1000).toFixed(0)} s`),
  });
  console.log(JSON.stringify({ ...report, atomCounts: undefined, seconds: (Date.now() - t0) / 1000 }));
} else if (mode === 'features') {
  const [dir, out] = args;
  const done = new Set<string>();
  if (existsSync(out)) for (const line of readFileSync(out, 'utf8').split('\n')) if (line) done.add((JSON.parse(line) as { file: string }).file);
  for (const f of readdirSync(dir).filter((x) => x.startsWith('POSCAR_')).sort()) {
    if (done.has(f)) continue;
    const a = readPoscar(readFileSync(join(dir, f), 'utf8'), f);
    const x = sheetFeatures(a, { file: f });
    appendFileSync(out, JSON.stringify({ file: f, atoms: a.length, c_A: a.cell[8], features: Object.fromEntries(SHEET_FEATURES.map((k, i) => [k, x[i]])), rdf: Array.from(releaseThermalPcf(a, THERMAL_GRID, 'structure', { round: false })) }) + '\n');
  }
} else {
  console.error('usage: generateValidate.js gen www|quench COUNT OUTDIR PUBLIC_DIR [SEED] | features DIR OUT.jsonl');
  process.exitCode = 2;
}
