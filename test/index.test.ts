import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as api from '../src/index.js';

// The public API is deliberate: adding or removing an export means changing this list on purpose.
const EXPORTS = [
  'ASE_DB_VERSION', 'AseDatabase', 'Atoms', 'BatchNorm1d', 'CnnRegressor', 'Conv1d', 'ConvergenceError',
  'DEFAULT_ADF_GRID', 'DEFAULT_GBDT_PARAMS', 'DESCRIPTOR_CHOICES', 'Dropout', 'EL_DOS_ENERGIES_EV', 'EL_DOS_TASK',
  'ENVIRONMENT_FEATURES', 'FEATURE_TRANSFORMS', 'FORMATS', 'Flatten', 'GradientBoostedTrees', 'Grid',
  'HistogramAccumulator', 'INPUT_RULES', 'InputError', 'KAPPA_TASK', 'KernelRidge', 'KrrRegressor', 'LOSSES',
  'Linear', 'MASSES_AMU', 'MaxPool1d', 'Network', 'OBJECTIVES', 'OPTIMIZERS', 'Optimizer', 'PCF_KINDS',
  'PH_DOS_BIN_CENTRES_THZ', 'PH_DOS_TASK', 'ParseError', 'REFERENCE_FIGURES', 'REFERENCE_SPEC', 'ReLU', 'Residual',
  'Rng', 'SHIPPED_TASKS', 'SIGMA_TASK', 'SYMBOLS', 'Schedule', 'SpramnetError', 'THERMAL_GRID', 'TaskModel',
  'TreesRegressor', 'VERSION', 'adfExperiment', 'angularDistribution', 'applyRmaxCut', 'asMatrix', 'atomicNumber',
  'benchmarkCnn', 'besselJ0', 'bondVectors', 'buildReport', 'cardSplit', 'channelNames', 'checkImplemented',
  'checkParams', 'compareToReference', 'complement', 'coordinationHistogram', 'coordinationNumbers',
  'createEstimator', 'crossValidate', 'decodeAseData', 'describe', 'describeFiles', 'descriptorChoiceOf',
  'descriptorSpec', 'detectFormat', 'detectInput', 'determinant', 'eldosNet', 'elementFromMass', 'encodeAseData',
  'estimatorKind', 'estimatorKinds', 'evaluateLoss', 'evaluateModels', 'exportOnnx', 'featurizePcf',
  'featurizeStructure', 'findManifest', 'finishPhDos', 'foldsExperiment', 'formatByName', 'formatNpy',
  'formatSafetensors', 'formatStructures', 'fromXGBoostJson', 'gridCandidates', 'histogram', 'importSpramnetPublic',
  'inPlaneArea', 'inputShape', 'inverse', 'isOrthorhombic', 'kFold', 'layerFromSpec', 'lineChart', 'loadCnnModel',
  'loadModelSet', 'loadTaskData', 'loadTaskModel', 'loadXGBoostJson', 'localEnvironment', 'log10Metrics',
  'lossAndGradient', 'matrix', 'memberWeights', 'modelInputFor', 'neighborList', 'normaliseRows', 'objective',
  'pairCorrelation', 'parityChart', 'parseDoscar', 'parseMeasuredPcf', 'parseNpy', 'parseSafetensors', 'parseSigma',
  'parseStructures', 'parseTaskList', 'perpendicularWidths', 'phononDos', 'phononIdOfKappa', 'predictCnn',
  'predictInputs', 'predictionSummary', 'predictionsSection', 'prepareInputs', 'rGrid', 'randomCandidates',
  'rangeExperiment', 'readCard', 'readExtxyz', 'readFoldsExperiment', 'readLammpsData', 'readManifest',
  'readMeasuredPcf', 'readNpy', 'readPcfInput', 'readPoscar', 'readSafetensors', 'readStructure', 'readStructures',
  'readValidation', 'recipeOf', 'registerEstimatorKind', 'registerTask', 'resamplePcf', 'saveCnnModel', 'saveOnnx',
  'saveXGBoostJson', 'scalarMetrics', 'scoreMembers', 'searchParams', 'seededRandom', 'selectKernelRidge',
  'sheetView', 'sideBySide', 'spectraMse', 'spectraPlot', 'splitRows', 'stringifyXGBoostJson', 'structureFactor',
  'structureInput', 'takeRows', 'takeValues', 'taskNames', 'taskSpec', 'taskSpecs', 'thermalNet', 'toXGBoostJson',
  'trainCnnOnArrays', 'trainNetwork', 'trainTask', 'transformFeatures', 'uniqueIdOf', 'unregisterTask',
  'withRmaxCut', 'writeExtxyz', 'writeFileAtomic', 'writeLammpsData', 'writeNpy', 'writePoscar', 'writeSafetensors',
];

test('the package exports exactly the documented API', () => {
  assert.deepEqual(Object.keys(api).sort(), [...EXPORTS].sort());
});
