/**
 * The public API of spramnet, grouped by concept (test/index.test.ts pins the list; the README's
 * "Library" section documents it). Internals — compute kernels, row gathering, factorisations — are
 * not exported: import them from their modules only inside the package.
 */

// Errors and version
export { SpramnetError, InputError, ParseError, ConvergenceError } from './errors.js';
export { VERSION } from './version.js';

// Structures: Atoms, cells, neighbours, file formats
export { Atoms, type AtomsInit, type Pbc, type PerAtomArray } from './structure/atoms.js';
export { SYMBOLS, MASSES_AMU, atomicNumber, elementFromMass } from './structure/elements.js';
export { inverse, determinant, perpendicularWidths, inPlaneArea, isOrthorhombic } from './structure/cell.js';
export { neighborList, coordinationNumbers, type NeighborList } from './structure/neighbors.js';
export { readPoscar, writePoscar } from './structure/io/poscar.js';
export { readExtxyz, writeExtxyz } from './structure/io/extxyz.js';
export { readLammpsData, writeLammpsData, type LammpsAtomStyle } from './structure/io/lammpsData.js';
export { closestPair, checkNoOverlaps, OVERLAP_DISTANCE_A } from './structure/overlaps.js';
export { FORMATS, detectFormat, formatByName, parseStructures, readStructures, readStructure, formatStructures, type ReadOptions, type StructureFormat } from './structure/io/formats.js';
export { detectInput, classifyInput, INPUT_RULES, type InputKind, type DetectedInput, type InputSource } from './inputs/detect.js';

// Descriptors: g(r), ADF, S(q), local environment, measured g(r)
export { Grid, HistogramAccumulator } from './descriptors/grid.js';
export { SoftHistogram } from './descriptors/softBins.js';
export { sheetPairCounts, type SheetPairPlan, type SheetPairCounts } from './descriptors/sheetPairs.js';
export { bondStatistics, type BondList, type BondStatisticsOptions } from './descriptors/bondStatistics.js';
export { sheetView } from './descriptors/sheet.js';
export { pairCorrelation, PCF_KINDS, type PcfKind, type PcfOptions, type ImageConvention } from './descriptors/pcf.js';
export { angularDistribution, coordinationHistogram, bondVectors, DEFAULT_ADF_GRID } from './descriptors/adf.js';
export { structureFactor, besselJ0 } from './descriptors/structureFactor.js';
export { readMeasuredPcf, parseMeasuredPcf, resamplePcf, type MeasuredPcf } from './descriptors/measured.js';
export { describe, describeWithThermal, describeFiles, descriptorSpec, channelNames, rGrid, REFERENCE_SPEC, CONTINUOUS_SETTINGS, type DescriptorSpec } from './descriptors/featurize.js';
export { localEnvironment, ENVIRONMENT_FEATURES } from './descriptors/environment.js';
export { atomPowerSpectra, soapChannel, soapLength, SOAP_DEFAULTS, type SoapSettings } from './descriptors/soap.js';

// Files: arrays, tensors, atomic writes
export { readNpy, writeNpy, parseNpy, formatNpy, type NdArray } from './io/npy.js';
export { readSafetensors, writeSafetensors, parseSafetensors, formatSafetensors } from './io/safetensors.js';
export { writeFileAtomic } from './io/atomicWrite.js';

// Data: the store (ASE db), the public release, labels, splits
export { AseDatabase, encodeAseData, decodeAseData, uniqueIdOf, ASE_DB_VERSION, type StoreRow, type KeyValue, type DataValue } from './data/aseDb.js';
export { importSpramnetPublic, phononIdOfKappa, type ImportReport } from './data/importPublic.js';
export { parseDoscar, parseSigma, phononDos, EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ, type Sigma } from './data/labels.js';
export { kFold, complement, splitRows, splitRowsByGroup, type Split } from './data/splits.js';
export { labelValues, rowKeys, setOfLabels, LABEL_SCHEMA_VERSION, type LabelValues } from './data/labelRows.js';
export { asMatrix, matrix, type Matrix } from './util/matrix.js';
export { Rng, seededRandom } from './util/random.js';

// Models: one estimator contract, its registry and the three kinds
export { registerEstimatorKind, estimatorKind, estimatorKinds, createEstimator, type Estimator, type EstimatorKind, type FitOptions } from './models/estimator.js';
export { CnnRegressor, type CnnSettings } from './models/cnnRegressor.js';
export { TreesRegressor, type TreesSettings } from './models/treesRegressor.js';
export { KrrRegressor, type KrrSettings } from './models/krrRegressor.js';
export { transformFeatures, FEATURE_TRANSFORMS, type FeatureTransform } from './models/featureTransforms.js';
// the engines underneath: gradient-boosted trees (XGBoost-compatible), kernel ridge, the CNN engine
export { GradientBoostedTrees, DEFAULT_GBDT_PARAMS, checkParams, type GbdtParams, type EvalRecord, type ImportanceKind } from './gbdt/booster.js';
export { OBJECTIVES, objective, type ObjectiveName, type Objective } from './gbdt/objectives.js';
export { crossValidate, gridCandidates, randomCandidates, searchParams, takeRows, takeValues, type CvResult, type SearchSpace } from './gbdt/crossValidation.js';
export { toXGBoostJson, fromXGBoostJson, saveXGBoostJson, loadXGBoostJson, stringifyXGBoostJson } from './gbdt/xgboostJson.js';
export { KernelRidge, type KernelRidgeParams, type KernelName, type KrrEngine } from './krr/kernelRidge.js';
export { selectKernelRidge, type KernelRidgeGrid, type KernelRidgeSelection } from './krr/selectKernelRidge.js';
export { Network, type NetworkSpec } from './nn/network.js';
export { Conv1d, BatchNorm1d, ReLU, MaxPool1d, Linear, Dropout, Flatten, Residual, layerFromSpec, type Layer, type LayerSpec, type Param, type DType } from './nn/layers.js';
export { eldosNet, thermalNet } from './nn/networks.js';
export { lossAndGradient, LOSSES, type LossName } from './nn/losses.js';
export { Optimizer, OPTIMIZERS, type OptimizerConfig, type OptimizerName } from './nn/optimizers.js';
export { Schedule, type ScheduleConfig } from './nn/schedules.js';
export { trainNetwork, evaluateLoss, type Dataset, type TrainConfig, type EpochRecord, type TrainResult } from './nn/train.js';
export { trainCnnOnArrays, type CnnArrayTraining } from './nn/trainOnArrays.js';
export { saveCnnModel, loadCnnModel, predictCnn, prepareInputs, type CnnModelInfo, type LoadedCnnModel } from './nn/modelFile.js';
export { exportOnnx, saveOnnx } from './nn/onnx.js';
export { benchmarkCnn } from './nn/benchmark.js';

// Tasks: the task table, model inputs, training, predict, evaluation, experiments
export { registerTask, unregisterTask, taskSpec, taskSpecs, taskNames, parseTaskList, recipeOf, csvColumnsOf, type TaskSpec, type TaskRecipe, type RecipeMember, type OutputAxis, type TaskDisplay } from './tasks/taskSpec.js';
export { EL_DOS_TASK, SIGMA_TASK, PH_DOS_TASK, KAPPA_TASK, SHIPPED_TASKS, finishPhDos } from './tasks/taskTable.js';
export { structureInput, descriptorChoiceOf, withRmaxCut, applyRmaxCut, featurizeStructure, featurizeStructureInputs, featurizePcf, inputShape, structurePcfForm, DESCRIPTOR_CHOICES, THERMAL_GRID, RELEASE_PCF_FORM, type ModelInput, type StructureInput, type PcfInput, type DescriptorChoice } from './tasks/modelInput.js';
export { loadTaskData, taskRows, rowOrigin, NoTaskRowsError, type TaskData } from './tasks/taskData.js';
export { trainTask, splitTaskData, modelInputFor, trainingInput, continuousFor, memberWeights, scoreMembers, type TrainTaskOptions } from './tasks/train.js';
export { readManifest, findManifest, readCard, cardSplit, readValidation, type EnsembleManifest, type MemberEntry, type ModelCard, type ValidationRecord } from './tasks/modelFolder.js';
export { loadTaskModel, TaskModel } from './tasks/ensemble.js';
export { isStoreFile, storeSources } from './inputs/storeSources.js';
export { loadModelSet, loadModelSets, loadedTaskSpecs, shippedModelFolders, predictInputs, predictStream, predictionSummary, readPcfInput, type ModelSet, type ModelSets, type Prediction, type PredictOptions, type PredictSource } from './tasks/predict.js';
export { thermalStructure, thermalReasons, FLAT_HEIGHT_STD_A, type ThermalStructure, type ThermalStructureOptions, type ThermalRelaxRecord, type ThermalCell } from './tasks/thermalStructure.js';
export { evaluateModels, type TaskEvaluation, type EvaluationRows } from './tasks/evaluate.js';
export { compareToReference, REFERENCE_FIGURES, type ReferenceComparison, type ReferenceFigures } from './tasks/referenceFigures.js';
export { spectraMse, normaliseRows, scalarMetrics, log10Metrics, type ScalarMetrics } from './tasks/metrics.js';
export { adfExperiment, rangeExperiment, foldsExperiment, readFoldsExperiment, type AdfExperiment, type RangeExperiment, type FoldsExperiment, type FoldsSettings, type FoldsOptions } from './tasks/experiments.js';

// Calculators and force fields: the label contract of the factory
export { checkImplemented, type Calculator, type CalculationResult, type CalculateOptions, type Properties, type PropertyName, type Provenance } from './calculators/calculator.js';
// engines and potentials by name: the one registry the label commands and campaigns use
export { labelCalculator, labelEngine, labelKind, engineSettings, registerLabelEngine, potentialByName, LABEL_KINDS, DEFAULT_POTENTIAL, type LabelKind, type LabelEngine, type LabelKindSpec, type EngineContext } from './calculators/registry.js';
// the label loop of every `label` command and campaign item: structures (files, frames, store rows, Atoms) → a calculator → sinks
export { runLabels, labelKey, type LabelRecord, type LabelSink, type RunLabelsOptions, type LabelRunReport } from './labels/runLabels.js';
export { structuresFromFiles, structuresFromStore, structuresFromAtoms, type StructureSource, type SourceFailure, type SourceItem } from './labels/sources.js';
export { labelJson } from './labels/labelJson.js';
export { KappaCalculator, type KappaCalculatorOptions } from './physics/thermal/calculator.js';
export { kappaInPublicConvention, PUBLIC_KAPPA_THICKNESS_A } from './physics/thermal/convention.js';
export { intervalInConventions, kappaFromPublicConvention, kappaFromThickness, PUBLIC_KAPPA_THICKNESS, type KappaConventions, type PublicThickness } from './physics/thermal/kappaConvention.js';
export { structureHash } from './structure/hash.js';
// Campaigns: a plan of stages run on this machine or a Slurm cluster, items named by hash, shards, one merge into the store
export { readPlan, parsePlanText, stageByName, type Plan, type Stage, type StageSpec, type Resources } from './campaign/plan.js';
export { expandItems, itemId, type Item } from './campaign/items.js';
export { runCampaign, type RunCampaignOptions, type RunCampaignReport, type ExecutorName } from './campaign/run.js';
export { campaignState, summarise, readyItems, verifiedShards, type CampaignState, type StageSummary, type ItemState } from './campaign/state.js';
export { mergeStores, mergeStore, type MergeReport } from './campaign/merge.js';
export { estimateCampaign, estimateFrom, pilotPlan, type CampaignEstimate, type StageEstimate } from './campaign/estimate.js';
export { writeScripts } from './campaign/scripts.js';
export { readShard, writeShard, verifyShard, type ShardBody } from './campaign/shards.js';
export { campaignReport, type CampaignSummary } from './campaign/report.js';
export { writeCampaignReportNow } from './campaign/modelItems.js';
export type { ForceField, ForceResult, ForceRequest, AtomicSystem } from './physics/forceField.js';

// Reports and charts
export { buildReport, predictionsSection, spectraPlot } from './report/report.js';
export { lineChart, parityChart, histogram, sideBySide, type Series } from './report/svg.js';

// Web: `spramnet serve` (HTTP API and page), the CSV of predictions
export { startWebServer, createWebServer, type WebServerOptions, type StartOptions, type RunningServer } from './web/server.js';
export { predictUploads, type Upload, type PredictUploadsOptions } from './web/predictAdapter.js';
export { predictionsToCsv, csvValue, type CsvColumnSpec, type JsonPath } from './web/csv.js';
export type { WebPrediction, WebDescriptors, WebStructure, DomainVerdict, Band, Interval, SheetConductance } from './web/types.js';

// The thermal label factory: Tersoff potential, Verlet lists, the LAMMPS engine
export { Tersoff, type TersoffOptions } from './physics/tersoff/tersoff.js';
export { loadTersoff, parseTersoff, tersoffCutoff, SHIPPED_TERSOFF, type TersoffParameters, type TersoffEntry } from './physics/tersoff/params.js';
export { Extep } from './physics/extep/extep.js';
export { loadExtep, parseExtep, SHIPPED_EXTEP, type ExtepParameters, type ExtepKnot } from './physics/extep/params.js';
export { VerletList } from './physics/neighborSkin.js';
export { runLammps, lammpsVersion, requireLammps, LammpsError, type LammpsRun } from './engines/lammps/run.js';
export { lammpsSinglePoint, lammpsSetup, NKTV2P_METAL, type LammpsSinglePoint, type LammpsPotential, type LammpsSetup } from './engines/lammps/singlePoint.js';
export { toLammpsCell, vectorsFromLammps, tensorFromLammps, type LammpsCell } from './engines/lammps/frame.js';
export { LammpsCalculator, type LammpsCalculatorOptions } from './engines/lammps/calculator.js';
export { TersoffCalculator, stressFromVirial } from './physics/tersoff/calculator.js';
// Symmetric eigensolver, FIRE relaxation, Γ-point phonons and ph-DoS labels
export { symmetricEigen, symmetricEigenvalues, type SymmetricEigenResult, type EigenOptions } from './linalg/symmetricEigen.js';
export { relaxFire, type FireOptions, type RelaxRecord, type RelaxResult } from './physics/relax/fire.js';
export { forceConstants, DEFAULT_DISPLACEMENT_A, type ForceConstantOptions, type ForceConstantMethod } from './physics/phonons/forceConstants.js';
export { dynamicalMatrix, frequenciesFromEigenvalues, gammaFrequencies, THZ_PER_SQRT_EV_A2_AMU, type GammaPhonons } from './physics/phonons/gamma.js';
export { PhononCalculator, DEFAULT_PHONON_RELAX, type PhononCalculatorOptions } from './physics/phonons/calculator.js';
export { phononLabel, type PhononLabel } from './physics/phonons/label.js';
// Molecular dynamics and thermal conductivity (Green–Kubo, HNEMD)
export { Dynamics, maxwellBoltzmann, removeDrift, kineticEnergyOf, temperatureOf, degreesOfFreedom, type DynamicsOptions, type DynamicsState, type Thermostat } from './physics/md/dynamics.js';
export { runMd, type MdRunOptions, type MdRunResult } from './physics/md/run.js';
export { runMdLammps, type LammpsMdOptions } from './physics/md/lammpsMd.js';
export { resolvePotential, type ResolvedPotential } from './physics/md/potential.js';
export { ACCEL_A_FS2_PER_EV_A_AMU, EV_PER_AMU_A2_FS2, KB_EV_K, W_MK_PER_EV_A_FS_K, GRAPHENE_THICKNESS_A } from './physics/md/units.js';
export { heatCurrent } from './physics/thermal/heatCurrent.js';
export { autocorrelation, runningIntegral, greenKuboRunning, kappaFromAutocorrelation, plateauMean } from './physics/thermal/greenKubo.js';
export { addDrivingForce } from './physics/thermal/hnemd.js';
export { kappa, type KappaOptions, type KappaResult, type KappaRun, type KappaMethod } from './physics/thermal/kappa.js';
export { kappaLammps, lammpsGreenKuboInput, parseAveCorrelate, type LammpsKappaOptions, type LammpsKappaPotential } from './physics/thermal/lammpsKappa.js';
// The structure factory: WWW bond switching, melt-quench, ring statistics, comparison with the public sets
export { generateWww, wwwDefaults, grapheneNetwork, pickSwitch, applySwitch, undoSwitch, relaxNetwork, removeAtoms, degreeCounts, type WwwOptions, type WwwResult } from './generate/www.js';
export { BondNetwork } from './generate/network.js';
export { keatingEnergy, regionAround, KEATING_GRAPHENE, type KeatingParams } from './generate/keating.js';
export { nearestGrapheneCell, grapheneSupercell, GRAPHENE_BOND_A, type GrapheneCell } from './generate/graphene.js';
export { generateQuench, quenchDefaults, quenchSchedule, type QuenchOptions, type QuenchResult } from './generate/quench.js';
export { runGenerate, generateStructure, crystalReason, MIN_ACCEPTED_PER_ATOM, poscarName, CELL_POLICIES, type CellPolicy, type GenerateRun, type GenerateReport, type GeneratedStructure, type GenerateMethod } from './generate/factory.js';
export { grapheneBondLength, honeycombMinimum, type HoneycombMinimum } from './generate/potentialGraphene.js';
export { structureSeed } from './generate/seeds.js';
export { ringStatistics, ringSummary, RING_CATEGORIES, type RingStatistics, type RingSummary, type RingOptions } from './generate/rings.js';
export { sheetFeatures, SHEET_FEATURES } from './generate/compare.js';
export { releaseThermalPcf, THERMAL_PCF_FOR_PREDICT, type ReleasePcfGrid, type ReleasePcfOptions } from './descriptors/releasePcf.js';
export { sheetAtoms } from './generate/toAtoms.js';
export { relaxSheet, relaxSheetAndCell, type CellRelaxResult } from './generate/relaxForceField.js';
export { tersoffForceField } from './generate/forceFields.js';

// DFT label engines (GPAW, VASP, Quantum ESPRESSO, finished-run files) and the CIF reader
export { broadenedElDos, elDosFromLevels, sigmaFromEpsilon2, sigmaProperties, siemensPerMPerEpsilon2, defaultKpoints, runProgram, EngineError, SIGMA_HBAR_OMEGA1_EV, type KohnShamLevels, type Epsilon2Block, type SigmaAt, type SigmaReading } from './engines/dft.js';
export { GpawCalculator, gpawScript, parseGpawResult, type GpawOptions, type GpawSettings } from './engines/gpaw/gpaw.js';
export { writeVaspInputs, type VaspInputOptions, type VaspInputs } from './engines/vasp/inputs.js';
export { parseVasprun, elDosFromVasprun, sigmaFromDielectric, type Vasprun } from './engines/vasp/vasprun.js';
export { parseImagBlocks, sigmaFromImag } from './engines/vasp/imag.js';
export { FileLabelCalculator, findVaspFiles, elDosFromDoscar, type VaspRunFiles } from './engines/vasp/files.js';
export { writePwInput, parsePwOutput, pwLevels, type PwInputOptions, type PwOutput } from './engines/qe/pw.js';
export { LabelStore } from './data/labelStore.js';
export { readRunLabels, readRunFolders, writeRunFolders, runLabelsJson, type RunLabels } from './engines/dftRuns.js';
export { runGpawFolders, type GpawBatchOptions } from './engines/gpaw/batch.js';
export { parseCif, readCif, parseSymmetryOperation, cifNumber, type CifOptions } from './structure/io/cif.js';
// π tight binding: exact (k-mesh) and linear-scaling KPM el-DoS and Kubo–Greenwood σ
export { hoppings, localNormals, piParameters, piElectronCount, siteEnergies, DEFAULT_PI_PARAMETERS, HBN_PI_PARAMETERS, PI_ELECTRONS, type PiModelParameters, type PiModelName, type HoppingList } from './physics/tb/model.js';
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
