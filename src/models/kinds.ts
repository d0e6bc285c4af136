import { CNN_KIND } from './cnnRegressor.js';
import { registerEstimatorKind } from './estimator.js';
import { KRR_KIND } from './krrRegressor.js';
import { TREES_KIND } from './treesRegressor.js';

/** The model kinds spramnet ships; a new kind is one file exporting an EstimatorKind, registered here. */
export const BUILTIN_ESTIMATOR_KINDS = [CNN_KIND, KRR_KIND, TREES_KIND] as const;
for (const kind of BUILTIN_ESTIMATOR_KINDS) registerEstimatorKind(kind);
