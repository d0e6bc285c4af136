// MD benchmark: built-in velocity Verlet + Tersoff (LB-2010) vs serial LAMMPS on a ≈1000-atom AMC
// (the FIRE-relaxed public flat cell 2677 replicated 2×2), energy drift over 10 ps at 0.5 and 1 fs,
// and the cost of one κ label. Usage: node dist/bench/md.js [speed|drift|cost]… (default: speed cost)
import { fileURLToPath } from 'node:url';
import { Atoms } from '../src/structure/atoms.js';
import { readStructure } from '../src/structure/io/formats.js';
import { resolvePotential } from '../src/physics/md/potential.js';
import { runMd } from '../src/physics/md/run.js';
import { runMdLammps } from '../src/physics/md/lammpsMd.js';
import { Dynamics, maxwellBoltzmann } from '../src/physics/md/dynamics.js';
import { Rng } from '../src/util/random.js';

export function replicate(atoms: Atoms, na: number, nb: number): Atoms {
  const c = atoms.cell;
  const positions: number[] = [];
  const numbers: number[] = [];
  for (let a = 0; a < na; a++) for (let b = 0; b < nb; b++) {
    for (let i = 0; i < atoms.length; i++) {
      for (let d = 0; d < 3; d++) positions.push(atoms.positions[3 * i + d] + a * c[d] + b * c[3 + d]);
      numbers.push(atoms.numbers[i]);
    }
  }
  const cell = [na * c[0], na * c[1], na * c[2], nb * c[3], nb * c[4], nb * c[5], c[6], c[7], c[8]];
  return new Atoms({ positions, numbers, cell, pbc: atoms.pbc });
}

const fixture = fileURLToPath(new URL('../../test/fixtures/md/relaxed_2677.extxyz', import.meta.url));
const big = (): Atoms => replicate(readStructure(fixture), 2, 2);
const potential = resolvePotential('lindsay-broido-2010');
const sections = process.argv.slice(2).length ? process.argv.slice(2) : ['speed', 'cost'];

if (sections.includes('speed')) {
  const steps = 2000;
  const atoms = big();
  const ours = runMd(atoms, potential.forceField, { steps, timestep_fs: 0.5, thermostat: 'none', temperature_K: 300, seed: 1 });
  const lmp = await runMdLammps(big(), potential.lammps, { steps, timestep_fs: 0.5, thermostat: 'none', temperature_K: 300, seed: 1, thermoEvery: 100 });
  // LAMMPS' time includes start-up; measure it with a 0-step run and subtract.
  const lmp0 = await runMdLammps(big(), potential.lammps, { steps: 0, timestep_fs: 0.5, thermostat: 'none', temperature_K: 300, seed: 1 });
  const oursRate = steps / ours.seconds;
  const lmpRate = steps / (lmp.seconds - lmp0.seconds);
  console.log(JSON.stringify({ bench: 'md-speed', atoms: atoms.length, steps, timestep_fs: 0.5, ensemble: 'nve', builtin_steps_per_s: oursRate, lammps_steps_per_s: lmpRate, lammps_startup_s: lmp0.seconds, ratio_builtin_over_lammps: oursRate / lmpRate }));
}

if (sections.includes('drift')) {
  for (const dt of [0.5, 1]) {
    const steps = Math.round(10000 / dt);
    const ours = runMd(big(), potential.forceField, { steps, timestep_fs: dt, thermostat: 'none', temperature_K: 300, seed: 1 });
    const lmp = await runMdLammps(big(), potential.lammps, { steps, timestep_fs: dt, thermostat: 'none', temperature_K: 300, seed: 1, thermoEvery: 10 });
    console.log(JSON.stringify({ bench: 'md-drift-10ps', atoms: ours.atoms, timestep_fs: dt, steps, builtin: { drift_eV_per_atom: ours.energy_drift_eV_per_atom, temperature_K: ours.temperature_K, seconds: ours.seconds }, lammps_every10: { drift_eV_per_atom: lmp.energy_drift_eV_per_atom, temperature_K: lmp.temperature_K, seconds: lmp.seconds } }));
  }
}

if (sections.includes('cost')) {
  // Steps/s with per-atom energies and virials every step (HNEMD) and every 4th step (GK), NVT/NVE.
  const rate = (every: number, thermostat: 'none' | 'nose-hoover'): number => {
    const atoms = big();
    const d = new Dynamics(atoms, potential.forceField, maxwellBoltzmann(atoms.masses_amu(), 300, new Rng(1)), { timestep_fs: 0.5, thermostat, temperature_K: 300 });
    d.computeForces();
    const n = 1000;
    const t = performance.now();
    for (let k = 1; k <= n; k++) d.advance(k % every === 0 ? { energies: true, virials: true } : undefined);
    return n / ((performance.now() - t) / 1000);
  };
  const gkRate = rate(4, 'none');
  const hnemdRate = rate(1, 'nose-hoover');
  // Protocols (0.5 fs): GK 3 runs × (10 ps NVT + 50 ps NVE); HNEMD 1 run per direction × (10 ps + 50 ps).
  const gkSteps = 3 * (20000 + 100000);
  const hnemdSteps = 2 * (20000 + 100000);
  const gkSeconds = gkSteps / gkRate;
  const hnemdSeconds = hnemdSteps / hnemdRate;
  const projection = (s: number, cores: number): number => (2000 * s) / cores / 3600;
  console.log(JSON.stringify({
    bench: 'kappa-cost', atoms: 992, timestep_fs: 0.5,
    gk: { protocol: '3 runs × (10 ps NVT + 50 ps NVE), J every 2 fs', steps_per_s: gkRate, seconds_per_label: gkSeconds, hours_2000_on_1_core: projection(gkSeconds, 1), hours_2000_on_64_cores: projection(gkSeconds, 64) },
    hnemd: { protocol: '1 run per direction × (10 ps NVT + 50 ps driven NVT), per-atom virials every step', steps_per_s: hnemdRate, seconds_per_label: hnemdSeconds, hours_2000_on_1_core: projection(hnemdSeconds, 1), hours_2000_on_64_cores: projection(hnemdSeconds, 64) },
  }));
}
