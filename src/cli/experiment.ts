import type { Command } from 'commander';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { adfExperiment, foldsExperiment, rangeExperiment, readFoldsExperiment } from '../tasks/experiments.js';
import { taskNames } from '../tasks/taskSpec.js';
import '../tasks/allTasks.js';
import { materialByName } from '../materials/material.js';
import { InputError } from '../errors.js';
import { integerOption } from './common.js';
import { addDescriptorFormOptions, descriptorForm } from './descriptorOptions.js';
import { progressBar, stagedProgress, type Progress } from './progress.js';

const numbers = (name: string) => (value: string): number[] => {
  const list = value.split(',').map(Number);
  if (!list.every(Number.isFinite)) throw new InputError(`${name} takes comma-separated numbers, got "${value}"`);
  return list;
};

export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description('the paper’s two experiments, and the spread over validation folds; results go into a JSON file the report shows');
  const folds = experiment
    .command('folds')
    .description('train a task on several validation folds (one seed each) and record every fold’s validation figures; resumes from --out')
    .requiredOption('--data <amc.db>', 'database')
    .requiredOption('--out <file.json>', 'result (experiment-folds-<task>.json in the model folder for the report); finished folds in it are kept')
    .requiredOption('--task <task>', taskNames().join(', '))
    .option('--seeds <list>', 'seeds, one fold each', numbers('--seeds'), [0, 1, 2, 3, 4])
    .option('--recipe <r>', 'ensemble or paper', 'ensemble')
    .option('--material <name>', 'whose task (default: carbon)')
    .option('--descriptor <d>', 'structure tasks: the descriptor channels (default: the recipe\'s)')
    .option('--no-partials', 'two-element materials: without the partial g(r) channels (what they add)');
  addDescriptorFormOptions(folds)
    .option('--epochs <n>', 'CNN epochs (default: the paper’s)', integerOption('--epochs'))
    .action((o: { data: string; out: string; task: string; seeds: number[]; recipe: string; material?: string; descriptor?: string; partials: boolean; hardDescriptors?: boolean; binSpread?: number; bondWindow?: number; epochs?: number }) => {
      const continuous = descriptorForm(o);
      const previous = readFoldsExperiment(o.out);
      const progress = stagedProgress();
      const r = foldsExperiment(o.data, o.task, o.seeds, {
        recipe: o.recipe,
        material: o.material === undefined ? undefined : materialByName(o.material).name,
        descriptor: o.descriptor,
        continuous,
        ...(o.partials ? {} : { partials: false }),
        epochs: o.epochs,
        previous,
        onRun: (partial) => {
          writeFileAtomic(o.out, JSON.stringify(partial, null, 1) + '\n');
          console.error(`fold seed ${partial.seeds[partial.seeds.length - 1]}: ${partial.main.figure} ${partial.main.values[partial.main.values.length - 1]}`);
        },
        onProgress: progress.onProgress,
      });
      progress.stop();
      writeFileAtomic(o.out, JSON.stringify(r, null, 1) + '\n');
      console.log(JSON.stringify(r.main));
    });
  experiment
    .command('adf')
    .description('el-DoS validation MSE with and without the ADF channel, over several seeds')
    .requiredOption('--data <amc.db>', 'database')
    .requiredOption('--out <file.json>', 'result (put it in the model folder as experiment-adf.json for the report)')
    .option('--seeds <list>', 'seeds', numbers('--seeds'), [0, 1, 2])
    .option('--epochs <n>', 'epochs per run', integerOption('--epochs'), 100)
    .action((o: { data: string; out: string; seeds: number[]; epochs: number }) => {
      let bar: Progress | undefined;
      const r = adfExperiment(o.data, o.seeds, o.epochs, (done, total) => (bar ??= progressBar(total, 'adf experiment')).update(done));
      bar?.stop();
      writeFileAtomic(o.out, JSON.stringify(r, null, 1) + '\n');
      console.log(JSON.stringify(r));
    });
  experiment
    .command('range')
    .description('validation error against the g(r) cut-off r_max')
    .requiredOption('--data <amc.db>', 'database')
    .requiredOption('--out <file.json>', 'result (experiment-range.json in the model folder for the report)')
    .option('--task <task>', taskNames().join(', '), 'kappa')
    .option('--rmax <list>', 'cut-offs in Å', numbers('--rmax'), [1.2, 1.5, 1.8, 2.2, 3, 4, 6, 8])
    .option('--epochs <n>', 'epochs per run', integerOption('--epochs'), 300)
    .option('--seed <n>', 'seed', integerOption('--seed'), 0)
    .action((o: { data: string; out: string; task: string; rmax: number[]; epochs: number; seed: number }) => {
      let bar: Progress | undefined;
      const r = rangeExperiment(o.data, o.task, o.rmax, o.epochs, o.seed, (done, total) => (bar ??= progressBar(total, 'range experiment')).update(done));
      bar?.stop();
      writeFileAtomic(o.out, JSON.stringify(r, null, 1) + '\n');
      console.log(JSON.stringify(r));
    });
}
