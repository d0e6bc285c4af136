import { complement, kFold } from '../data/splits.js';
import type { Matrix } from '../util/matrix.js';
import { gatherRows } from '../util/rows.js';
import { KernelRidge, type KernelRidgeParams } from './kernelRidge.js';

export interface KernelRidgeGrid {
  gammaScales: number[];
  alphas: number[];
}

export interface KernelRidgeSelection {
  model: KernelRidge;
  /** The chosen setting's predictions for the hold-out rows (fitted without them), for weighing ensemble members. */
  holdOutPred?: Float64Array;
  /** Every grid point's inner hold-out score (lower is better). */
  scores: { gammaScale: number; alpha: number; score: number }[];
}

/**
 * Choose γ and α on an inner hold-out (`holdOut` positions among the given rows, default a seeded
 * fifth; the rows must be training rows only, so the outer validation stays unseen), then refit the
 * best on all given rows (`refitOnAll`; else the best model fitted without the hold-out). Fewer than 10 rows: the middle grid point, unselected.
 */
export function selectKernelRidge(
  x: Matrix,
  y: Float64Array,
  outputs: number,
  base: Partial<KernelRidgeParams>,
  grid: KernelRidgeGrid,
  score: (pred: Float64Array, truth: Float64Array) => number,
  seed = 0,
  onStep?: (done: number, total: number) => void,
  holdOut?: Int32Array,
  refitOnAll = true,
): KernelRidgeSelection {
  if (x.rows < 10) {
    // too few rows to hold any out: the grid's middle point
    const gammaScale = grid.gammaScales[Math.floor(grid.gammaScales.length / 2)];
    const alpha = grid.alphas[Math.floor(grid.alphas.length / 2)];
    return { model: new KernelRidge({ ...base, gammaScale, alpha }).fit(x, y, outputs), scores: [] };
  }
  const hold = holdOut ?? kFold(x.rows, 5, seed)[0];
  const fit = complement(x.rows, hold);
  const xFit = { data: gatherRows(x.data, x.cols, fit), rows: fit.length, cols: x.cols };
  const xHold = { data: gatherRows(x.data, x.cols, hold), rows: hold.length, cols: x.cols };
  const yFit = gatherRows(y, outputs, fit);
  const yHold = gatherRows(y, outputs, hold);
  const scores: KernelRidgeSelection['scores'] = [];
  const preds: Float64Array[] = [];
  const models: KernelRidge[] = [];
  const total = grid.gammaScales.length * grid.alphas.length + 1;
  for (const gammaScale of grid.gammaScales) {
    for (const alpha of grid.alphas) {
      const model = new KernelRidge({ ...base, gammaScale, alpha }).fit(xFit, yFit, outputs);
      const p = model.predict(xHold);
      preds.push(p);
      if (!refitOnAll) models.push(model);
      scores.push({ gammaScale, alpha, score: score(p, yHold) });
      onStep?.(scores.length, total);
    }
  }
  const bestAt = scores.reduce((a, b, k) => (b.score < scores[a].score ? k : a), 0);
  const best = scores[bestAt];
  const model = refitOnAll ? new KernelRidge({ ...base, gammaScale: best.gammaScale, alpha: best.alpha }).fit(x, y, outputs) : models[bestAt];
  onStep?.(total, total);
  return { model, scores, holdOutPred: preds[bestAt] };
}
