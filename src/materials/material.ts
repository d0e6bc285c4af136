import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml, TomlError } from 'smol-toml';
import * as z from 'zod';
import { InputError, ParseError } from '../errors.js';
import { readFileOrFail } from '../io/readFile.js';
import { atomicNumber } from '../structure/elements.js';
import { zodMessages } from '../util/zodMessages.js';

/**
 * A material as data: one TOML file per material in `materials/` (carbon.toml, boron-nitride.toml)
 * states its elements, the crystalline parent the generators start from, the potentials that suit
 * it, the generator rules, the π tight-binding model, the label grids, κ's thickness and where its
 * models live. Generators, tight binding and (through the lead's wiring) predict read it, so a new
 * material is a new file plus whatever physics it truly lacks. Field reference:
 * docs/materials/README.md.
 */

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const positive = z.number().positive();
const symbol = z.string().superRefine((s, ctx) => {
  if (atomicNumber(s) === undefined) ctx.addIssue({ code: 'custom', message: `"${s}" is not an element symbol` });
});

const schema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens'),
  title: z.string().min(1),
  /** Other names `--material` accepts (e.g. "bn"). */
  aliases: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens')).default([]),
  elements: z.array(symbol).min(1),
  parent: z.strictObject({
    name: z.string().min(1),
    lattice: z.literal('honeycomb'),
    sublattices: z.tuple([symbol, symbol]),
    bond_A: z.number().gt(1.2).lt(1.7),
  }),
  potentials: z.strictObject({
    default: z.string().min(1),
    others: z.array(z.string().min(1)).default([]),
  }),
  generator: z.strictObject({
    homopolar_penalty_eV: z.number().nonnegative(),
    min_ring: z.number().int().min(3).max(5),
    swap_fraction: z.number().min(0).lt(1),
    /** Share of the switch attempts that are alternation-keeping pair switches (4- and 8-rings); the rest are Stone–Wales. */
    pair_switch_fraction: z.number().min(0).max(1).default(0),
    www: z.strictObject({
      temperature_K: positive,
      switches_per_atom: z.number().nonnegative(),
      vacancies: z.number().min(0).lt(0.5),
    }),
    keating: z.strictObject({
      alpha_eV_A2: positive,
      beta_eV_A2: positive,
      cos_theta0: z.number().min(-1).max(1),
    }),
    quench: z.strictObject({
      melt_K: positive,
      melt_ps: z.number().nonnegative(),
      end_K: positive,
      rate_K_ps: positive,
      timestep_fs: z.number().positive().max(2),
    }),
  }),
  tb: z.strictObject({
    model: z.enum(['pi-flat', 'pi-normals']).optional(),
    t0_eV: finite,
    a0_A: positive,
    beta: finite,
    cutoff_A: positive,
    taper_A: z.number().nonnegative(),
    onsite_eV: z.record(z.string(), finite),
  }),
  grids: z.strictObject({
    el_dos: z.strictObject({ min_eV: finite, max_eV: finite, step_eV: positive, sigma_eV: positive }),
    ph_dos: z.strictObject({ max_THz: positive, bin_THz: positive }),
  }),
  kappa: z.strictObject({ thickness_A: positive }),
  models: z.strictObject({ folder: z.string().min(1) }),
});

export type MaterialData = z.output<typeof schema>;

/** A checked material file, with where it was read from. */
export type Material = Readonly<MaterialData> & { readonly file: string };

/** The material of structures that name none (spramnet's first, the public data's). */
export const DEFAULT_MATERIAL = 'carbon';

/** The `materials/` folder of the repository or installed package. */
export function materialsDirectory(): string {
  return fileURLToPath(new URL('../../../materials/', import.meta.url));
}

/** Relations between fields that a per-field schema cannot state; each problem as a sentence. */
function crossChecks(m: MaterialData, file: string): string[] {
  const out: string[] = [];
  const elements = new Set(m.elements);
  if (elements.size !== m.elements.length) out.push(`${file}.elements: ${m.elements.join(', ')} names an element twice`);
  const sub = new Set(m.parent.sublattices);
  for (const s of sub) if (!elements.has(s)) out.push(`${file}.parent.sublattices: ${s} is not one of the elements (${m.elements.join(', ')})`);
  for (const e of elements) if (!sub.has(e)) out.push(`${file}.parent.sublattices: element ${e} sits on neither sublattice (${m.parent.sublattices.join(', ')})`);
  const onsite = Object.keys(m.tb.onsite_eV);
  for (const e of m.elements) if (!onsite.includes(e)) out.push(`${file}.tb.onsite_eV.${e}: missing (every element needs its on-site energy, eV)`);
  for (const e of onsite) if (!elements.has(e)) out.push(`${file}.tb.onsite_eV.${e}: ${e} is not one of the elements (${m.elements.join(', ')})`);
  if (!(m.tb.taper_A < m.tb.cutoff_A)) out.push(`${file}.tb.taper_A: ${m.tb.taper_A} must be smaller than cutoff_A ${m.tb.cutoff_A}`);
  const g = m.grids.el_dos;
  const steps = (g.max_eV - g.min_eV) / g.step_eV;
  if (!(g.min_eV <= 0 && g.max_eV >= 0)) out.push(`${file}.grids.el_dos: the window [${g.min_eV}, ${g.max_eV}] eV must hold E − E_F = 0`);
  else if (Math.abs(steps - Math.round(steps)) > 1e-9 * Math.max(1, steps) || Math.abs(g.min_eV / g.step_eV - Math.round(g.min_eV / g.step_eV)) > 1e-9 * Math.max(1, Math.abs(g.min_eV / g.step_eV))) {
    out.push(`${file}.grids.el_dos: min_eV ${g.min_eV} and max_eV ${g.max_eV} must be whole multiples of step_eV ${g.step_eV}`);
  }
  const bins = m.grids.ph_dos.max_THz / m.grids.ph_dos.bin_THz;
  if (Math.abs(bins - Math.round(bins)) > 1e-9 * bins) out.push(`${file}.grids.ph_dos: max_THz ${m.grids.ph_dos.max_THz} must be a whole number of bin_THz ${m.grids.ph_dos.bin_THz}`);
  if (m.generator.quench.melt_K <= m.generator.quench.end_K) out.push(`${file}.generator.quench: melt_K ${m.generator.quench.melt_K} must exceed end_K ${m.generator.quench.end_K}`);
  if (sub.size === 1 && m.generator.swap_fraction > 0) out.push(`${file}.generator.swap_fraction: ${m.generator.swap_fraction}, but the parent has one species: nothing to swap (use 0)`);
  return out;
}

/** Read and check one material file; every problem is named with the file and the key. */
export function loadMaterial(file: string): Material {
  const text = readFileOrFail(file, 'utf8');
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) throw new ParseError(file, error.line, error.message.split('\n')[0].replace(/^Invalid TOML document: /, ''));
    throw error;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InputError(`material file ${zodMessages(parsed.error, schema, file, raw).join('; ')}`);
  const problems = crossChecks(parsed.data, file);
  if (problems.length > 0) throw new InputError(`material file ${problems.join('; ')}`);
  return Object.freeze({ ...parsed.data, file });
}

let registry: Map<string, Material> | undefined;

/** Every material of `materials/`, by name (read once). A file whose name differs from its `name` is refused. */
function materials(): Map<string, Material> {
  if (registry !== undefined) return registry;
  const dir = materialsDirectory();
  const out = new Map<string, Material>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.toml')).sort()) {
    const m = loadMaterial(join(dir, f));
    if (`${m.name}.toml` !== f) throw new InputError(`material file ${m.file}: name "${m.name}" must match the file name (${f})`);
    out.set(m.name, m);
  }
  for (const m of [...out.values()]) {
    for (const a of m.aliases) {
      const taken = out.get(a);
      if (taken !== undefined) throw new InputError(`material file ${m.file}: alias "${a}" is already the name or an alias of ${taken.name}`);
      out.set(a, m);
    }
  }
  registry = out;
  return out;
}

/** The shipped materials, sorted by name. */
export function listMaterials(): Material[] {
  return [...new Set(materials().values())];
}

const known = (): string => listMaterials().map((m) => `${m.name}${m.aliases.length > 0 ? ` alias ${m.aliases.join(', ')}` : ''} (${m.elements.join(', ')})`).join(', ');

/** A shipped material by name or alias (`bn` = `boron-nitride`), or a material file by path (`*.toml`). */
export function materialByName(name: string = DEFAULT_MATERIAL): Material {
  if (name.endsWith('.toml')) {
    if (!existsSync(name)) throw new InputError(`material file ${name} not found`);
    return loadMaterial(name);
  }
  const m = materials().get(name);
  if (m === undefined) throw new InputError(`material "${name}": unknown (known: ${known()}; or give a material file, *.toml)`);
  return m;
}

/**
 * The material whose elements hold every symbol given (the one with fewest elements when several
 * do; refused when two tie). A structure's symbols match none → an error naming the known materials
 * and their elements (a B–N–C mixture matches neither carbon nor boron nitride).
 */
export function materialOfElements(symbols: Iterable<string>): Material {
  const present = [...new Set(symbols)].sort();
  if (present.length === 0) throw new InputError('a structure without atoms belongs to no material');
  const fits = listMaterials().filter((m) => present.every((s) => m.elements.includes(s)));
  if (fits.length === 0) throw new InputError(`no material has the elements ${present.join(', ')} (known: ${known()})`);
  const fewest = Math.min(...fits.map((m) => m.elements.length));
  const best = fits.filter((m) => m.elements.length === fewest);
  if (best.length > 1) throw new InputError(`elements ${present.join(', ')} fit several materials equally: ${best.map((m) => m.name).join(', ')}`);
  return best[0];
}

/** Atomic numbers of the parent's two sublattices. */
export function sublatticeNumbers(material: Material): [number, number] {
  return material.parent.sublattices.map((s) => atomicNumber(s) as number) as [number, number];
}

/** Whether the parent puts two different elements on its sublattices (bonds can then be homopolar). */
export function isBinary(material: Material): boolean {
  return material.parent.sublattices[0] !== material.parent.sublattices[1];
}

/**
 * The material's el-DoS energies E − E_F, eV. Computed as k/q with q = 1/step when that is a whole
 * number (carbon: (k − 40)/20, the data contract's grid bit for bit), else k·step.
 */
export function elDosGrid(material: Material): Float64Array {
  const g = material.grids.el_dos;
  const first = Math.round(g.min_eV / g.step_eV);
  const count = Math.round((g.max_eV - g.min_eV) / g.step_eV) + 1;
  const perEv = 1 / g.step_eV;
  const whole = Math.abs(perEv - Math.round(perEv)) < 1e-9;
  return Float64Array.from({ length: count }, (_, k) => (whole ? (first + k) / Math.round(perEv) : (first + k) * g.step_eV));
}

/** What the π tight-binding engines take from a material: its model parameters, el-DoS energies and broadening. */
export interface MaterialTightBinding {
  parameters: { model?: 'pi-flat' | 'pi-normals'; t0_eV: number; a0_A: number; beta: number; cutoff_A: number; taper_A: number; onsite_eV: Readonly<Record<string, number>> };
  grid_eV: Float64Array;
  dosSigma_eV: number;
}

/** The material's π model and el-DoS grid (carbon's file gives the built-in carbon model and the data contract's grid). */
export function materialTightBinding(material: Material): MaterialTightBinding {
  const { model, t0_eV, a0_A, beta, cutoff_A, taper_A, onsite_eV } = material.tb;
  return { parameters: { ...(model !== undefined ? { model } : {}), t0_eV, a0_A, beta, cutoff_A, taper_A, onsite_eV }, grid_eV: elDosGrid(material), dosSigma_eV: material.grids.el_dos.sigma_eV };
}

/** The material file's name as shown to users (its basename). */
export function materialFileName(material: Material): string {
  return basename(material.file);
}
