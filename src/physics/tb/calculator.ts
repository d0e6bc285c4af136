import type { Atoms } from '../../structure/atoms.js';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type PropertyName, type Properties } from '../../calculators/calculator.js';
import { VERSION } from '../../version.js';
import { tightBindingExact, type ExactTbOptions } from './exact.js';
import { tightBindingKpm, type KpmTbOptions } from './kpmEngine.js';

/** The el-DoS energies as a store row can keep them: first, last and count (a material's window differs from carbon's). */
const gridRecord = (energies: ArrayLike<number>) => ({ energies_eV: { first: energies[0], last: energies[energies.length - 1], count: energies.length } });

const PROPERTIES: readonly PropertyName[] = ['el_dos', 'sigma_S_m', 'sheet_conductance_S', 'sigma_label'];
const wantsSigma = (p: readonly PropertyName[]): boolean => p.some((x) => x !== 'el_dos');

/**
 * π tight binding by exact diagonalisation on a Monkhorst–Pack mesh: el-DoS (label grid, per atom,
 * E − E_F, Gaussian 0.05 eV) and the Kubo–Greenwood σ at ħω₁ with VASP's Lorentzian η = 0.1 eV.
 */
export class TightBindingCalculator implements Calculator {
  readonly name = 'tb';
  readonly implementedProperties = PROPERTIES;
  constructor(readonly options: ExactTbOptions = {}) {}

  async calculate(atoms: Atoms, properties: readonly PropertyName[], _options?: CalculateOptions): Promise<CalculationResult> {
    checkImplemented(this, properties);
    const r = tightBindingExact(atoms, { ...this.options, conductivity: wantsSigma(properties) });
    const out: Partial<Properties> = {};
    if (properties.includes('el_dos')) out.el_dos = r.el_dos;
    if (r.conductivity) {
      const c = r.conductivity;
      out.sigma_S_m = { xx: c.optical_S_m[0], yy: c.optical_S_m[1] };
      out.sheet_conductance_S = { xx: c.sheet_S[0], yy: c.sheet_S[1] };
      out.sigma_label = { xx: c.label[0], yy: c.label[1] };
    }
    return {
      properties: out,
      provenance: {
        engine: 'tb',
        version: VERSION,
        settings: {
          model: r.parameters,
          kpoints: { mesh: r.kpoints.mesh, gammaCentred: r.kpoints.gammaCentred, irreducible: r.kpoints.count, reduction: 'time reversal' },
          dos: { broadening: 'gaussian', sigma_eV: r.dosSigma_eV, ...gridRecord(r.el_dos.energy_eV), electronsPerOrbital: 1, fermi: 'half filling, mid-gap when the count ends at a gap', spin: 2 },
          ...(r.conductivity ? { kubo: { ...r.conductivity.settings, broadening: 'lorentzian (VASP CSHIFT)', occupations: 'fermi-dirac' } } : {}),
        },
      },
      extra: { fermi_eV: r.fermi_eV, ...(r.conductivity ? { dc_S_m: r.conductivity.dc_S_m, dcGaussian_S_m: r.conductivity.dcGaussian_S_m } : {}) },
    };
  }
}

/**
 * The linear-scaling variant: stochastic KPM on a repeated cell. σ here is the DC Kubo–Greenwood
 * Tr[vδvδ] with Gaussian δ (σ = 0.05 eV), not the Lorentzian optical form of `tb`.
 */
export class KpmTightBindingCalculator implements Calculator {
  readonly name = 'tb-kpm';
  readonly implementedProperties = PROPERTIES;
  constructor(readonly options: KpmTbOptions = {}) {}

  async calculate(atoms: Atoms, properties: readonly PropertyName[], _options?: CalculateOptions): Promise<CalculationResult> {
    checkImplemented(this, properties);
    const r = tightBindingKpm(atoms, { ...this.options, conductivity: wantsSigma(properties) });
    const out: Partial<Properties> = {};
    if (properties.includes('el_dos')) out.el_dos = r.el_dos;
    if (r.conductivity) {
      const c = r.conductivity;
      out.sigma_S_m = { xx: c.sigma_S_m[0], yy: c.sigma_S_m[1] };
      out.sheet_conductance_S = { xx: c.sheet_S[0], yy: c.sheet_S[1] };
      out.sigma_label = { xx: c.label[0], yy: c.label[1] };
    }
    return {
      properties: out,
      provenance: {
        engine: 'tb-kpm',
        version: VERSION,
        settings: {
          model: r.parameters,
          kpm: { moments: r.moments, randomVectors: r.randomVectors, vectors: 'random phase', seed: this.options.seed ?? 1, scale_eV: r.scale, repeat: r.repeat, atoms: r.atoms },
          dos: { broadening: 'gaussian (exact Chebyshev coefficients)', sigma_eV: r.dosSigma_eV, ...gridRecord(r.el_dos.energy_eV), fermi: 'half filling of the Gaussian-smoothed count', spin: 2 },
          ...(r.conductivity ? { kubo: { form: 'DC Tr[v δ v δ] at E_F', broadening: 'gaussian', sigma_eV: r.conductivity.sigma_eV } } : {}),
        },
      },
      extra: { fermi_eV: r.fermi_eV, matVecs: r.matVecs, seconds: r.seconds },
    };
  }
}
