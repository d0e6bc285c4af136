import type { Command } from 'commander';
import { basename, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { errorMessage, InputError } from '../errors.js';
import { resolvePotential } from '../physics/md/potential.js';
import { kappa, type KappaOptions } from '../physics/thermal/kappa.js';
import { kappaLammps } from '../physics/thermal/lammpsKappa.js';
import { kappaFromThickness } from '../physics/thermal/kappaConvention.js';
import { readStructure } from '../structure/io/formats.js';
import { LabelStore } from '../data/labelStore.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption } from './common.js';
import { stagedProgress } from './progress.js';

interface KappaFlags {
  db?: string;
  potential: string;
  method: string;
  temperature: number;
  engine: string;
  runs: number;
  seed: number;
  timestepFs: number;
  equilibrationPs: number;
  productionPs?: number;
  correlationPs: number;
  plateauPs?: string;
  drivingForce: number;
  thickness: number;
  perAtomVirial: string;
  checkpointDir?: string;
  json?: boolean;
}

export function registerLabelKappa(label: Command): void {
  label
    .command('kappa')
    .description('lattice thermal conductivity κ (W/m·K, in-plane xx, yy) by Green–Kubo or HNEMD MD; V = area × thickness')
    .argument('<files...>', 'structure files (sheets in the xy-plane)')
    .requiredOption('--potential <name|file>', 'lindsay-broido-2010, tersoff-1988 or a .tersoff file')
    .option('--method <gk|hnemd>', 'Green–Kubo (NVE) or homogeneous non-equilibrium MD', 'gk')
    .option('--temperature <K>', 'temperature', numberOption('--temperature'), 300)
    .option('--engine <builtin|lammps>', 'built-in MD or serial LAMMPS (Green–Kubo only)', 'builtin')
    .option('--runs <r>', 'independent runs (velocity seeds); HNEMD does r runs per direction', integerOption('--runs'), 3)
    .option('--seed <s>', 'seed of the first run', integerOption('--seed'), 1)
    .option('--timestep-fs <fs>', 'time step', numberOption('--timestep-fs'), 0.5)
    .option('--equilibration-ps <ps>', 'NVT equilibration per run', numberOption('--equilibration-ps'), 10)
    .option('--production-ps <ps>', 'production per run (default 50)', numberOption('--production-ps'))
    .option('--correlation-ps <ps>', 'GK: longest correlation time', numberOption('--correlation-ps'), 2)
    .option('--plateau-ps <t1,t2>', 'GK: plateau window, mean of κ(t) over [t1, t2] (default: second half of the correlation time)')
    .option('--driving-force <per_A>', 'HNEMD: F_e in 1/Å', numberOption('--driving-force'), 1e-3)
    .option('--thickness <A>', 'sheet thickness for the volume', numberOption('--thickness'), 3.35)
    .option('--per-atom-virial <centroid|third>', 'built-in heat current: centroid virials, or the stress/atom share LAMMPS 2021 uses for Tersoff', 'centroid')
    .option('--checkpoint-dir <dir>', 'keep finished runs of each input here; a restarted command skips them')
    .option('--json', 'print [{input, method, kappa_W_mK, stderr_W_mK, thickness_A, kappa}] as JSON (kappa: the mean as predict gives it, in the public labels\' convention, with 3.35 Å and as sheet conductance)')
    .option('--db <file.db>', 'also keep each label in this store (ASE db), committed as it is done; labels already there are skipped')
    .action(async (files: string[], o: KappaFlags) => {
      if (o.method !== 'gk' && o.method !== 'hnemd') throw new InputError(`--method must be gk or hnemd, got "${o.method}"`);
      if (o.engine !== 'builtin' && o.engine !== 'lammps') throw new InputError(`--engine must be builtin or lammps, got "${o.engine}"`);
      if (o.perAtomVirial !== 'centroid' && o.perAtomVirial !== 'third') throw new InputError(`--per-atom-virial must be centroid or third, got "${o.perAtomVirial}"`);
      let plateau: [number, number] | undefined;
      if (o.plateauPs !== undefined) {
        const p = o.plateauPs.split(',').map(Number);
        if (p.length !== 2 || !p.every(Number.isFinite)) throw new InputError(`--plateau-ps takes t1,t2 in ps, got "${o.plateauPs}"`);
        plateau = [p[0], p[1]];
      }
      if (o.checkpointDir) mkdirSync(o.checkpointDir, { recursive: true });
      const potential = resolvePotential(o.potential, o.perAtomVirial as 'centroid' | 'third');
      const store = o.db === undefined ? undefined : new LabelStore(o.db);
      const progress = stagedProgress();
      const results: unknown[] = [];
      let failed = 0;
      for (const file of files) {
        try {
          const atoms = readStructure(file);
          const options: KappaOptions = {
            method: o.method as 'gk' | 'hnemd',
            temperature_K: o.temperature,
            runs: o.runs,
            seed: o.seed,
            timestep_fs: o.timestepFs,
            equilibration_ps: o.equilibrationPs,
            production_ps: o.productionPs,
            correlation_ps: o.correlationPs,
            plateau_ps: plateau,
            drivingForce_per_A: o.drivingForce,
            thickness_A: o.thickness,
            onProgress: (stage, done, total) => progress.onProgress(`${basename(file)} ${stage}`, done, total),
          };
          const settings = { engine: o.engine, potential: o.potential, perAtomVirial: o.perAtomVirial, ...options, onProgress: undefined };
          const key = LabelStore.key(atoms, 'kappa', settings);
          // Named by structure and settings, not by the file's name or place in the list: inputs from
          // different folders share a basename (POSCAR_0001), and a resumed command may list them anew.
          if (o.checkpointDir) options.checkpoint = join(o.checkpointDir, `kappa-${key}.${o.engine}.${o.method}.json`);
          if (store?.has(key)) {
            console.error(`${file}: already in ${o.db}, skipped`);
            continue;
          }
          const r = o.engine === 'lammps' ? await kappaLammps(atoms, potential.lammps, options) : kappa(atoms, potential.forceField, options);
          // kappa: the mean in the conventions predict prints (public labels', 3.35 Å, sheet conductance)
          const entry = { input: file, method: r.method, kappa_W_mK: r.kappa_W_mK, stderr_W_mK: r.stderr_W_mK, thickness_A: r.thickness_A, kappa: kappaFromThickness(r.kappa_W_mK.mean, r.thickness_A) };
          results.push(entry);
          store?.write(key, atoms, 'kappa', file, entry, { engine: o.engine === 'lammps' ? 'lammps' : 'builtin-tersoff-md', settings });
          if (!o.json) {
            const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
            progress.stop();
            console.log(`${file}: κ ${r.method} (${o.engine}) xx ${f(r.kappa_W_mK.xx)} ± ${f(r.stderr_W_mK.xx)}, yy ${f(r.kappa_W_mK.yy)} ± ${f(r.stderr_W_mK.yy)}, mean ${f(r.kappa_W_mK.mean)} ± ${f(r.stderr_W_mK.mean)} W/(m·K) (thickness ${r.thickness_A} Å, ${r.runs.length} runs); sheet conductance κ·t ${entry.kappa.sheet_conductance_W_K.toPrecision(3)} W/K; in the public labels' convention ${entry.kappa.W_mK.toPrecision(3)} W/(m·K)`);
          }
        } catch (error) {
          failed++;
          console.error(`error: ${failureLine(file, errorMessage(error))}`);
        }
      }
      progress.stop();
      store?.close();
      if (o.json) console.log(JSON.stringify(results));
      if (failed > 0) {
        console.error(`${failed} of ${files.length} input(s) failed`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}
