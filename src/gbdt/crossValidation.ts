import { gatherRows } from '../util/rows.js';
import { GradientBoostedTrees, type GbdtParams } from './booster.js';
import type { Matrix } from '../util/matrix.js';
import { objective } from './objectives.js';
import { permutation, seededRandom } from '../util/random.js';
import { complement, kFold } from '../data/splits.js';

/** Rows of a matrix, in the given order. */
export function takeRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  return { data: gatherRows(x.data, x.cols, rows), rows: rows.length, cols: x.cols };
}

export function takeValues(y: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: rows.length }, (_, k) => y[rows[k]]);
}

export interface CvResult {
  params: Partial<GbdtParams>;
  /** Metric of each fold's validation rows (the objective's: rmse, mae or mphe). */
  foldScores: number[];
  mean: number;
  std: number;
}

export function crossValidate(x: Matrix, y: ArrayLike<number>, params: Partial<GbdtParams>, folds = 5, seed = 0): CvResult {
  const obj = objective(params.objective ?? 'reg:squarederror', params.huberSlope);
  const foldScores = kFold(x.rows, folds, seed).map((fold) => {
    const train = complement(x.rows, fold);
    const model = new GradientBoostedTrees(params).fit(takeRows(x, train), takeValues(y, train));
    return obj.evaluate(model.predict(takeRows(x, fold)), takeValues(y, fold));
  });
  const mean = foldScores.reduce((a, b) => a + b, 0) / folds;
  const std = Math.sqrt(foldScores.reduce((a, b) => a + (b - mean) ** 2, 0) / folds);
  return { params, foldScores, mean, std };
}

export type SearchSpace = Partial<Record<keyof GbdtParams, readonly number[]>>;

/** Every combination of the listed values. */
export function gridCandidates(space: SearchSpace): Array<Partial<GbdtParams>> {
  let out: Array<Partial<GbdtParams>> = [{}];
  for (const [key, values] of Object.entries(space) as Array<[keyof GbdtParams, readonly number[]]>) {
    out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return out;
}

/** `count` combinations drawn at random (seeded) from the grid, without repeats. */
export function randomCandidates(space: SearchSpace, count: number, seed = 0): Array<Partial<GbdtParams>> {
  const all = gridCandidates(space);
  const order = permutation(all.length, seededRandom(seed));
  return Array.from(order.subarray(0, Math.min(count, all.length)), (i) => all[i]);
}

/** Cross-validate each candidate (on top of `base`); results sorted best (lowest mean) first. */
export function searchParams(
  x: Matrix,
  y: ArrayLike<number>,
  base: Partial<GbdtParams>,
  candidates: Array<Partial<GbdtParams>>,
  options: { folds?: number; seed?: number; onCandidate?: (done: number, total: number, result: CvResult) => void } = {},
): CvResult[] {
  const results = candidates.map((c, k) => {
    const result = crossValidate(x, y, { ...base, ...c }, options.folds ?? 5, options.seed ?? 0);
    options.onCandidate?.(k + 1, candidates.length, result);
    return result;
  });
  return results.sort((a, b) => a.mean - b.mean);
}
