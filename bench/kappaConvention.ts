// Which volume did the public κ labels use? The public thermal set holds four near-pristine
// 900-atom cells (κ 727–953 W/(m·K), data.md); they match a 15 × 15 rectangular graphene supercell
// at the original Lindsay–Broido bond (1.4388 Å). This runs that cell with the project's engines:
//   gk-closed-loop   LAMMPS Green–Kubo at the closed loop's settings (bench/closedLoop.ts: 2 runs ×
//                    (5 ps NVT + 25 ps NVE), 300 K, 0.5 fs, flux every 2 fs, correlation 2 ps,
//                    plateau [1, 2] ps) — what the 20 closed-loop κ labels were made with;
//   gk-long          LAMMPS Green–Kubo, 2 runs × (10 + 200) ps, flux every 5 fs, correlation 50 ps,
//                    read at several plateau windows (the running integral of pristine graphene
//                    rises for tens of ps);
//   hnemd            built-in HNEMD (centroid heat current, the correct form for many-body
//                    potentials), 1 run × (5 + 100) ps per direction, F_e = 1e-4 /Å (GPUMD's graphene
//                    examples use 1e-5 over ns; 1e-4 keeps the noise near 10 % in 100 ps).
//   gk-amorphous     the closed loop's WWW D sheet 0005 (regenerated with the closed loop's command;
//                    its closed-loop label 16.56 ± 1.49 W/(m·K)) at the closed loop's settings but a
//                    10 ps correlation: the [1, 2] ps window repeats the label, the longer windows
//                    say whether the closed loop's 2 ps were enough for an amorphous sheet.
// Every κ here is with the 3.35 Å thickness; a thickness t gives κ·3.35/t. The public value a
// thickness t would give is compared with 727–953 as the implied thickness t = 3.35 Å · κ_run / κ_public.
//   node dist/bench/kappaConvention.js OUTDIR [--only gk-closed-loop,gk-long,hnemd,gk-amorphous]
// Resumable (checkpoints in OUTDIR); prints one JSON line and writes OUTDIR/kappa-convention.json.
// Run with `nice`; about 1 CPU-hour at 900 atoms (LAMMPS serial).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readStructure } from '../src/structure/io/formats.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomicWrite.js';
import { grapheneSupercell } from '../src/generate/graphene.js';
import { grapheneBondLength } from '../src/generate/potentialGraphene.js';
import { resolvePotential } from '../src/physics/md/potential.js';
import { kappa, type KappaOptions, type KappaResult } from '../src/physics/thermal/kappa.js';
import { kappaLammps } from '../src/physics/thermal/lammpsKappa.js';
import { lammpsVersion } from '../src/engines/lammps/run.js';
import { Atoms } from '../src/structure/atoms.js';
import { GRAPHENE_THICKNESS_A } from '../src/physics/md/units.js';

/** The public near-pristine 900-atom cells' labels (data.md: 727–953 W/(m·K), mean ≈ 850). */
const PUBLIC_PRISTINE_W_MK = { low: 727, high: 953, mean: 850 };
/** The thermal set's box height, were it the thickness (the closed loop's reading). */
const BOX_HEIGHT_A = 20;

const out = process.argv[2];
if (!out) throw new Error('usage: node dist/bench/kappaConvention.js OUTDIR [--only a,b]');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : undefined;
mkdirSync(out, { recursive: true });

const potential = resolvePotential('lindsay-broido-2010');
const bond_A = grapheneBondLength(potential.forceField);
const cell = { nx: 15, ny: 15, atoms: 900, lx_A: 45 * bond_A, ly_A: 15 * Math.sqrt(3) * bond_A };
const atoms = new Atoms({ positions: grapheneSupercell(cell, bond_A), numbers: new Uint8Array(900).fill(6), cell: Float64Array.of(cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, BOX_HEIGHT_A), pbc: [true, true, true] });

/** The closed loop's WWW D sheet 0005 (bench/closedLoop.ts, SETS www/D), made with the CLI as the closed loop made it. */
function closedLoopSheet(): Atoms {
  const dir = join(out, 'www-D');
  const file = join(dir, 'POSCAR_0005');
  if (!existsSync(file)) {
    const cli = fileURLToPath(new URL('../../bin/spramnet.js', import.meta.url));
    const args = ['generate', 'www', '--atoms', '800', '--count', '5', '--dimensions', '2', '--seed', '14', '--temperature', '15000', '--switches', '1200', '--vacancies', '0.02', '--relax', 'tersoff', '--out', dir];
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`spramnet ${args.join(' ')} exited with ${r.status}`);
  }
  return readStructure(file);
}

interface Job {
  name: string;
  engine: 'lammps' | 'builtin';
  /** Default: the pristine cell. */
  structure?: () => Atoms;
  options: KappaOptions;
  /** Plateau windows (ps) read from the running integral, besides the run's own. */
  windows?: [number, number][];
}

const JOBS: Job[] = [
  { name: 'gk-closed-loop', engine: 'lammps', options: { method: 'gk', runs: 2, seed: 1, temperature_K: 300, timestep_fs: 0.5, equilibration_ps: 5, production_ps: 25, correlation_ps: 2 } },
  {
    name: 'gk-long',
    engine: 'lammps',
    options: { method: 'gk', runs: 2, seed: 1, temperature_K: 300, timestep_fs: 0.5, equilibration_ps: 10, production_ps: 200, correlation_ps: 50, sampleEvery: 10, plateau_ps: [20, 50] },
    windows: [[1, 2], [2.5, 5], [5, 10], [10, 20], [20, 30], [30, 50]],
  },
  {
    name: 'gk-amorphous',
    engine: 'lammps',
    structure: closedLoopSheet,
    options: { method: 'gk', runs: 2, seed: 1, temperature_K: 300, timestep_fs: 0.5, equilibration_ps: 5, production_ps: 25, correlation_ps: 10 },
    windows: [[1, 2], [2.5, 5], [5, 10]],
  },
  { name: 'hnemd', engine: 'builtin', options: { method: 'hnemd', runs: 1, seed: 1, temperature_K: 300, timestep_fs: 0.5, equilibration_ps: 5, production_ps: 100, drivingForce_per_A: 1e-4, blocks: 10 } },
];

/** Mean of a running integral over [t1, t2] ps. */
function windowMean(curve: readonly number[], time_ps: readonly number[], [t1, t2]: [number, number]): number {
  let s = 0;
  let n = 0;
  time_ps.forEach((t, k) => {
    if (t >= t1 - 1e-9 && t <= t2 + 1e-9) (s += curve[k], n++);
  });
  return s / n;
}

const impliedThickness = (kappa_W_mK: number) => ({
  low: (GRAPHENE_THICKNESS_A * kappa_W_mK) / PUBLIC_PRISTINE_W_MK.high,
  high: (GRAPHENE_THICKNESS_A * kappa_W_mK) / PUBLIC_PRISTINE_W_MK.low,
});

const resultFile = join(out, 'kappa-convention.json');
const previous = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { runs: Record<string, unknown> }).runs : {};
const runs: Record<string, unknown> = { ...previous };
for (const job of JOBS.filter((j) => only === undefined || only.includes(j.name))) {
  const started = performance.now();
  const options = { ...job.options, checkpoint: join(out, `${job.name}.checkpoint.json`) };
  const structure = job.structure?.() ?? atoms;
  const r: KappaResult = job.engine === 'lammps' ? await kappaLammps(structure, potential.lammps, options) : kappa(structure, potential.forceField, options);
  const seconds = (performance.now() - started) / 1000;
  const mean = (w: [number, number]) => (windowMean(r.curves.xx, r.curves.time_ps, w) + windowMean(r.curves.yy, r.curves.time_ps, w)) / 2;
  runs[job.name] = {
    engine: job.engine === 'lammps' ? `lammps ${lammpsVersion()} (compute stress/atom heat flux)` : 'builtin (centroid heat flux)',
    settings: { ...r.settings },
    kappa_3p35A_W_mK: r.kappa_W_mK,
    stderr_3p35A_W_mK: r.stderr_W_mK,
    per_run: r.runs.map((x) => ({ seed: x.seed, xx: x.xx, yy: x.yy })),
    ...(job.structure
      ? { structure: `closed loop www/D POSCAR_0005, ${structure.length} atoms`, closed_loop_label_W_mK: 16.56 }
      : { implied_thickness_A: impliedThickness(r.kappa_W_mK.mean), kappa_if_box_height_thickness_W_mK: (r.kappa_W_mK.mean * GRAPHENE_THICKNESS_A) / BOX_HEIGHT_A }),
    ...(job.windows
      ? { windows: job.windows.map((w) => ({ plateau_ps: w, kappa_3p35A_W_mK: mean(w), ...(job.structure ? {} : { implied_thickness_A: impliedThickness(mean(w)) }) })) }
      : {}),
    // a thinned curve for plots: every 0.5 ps (GK running integral, or HNEMD cumulative average)
    curve: thin(r.curves, job.engine === 'lammps' ? 0.5 : 1),
    seconds_wall: seconds,
  };
  writeFileAtomic(resultFile, JSON.stringify({ cell: { atoms: 900, bond_A, lx_A: cell.lx_A, ly_A: cell.ly_A, box_height_A: BOX_HEIGHT_A }, public_pristine_W_mK: PUBLIC_PRISTINE_W_MK, runs }, null, 1) + '\n');
}

function thin(c: KappaResult['curves'], step_ps: number): { time_ps: number[]; mean_W_mK: number[] } {
  const time: number[] = [];
  const mean: number[] = [];
  let next = 0;
  c.time_ps.forEach((t, k) => {
    if (t + 1e-9 >= next) {
      time.push(Number(t.toFixed(4)));
      mean.push(Number(((c.xx[k] + c.yy[k]) / 2).toPrecision(5)));
      next += step_ps;
    }
  });
  return { time_ps: time, mean_W_mK: mean };
}

console.log(JSON.stringify(Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, { kappa_3p35A_W_mK: (v as { kappa_3p35A_W_mK: unknown }).kappa_3p35A_W_mK, seconds_wall: (v as { seconds_wall: number }).seconds_wall }]))));
