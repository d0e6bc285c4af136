import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EL_DOS_ENERGIES_EV, PH_DOS_BIN_CENTRES_THZ } from '../data/labels.js';
import { describe, type DescriptorSpec } from '../descriptors/featurize.js';
import { errorMessage, InputError } from '../errors.js';
import type { GradientBoostedTrees } from '../gbdt/booster.js';
import { transformFeatures } from '../gbdt/features.js';
import { loadXGBoostJson } from '../gbdt/xgboostJson.js';
import { readNpy } from '../io/npy.js';
import { loadCnnModel, predictCnn, type LoadedCnnModel } from '../nn/modelFile.js';
import { readStructure } from '../structure/io/formats.js';
import { normaliseRows } from './metrics.js';
import type { TaskName } from './taskData.js';

/** The models found in a folder, by task (a task whose files are absent is simply not offered). */
export interface ModelSet {
  elDos?: LoadedCnnModel;
  sigma?: { xx: GradientBoostedTrees; yy: GradientBoostedTrees };
  phDos?: LoadedCnnModel;
  kappa?: LoadedCnnModel;
}

export function loadModelSet(dir: string, tasks?: readonly TaskName[]): ModelSet {
  const want = (t: TaskName): boolean => tasks === undefined || tasks.includes(t);
  const set: ModelSet = {};
  if (want('el-dos') && existsSync(join(dir, 'el-dos.safetensors'))) set.elDos = loadCnnModel(join(dir, 'el-dos.safetensors'));
  if (want('sigma') && existsSync(join(dir, 'sigma_xx.json')) && existsSync(join(dir, 'sigma_yy.json'))) {
    set.sigma = { xx: loadXGBoostJson(join(dir, 'sigma_xx.json')), yy: loadXGBoostJson(join(dir, 'sigma_yy.json')) };
  }
  if (want('ph-dos') && existsSync(join(dir, 'ph-dos.safetensors'))) set.phDos = loadCnnModel(join(dir, 'ph-dos.safetensors'));
  if (want('kappa') && existsSync(join(dir, 'kappa.safetensors'))) set.kappa = loadCnnModel(join(dir, 'kappa.safetensors'));
  if (Object.keys(set).length === 0) throw new InputError(`${dir}: no models found (expected el-dos.safetensors, sigma_xx.json + sigma_yy.json, ph-dos.safetensors, kappa.safetensors)`);
  return set;
}

/** One input's predictions in the JSON contract of `spramnet predict --json`. */
export interface Prediction {
  input: string;
  el_dos?: { energy_eV: number[]; dos: number[] };
  sigma?: { xx: number; yy: number };
  ph_dos?: { frequency_THz: number[]; dos: number[] };
  kappa?: { W_mK: number };
  error?: string;
}

/**
 * The channels a model was trained on. Descriptors are computed once per structure and setting
 * (with the ADF, so models with and without it share them) and cached in `cache`.
 */
function descriptorOf(atoms: ReturnType<typeof readStructure>, stored: unknown, file: string, cache: Map<string, Float64Array>): Float64Array {
  const d = stored as { kind: string; spec: DescriptorSpec; channels: number[] };
  if (d?.kind !== 'spramnet-descriptor') throw new InputError(`${file}: the model was not trained on structure descriptors`);
  const spec = { ...d.spec, adf: true };
  const key = JSON.stringify(spec);
  let full = cache.get(key);
  if (full === undefined) cache.set(key, (full = describe(atoms, spec, file)));
  const out = new Float64Array(d.channels.length * d.spec.bins);
  d.channels.forEach((c, m) => out.set((full as Float64Array).subarray(c * d.spec.bins, (c + 1) * d.spec.bins), m * d.spec.bins));
  return out;
}

/**
 * Predict every task that applies to an input: a structure file gives el-DoS and σ (its
 * descriptors computed with each model's own settings); a .npy of 100 values is a g(r) on the public
 * thermal grid and gives ph-DoS and κ. A failing input yields {input, error}; the rest go on.
 */
export function predictInputs(inputs: readonly string[], models: ModelSet): Prediction[] {
  return inputs.map((input): Prediction => {
    try {
      if (input.endsWith('.npy')) {
        const g = readNpy(input).data;
        if (g.length !== 100) throw new InputError(`${input}: a g(r) .npy must hold 100 values (bins of 0.1 Å from 0 Å), found ${g.length}`);
        if (!models.phDos && !models.kappa) throw new InputError(`${input}: no ph-DoS or κ model is loaded for a g(r) input`);
        const out: Prediction = { input };
        // a density: negative network outputs are clipped to 0 before normalising to unit sum (data.md)
        if (models.phDos) out.ph_dos = { frequency_THz: Array.from(PH_DOS_BIN_CENTRES_THZ), dos: Array.from(normaliseRows(predictCnn(models.phDos, g, 1).map((v) => Math.max(0, v)), 100)) };
        if (models.kappa) out.kappa = { W_mK: 10 ** predictCnn(models.kappa, g, 1)[0] };
        return out;
      }
      const atoms = readStructure(input);
      if (!models.elDos && !models.sigma) throw new InputError(`${input}: no el-DoS or σ model is loaded for a structure input`);
      const out: Prediction = { input };
      const cache = new Map<string, Float64Array>();
      if (models.elDos) out.el_dos = { energy_eV: Array.from(EL_DOS_ENERGIES_EV), dos: Array.from(predictCnn(models.elDos, descriptorOf(atoms, models.elDos.info.descriptor, input, cache), 1)) };
      if (models.sigma) {
        const stored = JSON.parse(models.sigma.xx.attributes.spramnet_descriptor ?? 'null');
        const d = descriptorOf(atoms, stored, input, cache);
        const x = transformFeatures({ data: d, rows: 1, cols: d.length }, models.sigma.xx.attributes.spramnet_feature_transform ?? 'none');
        out.sigma = { xx: models.sigma.xx.predict(x)[0], yy: models.sigma.yy.predict(x)[0] };
      }
      return out;
    } catch (error) {
      return { input, error: errorMessage(error) };
    }
  });
}
