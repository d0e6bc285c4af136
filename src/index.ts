// The public API of spramnet. Deliberate: test/index.test.ts pins this list.
export { SpramnetError, InputError, ParseError, ConvergenceError } from './errors.js';
export { VERSION } from './version.js';
export { Atoms, type AtomsInit, type Pbc, type PerAtomArray } from './structure/atoms.js';
export { SYMBOLS, MASSES_AMU, atomicNumber, elementFromMass } from './structure/elements.js';
export { inverse, determinant, perpendicularWidths, inPlaneArea, isOrthorhombic } from './structure/cell.js';
export { neighborList, coordinationNumbers, type NeighborList } from './structure/neighbors.js';
export { readPoscar, writePoscar } from './structure/io/poscar.js';
export { readExtxyz, writeExtxyz } from './structure/io/extxyz.js';
export { readLammpsData, writeLammpsData, type LammpsAtomStyle } from './structure/io/lammpsData.js';
export {
  FORMATS,
  detectFormat,
  formatByName,
  parseStructures,
  readStructures,
  readStructure,
  formatStructures,
  type ReadOptions,
  type StructureFormat,
} from './structure/io/formats.js';
export { Grid, HistogramAccumulator } from './descriptors/grid.js';
export { sheetView } from './descriptors/sheet.js';
export { pairCorrelation, PCF_KINDS, type PcfKind, type PcfOptions, type ImageConvention } from './descriptors/pcf.js';
export { angularDistribution, coordinationHistogram, bondVectors, DEFAULT_ADF_GRID } from './descriptors/adf.js';
export { structureFactor, besselJ0 } from './descriptors/structureFactor.js';
export { readMeasuredPcf, parseMeasuredPcf, resamplePcf, type MeasuredPcf } from './descriptors/measured.js';
export {
  describe,
  describeFiles,
  descriptorSpec,
  channelNames,
  rGrid,
  REFERENCE_SPEC,
  type DescriptorSpec,
} from './descriptors/featurize.js';
export { readNpy, writeNpy, parseNpy, formatNpy, type NdArray } from './io/npy.js';
export { writeFileAtomic } from './io/atomicWrite.js';
export { GradientBoostedTrees, DEFAULT_GBDT_PARAMS, checkParams, type GbdtParams, type EvalRecord, type ImportanceKind } from './gbdt/booster.js';
export { OBJECTIVES, objective, type ObjectiveName, type Objective } from './gbdt/objectives.js';
export { asMatrix, matrix, type Matrix } from './gbdt/matrix.js';
export { kFold, crossValidate, gridCandidates, randomCandidates, searchParams, takeRows, takeValues, type CvResult, type SearchSpace } from './gbdt/crossValidation.js';
export { toXGBoostJson, fromXGBoostJson, saveXGBoostJson, loadXGBoostJson, stringifyXGBoostJson } from './gbdt/xgboostJson.js';
export { transformFeatures, FEATURE_TRANSFORMS, type FeatureTransform } from './gbdt/features.js';
export { Network, type NetworkSpec } from './nn/network.js';
export { Conv1d, BatchNorm1d, ReLU, MaxPool1d, Linear, Dropout, Flatten, Residual, layerFromSpec, type Layer, type LayerSpec, type Param, type DType } from './nn/layers.js';
export { eldosNet, thermalNet } from './nn/networks.js';
export { lossAndGradient, LOSSES, type LossName } from './nn/losses.js';
export { Optimizer, OPTIMIZERS, type OptimizerConfig, type OptimizerName } from './nn/optimizers.js';
export { Schedule, type ScheduleConfig } from './nn/schedules.js';
export { trainNetwork, evaluateLoss, type Dataset, type TrainConfig, type EpochRecord, type TrainResult } from './nn/train.js';
export { saveCnnModel, loadCnnModel, predictCnn, prepareInputs, type CnnModelInfo, type LoadedCnnModel } from './nn/modelFile.js';
export { exportOnnx, saveOnnx } from './nn/onnx.js';
export { readSafetensors, writeSafetensors, parseSafetensors, formatSafetensors } from './nn/safetensors.js';
export { kernelsFor, referenceKernels, wasmRuntime, type Kernels } from './nn/kernels/index.js';
export { benchmarkCnn } from './nn/benchmark.js';
export { parseSigma, type Sigma } from './data/labels.js';
export { Rng, seededRandom } from './util/random.js';
export { AseDatabase, encodeAseData, decodeAseData, uniqueIdOf, ASE_DB_VERSION, type StoreRow, type KeyValue, type DataValue } from './data/aseDb.js';
export { importSpramnetPublic, phononIdOfKappa, type ImportReport } from './data/importPublic.js';
export { parseDoscar, phononDos, EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ } from './data/labels.js';
export { loadTaskData, applyRmaxCut, descriptorChoiceOf, TASKS, THERMAL_GRID, DESCRIPTOR_CHOICES, type TaskName, type TaskData, type DescriptorChoice } from './tasks/taskData.js';
export { trainTask, splitRows, taskMetrics, finishPhDos, memberWeights, RECIPES, type Recipe, type ModelCard, type TrainTaskOptions } from './tasks/trainTask.js';
export { loadModelSet, predictInputs, isPcfInput, readThermalPcf, type ModelSet, type Prediction } from './tasks/predict.js';
export { loadTaskModel, TaskModel, type EnsembleManifest, type MemberEntry } from './tasks/ensemble.js';
export { evaluateModels, type TaskEvaluation, type EvaluationRows } from './tasks/evaluate.js';
export { compareToReference, REFERENCE_FIGURES, type ReferenceComparison } from './tasks/reference.js';
export { KernelRidge, type KernelRidgeParams, type KernelName } from './kernel/kernelRidge.js';
export { selectKernelRidge, type KernelRidgeGrid, type KernelRidgeSelection } from './kernel/selectKernelRidge.js';
export { choleskyInPlace, choleskySolveInPlace } from './kernel/cholesky.js';
export { localEnvironment, ENVIRONMENT_FEATURES } from './descriptors/environment.js';
export { spectraMse, normaliseRows, scalarMetrics, log10Metrics, type ScalarMetrics } from './tasks/metrics.js';
export { buildReport } from './report/report.js';
export { lineChart, parityChart, histogram, sideBySide, type Series } from './report/svg.js';
export { gatherRows } from './util/rows.js';
export { adfExperiment, rangeExperiment, foldsExperiment, truncateToRmax, type AdfExperiment, type RangeExperiment, type FoldsExperiment } from './tasks/experiments.js';
export { scoreCnnTask } from './tasks/trainTask.js';
// Tersoff potential, Verlet lists, LAMMPS engine (helper/tersoff)
export { Tersoff, type TersoffOptions } from './physics/tersoff/tersoff.js';
export { loadTersoff, parseTersoff, tersoffCutoff, SHIPPED_TERSOFF, type TersoffParameters, type TersoffEntry } from './physics/tersoff/params.js';
export { VerletList } from './physics/neighborSkin.js';
export { runLammps, lammpsVersion, requireLammps, LammpsError, type LammpsRun } from './engines/lammps/run.js';
export { lammpsSinglePoint, lammpsSetup, NKTV2P_METAL, type LammpsSinglePoint, type LammpsPotential, type LammpsSetup } from './engines/lammps/singlePoint.js';
export { toLammpsCell, vectorsFromLammps, tensorFromLammps, type LammpsCell } from './engines/lammps/frame.js';
export { LammpsCalculator, type LammpsCalculatorOptions } from './engines/lammps/calculator.js';
export { TersoffCalculator, stressFromVirial } from './physics/tersoff/calculator.js';
// Symmetric eigensolver, FIRE relaxation, Γ-point phonons and ph-DoS labels (helper/phonons)
export { symmetricEigen, symmetricEigenvalues, type SymmetricEigenResult, type EigenOptions } from './linalg/symmetricEigen.js';
export { relaxFire, type FireOptions, type RelaxRecord, type RelaxResult } from './physics/relax/fire.js';
export { forceConstants, DEFAULT_DISPLACEMENT_A, type ForceConstantOptions, type ForceConstantMethod } from './physics/phonons/forceConstants.js';
export { dynamicalMatrix, frequenciesFromEigenvalues, gammaFrequencies, THZ_PER_SQRT_EV_A2_AMU, type GammaPhonons } from './physics/phonons/gamma.js';
export { PhononCalculator, DEFAULT_PHONON_RELAX, type PhononCalculatorOptions } from './physics/phonons/calculator.js';
export { phononLabel, type PhononLabel } from './physics/phonons/label.js';
// π tight binding: exact (k-mesh) and linear-scaling KPM el-DoS and Kubo–Greenwood σ (helper/tb)
export { hoppings, localNormals, piParameters, DEFAULT_PI_PARAMETERS, type PiModelParameters, type PiModelName, type HoppingList } from './physics/tb/model.js';
export { monkhorstPack, type KPoints } from './physics/tb/kpoints.js';
export { blochHamiltonian, velocityMatrix, hermiticityError, type ComplexMatrix } from './physics/tb/bloch.js';
export { hermitianEigen, type HermitianEigen } from './physics/tb/eigen.js';
export { fermiLevel, gaussianDos, type WeightedLevels } from './physics/tb/spectra.js';
export { KuboAccumulator, kuboPrefactor, sigmaToLabel, type KuboSettings } from './physics/tb/kubo.js';
export { tightBindingExact, meshFromLength, DEFAULT_MESH, DEFAULT_KUBO, type ExactTbOptions, type ExactTbResult } from './physics/tb/exact.js';
export { csrHamiltonian, csrVelocity, type CsrMatrix } from './physics/tb/sparse.js';
export { kpmMoments, exactMoments, jacksonKernel, jacksonDos, gaussianKpmDos, kpmFermiLevel, kpmConductivityDc, chebyshevScale, type KpmMoments } from './physics/tb/kpm.js';
export { tightBindingKpm, repeatsFor, DEFAULT_KPM, type KpmTbOptions, type KpmTbResult } from './physics/tb/kpmEngine.js';
export { TightBindingCalculator, KpmTightBindingCalculator } from './physics/tb/calculator.js';
