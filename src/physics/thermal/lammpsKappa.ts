import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { SYMBOLS } from '../../structure/elements.js';
import { lammpsHeader, runLammps } from '../../engines/lammps/run.js';
import { toLammpsCell, withCell } from '../../engines/lammps/frame.js';
import { writeLammpsData } from '../../structure/io/lammpsData.js';
import { readCheckpoint, writeCheckpoint } from '../md/checkpoint.js';
import { A_PS_PER_A_FS } from '../md/units.js';
import { kappaFromAutocorrelation, meanStderr, plateauMean } from './greenKubo.js';
import { kappaSettings, type KappaOptions, type KappaResult, type KappaRun } from './kappa.js';

export interface LammpsKappaPotential {
  /** e.g. "tersoff". */
  pairStyle: string;
  /** Potential file, copied into the run folder and mapped to the structure's elements. */
  file: string;
  /** Name for provenance, e.g. "tersoff:lindsay-broido-2010". */
  name: string;
}

export interface LammpsKappaOptions extends KappaOptions {
  /**
   * Per-atom virial in the heat current: 'centroid' (compute centroid/stress/atom) or 'stress/atom'.
   * LAMMPS 29 Sep 2021 (Debian 12) has no centroid form for pair tersoff, hence the default.
   */
  perAtomStress?: 'centroid' | 'stress/atom';
}

/** The input of one GK run: NVT (Nosé–Hoover chain 3) equilibration, NVE production with fix ave/correlate. */
export function lammpsGreenKuboInput(
  s: ReturnType<typeof kappaSettings>,
  pair: { pairStyle: string; coeff: string },
  seed: number,
  stress: 'centroid' | 'stress/atom',
): { input: string; productionSteps: number; lags: number } {
  const dt_ps = s.timestep_fs / 1000;
  const eq = Math.round((s.equilibration_ps * 1000) / s.timestep_fs);
  const every = s.sampleEvery!;
  const productionSteps = Math.floor(Math.round((s.production_ps * 1000) / s.timestep_fs) / every) * every;
  const lags = Math.floor((s.correlation_ps! * 1000) / (every * s.timestep_fs)) + 1;
  const input = [
    ...lammpsHeader(pair.pairStyle, pair.coeff),
    `timestep ${dt_ps}`,
    `velocity all create ${s.temperature_K} ${seed} mom yes rot no dist gaussian`,
    `fix eq all nvt temp ${s.temperature_K} ${s.temperature_K} ${s.tau_fs / 1000} tchain 3`,
    'thermo 1000',
    `run ${eq}`,
    'unfix eq',
    'reset_timestep 0',
    'compute ke all ke/atom',
    'compute pe all pe/atom',
    `compute st all ${stress} NULL virial`,
    'compute flux all heat/flux ke pe st',
    'fix nve all nve',
    `fix acf all ave/correlate ${every} ${lags} ${productionSteps} c_flux[1] c_flux[2] type auto ave running file acf.dat`,
    'thermo_style custom step temp pe etotal',
    `run ${productionSteps}`,
    '',
  ].join('\n');
  return { input, productionSteps, lags };
}

/** The last block of a fix ave/correlate file: columns 4… (one per correlated pair), LAMMPS units. */
export function parseAveCorrelate(text: string, file = 'acf.dat'): Float64Array[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  let start = -1;
  for (let k = 0; k < lines.length; k++) if (lines[k].trim().split(/\s+/).length === 2) start = k;
  if (start < 0) throw new InputError(`${file}: no "timestep rows" header line`);
  const rows = Number(lines[start].trim().split(/\s+/)[1]);
  const body = lines.slice(start + 1, start + 1 + rows).map((l) => l.trim().split(/\s+/).map(Number));
  if (body.length !== rows) throw new InputError(`${file}: expected ${rows} rows, found ${body.length}`);
  const columns = body[0].length - 3;
  return Array.from({ length: columns }, (_, c) => Float64Array.from(body, (r) => r[3 + c]));
}

/** The largest turn of a from x the LAMMPS κ engine accepts (see lammpsKappaData). */
export const MAX_TURN_RAD = 0.1;

/**
 * The structure as the LAMMPS κ engine hands it over (a data file in LAMMPS' frame, a along x) and
 * the angle the structure was turned by to get there.
 */
export function lammpsKappaData(atoms: Atoms): { data: string; turn_rad: number } {
  const frame = toLammpsCell(atoms.cell);
  // LAMMPS wants a along x: the structure is turned by the angle θ of a from x. κ_xx and κ_yy then
  // come from axes turned by θ: each is off by at most θ²·|κ_xx − κ_yy| + |sin 2θ|·|κ_xy|, and their
  // mean (the label the models learn) not at all. For θ ≤ 0.1 rad that is ≤ 1 % of |κ_xx − κ_yy| plus
  // 20 % of the small off-diagonal κ_xy of an amorphous sheet: under Green–Kubo's run-to-run noise
  // (≈ 10–40 % of κ). A free cell relaxation turns a by up to ~3e-3 rad on 800-atom LB sheets and by
  // 2.6e-2 rad on a buckled a-BN one (ExTeP); larger turns are refused.
  const turn_rad = Math.atan2(frame.q[1], frame.q[0]);
  const inPlane = Math.abs(frame.q[2]) < 1e-9 && Math.abs(frame.q[5]) < 1e-9 && Math.abs(frame.q[6]) < 1e-9 && Math.abs(frame.q[7]) < 1e-9;
  if (!inPlane || Math.abs(turn_rad) > MAX_TURN_RAD) {
    throw new InputError(`the LAMMPS κ engine needs a cell with a along x (within ${MAX_TURN_RAD} rad) and b in the xy-plane, or κ_xx and κ_yy would be rotated; a is turned by ${turn_rad.toExponential(2)} rad${inPlane ? '' : ' and the cell is not in the xy-plane'}`);
  }
  return { data: writeLammpsData(withCell(atoms, frame.reduced)), turn_rad };
}

/**
 * Green–Kubo κ with LAMMPS (serial `lmp`): same settings, plateau rule and output as `kappa()`
 * with method 'gk'; the autocorrelation comes from `fix ave/correlate` and is integrated here.
 */
export async function kappaLammps(atoms: Atoms, potential: LammpsKappaPotential, options: LammpsKappaOptions): Promise<KappaResult> {
  if (options.method !== 'gk') throw new InputError(`the LAMMPS engine does Green–Kubo only (method "gk"), got "${options.method}"`);
  const s = kappaSettings(atoms, potential, options, 'lammps');
  const stress = options.perAtomStress ?? 'stress/atom';
  const nRuns = options.runs ?? 3;
  if (!Number.isInteger(nRuns) || nRuns < 1) throw new InputError(`runs must be an integer ≥ 1, got ${nRuns}`);
  const { data } = lammpsKappaData(atoms);
  const types = [...new Set(atoms.numbers)].map((z) => SYMBOLS[z]);
  const pair = { pairStyle: potential.pairStyle, coeff: `* * potential.file ${types.join(' ')}` };
  const files = { 'structure.data': data, 'potential.file': readFileSync(potential.file) };
  const fingerprint = JSON.stringify({ method: 'gk', runs: nRuns, stress, settings: s });
  type Saved = { run: KappaRun; xx: number[]; yy: number[] };
  let done: Saved[] = [];
  const saved = options.checkpoint ? readCheckpoint(options.checkpoint, 'kappa-lammps') : undefined;
  if (saved) {
    if (saved.fingerprint !== fingerprint) throw new InputError(`${options.checkpoint}: checkpoint of a κ calculation with other settings; remove it or use the same options`);
    done = saved.done as Saved[];
  }
  const sample_fs = s.sampleEvery! * s.timestep_fs;
  const window: [number, number] = [s.plateau_ps![0] * 1000, s.plateau_ps![1] * 1000];
  // LAMMPS' J is in eV·Å/ps: ⟨JJ⟩ in (eV·Å/ps)² → (eV·Å/fs)².
  const toFs2 = 1 / (A_PS_PER_A_FS * A_PS_PER_A_FS);
  for (let r = done.length; r < nRuns; r++) {
    options.onProgress?.('κ gk (lammps)', r, nRuns);
    const { input } = lammpsGreenKuboInput(s, pair, s.seed + r, stress);
    const run = await runLammps(input, files);
    let acf: Float64Array[];
    try {
      acf = parseAveCorrelate(run.read('acf.dat'));
    } finally {
      run.cleanup();
    }
    const curves = acf.map((c) => kappaFromAutocorrelation(c.map((x) => x * toFs2), sample_fs, s.volume_A3, s.temperature_K));
    done.push({ run: { seed: s.seed + r, xx: plateauMean(curves[0], sample_fs, window), yy: plateauMean(curves[1], sample_fs, window) }, xx: Array.from(curves[0]), yy: Array.from(curves[1]) });
    if (options.checkpoint) writeCheckpoint(options.checkpoint, 'kappa-lammps', { fingerprint, done });
  }
  options.onProgress?.('κ gk (lammps)', nRuns, nRuns);
  const runs = done.map((d) => d.run);
  const xx = meanStderr(runs.map((r) => r.xx));
  const yy = meanStderr(runs.map((r) => r.yy));
  const mean = meanStderr(runs.map((r) => (r.xx + r.yy) / 2));
  const avg = (key: 'xx' | 'yy'): number[] => done[0][key].map((_, k) => done.reduce((a, d) => a + d[key][k], 0) / done.length);
  return {
    kappa_W_mK: { xx: xx.mean, yy: yy.mean, mean: mean.mean },
    stderr_W_mK: { xx: xx.stderr, yy: yy.stderr, mean: mean.stderr },
    thickness_A: s.thickness_A,
    method: 'gk',
    runs,
    settings: { ...s, stderrRule: `${s.stderrRule}; LAMMPS per-atom virial: compute ${stress}` },
    curves: { time_ps: done[0].xx.map((_, k) => (k * sample_fs) / 1000), xx: avg('xx'), yy: avg('yy') },
  };
}
