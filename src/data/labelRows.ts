import type { CalculationResult } from '../calculators/calculator.js';
import type { LabelKind } from '../calculators/registry.js';
import { InputError } from '../errors.js';
import { kappaInPublicConvention } from '../physics/thermal/convention.js';
import { VERSION } from '../version.js';
import type { DataValue, KeyValue } from './aseDb.js';

/**
 * One schema for every store spramnet writes (the public import, `label --db`, a campaign): the
 * canonical labels of data.md under the names the public import uses — `data.el_dos` (81 values),
 * `sigma_xx`/`sigma_yy` (the release's label units), `data.ph_dos` (100 values), `kappa_W_mK` (the
 * public labels' convention) — so `train`, `report --data` and `predict` read any of them. Each label
 * keeps its engine and settings beside it (`engine_<kind>`, `provenance_<kind>` as JSON text).
 */
/** Raised whenever what labelValues writes changes: campaign stores rebuild rows made with an older one. */
export const LABEL_SCHEMA_VERSION = 1;

export interface LabelValues {
  keyValues: Record<string, KeyValue>;
  data: { [key: string]: DataValue };
}

const keyOf = (kind: LabelKind): string => kind.replace(/-/g, '_');

/** The set a labelled structure belongs to, as the public import names them. */
export function setOfLabels(kinds: readonly LabelKind[]): string {
  return kinds.some((k) => k === 'el-dos' || k === 'sigma') ? 'electron' : kinds.includes('ph-dos') ? 'phonon' : 'kappa';
}

/** A calculation's result as canonical store values of its label kind. */
export function labelValues(kind: LabelKind, result: CalculationResult): LabelValues {
  const p = result.properties;
  const keyValues: Record<string, KeyValue> = { [`engine_${keyOf(kind)}`]: result.provenance.engine, [`provenance_${keyOf(kind)}`]: JSON.stringify(result.provenance) };
  const data: { [key: string]: DataValue } = {};
  const missing = (what: string): never => {
    throw new InputError(`engine ${result.provenance.engine} returned no ${what} for a ${kind} label`);
  };
  if (kind === 'ph-dos') {
    data.ph_dos = Float64Array.from(p.ph_dos?.dos ?? missing('ph_dos'));
    data.frequencies_THz = Float64Array.from(p.frequencies_THz ?? missing('frequencies_THz'));
    const f = data.frequencies_THz;
    keyValues.ph_modes_above_100THz = f.filter((x) => x >= 100).length;
    keyValues.ph_modes_imaginary = f.filter((x) => x < -0.1).length;
  } else if (kind === 'kappa') {
    const k = p.kappa_W_mK ?? missing('kappa_W_mK');
    const thickness = Number(result.extra?.thickness_A ?? missing('thickness_A'));
    const stderr = result.extra?.stderr_W_mK as { mean?: number } | undefined;
    // a value that is not a number (one direction of a run, a stored NaN read back as null) is left out
    const put = (key: string, value: unknown) => {
      if (typeof value === 'number' && Number.isFinite(value)) keyValues[key] = value;
    };
    put('kappa_W_mK', kappaInPublicConvention(Number(k.mean), thickness));
    put('kappa_xx_W_mK', kappaInPublicConvention(Number(k.xx), thickness));
    put('kappa_yy_W_mK', kappaInPublicConvention(Number(k.yy), thickness));
    put('kappa_stderr_W_mK', stderr?.mean === undefined || stderr.mean === null ? undefined : kappaInPublicConvention(Number(stderr.mean), thickness));
    put('kappa_computed_W_mK', k.mean);
    keyValues.kappa_computed_thickness_A = thickness;
    keyValues.kappa_method = String(result.extra?.method ?? '');
  } else if (kind === 'el-dos') {
    data.el_dos = Float64Array.from(p.el_dos?.dos ?? missing('el_dos'));
    if (typeof result.extra?.fermi_eV === 'number') keyValues.fermi_eV = result.extra.fermi_eV;
  } else {
    const label = p.sigma_label ?? missing('sigma_label');
    keyValues.sigma_xx = label.xx;
    keyValues.sigma_yy = label.yy;
    if (p.sigma_S_m) Object.assign(keyValues, { sigma_S_m_xx: p.sigma_S_m.xx, sigma_S_m_yy: p.sigma_S_m.yy });
    if (p.sheet_conductance_S) Object.assign(keyValues, { sheet_conductance_S_xx: p.sheet_conductance_S.xx, sheet_conductance_S_yy: p.sheet_conductance_S.yy });
  }
  return { keyValues, data };
}

/** The row-level keys of a labelled structure: its set, where it came from, the spramnet version. */
export function rowKeys(kinds: readonly LabelKind[], origin: string, source: string): Record<string, KeyValue> {
  return { set: setOfLabels(kinds), origin, source, spramnet: VERSION };
}
