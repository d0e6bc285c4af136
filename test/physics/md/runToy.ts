// A child process for the kill-and-resume test: LJ argon MD with trajectory and checkpoints.
// argv: trajectoryPath checkpointPath steps thermostat
import { runMd } from '../../../src/physics/md/run.js';
import { ARGON_LJ, argonCrystal, lennardJones } from './toys.js';

const [traj, checkpoint, steps, thermostat] = process.argv.slice(2);
// node --test runs every file under test/: without arguments this is not a run, so do nothing
if (thermostat === undefined) process.exit(0);
const atoms = argonCrystal(2);
const ff = lennardJones(ARGON_LJ.epsilon_eV, ARGON_LJ.sigma_A, ARGON_LJ.cutoff_A);
const result = runMd(atoms, ff, {
  steps: Number(steps),
  timestep_fs: 5,
  seed: 11,
  temperature_K: 60,
  thermostat: thermostat as 'none' | 'nose-hoover' | 'langevin',
  trajectory: { path: traj, every: 10 },
  checkpoint: checkpoint === '-' ? undefined : { path: checkpoint, every: 25 },
});
process.stdout.write(JSON.stringify({ drift: result.energy_drift_eV_per_atom, t: result.temperature_K }) + '\n');
