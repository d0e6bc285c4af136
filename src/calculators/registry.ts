import * as z from 'zod';
import { InputError } from '../errors.js';
import { GpawCalculator } from '../engines/gpaw/gpaw.js';
import { resolvePotential, type ResolvedPotential } from '../physics/md/potential.js';
import { PhononCalculator } from '../physics/phonons/calculator.js';
import { DEFAULT_PHONON_RELAX } from '../physics/phonons/calculator.js';
import { DEFAULT_DISPLACEMENT_A } from '../physics/phonons/forceConstants.js';
import { KappaCalculator } from '../physics/thermal/calculator.js';
import { KpmTightBindingCalculator, TightBindingCalculator } from '../physics/tb/calculator.js';
import { PI_MODEL_NAMES, type PiModelParameters } from '../physics/tb/model.js';
import { materialByName, materialTightBinding } from '../materials/material.js';
import { SHIPPED_TERSOFF } from '../physics/tersoff/params.js';
import { SHIPPED_EXTEP } from '../physics/extep/params.js';
import type { Calculator, PropertyName } from './calculator.js';
import { zodMessages } from '../util/zodMessages.js';

/**
 * Label engines and potentials by name: the one place the `label` commands, the campaign runner and
 * the library look them up. A label kind (ph-dos, kappa, el-dos, sigma) names the properties it
 * asks for and the engines that compute them; each engine states its settings as a schema (names
 * with units, defaults), so a misspelt setting is refused in words wherever it comes from (a plan
 * file, the CLI, a library call).
 */

export const DEFAULT_POTENTIAL = 'lindsay-broido-2010';

export const POTENTIAL_HELP = `Tersoff set: ${SHIPPED_TERSOFF.join(', ')} (default ${DEFAULT_POTENTIAL}) or a .tersoff file; ExTeP: ${SHIPPED_EXTEP.join(', ')} or a .extep file (LAMMPS formats)`;

/** A Tersoff or ExTeP potential by shipped name or file (`.extep` = ExTeP), as a built-in force field and for LAMMPS. */
export function potentialByName(nameOrFile: string = DEFAULT_POTENTIAL, perAtomVirial: 'centroid' | 'third' = 'centroid'): ResolvedPotential {
  return resolvePotential(nameOrFile, perAtomVirial);
}

export const LABEL_KINDS = ['ph-dos', 'kappa', 'el-dos', 'sigma'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** What an engine needs besides its settings: where it may keep resumable state. */
export interface EngineContext {
  /** A folder the engine may use for one structure's checkpoints or run files (resume after a kill). */
  workDir?: string;
}

export interface LabelEngine {
  name: string;
  description: string;
  /** The engine's settings: strict (unknown names refused), defaults filled in. */
  settings: z.ZodObject;
  create(settings: Record<string, unknown>, context?: EngineContext): Calculator;
}

export interface LabelKindSpec {
  kind: LabelKind;
  description: string;
  properties: readonly PropertyName[];
  defaultEngine: string;
  engines: ReadonlyMap<string, LabelEngine>;
}

const potential = z.string().min(1).default(DEFAULT_POTENTIAL);
const positive = z.number().positive();
const count = z.number().int().positive();
const mesh = z.tuple([count, count, count]);

const phononSettings = z.strictObject({
  potential,
  relax: z.boolean().default(true),
  cell: z.boolean().default(false),
  fmax_eV_A: positive.default(DEFAULT_PHONON_RELAX.fmax_eV_A ?? 1e-4),
  max_steps: count.default(DEFAULT_PHONON_RELAX.maxSteps ?? 100000),
  displacement_A: positive.default(DEFAULT_DISPLACEMENT_A),
  method: z.enum(['cluster', 'full']).default('cluster'),
});

const kappaSettingsSchema = z.strictObject({
  potential,
  method: z.enum(['gk', 'hnemd']).default('gk'),
  temperature_K: positive.default(300),
  runs: count.default(3),
  seed: z.number().int().nonnegative().default(1),
  timestep_fs: positive.default(0.5),
  equilibration_ps: z.number().nonnegative().default(10),
  production_ps: positive.optional(),
  correlation_ps: positive.default(2),
  plateau_ps: z.tuple([z.number().nonnegative(), positive]).optional(),
  driving_force_per_A: positive.default(1e-3),
  thickness_A: positive.default(3.35),
  per_atom_virial: z.enum(['centroid', 'third']).default('centroid'),
});

const piModel = z.enum(PI_MODEL_NAMES as unknown as [string, ...string[]]).optional();
/** A material by name or file (materials/*.toml): its π model and el-DoS grid. */
const materialName = z.string().min(1).optional();
const tbSettings = z.strictObject({ model: piModel, material: materialName, mesh: mesh.optional(), k_length_A: positive.optional() });
const kpmSettings = z.strictObject({ model: piModel, material: materialName, moments: count.optional(), vectors: count.optional(), seed: z.number().int().nonnegative().optional(), min_atoms: count.optional() });
const gpawSettings = z.strictObject({
  material: materialName,
  mesh: mesh.optional(),
  basis: z.string().optional(),
  xc: z.string().optional(),
  smearing_eV: z.number().nonnegative().optional(),
  maxiter: count.optional(),
});

type Settings<S extends z.ZodObject> = z.output<S>;

const phononEngine: LabelEngine = {
  name: 'builtin',
  description: 'FIRE relaxation, then Γ-point phonons by finite differences with the built-in Tersoff',
  settings: phononSettings,
  create: (raw) => {
    const s = raw as Settings<typeof phononSettings>;
    return new PhononCalculator(potentialByName(s.potential).forceField, {
      displacement_A: s.displacement_A,
      method: s.method,
      relax: s.relax ? { ...DEFAULT_PHONON_RELAX, fmax_eV_A: s.fmax_eV_A, maxSteps: s.max_steps, relaxCell: s.cell } : false,
    });
  },
};

function kappaEngine(engine: 'builtin' | 'lammps'): LabelEngine {
  return {
    name: engine,
    description: engine === 'builtin' ? 'Green–Kubo or HNEMD with the built-in MD' : 'Green–Kubo with serial LAMMPS (lmp)',
    settings: kappaSettingsSchema,
    create: (raw, context) => {
      const s = raw as Settings<typeof kappaSettingsSchema>;
      if (engine === 'lammps' && s.method !== 'gk') throw new InputError(`engine lammps does Green–Kubo only (method "gk"), got method "${s.method}"`);
      return new KappaCalculator(potentialByName(s.potential, s.per_atom_virial), {
        engine,
        potentialName: s.potential,
        perAtomVirial: s.per_atom_virial,
        method: s.method,
        temperature_K: s.temperature_K,
        runs: s.runs,
        seed: s.seed,
        timestep_fs: s.timestep_fs,
        equilibration_ps: s.equilibration_ps,
        production_ps: s.production_ps,
        correlation_ps: s.correlation_ps,
        plateau_ps: s.plateau_ps,
        drivingForce_per_A: s.driving_force_per_A,
        thickness_A: s.thickness_A,
        checkpointDir: context?.workDir,
      });
    },
  };
}

const piParameters = (model: string | undefined) => (model ? { model: model as (typeof PI_MODEL_NAMES)[number] } : undefined);

/** A material's π model and el-DoS grid (materials/*.toml), the `model` setting taking precedence; none: the built-in carbon model and grid, as before materials. */
function tightBindingOf(material: string | undefined, model: string | undefined): { parameters?: Partial<PiModelParameters>; grid_eV?: Float64Array; dosSigma_eV?: number } {
  if (material === undefined) return { parameters: piParameters(model) };
  const tb = materialTightBinding(materialByName(material));
  return { parameters: { ...tb.parameters, ...piParameters(model) }, grid_eV: tb.grid_eV, dosSigma_eV: tb.dosSigma_eV };
}

const tbEngine: LabelEngine = {
  name: 'tb',
  description: 'π tight binding, exact diagonalisation on a Monkhorst–Pack mesh',
  settings: tbSettings,
  create: (raw) => {
    const s = raw as Settings<typeof tbSettings>;
    return new TightBindingCalculator({ ...tightBindingOf(s.material, s.model), mesh: s.mesh, kLength_A: s.k_length_A });
  },
};

const kpmEngine: LabelEngine = {
  name: 'tb-kpm',
  description: 'π tight binding, linear-scaling stochastic KPM',
  settings: kpmSettings,
  create: (raw) => {
    const s = raw as Settings<typeof kpmSettings>;
    return new KpmTightBindingCalculator({ ...tightBindingOf(s.material, s.model), moments: s.moments, randomVectors: s.vectors, seed: s.seed, minAtoms: s.min_atoms });
  },
};

const gpawEngine: LabelEngine = {
  name: 'gpaw',
  description: 'DFT: GPAW LCAO (dzp, PBE), el-DoS from the Kohn–Sham levels',
  settings: gpawSettings,
  create: (raw, context) => {
    const s = raw as Settings<typeof gpawSettings>;
    // a material's el-DoS window and σ (boron nitride: [−8, 8] eV, to span its gap), as its TB labels
    // use them, and no further smearing: the public DOSCARs' 0.141 eV is carbon's data contract
    const tb = s.material === undefined ? undefined : materialTightBinding(materialByName(s.material));
    const grid = tb === undefined ? {} : { grid_eV: tb.grid_eV, dosSigma_eV: tb.dosSigma_eV, dosSmearing_eV: 0 };
    return new GpawCalculator({ kpoints: s.mesh, basis: s.basis, xc: s.xc, smearing_eV: s.smearing_eV, maxiter: s.maxiter, workDir: context?.workDir, ...grid });
  },
};

const byName = (...engines: LabelEngine[]): Map<string, LabelEngine> => new Map(engines.map((e) => [e.name, e]));

const KINDS = new Map<LabelKind, LabelKindSpec>([
  ['ph-dos', { kind: 'ph-dos', description: 'Γ-point frequencies and the ph-DoS label (1-THz bins over [0, 100) THz, unit sum)', properties: ['frequencies_THz', 'ph_dos'], defaultEngine: 'builtin', engines: byName(phononEngine) }],
  ['kappa', { kind: 'kappa', description: 'lattice thermal conductivity κ (W/(m·K)) by Green–Kubo or HNEMD', properties: ['kappa_W_mK'], defaultEngine: 'builtin', engines: byName(kappaEngine('builtin'), kappaEngine('lammps')) }],
  ['el-dos', { kind: 'el-dos', description: 'electronic DoS per atom on E − E_F ∈ [−2, 2] eV', properties: ['el_dos'], defaultEngine: 'tb', engines: byName(tbEngine, kpmEngine, gpawEngine) }],
  ['sigma', { kind: 'sigma', description: 'conductivity σ_xx, σ_yy (S/m), sheet conductance and the release label', properties: ['sigma_S_m', 'sheet_conductance_S', 'sigma_label'], defaultEngine: 'tb', engines: byName(tbEngine, kpmEngine) }],
]);

export function labelKind(name: string): LabelKindSpec {
  const spec = KINDS.get(name as LabelKind);
  if (spec === undefined) throw new InputError(`label kind "${name}": unknown (known: ${LABEL_KINDS.join(', ')})`);
  return spec;
}

export function labelEngine(kind: string, engine?: string): LabelEngine {
  const spec = labelKind(kind);
  const name = engine ?? spec.defaultEngine;
  const found = spec.engines.get(name);
  if (found === undefined) throw new InputError(`engine "${name}" does not compute ${kind} (engines for ${kind}: ${[...spec.engines.keys()].join(', ')})`);
  return found;
}

/** Register another engine for a label kind (a plug-in calculator): one call, then CLI and campaigns know it. */
export function registerLabelEngine(kind: LabelKind, engine: LabelEngine): void {
  (labelKind(kind).engines as Map<string, LabelEngine>).set(engine.name, engine);
}

/**
 * An engine's settings checked and completed with its defaults; `where` prefixes every message
 * (a plan key such as "stages.phonons.settings", or "label ph-dos").
 */
export function engineSettings(kind: string, engine: string | undefined, raw: Record<string, unknown>, where: string): Record<string, unknown> {
  const e = labelEngine(kind, engine);
  const parsed = e.settings.safeParse(raw);
  if (!parsed.success) throw new InputError(zodMessages(parsed.error, e.settings, where, raw).join('\n'));
  return parsed.data as Record<string, unknown>;
}

/** The calculator of a label kind, engine and settings (checked). */
export function labelCalculator(kind: string, engine: string | undefined, raw: Record<string, unknown>, context?: EngineContext): { calculator: Calculator; settings: Record<string, unknown>; engine: string; properties: readonly PropertyName[] } {
  const spec = labelKind(kind);
  const e = labelEngine(kind, engine);
  const settings = engineSettings(kind, e.name, raw, `${kind} engine ${e.name} settings`);
  return { calculator: e.create(settings, context), settings, engine: e.name, properties: spec.properties };
}
