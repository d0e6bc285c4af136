import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { SYMBOLS } from '../../structure/elements.js';
import { lammpsHeader, runLammps } from '../../engines/lammps/run.js';
import { toLammpsCell } from '../../engines/lammps/frame.js';
import { Rng } from '../../util/random.js';
import { lammpsDataWithVelocities } from '../thermal/lammpsRun.js';
import { maxwellBoltzmann } from './dynamics.js';
import type { MdRunResult } from './run.js';

export interface LammpsMdOptions {
  steps: number;
  timestep_fs: number;
  thermostat: 'none' | 'nose-hoover' | 'langevin';
  temperature_K: number;
  seed: number;
  tau_fs?: number;
  friction_per_fs?: number;
  /** Thermo output (energy, temperature) every this many steps (default: about 1000 lines). */
  thermoEvery?: number;
}

/**
 * The same MD in serial LAMMPS: the same Maxwell–Boltzmann velocities (from our seeded draw, given
 * in the data file), fix nve / fix nvt (tchain 3) / fix langevin + nve (LAMMPS' Langevin, not
 * BAOAB). Drift from the conserved energy (etotal + thermostat energy) at thermo steps.
 */
export async function runMdLammps(atoms: Atoms, potential: { pairStyle: string; file: string }, o: LammpsMdOptions): Promise<Omit<MdRunResult, 'final'>> {
  const frame = toLammpsCell(atoms.cell);
  if (Math.abs(frame.q[0] - 1) > 1e-12 || Math.abs(frame.q[4] - 1) > 1e-12 || Math.abs(frame.q[8] - 1) > 1e-12) {
    throw new InputError('the LAMMPS MD engine needs a cell already in LAMMPS form (a along x, b in the xy-plane)');
  }
  const v = maxwellBoltzmann(atoms.masses_amu(), o.temperature_K, new Rng(o.seed));
  const types = [...new Set(atoms.numbers)].map((z) => SYMBOLS[z]);
  const every = o.thermoEvery ?? Math.max(1, Math.floor(o.steps / 1000));
  const tau_ps = (o.tau_fs ?? 100) / 1000;
  const damp_ps = 1 / (o.friction_per_fs ?? 0.01) / 1000;
  const fixes =
    o.thermostat === 'nose-hoover'
      ? [`fix th all nvt temp ${o.temperature_K} ${o.temperature_K} ${tau_ps} tchain 3`, 'variable cons equal etotal+f_th']
      : o.thermostat === 'langevin'
        ? ['fix nve all nve', `fix th all langevin ${o.temperature_K} ${o.temperature_K} ${damp_ps} ${o.seed + 1} tally yes`, 'variable cons equal etotal+f_th']
        : ['fix nve all nve', 'variable cons equal etotal'];
  const input = [
    ...lammpsHeader(potential.pairStyle, `* * potential.file ${types.join(' ')}`),
    `timestep ${o.timestep_fs / 1000}`,
    ...fixes,
    `thermo ${every}`,
    'thermo_style custom step temp pe v_cons',
    'thermo_modify format float %.15g norm no',
    `run ${o.steps}`,
    '',
  ].join('\n');
  const start = performance.now();
  const run = await runLammps(input, { 'structure.data': lammpsDataWithVelocities(atoms, v), 'potential.file': readFileSync(potential.file) });
  const seconds = (performance.now() - start) / 1000;
  try {
    const lines = run.log.split('\n');
    const head = lines.findIndex((l) => /^\s*Step\s+Temp\s+PotEng\s+v_cons/.test(l));
    const rows: number[][] = [];
    for (let k = head + 1; k < lines.length; k++) {
      const f = lines[k].trim().split(/\s+/).map(Number);
      if (f.length !== 4 || !f.every(Number.isFinite)) break;
      rows.push(f);
    }
    if (rows.length === 0) throw new InputError('LAMMPS log has no thermo rows');
    const e0 = rows[0][3];
    const drift = Math.max(...rows.map((r) => Math.abs(r[3] - e0)));
    const after = rows.filter((r) => r[0] > 0);
    const temperature_K = after.length ? after.reduce((a, r) => a + r[1], 0) / after.length : rows[0][1];
    return { steps: o.steps, seconds, atoms: atoms.length, energy_drift_eV_per_atom: drift / atoms.length, temperature_K };
  } finally {
    run.cleanup();
  }
}
