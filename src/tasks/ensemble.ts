import '../models/kinds.js';
import { estimatorKind, type Estimator } from '../models/estimator.js';
import type { ModelInput } from './modelInput.js';
import { readDomainReference, type DomainReference } from './domain.js';
import { findManifest, type EnsembleManifest } from './modelFolder.js';
import type { TaskSpec } from './taskSpec.js';
import { distanceRatio } from './domain.js';
import { conformalBounds, spreadIn, type Difficulty } from './uncertainty.js';

/** What the task says about its predictions: how they are finished and how their intervals are bounded. */
export type TaskRule = Pick<TaskSpec, 'finish' | 'intervals'>;

/**
 * A task's model: the weighted mean of members of any registered kind, all fed the same input rows
 * (the manifest's model input, channels × bins) and predicting in the task's fit space (κ: log10).
 * A member fitted on log(label) has its predictions exponentiated. The ensemble knows no kind.
 */
export class TaskModel {
  constructor(
    readonly manifest: EnsembleManifest,
    private readonly members: Estimator[],
    /** What the training rows looked like (absent for folders trained before domain checks). */
    readonly domain?: DomainReference,
    private readonly rule: TaskRule = {},
  ) {}

  get input(): ModelInput {
    return this.manifest.descriptor;
  }

  /** The same members without interval calibration and domain reference (what predict cost before them; benchmarks). */
  withoutTrustChecks(): TaskModel {
    const { uncertainty: _calibration, ...manifest } = this.manifest;
    return new TaskModel(manifest, this.members, undefined, this.rule);
  }

  get memberKinds(): string[] {
    return this.members.map((m) => m.kind);
  }

  /** Weighted mean of the members' predictions for `count` raw input rows; rows × outputs, fit space. */
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

  /**
   * The weighted mean with the 90 % interval bounds (fit space) of its finished form (the task's
   * `finish`), when the model is calibrated; the mean is bit-identical to `predict`.
   */
  predictWithIntervals(x: Float64Array, count: number): { mean: Float64Array; low?: Float64Array; high?: Float64Array } {
    const calibration = this.manifest.uncertainty;
    if (calibration === undefined) return { mean: this.predict(x, count) };
    const weights = this.manifest.members.map((m) => m.weight ?? 1 / this.members.length);
    const preds = this.members.map((_, j) => (weights[j] === 0 ? new Float64Array(count * this.manifest.outputs) : this.memberPrediction(j, x, count)));
    const mean = new Float64Array(count * this.manifest.outputs);
    weights.forEach((w, j) => {
      if (w === 0) return;
      for (let k = 0; k < mean.length; k++) mean[k] += w * preds[j][k];
    });
    const difficulty: Difficulty = { spread: spreadIn(calibration.space, preds, weights) };
    // a folder without its domain reference cannot widen by distance: plain intervals
    if (calibration.scale === 'distance' && this.domain) {
      const width = x.length / count;
      difficulty.distanceRatio = Float64Array.from({ length: count }, (_, r) => distanceRatio(this.domain!, x.subarray(r * width, (r + 1) * width)));
    }
    const center = this.rule.finish ? this.rule.finish(Float64Array.from(mean)) : mean;
    return { mean, ...conformalBounds(calibration, center, difficulty, this.rule.intervals?.nonNegative) };
  }

  /** Every member's predictions (fit space), in manifest order. */
  memberPredictions(x: Float64Array, count: number): Float64Array[] {
    return this.members.map((_, j) => this.memberPrediction(j, x, count));
  }

  private memberPrediction(j: number, x: Float64Array, count: number): Float64Array {
    const p = this.members[j].predict({ data: x, rows: count, cols: x.length / count }).data as Float64Array;
    return this.manifest.members[j].target === 'log' ? p.map(Math.exp) : p;
  }
}

/** The task's model in a folder, or undefined when the folder has none for it. */
export function loadTaskModel(dir: string, spec: TaskSpec): TaskModel | undefined {
  const manifest = findManifest(dir, spec.name, spec.outputs);
  if (manifest === undefined) return undefined;
  const members = manifest.members.map((e) => estimatorKind(e.kind, `${spec.name} model in ${dir}`).load(dir, e.files));
  return new TaskModel(manifest, members, readDomainReference(dir, spec.name), { finish: spec.finish, intervals: spec.intervals });
}
