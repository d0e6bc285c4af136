import { kappaFromThickness } from '../physics/thermal/kappaConvention.js';
import type { LabelRecord } from './runLabels.js';

/** A finished label as `spramnet label <kind> --json` prints it (one object per structure, in input order). */
export function labelJson(record: LabelRecord): Record<string, unknown> {
  const p = record.result.properties;
  const extra = record.result.extra ?? {};
  switch (record.kind) {
    case 'ph-dos':
      return { input: record.input, frequencies_THz: Array.from(p.frequencies_THz ?? []), ph_dos: { frequency_THz: Array.from(p.ph_dos?.frequency_THz ?? []), dos: Array.from(p.ph_dos?.dos ?? []) } };
    case 'kappa':
      // kappa: the mean as predict gives it (the public labels' convention, 3.35 Å, the sheet conductance κ·t)
      return { input: record.input, method: extra.method, kappa_W_mK: p.kappa_W_mK, stderr_W_mK: extra.stderr_W_mK, thickness_A: extra.thickness_A, ...(p.kappa_W_mK && Number.isFinite(p.kappa_W_mK.mean) && Number(extra.thickness_A) > 0 ? { kappa: kappaFromThickness(p.kappa_W_mK.mean, Number(extra.thickness_A)) } : {}) };
    case 'el-dos':
      return { input: record.input, engine: record.engine, el_dos: { energy_eV: Array.from(p.el_dos?.energy_eV ?? []), dos: Array.from(p.el_dos?.dos ?? []) }, fermi_eV: extra.fermi_eV, provenance: record.result.provenance };
    case 'sigma': {
      const kubo = (record.result.provenance.settings.kubo ?? {}) as { eta_eV?: number; sigma_eV?: number; broadening?: string };
      return {
        input: record.input,
        engine: record.engine,
        sigma_S_m: p.sigma_S_m,
        sheet_conductance_S: p.sheet_conductance_S,
        sigma_label: p.sigma_label,
        broadening_eV: kubo.eta_eV ?? kubo.sigma_eV,
        broadening: kubo.broadening,
        provenance: record.result.provenance,
      };
    }
  }
}
