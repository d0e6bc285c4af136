// κ of three FIRE-relaxed public AMC cells (248 atoms; 2677, 2683, 2727) with reduced run lengths:
// GK built-in (centroid and stress/atom virials), GK LAMMPS (stress/atom, what LAMMPS 2021 offers
// for Tersoff), HNEMD built-in (centroid). 0.5 fs: at 1 fs the LB cut-off zone (1.8–2.1 Å) gives
// energy jumps of ~1 eV per step on cell 2683 and the NVE runs blow up. Usage: node dist/bench/kappaThree.js [ids…]
import { fileURLToPath } from 'node:url';
import { readStructure } from '../src/structure/io/formats.js';
import { resolvePotential } from '../src/physics/md/potential.js';
import { kappa, type KappaOptions } from '../src/physics/thermal/kappa.js';
import { kappaLammps } from '../src/physics/thermal/lammpsKappa.js';

const ids = process.argv.slice(2).length ? process.argv.slice(2) : ['2677', '2683', '2727'];
const gk: KappaOptions = { method: 'gk', runs: 3, timestep_fs: 0.5, equilibration_ps: 2, production_ps: 10, correlation_ps: 2, sampleEvery: 4 };
const hnemd: KappaOptions = { method: 'hnemd', runs: 1, timestep_fs: 0.5, equilibration_ps: 2, production_ps: 10, drivingForce_per_A: 1e-3, blocks: 10 };
for (const id of ids) {
  const atoms = readStructure(fileURLToPath(new URL(`../../test/fixtures/md/relaxed_${id}.extxyz`, import.meta.url)));
  const line = (engine: string, virial: string, r: Awaited<ReturnType<typeof kappaLammps>>, seconds: number): void =>
    console.log(JSON.stringify({ id, engine, virial, method: r.method, kappa_W_mK: r.kappa_W_mK, stderr_W_mK: r.stderr_W_mK, runs: r.runs.map((x) => [x.xx, x.yy]), seconds, settings: { ...r.settings, plateau_ps: r.settings.plateau_ps } }));
  for (const virial of ['centroid', 'third'] as const) {
    const t = performance.now();
    const r = kappa(atoms, resolvePotential('lindsay-broido-2010', virial).forceField, gk);
    line('builtin', virial, r, (performance.now() - t) / 1000);
  }
  let t = performance.now();
  const l = await kappaLammps(atoms, resolvePotential('lindsay-broido-2010').lammps, gk);
  line('lammps', 'stress/atom', l, (performance.now() - t) / 1000);
  t = performance.now();
  const h = kappa(atoms, resolvePotential('lindsay-broido-2010').forceField, hnemd);
  line('builtin', 'centroid', h, (performance.now() - t) / 1000);
}
