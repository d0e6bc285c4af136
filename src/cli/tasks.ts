import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { loadModelSet, predictInputs, type Prediction } from '../tasks/predict.js';
import { DESCRIPTOR_CHOICES, TASKS, type DescriptorChoice, type TaskName } from '../tasks/taskData.js';
import { RECIPES, trainTask, type Recipe } from '../tasks/trainTask.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { lineChart, sideBySide } from '../report/svg.js';
import { integerOption, numberOption } from './common.js';
import { stagedProgress } from './progress.js';

/** The models shipped with the package. */
export const SHIPPED_MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');

function parseTasks(value: string | undefined): TaskName[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim()) as TaskName[];
  for (const t of list) if (!TASKS.includes(t)) throw new InputError(`unknown task "${t}" (expected ${TASKS.join(', ')})`);
  return list;
}

export function registerTasks(program: Command): void {
  program
    .command('train')
    .description('train the model of one task on a database; writes the model and its card into --out')
    .requiredOption('--task <task>', `one of ${TASKS.join(', ')}`)
    .requiredOption('--data <amc.db>', 'database made by `spramnet import`')
    .requiredOption('--out <dir>', 'folder for the model files and the card')
    .option('--recipe <r>', 'ensemble (CNN + kernel ridge [+ trees], the shipped models) or paper (the paper model alone)', 'ensemble')
    .option('--descriptor <d>', `structure tasks: ${DESCRIPTOR_CHOICES.join(', ')} (default: pcf+env for el-DoS, pcf+adf+env for σ; the paper recipe: pcf, pcf+adf)`)
    .option('--rmax <A>', 'use g(r) below this r only (Å; later bins are zeroed, in training and in predict)', numberOption('--rmax'))
    .option('--seed <n>', 'seed of the split and the training', integerOption('--seed'), 0)
    .option('--epochs <n>', 'CNN epochs (default: the paper’s)', integerOption('--epochs'))
    .option('--validation-fraction <f>', 'held-out share', numberOption('--validation-fraction'), 0.1)
    .action((o: { task: string; data: string; out: string; recipe: string; descriptor?: string; rmax?: number; seed: number; epochs?: number; validationFraction: number }) => {
      const tasks = parseTasks(o.task) as TaskName[];
      if (tasks.length !== 1) throw new InputError(`--task takes one task, got ${tasks.length} (${o.task})`);
      const [task] = tasks;
      if (o.descriptor !== undefined && !DESCRIPTOR_CHOICES.includes(o.descriptor as DescriptorChoice)) throw new InputError(`--descriptor must be one of ${DESCRIPTOR_CHOICES.join(', ')}, got "${o.descriptor}"`);
      if (!RECIPES.includes(o.recipe as Recipe)) throw new InputError(`--recipe must be ${RECIPES.join(' or ')}, got "${o.recipe}"`);
      const progress = stagedProgress();
      const card = trainTask(o.data, task, o.out, {
        recipe: o.recipe as Recipe,
        rMax_A: o.rmax,
        descriptor: o.descriptor as DescriptorChoice | undefined,
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
    .description('predict el-DoS and σ for structure files, ph-DoS and κ for g(r) .npy files (100 bins of 0.1 Å)')
    .argument('<inputs...>', 'structure files and g(r) .npy files')
    .option('--task <tasks>', `only these tasks, comma-separated (${TASKS.join(', ')})`)
    .option('--models <dir>', 'model folder (default: the shipped models)')
    .option('--json', 'print the predictions as JSON')
    .option('--plot <file.svg>', 'also draw the predicted spectra')
    .action((inputs: string[], o: { task?: string; models?: string; json?: boolean; plot?: string }) => {
      const models = loadModelSet(o.models ?? SHIPPED_MODELS, parseTasks(o.task));
      const predictions = predictInputs(inputs, models);
      if (o.json) console.log(JSON.stringify(predictions));
      else for (const p of predictions) printPrediction(p);
      if (o.plot) {
        writeFileAtomic(o.plot, spectraPlot(predictions));
        console.error(`wrote ${o.plot}`);
      }
      if (predictions.some((p) => p.error !== undefined)) process.exitCode = 1;
    });
}

const shortName = (input: string): string => input.split('/').pop() ?? input;

/** The predicted el-DoS and ph-DoS of all inputs, one chart each, in one SVG. */
export function spectraPlot(predictions: Prediction[]): string {
  const el = predictions.filter((p) => p.el_dos).map((p) => ({ name: shortName(p.input), x: p.el_dos!.energy_eV, y: p.el_dos!.dos }));
  const ph = predictions.filter((p) => p.ph_dos).map((p) => ({ name: shortName(p.input), x: p.ph_dos!.frequency_THz, y: p.ph_dos!.dos }));
  const charts = [
    ...(el.length ? [lineChart({ title: 'predicted electronic DoS', xLabel: 'E − E_F (eV)', yLabel: 'DoS (states/eV/atom)', width: 520, series: el })] : []),
    ...(ph.length ? [lineChart({ title: 'predicted phonon DoS', xLabel: 'frequency (THz)', yLabel: 'ph-DoS (per 1-THz bin)', width: 520, series: ph })] : []),
  ];
  if (charts.length === 0) throw new InputError('nothing to plot: no input gave a spectrum');
  return sideBySide(charts);
}

function printPrediction(p: Prediction): void {
  if (p.error !== undefined) {
    console.error(`error: ${p.error}`);
    return;
  }
  const parts: string[] = [];
  if (p.sigma) parts.push(`σ_xx ${p.sigma.xx.toPrecision(4)}  σ_yy ${p.sigma.yy.toPrecision(4)}`);
  if (p.el_dos) parts.push(`DoS(E_F) ${p.el_dos.dos[40].toPrecision(3)} states/eV/atom`);
  if (p.kappa) parts.push(`κ ${p.kappa.W_mK.toPrecision(3)} W/(m·K)`);
  if (p.ph_dos) {
    const peak = p.ph_dos.dos.indexOf(Math.max(...p.ph_dos.dos));
    parts.push(`ph-DoS peak ${p.ph_dos.frequency_THz[peak]} THz`);
  }
  console.log(`${p.input}\t${parts.join('\t')}`);
}
