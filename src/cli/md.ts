import type { Command } from 'commander';
import { DEFAULT_POTENTIAL } from '../calculators/registry.js';
import { InputError } from '../errors.js';
import { resolvePotential } from '../physics/md/potential.js';
import { runMd } from '../physics/md/run.js';
import { runMdLammps } from '../physics/md/lammpsMd.js';
import { readStructure } from '../structure/io/formats.js';
import { integerOption, numberOption } from './common.js';
import { progressBar } from './progress.js';

interface MdFlags {
  potential: string;
  ensemble: string;
  temperature: number;
  timestepFs: number;
  steps: number;
  seed: number;
  thermostat: string;
  tauFs: number;
  friction: number;
  out?: string;
  every: number;
  checkpoint?: string;
  checkpointEvery: number;
  engine: string;
  json?: boolean;
}

export function registerMd(program: Command): void {
  program
    .command('md')
    .description('molecular dynamics (velocity Verlet; NVE or NVT) from the positions of a structure file')
    .argument('<file>', 'structure file (POSCAR, extended XYZ, LAMMPS data, …)')
    .option('--potential <name|file>', 'lindsay-broido-2010, tersoff-1988 or a .tersoff file', DEFAULT_POTENTIAL)
    .option('--ensemble <nve|nvt>', 'ensemble', 'nve')
    .option('--temperature <K>', 'initial (Maxwell–Boltzmann, exact) and thermostat temperature', numberOption('--temperature'), 300)
    .option('--timestep-fs <fs>', 'time step', numberOption('--timestep-fs'), 0.5)
    .requiredOption('--steps <n>', 'number of steps', integerOption('--steps'))
    .option('--seed <s>', 'velocity (and Langevin noise) seed', integerOption('--seed'), 1)
    .option('--thermostat <nose-hoover|langevin>', 'NVT thermostat: Nosé–Hoover chain (3) or Langevin (BAOAB)', 'nose-hoover')
    .option('--tau-fs <fs>', 'Nosé–Hoover relaxation time', numberOption('--tau-fs'), 100)
    .option('--friction <per_fs>', 'Langevin friction γ, 1/fs', numberOption('--friction'), 0.01)
    .option('--out <file>', 'extended XYZ trajectory (positions, velocities in Å/fs)')
    .option('--every <k>', 'trajectory frame every k steps', integerOption('--every'), 100)
    .option('--checkpoint <file>', 'checkpoint file: written every --checkpoint-every steps, resumed from when it exists')
    .option('--checkpoint-every <k>', 'steps between checkpoints', integerOption('--checkpoint-every'), 1000)
    .option('--engine <builtin|lammps>', 'built-in integrator or serial LAMMPS (lmp)', 'builtin')
    .option('--json', 'print {steps, seconds, atoms, energy_drift_eV_per_atom, temperature_K} as JSON')
    .action(async (file: string, o: MdFlags) => {
      if (o.ensemble !== 'nve' && o.ensemble !== 'nvt') throw new InputError(`--ensemble must be nve or nvt, got "${o.ensemble}"`);
      if (o.thermostat !== 'nose-hoover' && o.thermostat !== 'langevin') throw new InputError(`--thermostat must be nose-hoover or langevin, got "${o.thermostat}"`);
      if (o.engine !== 'builtin' && o.engine !== 'lammps') throw new InputError(`--engine must be builtin or lammps, got "${o.engine}"`);
      const atoms = readStructure(file);
      const potential = resolvePotential(o.potential);
      const thermostat = o.ensemble === 'nve' ? 'none' : (o.thermostat as 'nose-hoover' | 'langevin');
      let result;
      if (o.engine === 'lammps') {
        if (o.out || o.checkpoint) throw new InputError('--out and --checkpoint are for the built-in engine only');
        result = await runMdLammps(atoms, potential.lammps, { steps: o.steps, timestep_fs: o.timestepFs, thermostat, temperature_K: o.temperature, seed: o.seed, tau_fs: o.tauFs, friction_per_fs: o.friction });
      } else {
        const bar = progressBar(o.steps, 'md');
        try {
          result = runMd(atoms, potential.forceField, {
            steps: o.steps,
            timestep_fs: o.timestepFs,
            thermostat,
            temperature_K: o.temperature,
            seed: o.seed,
            tau_fs: o.tauFs,
            friction_per_fs: o.friction,
            trajectory: o.out ? { path: o.out, every: o.every } : undefined,
            checkpoint: o.checkpoint ? { path: o.checkpoint, every: o.checkpointEvery } : undefined,
            onProgress: (done) => done % 20 === 0 && bar.update(done),
          });
        } finally {
          bar.stop();
        }
      }
      const out = { steps: result.steps, seconds: result.seconds, atoms: result.atoms, energy_drift_eV_per_atom: result.energy_drift_eV_per_atom, temperature_K: result.temperature_K };
      if (o.json) console.log(JSON.stringify(out));
      else {
        console.log(`${file}: ${out.atoms} atoms, ${out.steps} steps of ${o.timestepFs} fs (${o.ensemble}${thermostat === 'none' ? '' : `, ${thermostat}`}, ${o.engine}) in ${out.seconds.toFixed(1)} s`);
        console.log(`mean temperature ${out.temperature_K.toFixed(2)} K, energy drift ${out.energy_drift_eV_per_atom.toExponential(3)} eV/atom`);
      }
    });
}
