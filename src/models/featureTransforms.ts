import { InputError } from '../errors.js';
import type { Matrix } from '../util/matrix.js';

/** Feature transforms a model can name in its file, so predict applies what training applied. */
export const FEATURE_TRANSFORMS = {
  none: (v: number) => v,
  /** SPRamNet's input transform: log(x + 1e-4) of non-negative descriptors. */
  'log(x+1e-4)': (v: number) => Math.log(v + 1e-4),
  /**
   * A gentler log for soft-binned descriptors: a pair near the edge of a bin's support puts a tiny
   * share x in it, where log(x + 1e-4) has slope 1e4, so a 1e-5 Å move changed the el-DoS by 6.7e-5
   * through one such bin; here the slope at 0 is 100 (issue 19.5).
   */
  'log(x+1e-2)': (v: number) => Math.log(v + 1e-2),
} as const;

export type FeatureTransform = keyof typeof FEATURE_TRANSFORMS;

export function transformFeatures(x: Matrix, name: string): Matrix {
  const f = FEATURE_TRANSFORMS[name as FeatureTransform];
  if (f === undefined) throw new InputError(`unknown feature transform "${name}" (known: ${Object.keys(FEATURE_TRANSFORMS).join(', ')})`);
  if (name === 'none') return x;
  return { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data, f) };
}
