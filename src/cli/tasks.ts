import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadedTaskSpecs, loadModelSets, pcfInputsMaterial, predictionSummary, predictStream, shippedModelFolders, type Prediction, type PredictSource } from '../tasks/predict.js';
import { isStoreFile, storeSources } from '../inputs/storeSources.js';
import { DESCRIPTOR_CHOICES } from '../tasks/modelInput.js';
import { csvColumnsOf, parseTaskList, taskMaterials, taskNames } from '../tasks/taskSpec.js';
import { DEFAULT_MATERIAL, materialByName } from '../materials/material.js';
import '../tasks/allTasks.js';
import { trainTask } from '../tasks/train.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { spectraPlot } from '../report/report.js';
import { predictionsToCsv } from '../web/csv.js';
import type { WebPrediction } from '../web/types.js';
import { InputError } from '../errors.js';
import { integerOption, numberOption, speciesOption } from './common.js';
import { addDescriptorFormOptions, descriptorForm } from './descriptorOptions.js';
import { progressBar, stagedProgress } from './progress.js';

/** The models shipped with the package. */
export const SHIPPED_MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');

/** A repeatable option's values in order. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerTasks(program: Command): void {
  const train = program
    .command('train')
    .description('train the model of one task on a database; writes the model and its card into --out')
    .requiredOption('--task <task>', `one of ${taskNames().join(', ')} (each material has its own: see --material)`)
    .option('--material <name>', `whose task (${taskMaterials().join(', ')}; aliases as in materials/); its rows are those of its elements`, DEFAULT_MATERIAL)
    .requiredOption('--data <stores...>', 'one store or several trained on together (any spramnet store: `spramnet import`, `label --db`, a campaign\'s); each row keeps its origin for the split and the card')
    .requiredOption('--out <dir>', 'folder for the model files and the card')
    .option('--recipe <r>', 'ensemble (CNN + kernel ridge [+ trees], the shipped models) or paper (the paper model alone); default: the task’s')
    .option('--descriptor <d>', `structure tasks: ${DESCRIPTOR_CHOICES.join(', ')} (default: the recipe's, pcf+env+soap+tb for el-DoS, pcf+adf+env+soap+tb for σ; the paper recipe: pcf, pcf+adf)`)
    .option('--rmax <A>', 'use g(r) below this r only (Å; later bins are zeroed, in training and in predict)', numberOption('--rmax'))
    .option('--images <all|minimum>', 'structure tasks: g(r) over every periodic image (default; any cell) or the minimum image (the reference featurizer)');
  addDescriptorFormOptions(train)
    .option('--no-partials', 'two-element materials: leave out the partial g(r) channels')
    .option('--seed <n>', 'seed of the split and the training', integerOption('--seed'), 0)
    .option('--epochs <n>', 'CNN epochs (default: the paper’s)', integerOption('--epochs'))
    .option('--validation-fraction <f>', 'held-out share', numberOption('--validation-fraction'), 0.1)
    .action((o: { task: string; material: string; partials: boolean; data: string[]; out: string; recipe?: string; descriptor?: string; rmax?: number; images?: 'all' | 'minimum'; hardDescriptors?: boolean; binSpread?: number; bondWindow?: number; seed: number; epochs?: number; validationFraction: number }) => {
      const continuous = descriptorForm(o); // refused before anything else
      const material = materialByName(o.material).name;
      const tasks = parseTaskList(o.task, material);
      if (tasks.length !== 1) throw new InputError(`--task takes one task, got ${tasks.length} (${o.task})`);
      const [task] = tasks;
      const progress = stagedProgress();
      const card = trainTask(o.data, task, o.out, {
        material,
        ...(o.partials ? {} : { partials: false }),
        recipe: o.recipe,
        rMax_A: o.rmax,
        images: o.images,
        continuous,
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
    .argument('<inputs...>', 'structure files, g(r) files and stores (.db: every row, named FILE@id)')
    .option('--task <tasks>', `only these tasks, comma-separated (${taskNames().join(', ')}; each material's of that name)`)
    .option('--models <dir>', 'a model folder, one per material (repeat for several; default: the shipped folders, carbon\'s and each material\'s own): a structure goes to the folder of its material', collect)
    .option('--format <name>', 'read structure files as this format instead of guessing')
    .option('--species <list>', 'species for structure files that do not name them, comma-separated', speciesOption)
    .option('--density <atoms/Å³>', 'number density ρ₀ for PDFgetX3 .gr inputs whose header does not state it', numberOption('--density'))
    .option('--material <name>', 'material of g(r) inputs (carbon, boron-nitride = bn); structures say theirs by their elements; needed when models of several materials are loaded')
    .option('--no-thermal-relax', 'use structures as given for ph-DoS and κ (default: relax flat sheets with the thermal labels\' potential, Lindsay–Broido, in its graphene cell first; see README "Domain")')
    .option('--json', 'print the predictions as JSON (one array, written as the inputs finish)')
    .option('--jsonl', 'print one JSON prediction per line as each input finishes (flat memory for any number of inputs)')
    .option('--csv', 'print one CSV row per input (and frame): scalar results, their 90 % intervals, the domain verdict')
    .option('--plot <file.svg>', 'also draw the predicted spectra')
    .action((inputs: string[], o: { task?: string; models?: string[]; format?: string; species?: string[]; density?: number; material?: string; thermalRelax: boolean; json?: boolean; jsonl?: boolean; csv?: boolean; plot?: string }) => {
      const outputs = (['json', 'jsonl', 'csv'] as const).filter((k) => o[k]).map((k) => `--${k}`);
      if (outputs.length > 1) throw new InputError(`${outputs.join(' and ')}: choose one output`);
      const tasks = o.task?.split(',').map((t) => t.trim());
      if (tasks !== undefined) for (const t of tasks) if (!taskMaterials().some((m) => taskNames(m).includes(t))) parseTaskList(t); // an unknown name is refused with carbon's list
      const models = loadModelSets(o.models ?? shippedModelFolders(SHIPPED_MODELS), tasks);
      if (o.material !== undefined) pcfInputsMaterial(models, o.material); // refused before anything is printed
      // a store among the inputs stands for its rows (structures, or the g(r) of the public thermal set)
      const sources = inputs.flatMap((input): PredictSource[] => {
        if (!isStoreFile(input)) return [input];
        const { sources: rows, skipped } = storeSources(input);
        if (skipped.length > 0) console.error(`${input}: ${skipped.length} row(s) hold neither atoms nor a g(r) (ids ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}): skipped`);
        return rows;
      });
      const progress = progressBar(sources.length, 'predict');
      // on a terminal, results printed to it go on their own line, not after the bar
      const clearBar = process.stdout.isTTY && process.stderr.isTTY ? () => process.stderr.write('\r\x1b[K') : () => {};
      const collected: Prediction[] = [];
      let failed = false;
      let first = true;
      if (o.json) process.stdout.write('[');
      predictStream(
        sources,
        models,
        { format: o.format, species: o.species, numberDensity_A3: o.density, material: o.material, thermal: { relax: o.thermalRelax } },
        (p) => {
          failed ||= p.error !== undefined;
          if (o.csv || o.plot) collected.push(p);
          if (o.jsonl) process.stdout.write(JSON.stringify(p) + '\n');
          else if (o.json) process.stdout.write((first ? '' : ',') + JSON.stringify(p));
          else if (!o.csv) {
            clearBar();
            (p.error === undefined ? console.log : console.error)(predictionSummary(p));
          }
          first = false;
        },
        (done) => progress.update(done),
      );
      progress.stop();
      if (o.json) process.stdout.write(']\n');
      if (o.csv) process.stdout.write(predictionsToCsv(collected as WebPrediction[], csvColumnsOf(loadedTaskSpecs(models))));
      if (o.plot) {
        writeFileAtomic(o.plot, spectraPlot(collected));
        console.error(`wrote ${o.plot}`);
      }
      if (failed) process.exitCode = 1;
    });
}
