/**
 * Issue 19 (B): do the phonon labels' FIRE defaults converge on generated sheets? Makes `per-setting`
 * flat 800-atom sheets of each of the six closed-loop settings (docs/factory.md: WWW A–D with
 * --relax tersoff, quench at 1000 and 5000 K/ps; the `potential` cell), then relaxes each with
 * Lindsay–Broido FIRE as `label ph-dos` does (positions, ASE's FIRE) down to 1e-4 eV/Å or `cap` steps,
 * noting the step at which the largest force first fell below each of 1e-2, 1e-3 and 1e-4 eV/Å.
 *   node dist/bench/phononRelax.js [per-setting=5] [cap=30000]
 * Prints one JSON line per sheet as it is done (with the generator's retries and the sheet's thermal
 * domain verdict before and after predict's thermal relaxation), then a summary per threshold:
 * sheets converged, median and largest steps, and the steps to 1e-3 as a ratio of those to 1e-4 (ratio_steps_1e3_to_1e4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStructure, type GenerateRun } from '../src/generate/factory.js';
import { tersoffForceField } from '../src/generate/forceFields.js';
import { relaxFire } from '../src/physics/relax/fire.js';
import { writePoscar } from '../src/structure/io/poscar.js';
import { writeFileAtomic } from '../src/io/atomicWrite.js';
import { loadModelSet, predictInputs } from '../src/tasks/predict.js';
import { ROOT } from './shared.js';

const perSetting = Number(process.argv[2] ?? 5);
const cap = Number(process.argv[3] ?? 30000);
const THRESHOLDS = [1e-2, 1e-3, 1e-4];
const forceField = tersoffForceField();
const models = loadModelSet(join(ROOT, 'models'), ['ph-dos', 'kappa']);

const www = (seed: number, temperature_K: number, switches: number, vacancies: number): Omit<GenerateRun, 'out' | 'count'> => ({
  method: 'www', seed, atoms: 800, www: { dimensions: 2, temperature_K, switches, vacancies }, relax: 'forcefield', forceField,
});
const quench = (seed: number, rate_K_ps: number): Omit<GenerateRun, 'out' | 'count'> => ({ method: 'quench', seed, atoms: 800, quench: { dimensions: 2, rate_K_ps }, forceField });
const SETTINGS: Array<[string, Omit<GenerateRun, 'out' | 'count'>]> = [
  ['www/A', www(11, 20000, 400, 0.03)],
  ['www/B', www(12, 40000, 960, 0.07)],
  ['www/C', www(13, 50000, 240, 0.09)],
  ['www/D', www(14, 15000, 1200, 0.02)],
  ['quench/r1000', quench(21, 1000)],
  ['quench/r5000', quench(22, 5000)],
];

const dir = mkdtempSync(join(tmpdir(), 'spramnet-phonon-relax-'));
const results: Array<{ reached: Array<number | null>; seconds: number }> = [];
try {
  for (const [tag, run] of SETTINGS) {
    for (let index = 0; index < perSetting; index++) {
      const started = performance.now();
      const g = generateStructure({ ...run, out: dir, count: perSetting }, index);
      const generateSeconds = (performance.now() - started) / 1000;
      const reached: Array<number | null> = THRESHOLDS.map(() => null);
      const t0 = performance.now();
      const r = relaxFire(g.atoms, forceField, {
        fmax_eV_A: THRESHOLDS[THRESHOLDS.length - 1],
        maxSteps: cap,
        onMaxSteps: 'return',
        onStep: (step, fmax) => THRESHOLDS.forEach((t, k) => {
          if (reached[k] === null && fmax < t) reached[k] = step;
        }),
      });
      const seconds = (performance.now() - t0) / 1000;
      results.push({ reached, seconds });
      const file = join(dir, `${tag.replace('/', '_')}_${index}.vasp`);
      writeFileAtomic(file, writePoscar(g.atoms));
      const domain = (relax: boolean) => {
        const [p] = predictInputs([file], models, { thermal: { relax } });
        return { ph_dos: p.domain?.per_task?.ph_dos?.in_domain, kappa: p.domain?.per_task?.kappa?.in_domain };
      };
      console.log(JSON.stringify({
        bench: 'phonon relaxation of a generated sheet', setting: tag, index, atoms: g.atoms.length, retries: g.provenance.retries, generate_seconds: generateSeconds,
        steps_to: Object.fromEntries(THRESHOLDS.map((t, k) => [String(t), reached[k]])), final_fmax_eV_A: r.record.fmax_eV_A, relax_seconds: seconds,
        thermal_domain_before: domain(false), thermal_domain_after: domain(true),
      }));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (v: number[]): number | null => (v.length === 0 ? null : [...v].sort((a, b) => a - b)[v.length >> 1]);
const summary = THRESHOLDS.map((t, k) => {
  const steps = results.flatMap((r) => (r.reached[k] === null ? [] : [r.reached[k] as number]));
  return { fmax_eV_A: t, converged: steps.length, of: results.length, steps_median: median(steps), steps_max: steps.length ? Math.max(...steps) : null };
});
const both = results.filter((r) => r.reached[1] !== null && r.reached[2] !== null);
console.log(JSON.stringify({ bench: 'phonon relaxation of generated sheets: summary', cap_steps: cap, per_threshold: summary, ratio_steps_1e3_to_1e4: median(both.map((r) => (r.reached[1] as number) / (r.reached[2] as number))) }));
