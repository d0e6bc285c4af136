import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { trainTask } from '../tasks/train.js';
import type { Item } from './items.js';
import { resolvePath, stageByName, type Plan } from './plan.js';
import { campaignReport, type CampaignSummary } from './report.js';
import { storeFile } from './state.js';

/** Where a train stage writes its models: DIR/models/<stage>. */
export function modelsDirOf(dir: string, trainStage: string): string {
  return join(dir, 'models', trainStage);
}

/** A train item: one task's model on the campaign's store (with the plan's other stores), written to DIR/models/<stage>. */
export async function runTrainItem(plan: Plan, dir: string, item: Item): Promise<{ result: Record<string, unknown>; engine: string; settings: unknown }> {
  const stage = stageByName(plan, item.stage);
  if (stage.spec.kind !== 'train') throw new InputError(`item ${item.id} is not a train item`);
  const store = storeFile(dir, stageByName(plan, stage.from[0]));
  const stores = [store, ...(stage.spec.with ?? []).map((w) => resolvePath(plan.root, w))];
  const w = item.work;
  const out = modelsDirOf(dir, stage.name);
  mkdirSync(out, { recursive: true });
  const card = trainTask(stores, w.task as string, out, {
    recipe: w.recipe as string | undefined,
    descriptor: w.descriptor as string | undefined,
    epochs: w.epochs as number | undefined,
    seed: w.seed as number,
    validationFraction: w.validation_fraction as number,
  });
  return {
    result: { task: w.task, models: out, validation: card.validation, data: card.data, origins: card.origins ?? null, training_seconds: card.training_seconds, reference: card.reference ?? null },
    engine: 'spramnet-train',
    settings: { task: w.task, recipe: card.recipe, stores },
  };
}

/**
 * The campaign's report as it stands (a long campaign's progress: the labels merged so far against the
 * reference, the models if its train stage has run), written to `outFile` (default DIR/report/now.html
 * beside the final report.html). Takes the plan's evaluate stage for the reference store and models;
 * a plan without one reports its first store alone.
 */
export function writeCampaignReportNow(plan: Plan, dir: string, outFile?: string): { file: string; summary: CampaignSummary } {
  const evaluate = plan.stages.find((s) => s.spec.kind === 'evaluate');
  const train = evaluate ? stageByName(plan, evaluate.from[0]) : plan.stages.find((s) => s.spec.kind === 'train');
  const storeStage = train ? stageByName(plan, train.from[0]) : plan.stages.find((s) => s.spec.kind === 'store');
  if (!storeStage) throw new InputError(`${plan.file}: the plan has no store stage to report on`);
  const compare = evaluate?.spec.kind === 'evaluate' && evaluate.spec.compare !== undefined ? resolvePath(plan.root, evaluate.spec.compare) : undefined;
  const models = train && existsSync(modelsDirOf(dir, train.name)) ? modelsDirOf(dir, train.name) : undefined;
  const report = campaignReport(plan, dir, { store: storeFile(dir, storeStage), compare, models });
  const file = outFile ?? join(dir, 'report', 'now.html');
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, report.html);
  writeFileAtomic(file.replace(/\.html?$/, '') + '.json', JSON.stringify(report.summary, null, 1) + '\n');
  return { file, summary: report.summary };
}

/** An evaluate item: the campaign's report (label distributions against the reference store, the models' validation) in DIR/report. */
export async function runEvaluateItem(plan: Plan, dir: string, item: Item): Promise<{ result: Record<string, unknown>; engine: string; settings: unknown }> {
  const stage = stageByName(plan, item.stage);
  if (stage.spec.kind !== 'evaluate') throw new InputError(`item ${item.id} is not an evaluate item`);
  const trainStage = stageByName(plan, stage.from[0]);
  const store = storeFile(dir, stageByName(plan, trainStage.from[0]));
  const compare = stage.spec.compare === undefined ? undefined : resolvePath(plan.root, stage.spec.compare);
  const outDir = join(dir, 'report');
  mkdirSync(outDir, { recursive: true });
  const report = campaignReport(plan, dir, { store, compare, models: modelsDirOf(dir, trainStage.name) });
  const file = join(outDir, 'report.html');
  writeFileAtomic(file, report.html);
  writeFileAtomic(join(outDir, 'summary.json'), JSON.stringify(report.summary, null, 1) + '\n');
  return { result: { report: file, summary: JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) }, engine: 'spramnet-report', settings: { compare: compare ?? null } };
}
