import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ParseError } from '../errors.js';
import type { GradientBoostedTrees } from '../gbdt/booster.js';
import { transformFeatures } from '../gbdt/features.js';
import { loadXGBoostJson } from '../gbdt/xgboostJson.js';
import { readFileOrFail } from '../io/readFile.js';
import { KernelRidge } from '../kernel/kernelRidge.js';
import { loadCnnModel, predictCnn, type LoadedCnnModel } from '../nn/modelFile.js';
import type { TaskName } from './taskData.js';

/**
 * A task's model as a weighted mean of members of different kinds (CNN, kernel ridge,
 * gradient-boosted trees), all fed the same input rows (the task's descriptor, channels × bins) and
 * all predicting in the label's units (κ as log10). `<task>.ensemble.json` names the members and
 * their weights; a folder holding only the paper's single model files is read as a one-member ensemble.
 */
export type TargetTransform = 'none' | 'log';

export interface MemberEntry {
  kind: 'cnn' | 'krr' | 'gbdt';
  /** One file, or for trees one file per output (σ: xx, yy). */
  files: string[];
  /** The member was fitted on this function of the label (σ's kernel ridge fits log σ). */
  target: TargetTransform;
  /** Its weight in the ensemble (weights sum to 1; absent: equal weights). */
  weight?: number;
}

export interface EnsembleManifest {
  format: 'spramnet-ensemble';
  version: 1;
  task: TaskName;
  outputs: number;
  /** The descriptor settings of the input rows (a DescriptorSpec with channels, or the thermal grid). */
  descriptor: unknown;
  members: MemberEntry[];
}

type LoadedMember =
  | { kind: 'cnn'; target: TargetTransform; model: LoadedCnnModel }
  | { kind: 'krr'; target: TargetTransform; model: KernelRidge }
  | { kind: 'gbdt'; target: TargetTransform; models: GradientBoostedTrees[] };

export class TaskModel {
  constructor(
    readonly manifest: EnsembleManifest,
    private readonly members: LoadedMember[],
  ) {}

  get descriptor(): unknown {
    return this.manifest.descriptor;
  }

  get memberKinds(): string[] {
    return this.members.map((m) => m.kind);
  }

  /** Weighted mean of the members' predictions for `count` raw input rows; rows × outputs in label units. */
  predict(x: Float64Array, count: number): Float64Array {
    const sum = new Float64Array(count * this.manifest.outputs);
    const weights = this.manifest.members.map((m) => m.weight ?? 1 / this.members.length);
    weights.forEach((w, j) => {
      if (w === 0) return; // a member the weighing dropped is not run
      const p = this.memberPrediction(j, x, count);
      for (let k = 0; k < sum.length; k++) sum[k] += w * p[k];
    });
    return sum;
  }

  /** Every member's predictions (label units), in manifest order. */
  memberPredictions(x: Float64Array, count: number): Float64Array[] {
    return this.members.map((_, j) => this.memberPrediction(j, x, count));
  }

  private memberPrediction(j: number, x: Float64Array, count: number): Float64Array {
    const width = x.length / count;
    const m = this.members[j];
    let p: Float64Array;
    if (m.kind === 'cnn') p = predictCnn(m.model, x, count);
    else if (m.kind === 'krr') p = m.model.predict({ data: x, rows: count, cols: width });
    else {
      const features = transformFeatures({ data: x, rows: count, cols: width }, m.models[0].attributes.spramnet_feature_transform ?? 'none');
      const perOutput = m.models.map((tree) => tree.predict(features));
      p = new Float64Array(count * m.models.length);
      perOutput.forEach((col, o) => col.forEach((v, r) => (p[r * m.models.length + o] = v)));
    }
    return m.target === 'log' ? p.map(Math.exp) : p;
  }
}

export function ensembleFile(dir: string, task: TaskName): string {
  return join(dir, `${task}.ensemble.json`);
}

/** The paper's single-model files of a task, as written by `spramnet train --recipe paper` before ensembles, as a one-member model. */
function legacyModel(dir: string, task: TaskName): TaskModel | undefined {
  const manifest = (outputs: number, descriptor: unknown, entry: MemberEntry): EnsembleManifest => ({ format: 'spramnet-ensemble', version: 1, task, outputs, descriptor, members: [entry] });
  if (task === 'sigma') {
    const files = ['sigma_xx.json', 'sigma_yy.json'];
    if (!files.every((f) => existsSync(join(dir, f)))) return undefined;
    const models = files.map((f) => loadXGBoostJson(join(dir, f)));
    return new TaskModel(manifest(2, JSON.parse(models[0].attributes.spramnet_descriptor ?? 'null'), { kind: 'gbdt', files, target: 'none' }), [{ kind: 'gbdt', target: 'none', models }]);
  }
  const file = `${task}.safetensors`;
  if (!existsSync(join(dir, file))) return undefined;
  const cnn = loadCnnModel(join(dir, file));
  return new TaskModel(manifest(cnn.net.outputSize, cnn.info.descriptor, { kind: 'cnn', files: [file], target: 'none' }), [{ kind: 'cnn', target: 'none', model: cnn }]);
}

function parseManifest(file: string): EnsembleManifest {
  let m: EnsembleManifest;
  try {
    m = JSON.parse(readFileOrFail(file).toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ParseError(file, undefined, `not valid JSON: ${error.message}`);
    throw error;
  }
  if (m?.format !== 'spramnet-ensemble') throw new ParseError(file, undefined, `not a spramnet ensemble (format "${String(m?.format)}", expected "spramnet-ensemble")`);
  if (m.version > 1) throw new ParseError(file, undefined, `ensemble version ${m.version} is newer than this spramnet reads (1); upgrade spramnet`);
  if (!Array.isArray(m.members) || m.members.length === 0) throw new ParseError(file, undefined, 'field "members" must be a non-empty list');
  m.members.forEach((e, k) => {
    if (!['cnn', 'krr', 'gbdt'].includes(e.kind)) throw new ParseError(file, undefined, `members[${k}].kind is "${e.kind}", expected cnn, krr or gbdt`);
    if (!Array.isArray(e.files) || e.files.length === 0) throw new ParseError(file, undefined, `members[${k}].files must list the member's files`);
    if (e.target !== 'none' && e.target !== 'log') throw new ParseError(file, undefined, `members[${k}].target is "${e.target}", expected none or log`);
    if (e.weight !== undefined && !(Number.isFinite(e.weight) && e.weight >= 0)) throw new ParseError(file, undefined, `members[${k}].weight must be a number ≥ 0, got ${JSON.stringify(e.weight)}`);
  });
  const total = m.members.reduce((s, e) => s + (e.weight ?? 1 / m.members.length), 0);
  if (Math.abs(total - 1) > 1e-6) throw new ParseError(file, undefined, `the members' weights must sum to 1, they sum to ${total}`);
  return m;
}

/** The task's model in a folder (its ensemble manifest, else the paper's single model), or undefined when absent. */
export function loadTaskModel(dir: string, task: TaskName): TaskModel | undefined {
  const file = ensembleFile(dir, task);
  if (!existsSync(file)) return legacyModel(dir, task);
  const manifest = parseManifest(file);
  const members = manifest.members.map((e): LoadedMember => {
    const paths = e.files.map((f) => join(dir, f));
    if (e.kind === 'cnn') return { kind: 'cnn', target: e.target, model: loadCnnModel(paths[0]) };
    if (e.kind === 'krr') return { kind: 'krr', target: e.target, model: KernelRidge.load(paths[0]) };
    if (paths.length !== manifest.outputs) throw new InputError(`${file}: a tree member needs one file per output (${manifest.outputs}), found ${paths.length}`);
    return { kind: 'gbdt', target: e.target, models: paths.map((p) => loadXGBoostJson(p)) };
  });
  return new TaskModel(manifest, members);
}
