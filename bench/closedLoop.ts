// The structure factory's closed loop (issue: structure factory): generated thermal-size flat sheets
// → ph-DoS labelled with each shipped Tersoff set and κ by Green–Kubo (LAMMPS) → compared with what
// the shipped models predict from the same sheets' g(r).
//   node dist/bench/closedLoop.js run OUTDIR [--count 10] [--kappa 2] [--models DIR] [--sets www/A,…]
//     runs, with the CLI and resumably, for each of the six disorder settings below:
//       spramnet generate www|quench --atoms 800 --dimensions 2 … --out OUTDIR/<set>
//       spramnet label ph-dos OUTDIR/<set>/POSCAR_* --potential P --cell --fmax 0.01 --json  (P: both sets)
//       spramnet label kappa <first K of each set> --method gk --engine lammps --runs 2 --equilibration-ps 5 --production-ps 25
//       spramnet predict OUTDIR/<set>/POSCAR_* --json
//     then `compare`.
//   node dist/bench/closedLoop.js compare OUTDIR [--models DIR] [--public-w DIR]
//     writes OUTDIR/closed-loop.json, closed-loop.md and closed-loop.svg; with --public-w (the
//     release's ph-DoS/w folder) also the public eigenfrequencies' highest mode per structure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/atomicWrite.js';
import { readNpy } from '../src/io/npy.js';
import { lineChart, parityChart, sideBySide } from '../src/report/svg.js';
import { readCard } from '../src/tasks/modelFolder.js';
import { GRAPHENE_THICKNESS_A } from '../src/physics/md/units.js';
import { PUBLIC_KAPPA_THICKNESS } from '../src/physics/thermal/kappaConvention.js';

const withinRange = (x: number, [lo, hi]: readonly [number, number]): boolean => x >= lo && x <= hi;

const CLI = fileURLToPath(new URL('../../bin/spramnet.js', import.meta.url));
const POTENTIALS = ['lindsay-broido-2010', 'tersoff-1988'] as const;

interface SetSpec {
  tag: string;
  method: 'www' | 'quench';
  args: string[];
}

/** Disorder from ordered (D) to most disordered (C) for WWW; two cooling rates for the quench. */
export const SETS: SetSpec[] = [
  { tag: 'www/A', method: 'www', args: ['--seed', '11', '--temperature', '20000', '--switches', '400', '--vacancies', '0.03', '--relax', 'tersoff'] },
  { tag: 'www/B', method: 'www', args: ['--seed', '12', '--temperature', '40000', '--switches', '960', '--vacancies', '0.07', '--relax', 'tersoff'] },
  { tag: 'www/C', method: 'www', args: ['--seed', '13', '--temperature', '50000', '--switches', '240', '--vacancies', '0.09', '--relax', 'tersoff'] },
  { tag: 'www/D', method: 'www', args: ['--seed', '14', '--temperature', '15000', '--switches', '1200', '--vacancies', '0.02', '--relax', 'tersoff'] },
  { tag: 'quench/r1000', method: 'quench', args: ['--seed', '21', '--rate-K-ps', '1000'] },
  { tag: 'quench/r5000', method: 'quench', args: ['--seed', '22', '--rate-K-ps', '5000'] },
];

const fileTag = (tag: string): string => tag.replace('/', '_');

function cli(cwd: string, args: string[], stdoutFile?: string): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', stdoutFile ? 'pipe' : 'inherit', 'inherit'], maxBuffer: 1 << 30 });
  if (stdoutFile && r.stdout) writeFileAtomic(join(cwd, stdoutFile), r.stdout);
  if (r.status !== 0) console.error(`spramnet ${args.slice(0, 2).join(' ')} … exited with ${r.status} (the others go on)`);
}

function option(args: string[], name: string, fallback: string): string {
  const k = args.indexOf(name);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
}

function poscars(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('POSCAR_')).sort() : [];
}

function runLoop(out: string, count: number, kappaPerSet: number, models: string, only?: string[]): void {
  mkdirSync(join(out, 'labels'), { recursive: true });
  mkdirSync(join(out, 'pred'), { recursive: true });
  mkdirSync(join(out, 'kappa'), { recursive: true });
  for (const s of SETS.filter((x) => only === undefined || only.includes(x.tag))) {
    cli(out, ['generate', s.method, '--atoms', '800', '--count', String(count), '--dimensions', '2', ...s.args, '--out', s.tag]);
    const files = poscars(join(out, s.tag)).map((f) => `${s.tag}/${f}`);
    for (const p of POTENTIALS) {
      const label = `labels/${fileTag(s.tag)}_${p}.json`;
      if (!existsSync(join(out, label))) cli(out, ['label', 'ph-dos', ...files, '--potential', p, '--cell', '--fmax', '0.01', '--json'], label);
    }
    cli(out, ['predict', ...files, '--models', models, '--json'], `pred/${fileTag(s.tag)}.json`);
    for (const f of files.slice(0, kappaPerSet)) {
      const k = `kappa/${f.replace(/\//g, '_')}.json`;
      if (!existsSync(join(out, k))) cli(out, ['label', 'kappa', f, '--potential', 'lindsay-broido-2010', '--method', 'gk', '--engine', 'lammps', '--runs', '2', '--equilibration-ps', '5', '--production-ps', '25', '--checkpoint-dir', 'kappa/checkpoints', '--json'], k);
    }
  }
}

interface PhLabel { input: string; frequencies_THz: number[]; ph_dos: { dos: number[] } }
interface Prediction { input: string; ph_dos: { dos: number[] }; kappa: { W_mK: number; interval90: [number, number] }; domain: { per_task: Record<string, { in_domain: boolean }> } }
interface KappaLabel { input: string; kappa_W_mK: { mean: number }; stderr_W_mK: { mean: number } }

const median = (v: number[]): number => {
  const s = [...v].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const unitSum = (v: ArrayLike<number>): number[] => {
  const s = Array.from(v).reduce((a, b) => a + b, 0);
  return Array.from(v, (x) => x / s);
};
const mse = (a: number[], b: number[]): number => mean(a.map((x, k) => (x - b[k]) ** 2));
const peak_THz = (v: number[]): number => v.indexOf(Math.max(...v)) + 0.5;
const readJson = <T>(file: string): T | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined);

/** Highest real mode below 100 THz, and whether any mode is at or above 100 THz (cut-off-zone artefacts). */
function modeSummary(frequencies: ArrayLike<number>): { top_below_100_THz: number; any_above_100: boolean } {
  let top = 0;
  let above = false;
  for (const f of Array.from(frequencies)) {
    if (f >= 100) above = true;
    else if (f > top) top = f;
  }
  return { top_below_100_THz: top, any_above_100: above };
}

function compare(out: string, models: string, publicW?: string): void {
  const card = readCard(models, 'ph-dos');
  const validationMse = card?.validation.mse ?? Number.NaN;
  const rows: Record<string, unknown>[] = [];
  const sets: Record<string, unknown>[] = [];
  const meanSpectra: Record<string, number[]> = {};
  const kappaPairs: { input: string; label: number; label_stderr: number; predicted: number; interval90: [number, number]; in_domain: boolean }[] = [];
  for (const s of SETS) {
    const preds = new Map((readJson<Prediction[]>(join(out, 'pred', `${fileTag(s.tag)}.json`)) ?? []).map((p) => [p.input, p]));
    if (preds.size === 0) continue;
    const perPotential: Record<string, unknown> = {};
    for (const pot of POTENTIALS) {
      const labels = readJson<PhLabel[]>(join(out, 'labels', `${fileTag(s.tag)}_${pot}.json`)) ?? [];
      const errors: number[] = [];
      const peaks: number[] = [];
      const predPeaks: number[] = [];
      const tops: number[] = [];
      let above = 0;
      const sumLabel = new Array<number>(100).fill(0);
      for (const l of labels) {
        const p = preds.get(l.input);
        if (!p) continue;
        const y = unitSum(l.ph_dos.dos);
        const yhat = unitSum(p.ph_dos.dos);
        errors.push(mse(y, yhat));
        peaks.push(peak_THz(y));
        predPeaks.push(peak_THz(yhat));
        const m = modeSummary(l.frequencies_THz);
        tops.push(m.top_below_100_THz);
        if (m.any_above_100) above++;
        y.forEach((v, k) => (sumLabel[k] += v / labels.length));
        rows.push({ set: s.tag, potential: pot, input: l.input, mse: errors.at(-1), label_peak_THz: peaks.at(-1), predicted_peak_THz: predPeaks.at(-1), top_mode_below_100_THz: m.top_below_100_THz, any_mode_above_100_THz: m.any_above_100 });
      }
      if (labels.length > 0) meanSpectra[`${s.tag} ${pot}`] = sumLabel;
      perPotential[pot] = {
        labelled: errors.length,
        mse_median: median(errors),
        mse_mean: errors.length ? mean(errors) : Number.NaN,
        mse_median_over_validation: median(errors) / validationMse,
        label_peak_median_THz: median(peaks),
        predicted_peak_median_THz: median(predPeaks),
        peak_within_one_bin: peaks.filter((p, k) => Math.abs(p - predPeaks[k]) <= 1).length,
        top_mode_below_100_median_THz: median(tops),
        with_modes_above_100_THz: above,
      };
    }
    const predicted = [...preds.values()];
    meanSpectra[`${s.tag} predicted`] = unitSum(predicted[0].ph_dos.dos).map((_, k) => mean(predicted.map((p) => unitSum(p.ph_dos.dos)[k])));
    for (const f of poscars(join(out, s.tag))) {
      const k = readJson<KappaLabel[]>(join(out, 'kappa', `${s.tag.replace('/', '_')}_${f}.json`))?.[0];
      const p = preds.get(`${s.tag}/${f}`);
      if (k && p) kappaPairs.push({ input: k.input, label: k.kappa_W_mK.mean, label_stderr: k.stderr_W_mK.mean, predicted: p.kappa.W_mK, interval90: p.kappa.interval90, in_domain: p.domain.per_task.kappa?.in_domain ?? false });
    }
    sets.push({ set: s.tag, structures: preds.size, in_domain_ph_dos: predicted.filter((p) => p.domain.per_task.ph_dos?.in_domain).length, in_domain_kappa: predicted.filter((p) => p.domain.per_task.kappa?.in_domain).length, ...perPotential });
  }
  const kappaLog = kappaPairs.map((k) => Math.log10(k.predicted) - Math.log10(k.label));
  const kappa = {
    structures: kappaPairs.length,
    label_median_W_mK: median(kappaPairs.map((k) => k.label)),
    predicted_median_W_mK: median(kappaPairs.map((k) => k.predicted)),
    log10_mae: kappaLog.length ? mean(kappaLog.map(Math.abs)) : Number.NaN,
    log10_bias_predicted_minus_label: kappaLog.length ? mean(kappaLog) : Number.NaN,
    label_inside_interval90: kappaPairs.filter((k) => k.label >= k.interval90[0] && k.label <= k.interval90[1]).length,
    // κ ∝ 1/thickness: the thickness that removes the mean log bias, and the MAE left after it. Both
    // sides are in the decided convention (docs/kappa-convention.md: the public labels are per
    // 3.35 Å, the evidence allowing PUBLIC_KAPPA_THICKNESS.range_A): a bias thickness outside that
    // range would contradict the decision.
    thickness_removing_bias_A: kappaLog.length ? GRAPHENE_THICKNESS_A * 10 ** -mean(kappaLog) : Number.NaN,
    log10_mae_after_bias_removed: kappaLog.length ? mean(kappaLog.map((d) => Math.abs(d - mean(kappaLog)))) : Number.NaN,
    public_thickness_A: PUBLIC_KAPPA_THICKNESS.thickness_A,
    public_thickness_range_A: PUBLIC_KAPPA_THICKNESS.range_A,
    bias_thickness_within_public_range: kappaLog.length ? withinRange(GRAPHENE_THICKNESS_A * 10 ** -mean(kappaLog), PUBLIC_KAPPA_THICKNESS.range_A) : false,
    in_domain: kappaPairs.filter((k) => k.in_domain).length,
    in_domain_log10_mae: mean(kappaPairs.filter((k) => k.in_domain).map((k) => Math.abs(Math.log10(k.predicted) - Math.log10(k.label)))),
    model_validation_log10_mae: readCard(models, 'kappa')?.validation.log10Mae,
    pairs: kappaPairs,
  };
  let publicModes: Record<string, number> | undefined;
  if (publicW && existsSync(publicW)) {
    const tops: number[] = [];
    let above = 0;
    for (const f of readdirSync(publicW).filter((x) => x.endsWith('.npy'))) {
      const m = modeSummary(readNpy(join(publicW, f)).data as ArrayLike<number>);
      tops.push(m.top_below_100_THz);
      if (m.any_above_100) above++;
    }
    publicModes = { structures: tops.length, top_mode_below_100_median_THz: median(tops), fraction_with_modes_above_100_THz: above / tops.length };
  }
  const result = { validation_mse_ph_dos: validationMse, sets, kappa, public_modes: publicModes, rows };
  writeFileAtomic(join(out, 'closed-loop.json'), JSON.stringify(result, null, 1) + '\n');
  const fmt = (v: unknown, d = 3): string => (typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : 'n/a') : String(v));
  const md: string[] = [`# Closed loop (${out})`, '', `ph-DoS model validation MSE ${fmt(validationMse)}.`, '', '| set | potential | n | MSE median | MSE mean | median / validation | label peak (THz) | predicted peak | peak within 1 THz | top mode < 100 THz | with modes ≥ 100 THz | in domain (ph-DoS) |', '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const s of sets) {
    for (const pot of POTENTIALS) {
      const p = s[pot] as Record<string, number>;
      md.push(`| ${s.set} | ${pot} | ${p.labelled} | ${fmt(p.mse_median)} | ${fmt(p.mse_mean)} | ${fmt(p.mse_median_over_validation)} | ${fmt(p.label_peak_median_THz)} | ${fmt(p.predicted_peak_median_THz)} | ${p.peak_within_one_bin}/${p.labelled} | ${fmt(p.top_mode_below_100_median_THz)} | ${p.with_modes_above_100_THz}/${p.labelled} | ${s.in_domain_ph_dos}/${s.structures} |`);
    }
  }
  md.push('', `κ (GK, LAMMPS, Lindsay–Broido, 300 K) on ${kappa.structures} structures: label median ${fmt(kappa.label_median_W_mK)} W/(m·K), predicted median ${fmt(kappa.predicted_median_W_mK)}; log10 MAE ${fmt(kappa.log10_mae)} (model's validation ${fmt(kappa.model_validation_log10_mae)}), mean log10(predicted/label) ${fmt(kappa.log10_bias_predicted_minus_label)}; label inside the 90 % interval ${kappa.label_inside_interval90}/${kappa.structures}. The thickness that removes the mean bias: ${fmt(kappa.thickness_removing_bias_A)} Å (log10 MAE then ${fmt(kappa.log10_mae_after_bias_removed)}), ${kappa.bias_thickness_within_public_range ? 'inside' : 'outside'} the public labels' thickness range ${kappa.public_thickness_range_A.join('–')} Å (decided: ${kappa.public_thickness_A} Å, docs/kappa-convention.md); the ${kappa.in_domain} in the κ domain: log10 MAE ${fmt(kappa.in_domain_log10_mae)}.`);
  if (publicModes) md.push('', `Public eigenfrequency files: ${publicModes.structures} structures, highest mode below 100 THz median ${fmt(publicModes.top_mode_below_100_median_THz)} THz, ${fmt(100 * publicModes.fraction_with_modes_above_100_THz)} % with a mode ≥ 100 THz.`);
  writeFileAtomic(join(out, 'closed-loop.md'), md.join('\n') + '\n');
  const x = Array.from({ length: 100 }, (_, k) => k + 0.5);
  const spectrumChart = (methodPrefix: string): string =>
    lineChart({
      title: `${methodPrefix} sheets: mean ph-DoS`,
      xLabel: 'frequency (THz)',
      yLabel: 'ph-DoS (unit sum)',
      width: 460,
      series: [
        ...POTENTIALS.map((pot) => ({ name: `label, ${pot}`, x, y: averageOf(meanSpectra, methodPrefix, pot) })),
        { name: 'model from g(r)', x, y: averageOf(meanSpectra, methodPrefix, 'predicted'), dashed: true },
      ],
    });
  const charts = [spectrumChart('www'), spectrumChart('quench')];
  if (kappaPairs.length > 0) charts.push(parityChart({ title: 'κ, W/(m·K)', xLabel: 'GK label (LAMMPS)', yLabel: 'model from g(r)', truth: kappaPairs.map((k) => k.label), pred: kappaPairs.map((k) => k.predicted), log: true }));
  writeFileAtomic(join(out, 'closed-loop.svg'), sideBySide(charts));
  console.log(md.join('\n'));
}

/** Mean of the stored mean spectra whose key starts with the method and ends with `suffix`. */
function averageOf(spectra: Record<string, number[]>, method: string, suffix: string): number[] {
  const keys = Object.keys(spectra).filter((k) => k.startsWith(`${method}/`) && k.endsWith(` ${suffix}`));
  return Array.from({ length: 100 }, (_, b) => (keys.length ? mean(keys.map((k) => spectra[k][b])) : 0));
}

const [mode, outArg, ...rest] = process.argv.slice(2);
const models = resolve(option(rest, '--models', fileURLToPath(new URL('../../models', import.meta.url))));
if (mode === 'run' && outArg) {
  const out = resolve(outArg);
  mkdirSync(out, { recursive: true });
  runLoop(out, Number(option(rest, '--count', '10')), Number(option(rest, '--kappa', '2')), models, rest.includes('--sets') ? option(rest, '--sets', '').split(',') : undefined);
  compare(out, models, rest.includes('--public-w') ? resolve(option(rest, '--public-w', '')) : undefined);
} else if (mode === 'compare' && outArg) {
  compare(resolve(outArg), models, rest.includes('--public-w') ? resolve(option(rest, '--public-w', '')) : undefined);
} else {
  console.error('usage: closedLoop.js run OUTDIR [--count 10] [--kappa 2] [--models DIR] [--sets www/A,…] [--public-w DIR] | compare OUTDIR [--models DIR] [--public-w DIR]');
  process.exitCode = 2;
}
