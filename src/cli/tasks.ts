import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadModelSet, predictInputs, predictionSummary } from '../tasks/predict.js';
import { DESCRIPTOR_CHOICES } from '../tasks/modelInput.js';
import { parseTaskList, taskNames } from '../tasks/taskSpec.js';
import '../tasks/taskTable.js';
import { trainTask } from '../tasks/train.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { spectraPlot } from '../report/report.js';
import { predictionsToCsv } from '../web/csv.js';
import type { WebPrediction } from '../web/types.js';
import { InputError } from '../errors.js';
import { integerOption, numberOption, speciesOption } from './common.js';
import { stagedProgress } from './progress.js';

/** The models shipped with the package. */
export const SHIPPED_MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');

export function registerTasks(program: Command): void {
  program
    .command('train')
    .description('train the model of one task on a database; writes the model and its card into --out')
    .requiredOption('--task <task>', `one of ${taskNames().join(', ')}`)
    .requiredOption('--data <stores...>', 'one store or several trained on together (any spramnet store: `spramnet import`, `label --db`, a campaign\'s); each row keeps its origin for the split and the card')
    .requiredOption('--out <dir>', 'folder for the model files and the card')
    .option('--recipe <r>', 'ensemble (CNN + kernel ridge [+ trees], the shipped models) or paper (the paper model alone); default: the task’s')
    .option('--descriptor <d>', `structure tasks: ${DESCRIPTOR_CHOICES.join(', ')} (default: the recipe's, pcf+env+soap+tb for el-DoS, pcf+adf+env+soap+tb for σ; the paper recipe: pcf, pcf+adf)`)
    .option('--rmax <A>', 'use g(r) below this r only (Å; later bins are zeroed, in training and in predict)', numberOption('--rmax'))
    .option('--images <all|minimum>', 'structure tasks: g(r) over every periodic image (default; any cell) or the minimum image (the reference featurizer)')
    .option('--seed <n>', 'seed of the split and the training', integerOption('--seed'), 0)
    .option('--epochs <n>', 'CNN epochs (default: the paper’s)', integerOption('--epochs'))
    .option('--validation-fraction <f>', 'held-out share', numberOption('--validation-fraction'), 0.1)
    .action((o: { task: string; data: string[]; out: string; recipe?: string; descriptor?: string; rmax?: number; images?: 'all' | 'minimum'; seed: number; epochs?: number; validationFraction: number }) => {
      const tasks = parseTaskList(o.task);
      if (tasks.length !== 1) throw new InputError(`--task takes one task, got ${tasks.length} (${o.task})`);
      const [task] = tasks;
      const progress = stagedProgress();
      const card = trainTask(o.data, task, o.out, {
        recipe: o.recipe,
        rMax_A: o.rmax,
        images: o.images,
        descriptor: o.descriptor,
        seed: o.seed,
        epochs: o.epochs,
        validationFraction: o.validationFraction,
        onProgress: progress.onProgress,
      });
      progress.stop();
      console.error(`wrote ${card.files.map((f) => join(o.out, f)).join(', ')} and ${join(o.out, `${task}.card.json`)}`);
      console.log(JSON.stringify({ task, validation: card.validation, training_seconds: card.training_seconds }));
    });

  program
    .command('predict')
    .description('predict properties with 90 % intervals and a domain verdict: a structure (any format, any cell, every frame) gives el-DoS, σ, ph-DoS and κ; a g(r) (.npy of 100 bins of 0.1 Å, two-column text, PDFgetX3 .gr) gives ph-DoS and κ')
    .argument('<inputs...>', 'structure files and g(r) files')
    .option('--task <tasks>', `only these tasks, comma-separated (${taskNames().join(', ')})`)
    .option('--models <dir>', 'model folder (default: the shipped models)')
    .option('--format <name>', 'read structure files as this format instead of guessing')
    .option('--species <list>', 'species for structure files that do not name them, comma-separated', speciesOption)
    .option('--density <atoms/Å³>', 'number density ρ₀ for PDFgetX3 .gr inputs whose header does not state it', numberOption('--density'))
    .option('--no-thermal-relax', 'use structures as given for ph-DoS and κ (default: relax flat sheets with the thermal labels\' potential, Lindsay–Broido, in its graphene cell first; see README "Domain")')
    .option('--json', 'print the predictions as JSON')
    .option('--csv', 'print one CSV row per input (and frame): scalar results, their 90 % intervals, the domain verdict')
    .option('--plot <file.svg>', 'also draw the predicted spectra')
    .action((inputs: string[], o: { task?: string; models?: string; format?: string; species?: string[]; density?: number; thermalRelax: boolean; json?: boolean; csv?: boolean; plot?: string }) => {
      if (o.json && o.csv) throw new InputError('--json and --csv: choose one output');
      const models = loadModelSet(o.models ?? SHIPPED_MODELS, o.task === undefined ? undefined : parseTaskList(o.task));
      const predictions = predictInputs(inputs, models, { format: o.format, species: o.species, numberDensity_A3: o.density, thermal: { relax: o.thermalRelax } });
      if (o.json) console.log(JSON.stringify(predictions));
      else if (o.csv) process.stdout.write(predictionsToCsv(predictions as WebPrediction[]));
      else for (const p of predictions) (p.error === undefined ? console.log : console.error)(predictionSummary(p));
      if (o.plot) {
        writeFileAtomic(o.plot, spectraPlot(predictions));
        console.error(`wrote ${o.plot}`);
      }
      if (predictions.some((p) => p.error !== undefined)) process.exitCode = 1;
    });
}
