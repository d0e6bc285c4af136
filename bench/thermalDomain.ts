/**
 * Issue 19 (A): how many structures fall inside the ph-DoS and κ domains when predict relaxes them
 * with the thermal labels' potential first (src/tasks/thermalStructure.ts), against using them as
 * given (`--no-thermal-relax`, what predict did before), and what the relaxation costs.
 *   node dist/bench/thermalDomain.js public [structures=202] [cells=potential]
 *       flat public electron cells (ids 2001–4000, every k-th so that `structures` are taken)
 *   node dist/bench/thermalDomain.js generated [per-group=10] [cells=potential] [sizes=electron,thermal]
 *       sheets made by the library generators with the CLI's defaults: WWW --relax tersoff and
 *       quench, at electron sizes (96–250 atoms) and the thermal size (800 atoms)
 * cells: comma-separated ThermalCell policies to compare (potential, relaxed, fixed).
 * Prints one JSON line per group and cell policy: in-domain shares before and after per task, the
 * relaxation's seconds per structure (median, mean, per 100 atoms) and predict's time with the
 * relaxation against without it (ratio).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGenerate, type GenerateRun } from '../src/generate/factory.js';
import { tersoffForceField } from '../src/generate/forceFields.js';
import { loadModelSet, predictInputs, type Prediction } from '../src/tasks/predict.js';
import type { ThermalCell } from '../src/tasks/thermalStructure.js';
import { ROOT, unpackShared } from './shared.js';

const [what = 'public', countText, cellsText = 'potential', sizesText = 'electron,thermal'] = process.argv.slice(2);
const cells = cellsText.split(',') as ThermalCell[];
const models = loadModelSet(join(ROOT, 'models'), ['ph-dos', 'kappa']);

interface Outcome {
  inside: { ph_dos: number; kappa: number };
  seconds: number;
}

function judge(files: string[], thermal: { relax: boolean; cell?: ThermalCell }): { outcomes: Prediction[]; seconds: number } {
  const started = performance.now();
  const outcomes = files.flatMap((f) => predictInputs([f], models, { thermal }));
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

function share(outcomes: Prediction[]): Outcome['inside'] {
  const count = (task: string) => outcomes.filter((p) => p.domain?.per_task?.[task]?.in_domain === true).length;
  return { ph_dos: count('ph_dos') / outcomes.length, kappa: count('kappa') / outcomes.length };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[s.length >> 1];
};

function report(group: string, files: string[], atoms: number[]): void {
  const before = judge(files, { relax: false });
  const failed = before.outcomes.filter((p) => p.error !== undefined).map((p) => `${p.input}: ${p.error}`);
  for (const cell of cells) {
    const after = judge(files, { relax: true, cell });
    const records = after.outcomes.map((p) => p.thermal_relax);
    const relaxed = records.filter((r) => r?.relaxed === true);
    const seconds = relaxed.map((r) => r!.seconds!);
    const relaxedAtoms = after.outcomes.flatMap((p, k) => (p.thermal_relax?.relaxed === true ? [atoms[k]] : []));
    const perAtom = seconds.reduce((a, s) => a + s, 0) / Math.max(1, relaxedAtoms.reduce((a, n) => a + n, 0));
    const notFlat = after.outcomes.filter((p) => p.thermal_relax?.relaxed === false).length;
    console.log(
      JSON.stringify({
        bench: 'thermal domain before and after the thermal relaxation',
        group,
        cell,
        structures: files.length,
        atoms: [Math.min(...atoms), Math.max(...atoms)],
        in_domain_before: share(before.outcomes),
        in_domain_after: share(after.outcomes),
        not_relaxed: notFlat,
        not_converged: relaxed.filter((r) => r!.converged === false).length,
        relax_seconds_median: median(seconds),
        relax_seconds_mean: seconds.reduce((a, s) => a + s, 0) / Math.max(1, seconds.length),
        relax_seconds_per_100_atoms: 100 * perAtom,
        steps_median: median(relaxed.map((r) => r!.steps!)),
        predict_seconds_without_relax: before.seconds,
        predict_seconds_with_relax: after.seconds,
        ratio: after.seconds / before.seconds,
        failed,
      }),
    );
  }
}

if (what === 'public') {
  const dir = unpackShared('electron', 'raw_dataset_electron/POSCAR');
  const flat = readdirSync(dir).filter((f) => /^POSCAR_\d+$/.test(f) && Number(f.slice(7)) >= 2001 && Number(f.slice(7)) <= 4000).sort();
  const wanted = Number(countText ?? 202);
  const step = Math.max(1, Math.floor(flat.length / wanted));
  const files = flat.filter((_, k) => k % step === 0).slice(0, wanted).map((f) => join(dir, f));
  const { readStructure } = await import('../src/structure/io/formats.js');
  report('public flat electron cells (ids 2001–4000)', files, files.map((f) => readStructure(f).length));
} else if (what === 'generated') {
  const perGroup = Number(countText ?? 10);
  const out = mkdtempSync(join(tmpdir(), 'spramnet-thermal-domain-'));
  try {
    const forceField = tersoffForceField();
    const groups: Array<{ group: string; run: Omit<GenerateRun, 'out' | 'count'> }> = [
      { group: 'www --relax tersoff, electron sizes', run: { method: 'www', seed: 1, atoms: [96, 138, 192, 250], www: { dimensions: 2 }, relax: 'forcefield', forceField } },
      { group: 'www --relax tersoff, 800 atoms', run: { method: 'www', seed: 2, atoms: 800, www: { dimensions: 2 }, relax: 'forcefield', forceField } },
      { group: 'quench, electron sizes', run: { method: 'quench', seed: 3, atoms: [96, 138, 192, 250], quench: { dimensions: 2 }, forceField } },
      { group: 'quench, 800 atoms', run: { method: 'quench', seed: 4, atoms: 800, quench: { dimensions: 2 }, forceField } },
    ];
    const sizes = sizesText.split(',');
    for (const [k, { group, run }] of groups.entries()) {
      if (!sizes.includes(run.atoms === 800 ? 'thermal' : 'electron')) continue;
      const dir = join(out, String(k));
      const started = performance.now();
      const made = runGenerate({ ...run, out: dir, count: perGroup });
      const generateSeconds = (performance.now() - started) / 1000;
      const files = readdirSync(dir).sort().map((f) => join(dir, f));
      console.error(`${group}: ${made.written} sheets in ${generateSeconds.toFixed(0)} s`);
      report(group, files, made.atomCounts);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
} else {
  throw new Error(`unknown group "${what}": public or generated`);
}
