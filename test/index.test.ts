import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as api from '../src/index.js';

// The public API is deliberate: adding or removing an export means changing this list on purpose.
const EXPORTS = [
  'applyRmaxCut', 'descriptorChoiceOf', 'DESCRIPTOR_CHOICES', 'taskMetrics', 'finishPhDos', 'memberWeights', 'RECIPES', 'isPcfInput', 'readThermalPcf',
  'loadTaskModel', 'TaskModel', 'evaluateModels', 'compareToReference', 'REFERENCE_FIGURES', 'KernelRidge', 'selectKernelRidge',
  'choleskyInPlace', 'choleskySolveInPlace', 'localEnvironment', 'ENVIRONMENT_FEATURES', 'foldsExperiment',
  'Atoms', 'ConvergenceError', 'DEFAULT_ADF_GRID', 'FORMATS', 'Grid', 'HistogramAccumulator', 'InputError', 'MASSES_AMU',
  'PCF_KINDS', 'ParseError', 'REFERENCE_SPEC', 'SYMBOLS', 'SpramnetError', 'VERSION', 'angularDistribution', 'atomicNumber',
  'besselJ0', 'bondVectors', 'channelNames', 'coordinationHistogram', 'coordinationNumbers', 'describe', 'describeFiles',
  'descriptorSpec', 'detectFormat', 'determinant', 'elementFromMass', 'formatByName', 'formatNpy', 'formatStructures',
  'inPlaneArea', 'inverse', 'isOrthorhombic', 'neighborList', 'pairCorrelation', 'parseMeasuredPcf', 'parseNpy',
  'parseStructures', 'perpendicularWidths', 'rGrid', 'readExtxyz', 'readLammpsData', 'readMeasuredPcf', 'readNpy',
  'readPoscar', 'readStructure', 'readStructures', 'resamplePcf', 'sheetView', 'structureFactor', 'writeExtxyz',
  'writeFileAtomic', 'writeLammpsData', 'writeNpy', 'writePoscar',
  'GradientBoostedTrees', 'DEFAULT_GBDT_PARAMS', 'checkParams', 'OBJECTIVES', 'objective', 'asMatrix', 'matrix', 'kFold',
  'crossValidate', 'gridCandidates', 'randomCandidates', 'searchParams', 'takeRows', 'takeValues', 'toXGBoostJson',
  'fromXGBoostJson', 'saveXGBoostJson', 'loadXGBoostJson', 'stringifyXGBoostJson', 'transformFeatures', 'FEATURE_TRANSFORMS',
  'Network', 'Conv1d', 'BatchNorm1d', 'ReLU', 'MaxPool1d', 'Linear', 'Dropout', 'Flatten', 'Residual', 'layerFromSpec',
  'eldosNet', 'thermalNet', 'lossAndGradient', 'LOSSES', 'Optimizer', 'OPTIMIZERS', 'Schedule', 'trainNetwork', 'evaluateLoss',
  'saveCnnModel', 'loadCnnModel', 'predictCnn', 'prepareInputs', 'exportOnnx', 'saveOnnx', 'readSafetensors',
  'writeSafetensors', 'parseSafetensors', 'formatSafetensors', 'kernelsFor', 'referenceKernels', 'wasmRuntime',
  'benchmarkCnn', 'parseSigma', 'Rng', 'seededRandom',
  'AseDatabase', 'encodeAseData', 'decodeAseData', 'uniqueIdOf', 'ASE_DB_VERSION', 'importSpramnetPublic', 'phononIdOfKappa',
  'parseDoscar', 'phononDos', 'EL_DOS_ENERGIES_EV', 'PH_DOS_BIN_CENTRES_THZ',
  'loadTaskData', 'TASKS', 'THERMAL_GRID', 'trainTask', 'splitRows', 'loadModelSet', 'predictInputs', 'spectraMse',
  'normaliseRows', 'scalarMetrics', 'log10Metrics', 'buildReport', 'lineChart', 'parityChart', 'histogram', 'sideBySide', 'gatherRows',
  'adfExperiment', 'rangeExperiment', 'truncateToRmax', 'scoreCnnTask',
];

test('the package exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(api).sort(), [...EXPORTS].sort());
});
