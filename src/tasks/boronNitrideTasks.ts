import { elDosGrid, materialByName } from '../materials/material.js';
import { registerTask, type TaskSpec } from './taskSpec.js';
import { cellHeight_A, cnnMember, EL_DOS_TASK, elDosSummary, finishElDos, finishPhDos, KAPPA_TASK, krrMember, PH_DOS_TASK, SIGMA_TASK } from './taskTable.js';
import { log10Metrics, scalarMetrics } from './metrics.js';

/**
 * The tasks of amorphous monolayer boron nitride (materials/boron-nitride.toml), learnt from the
 * a-BN campaign's labels (examples/campaigns/a-bn.toml): el-DoS on the material's window
 * (E − E_F ∈ [−8, 8] eV, both band edges of the ≈ 7 eV gap) and σ in the release label's convention
 * (ε₂ at ħω = 0.0169 eV over the cell volume), both π tight binding; ph-DoS (ExTeP Γ modes) and κ
 * (Green–Kubo, V = area × the material's 3.33 Å). Same JSON keys as carbon's, so a prediction has
 * one shape whatever the material; the `material` entry says which.
 *
 * All four read the structure: the partial in-plane g(r) of the element pairs (B–B, B–N, N–N)
 * beside the totals — homopolar bonds are where a-BN's states enter the gap and its stiffest and
 * softest bonds, and a total g(r) cannot tell a B–B from a B–N pair at 1.45 Å — and the environment
 * channel (ring statistics, coordination, buckling). No a-BN g(r) model exists: a measured a-BN
 * g(r) (`predict --material bn`) is refused with that reason.
 */
export const BN = materialByName('boron-nitride');
const MATERIAL = BN.name;
const BN_ENERGIES_EV = elDosGrid(BN);
const PARTIALS = [
  ['B', 'B'],
  ['B', 'N'],
  ['N', 'N'],
] as const;

export const BN_EL_DOS_TASK: TaskSpec = {
  ...EL_DOS_TASK,
  material: MATERIAL,
  title: 'Electronic DoS (a-BN, π tight binding)',
  partials: PARTIALS,
  outputs: BN_ENERGIES_EV.length,
  axis: { name: 'energy_eV', label: 'E − E_F (eV)', values: BN_ENERGIES_EV },
  finish: finishElDos,
  recipes: {
    paper: { description: 'the paper’s residual 1D CNN on the total g(r)', descriptor: 'pcf', partials: false, members: (input, seed, epochs = 100) => [cnnMember(input, 'eldos', seed, epochs, 10)] },
    ensemble: {
      description: 'weighted mean of the paper’s CNN and kernel ridge, on total and partial g(r) and the environment',
      descriptor: 'pcf+env',
      members: (input, seed, epochs = 100) => [
        cnnMember(input, 'eldos', seed, epochs, 10, 'log(x+1e-2)'),
        krrMember(input, { kernel: 'rbf', inputTransform: 'log(x+1e-2)', standardise: true, grid: { gammaScales: [0.2, 0.4, 0.8], alphas: [0.1, 0.3] } }),
      ],
    },
  },
  // no published model of a-BN's el-DoS to compare with: `experiment folds --recipe paper` gives the paper's recipe on the same folds (models/README.md)
  reference: () => undefined,
  toJson: (y, { low, high }) => ({ el_dos: { energy_eV: Array.from(BN_ENERGIES_EV), dos: Array.from(y), ...(low && high ? { band90: { low: Array.from(low), high: Array.from(high) } } : {}) } }),
  summary: elDosSummary,
};

/** Below this (label units, ε₂ over the cell volume) a sheet counts as gapped: chemically ordered a-BN gives exactly 0. */
export const BN_SIGMA_CONDUCTING = 0.05;

/**
 * σ figures for a label that is exactly 0 in gapped sheets (a third of the set): RMSE and R² over
 * all rows, the share within 25 % over the conducting rows, and the mean |σ| predicted for gapped ones.
 */
function bnSigmaMetrics(pred: Float64Array, truth: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  ['xx', 'yy'].forEach((component, c) => {
    const p = pred.filter((_, k) => k % 2 === c);
    const t = truth.filter((_, k) => k % 2 === c);
    const all = scalarMetrics(p, t);
    const conducting = Array.from(t.keys()).filter((k) => t[k] >= BN_SIGMA_CONDUCTING);
    const gapped = Array.from(t.keys()).filter((k) => t[k] < BN_SIGMA_CONDUCTING);
    const within = conducting.filter((k) => Math.abs(p[k] - t[k]) <= 0.25 * t[k]).length;
    Object.assign(out, {
      [`${component}_rmse`]: all.rmse,
      [`${component}_r2`]: all.r2,
      [`${component}_within25`]: conducting.length > 0 ? within / conducting.length : NaN,
      [`${component}_gapped_mean_abs`]: gapped.length > 0 ? gapped.reduce((sum, k) => sum + Math.abs(p[k]), 0) / gapped.length : NaN,
    });
  });
  return out;
}

export const BN_SIGMA_TASK: TaskSpec = {
  ...SIGMA_TASK,
  material: MATERIAL,
  title: 'Electric conductivity σ (a-BN, π tight binding)',
  partials: PARTIALS,
  metrics: bnSigmaMetrics,
  metricNames: {
    xx_rmse: 'σ_xx RMSE (label units, ε₂)',
    yy_rmse: 'σ_yy RMSE (label units, ε₂)',
    xx_r2: 'σ_xx R²',
    yy_r2: 'σ_yy R²',
    xx_within25: `σ_xx share within 25 % (labels ≥ ${BN_SIGMA_CONDUCTING})`,
    yy_within25: `σ_yy share within 25 % (labels ≥ ${BN_SIGMA_CONDUCTING})`,
    xx_gapped_mean_abs: `σ_xx mean |prediction| of gapped sheets (labels < ${BN_SIGMA_CONDUCTING})`,
    yy_gapped_mean_abs: `σ_yy mean |prediction| of gapped sheets (labels < ${BN_SIGMA_CONDUCTING})`,
  },
  // σ ≥ 0, and exactly 0 for gapped sheets: predictions are clipped at 0
  finish: (pred) => pred.map((v) => Math.max(0, v)),
  recipes: {
    paper: {
      description: 'the paper’s XGBoost settings (100 trees of depth 4) on the total g(r) and ADF',
      descriptor: 'pcf+adf',
      partials: false,
      members: (_input, seed) => [{ kind: 'gbdt', settings: { maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1, seed, features: 'log(x+1e-4)' } }],
    },
    ensemble: {
      description: 'weighted mean of tuned trees and kernel ridge, on total and partial g(r), the ADF and the environment',
      descriptor: 'pcf+adf+env',
      members: (input, seed) => [
        { kind: 'gbdt', settings: { maxDepth: 5, eta: 0.02, rounds: 1000, subsample: 0.8, colsampleBytree: 0.5, alpha: 1, lambda: 1, seed, features: 'log(x+1e-4)', splitSmoothing: 0.01 } },
        // a plain target: a third of the labels are exactly 0, where log σ is undefined
        krrMember(input, { kernel: 'rbf', inputTransform: 'log(x+1e-2)', standardise: true, grid: { gammaScales: [0.1, 0.3, 1], alphas: [0.03, 0.1] } }),
      ],
    },
  },
  reference: () => undefined,
  targetScale: cellHeight_A,
  intervals: { nonNegative: true },
};


/** The a-BN ph-DoS: the Γ-mode histogram of 1-THz bins over [0, 100) THz, from the structure. */
export const BN_PH_DOS_TASK: TaskSpec = {
  ...PH_DOS_TASK,
  material: MATERIAL,
  title: 'Phonon DoS (a-BN, ExTeP)',
  input: 'structure',
  pcfGrid: undefined,
  partials: PARTIALS,
  finish: finishPhDos,
  recipes: {
    paper: { description: 'the paper’s residual 1D CNN on the total g(r)', descriptor: 'pcf', partials: false, members: (input, seed, epochs = 300) => [cnnMember(input, 'eldos', seed, epochs, 100)] },
    ensemble: {
      description: 'weighted mean of the residual CNN and kernel ridge, on total and partial g(r) and the environment',
      descriptor: 'pcf+adf+env',
      members: (input, seed, epochs = 300) => [
        cnnMember(input, 'eldos', seed, epochs, 100, 'log(x+1e-2)'),
        krrMember(input, { kernel: 'rbf', inputTransform: 'log(x+1e-2)', standardise: true, grid: { gammaScales: [0.1, 0.3, 1], alphas: [1e-3, 1e-2, 0.1] } }),
      ],
    },
  },
  reference: () => undefined,
};

/** κ of a-BN in its label's convention: V = in-plane area × the material's thickness, with κ·t beside it. */
function bnKappaJson(y: Float64Array, { low, high }: { low?: Float64Array; high?: Float64Array }): Record<string, unknown> {
  const W_mK = 10 ** y[0];
  const t_m = BN.kappa.thickness_A * 1e-10;
  return {
    kappa: {
      W_mK,
      ...(low && high ? { interval90: [10 ** low[0], 10 ** high[0]] } : {}),
      thickness_A: BN.kappa.thickness_A,
      sheet_conductance_W_K: W_mK * t_m,
      convention: `Green–Kubo at 300 K with ExTeP, V = in-plane area × ${BN.kappa.thickness_A} Å (c/2 of bulk h-BN); κ·t does not depend on the thickness`,
    },
  };
}

export const BN_KAPPA_TASK: TaskSpec = {
  ...KAPPA_TASK,
  material: MATERIAL,
  title: 'Thermal conductivity κ (a-BN, ExTeP Green–Kubo)',
  input: 'structure',
  pcfGrid: undefined,
  partials: PARTIALS,
  metrics: (pred, truth) => ({ ...log10Metrics(pred, truth) }),
  recipes: {
    paper: { description: 'the paper’s XGBoost settings on the total g(r)', descriptor: 'pcf', partials: false, members: (_input, seed) => [{ kind: 'gbdt', settings: { maxDepth: 4, eta: 0.1, rounds: 100, alpha: 1, lambda: 1, seed, features: 'log(x+1e-4)' } }] },
    ensemble: {
      description: 'weighted mean of tuned trees and Laplacian kernel ridge, on total and partial g(r), the ADF and the environment',
      descriptor: 'pcf+adf+env',
      members: (input, seed) => [
        { kind: 'gbdt', settings: { maxDepth: 4, eta: 0.03, rounds: 600, subsample: 0.8, colsampleBytree: 0.5, seed, features: 'log(x+1e-4)', splitSmoothing: 0.01 } },
        krrMember(input, { kernel: 'laplacian', inputTransform: 'log(x+1e-2)', standardise: true, grid: { gammaScales: [0.1, 0.3, 1], alphas: [0.01, 0.1] } }),
      ],
    },
  },
  reference: () => undefined,
  toJson: bnKappaJson,
};

for (const spec of [BN_EL_DOS_TASK, BN_SIGMA_TASK, BN_PH_DOS_TASK, BN_KAPPA_TASK]) registerTask(spec);
