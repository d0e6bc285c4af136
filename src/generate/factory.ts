import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConvergenceError, InputError } from '../errors.js';
import { AseDatabase, uniqueIdOf, type KeyValue } from '../data/aseDb.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { ForceField } from '../physics/forceField.js';
import type { Atoms } from '../structure/atoms.js';
import { writePoscar } from '../structure/io/poscar.js';
import { generateQuench, type QuenchOptions } from './quench.js';
import { GRAPHENE_BOND_A } from './graphene.js';
import { grapheneBondLength } from './potentialGraphene.js';
import { relaxSheet, relaxSheetAndCell } from './relaxForceField.js';
import { RING_CATEGORIES, ringStatistics } from './rings.js';
import { structureSeed } from './seeds.js';
import { sheetAtoms } from './toAtoms.js';
import { generateWww, type WwwChemistry, type WwwOptions } from './www.js';
import { honeycombMinimum } from './potentialGraphene.js';
import { bondChemistry } from './chemistry.js';
import { DEFAULT_MATERIAL, isBinary, sublatticeNumbers, type Material } from '../materials/material.js';

export type GenerateMethod = 'www' | 'quench';

export interface GenerateRun {
  method: GenerateMethod;
  count: number;
  seed: number;
  /** A directory (POSCAR_0001 …) or an ASE SQLite file (*.db). */
  out: string;
  /** Atoms per structure, or a list structure i draws from with its own seed. */
  atoms: number | readonly number[];
  /** Method settings shared by every structure (atoms and seed are per structure). */
  www?: Omit<WwwOptions, 'atoms' | 'seed'>;
  quench?: Omit<QuenchOptions, 'atoms' | 'seed'>;
  /** Per-structure overrides (e.g. a disorder drawn per structure), from the structure's seed. */
  vary?: (index: number, seed: number) => Partial<WwwOptions & QuenchOptions>;
  /** Final relaxation of WWW sheets: the Keating field alone, or then this force field. */
  relax?: 'keating' | 'forcefield';
  /** Needed by quench and by relax 'forcefield'. */
  forceField?: ForceField;
  /** The cell of force-field-relaxed sheets (quench; WWW with relax 'forcefield'): see CellPolicy. */
  cell?: CellPolicy;
  /**
   * The material (materials/*.toml). Absent or carbon: the carbon generators, unchanged. A
   * two-element material (boron nitride): WWW from its honeycomb parent with the material's
   * homopolar penalty, swap fraction and smallest ring, unless `www` sets them.
   */
  material?: Material;
  /** Two-element WWW: overrides of the material's homopolar penalty and swap fraction. */
  chemistry?: Partial<Pick<WwwChemistry, 'homopolarPenalty_eV' | 'swapFraction' | 'pairSwitchFraction'>>;
  onProgress?: (done: number, total: number) => void;
}

/** The run's material when it is not carbon's one-element path, else undefined. */
function binaryMaterial(run: GenerateRun): Material | undefined {
  return run.material !== undefined && isBinary(run.material) ? run.material : undefined;
}

/**
 * 'potential' (default): a graphene supercell at the force field's own graphene bond length
 * (Lindsay–Broido 1.4388 Å), fixed; WWW sheets then put their g(r) shells in the public thermal
 * set's bins (docs/factory.md). 'graphene': the 1.42 Å supercell, fixed (sheets ≈ 1.4 %
 * compressed under Lindsay–Broido). 'relaxed': x and y relaxed to zero in-plane stress after the
 * fixed-cell relaxation (≈ 2 % larger than 1.42 Å).
 */
export type CellPolicy = 'potential' | 'graphene' | 'relaxed';

export const CELL_POLICIES: readonly CellPolicy[] = ['potential', 'graphene', 'relaxed'];

export interface GeneratedStructure {
  index: number;
  seed: number;
  atoms: Atoms;
  provenance: Record<string, KeyValue>;
}

export interface GenerateReport {
  written: number;
  skipped: number;
  /** Atoms of each structure written in this run. */
  atomCounts: number[];
  out: string;
}

function atomsFor(run: GenerateRun, seed: number): number {
  if (typeof run.atoms === 'number') return run.atoms;
  if (run.atoms.length === 0) throw new InputError('the list of atom counts is empty');
  return run.atoms[seed % run.atoms.length];
}

function flatKeys(prefix: string, o: object): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[`${prefix}${k.replace(/[^A-Za-z0-9_]/g, '_')}`] = v;
    else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) Object.assign(out, flatKeys(`${prefix}${k}_`, v));
  }
  return out;
}

/** The entries of `o` whose value is defined. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The run's cell policy when a force field relaxes its sheets, else undefined. */
function cellPolicy(run: GenerateRun): CellPolicy | undefined {
  if (run.forceField === undefined || !(run.method === 'quench' || run.relax === 'forcefield')) return undefined;
  const policy = run.cell ?? 'potential';
  if (!CELL_POLICIES.includes(policy)) throw new InputError(`cell must be one of ${CELL_POLICIES.join(', ')}, got "${String(policy)}"`);
  return policy;
}

/** Stretch a sheet and its cell in x and y by `factor` (fractional coordinates kept). */
function scaleInPlane(atoms: Atoms, factor: number): void {
  for (let i = 0; i < atoms.length; i++) {
    atoms.positions[3 * i] *= factor;
    atoms.positions[3 * i + 1] *= factor;
  }
  for (const k of [0, 1, 3, 4]) atoms.cell[k] *= factor;
}

/** Bond length of the graphene cell a force-field-relaxed sheet is made in. */
function cellBond_A(run: GenerateRun, policy: CellPolicy): number {
  const m = binaryMaterial(run);
  if (m !== undefined) return policy === 'potential' && run.forceField !== undefined ? honeycombMinimum(run.forceField, sublatticeNumbers(m)).bond_A : m.parent.bond_A;
  return policy === 'potential' && run.forceField !== undefined ? grapheneBondLength(run.forceField) : GRAPHENE_BOND_A;
}

/** After the fixed-cell relaxation: relax x and y too when the policy says so; the provenance. */
function finishCell(atoms: Atoms, run: GenerateRun, policy: CellPolicy, bond_A: number): Record<string, KeyValue> {
  if (policy !== 'relaxed' || run.forceField === undefined) return { cell: policy, graphene_bond_A: bond_A };
  const r = relaxSheetAndCell(atoms, run.forceField);
  return { cell: policy, graphene_bond_A: bond_A, cell_relaxed: r.converged, cell_strain_x: r.strain[0], cell_strain_y: r.strain[1] };
}

/**
 * A sheet that is not amorphous is not returned: fewer accepted WWW switches than
 * MIN_ACCEPTED_PER_ATOM asks (at least one), or every ring of 3–11 atoms a hexagon (graphene, perhaps
 * with holes: a quench that never melted or recrystallised). Such a sheet is made again with the next
 * seed of the structure (seeds derived from its own, so "same seed → same file" holds), up to
 * MAX_RETRIES times, and otherwise refused with the reason. Found: `www --atoms 200 --seed 7` gave
 * pristine graphene (0 of 400 switches accepted at 20 kK), 2 of 30 sheets in another run too.
 */
export const MIN_ACCEPTED_PER_ATOM = 0.01;
export const MAX_RETRIES = 8;

/** Why a sheet is a crystal rather than an amorphous one, or undefined. */
export function crystalReason(atoms: Atoms, switches?: { accepted: number; attempted: number; minimum: number }): string | undefined {
  if (switches !== undefined && switches.accepted < switches.minimum) {
    return `${switches.accepted} of ${switches.attempted} switch attempts accepted, fewer than the ${switches.minimum} asked (${MIN_ACCEPTED_PER_ATOM} per atom)`;
  }
  const counts = ringStatistics(atoms, { maxRing: 12 }).ringCounts;
  let other = 0;
  RING_CATEGORIES.forEach((size, k) => {
    if (size !== '6' && size !== '12+') other += counts[k];
  });
  return other === 0 ? `every ring is a hexagon (${counts[RING_CATEGORIES.indexOf('6')]} six-rings, no other of 3–11 atoms): a crystal` : undefined;
}

/** One attempt at structure `index` with `seed`: the sheet, its provenance, and why it is no amorphous sheet (if so). */
function generateWithSeed(run: GenerateRun, index: number, seed: number, n: number, extra: Partial<WwwOptions & QuenchOptions>): GeneratedStructure & { crystal?: string } {
  const base = { method: run.method, run_seed: run.seed >>> 0, index: index + 1, seed: structureSeed(run.seed, index) };
  const material = binaryMaterial(run);
  if (run.method === 'www') {
    const chemistry = material === undefined ? undefined : { sublattices: sublatticeNumbers(material), homopolarPenalty_eV: material.generator.homopolar_penalty_eV, swapFraction: material.generator.swap_fraction, pairSwitchFraction: material.generator.pair_switch_fraction, ...run.chemistry };
    // a two-element material's generator settings are the defaults; what the run sets wins
    const own = material === undefined ? {} : { minRing: material.generator.min_ring, temperature_K: material.generator.www.temperature_K, switches: Math.round(material.generator.www.switches_per_atom * n), vacancies: material.generator.www.vacancies };
    const r = generateWww({ ...own, ...(material === undefined ? run.www : definedOnly(run.www ?? {})), ...extra, atoms: n, seed, ...(chemistry === undefined ? {} : { chemistry }) });
    const dims = r.settings.dimensions;
    const atoms = sheetAtoms(r.network, dims === 2 ? 10 : 20, `N=${r.atoms}, method=www, seed=${seed}`, r.chemistry?.numbers);
    // a two-element sheet is made at Keating's graphene bond: scaled to the material's (Keating is homogeneous, so it stays a minimum)
    if (material !== undefined && run.relax !== 'forcefield') scaleInPlane(atoms, material.parent.bond_A / r.settings.keating.bond_A);
    let relax = 'keating';
    let cell: Record<string, KeyValue> = {};
    if (run.relax === 'forcefield') {
      if (run.forceField === undefined) throw new InputError('relax "forcefield" needs a force field');
      const policy = cellPolicy(run) as CellPolicy;
      const bond = cellBond_A(run, policy);
      if (policy === 'potential') scaleInPlane(atoms, bond / GRAPHENE_BOND_A);
      relaxSheet(atoms, run.forceField, dims);
      cell = finishCell(atoms, run, policy, bond);
      relax = run.forceField.name;
    }
    const minimum = Math.max(1, Math.ceil(MIN_ACCEPTED_PER_ATOM * r.atoms));
    const chem = material === undefined || chemistry === undefined ? {} : chemistryProvenance(material, chemistry, r.chemistry!, atoms);
    const provenance = { ...base, ...chem, ...flatKeys('', { ...r.settings, keating: undefined, seed: undefined }), ...flatKeys('keating_', r.settings.keating), relax, ...cell, accepted_switches: r.accepted, min_accepted_switches: minimum, keating_energy_eV: r.energy_eV, requested_atoms: n };
    return { index, seed, atoms, provenance, crystal: crystalReason(atoms, { accepted: r.accepted, attempted: r.attempted, minimum }) };
  }
  if (run.method === 'quench') {
    if (run.forceField === undefined) throw new InputError('quench needs a force field (the Tersoff potential)');
    const policy = cellPolicy(run) as CellPolicy;
    const bond = cellBond_A(run, policy);
    // a two-element material melts its own parent (h-BN: B and N on the two sublattices) on its own schedule unless the run sets one
    const q = material?.generator.quench;
    const own: Partial<QuenchOptions> = q === undefined ? {} : { sublattices: sublatticeNumbers(material!), meltTemperature_K: q.melt_K, meltTime_ps: q.melt_ps, endTemperature_K: q.end_K, rate_K_ps: q.rate_K_ps, timestep_fs: q.timestep_fs };
    const r = generateQuench({ ...own, ...(material === undefined ? run.quench : definedOnly(run.quench ?? {})), ...extra, atoms: n, seed, bond_A: bond }, run.forceField);
    const cell = finishCell(r.atoms, run, policy, bond);
    const species = material === undefined ? {} : speciesProvenance(material, r.atoms);
    const provenance = { ...base, ...flatKeys('', { ...r.settings, seed: undefined, sublattices: undefined }), ...species, force_field: run.forceField.name, md_steps: r.steps, energy_eV: r.energy_eV, relax_converged: r.relaxConverged, ...cell, requested_atoms: n };
    return { index, seed, atoms: r.atoms, provenance, crystal: crystalReason(r.atoms) };
  }
  throw new InputError(`unknown method "${String(run.method)}" (expected www or quench)`);
}

/** Provenance of a two-element WWW sheet: material, penalty, homopolar bonds in the network and in the final geometry. */
function chemistryProvenance(material: Material, chemistry: NonNullable<WwwOptions['chemistry']>, r: NonNullable<ReturnType<typeof generateWww>['chemistry']>, atoms: Atoms): Record<string, KeyValue> {
  const { material: name, homopolar_fraction, ...bonds } = speciesProvenance(material, atoms);
  return {
    material: name,
    homopolar_penalty_eV: chemistry.homopolarPenalty_eV,
    swap_fraction: chemistry.swapFraction,
    swaps_attempted: r.swapsAttempted,
    swaps_accepted: r.swapsAccepted,
    pair_switch_fraction: chemistry.pairSwitchFraction ?? 0,
    pair_switches_attempted: r.pairSwitchesAttempted,
    pair_switches_accepted: r.pairSwitchesAccepted,
    network_homopolar_bonds: r.homopolarBonds,
    network_bonds: r.bonds,
    homopolar_fraction,
    ...bonds,
  };
}

/** What a two-element quench made of its species: the material, the homopolar fraction and the bonds by element pair. */
function speciesProvenance(material: Material, atoms: Atoms): Record<string, KeyValue> {
  const b = bondChemistry(atoms);
  return { material: material.name, homopolar_fraction: b.homopolarFraction, ...Object.fromEntries(Object.entries(b.pairs).map(([k, v]) => [`bonds_${k.replace('-', '')}`, v])) };
}

/**
 * Structure `index` of a run: its own seed from (run seed, index), so it can be made alone; a
 * crystal is made again with the next seed (see MIN_ACCEPTED_PER_ATOM), recorded as `retries` and
 * `seed_used` in the provenance, or refused.
 */
export function generateStructure(run: GenerateRun, index: number): GeneratedStructure {
  const seed = structureSeed(run.seed, index);
  const n = atomsFor(run, seed);
  const extra = run.vary?.(index, seed) ?? {};
  const rejected: string[] = [];
  for (let retry = 0; retry <= MAX_RETRIES; retry++) {
    // retry k draws seed k of the structure's own sequence: deterministic, and retry 0 is the structure seed
    const used = retry === 0 ? seed : structureSeed(seed, retry - 1);
    const { crystal, ...made } = generateWithSeed(run, index, used, n, extra);
    if (crystal === undefined) {
      return { ...made, seed, provenance: { ...made.provenance, retries: retry, seed_used: used, ...(rejected.length > 0 ? { rejected: rejected.join('; ') } : {}) } };
    }
    rejected.push(`seed ${used}: ${crystal}`);
  }
  const knob = run.method === 'www' ? 'raise --temperature, --switches or --vacancies' : 'raise --rate-K-ps or --melt-K';
  throw new ConvergenceError(`structure ${index + 1}: no amorphous sheet in ${MAX_RETRIES + 1} seeds (${rejected.join('; ')}); ${knob}`);
}

/** File name of structure i (0-based) in a directory run: POSCAR_0001 …, wider when needed. */
export function poscarName(index: number, count: number): string {
  return `POSCAR_${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;
}

/**
 * Generate `count` structures into a directory or an ASE database. Structures already there (a
 * file of that name, or a row with that unique id) are skipped, so a killed run resumes; each
 * structure depends only on (seed, index), so the result is the same as an uninterrupted run.
 */
export function runGenerate(run: GenerateRun): GenerateReport {
  if (!Number.isInteger(run.count) || run.count < 1) throw new InputError(`--count must be a positive integer, got ${run.count}`);
  if (!Number.isInteger(run.seed) || run.seed < 0 || run.seed > 0xffffffff) throw new InputError(`--seed must be an integer in [0, 2³²), got ${run.seed}`);
  const toDb = /\.db$/i.test(run.out);
  const report: GenerateReport = { written: 0, skipped: 0, atomCounts: [], out: run.out };
  // the folder or database is made with the first structure: a run that fails first leaves nothing
  let db = toDb && existsSync(run.out) ? new AseDatabase(run.out) : undefined;
  // the cell enters the id only when it is not the first runs' 1.42 Å cell, so their stores resume
  const policy = cellPolicy(run);
  const material = run.material !== undefined && run.material.name !== DEFAULT_MATERIAL ? { material: run.material.name } : {};
  const settingsKey = JSON.stringify({ ...run.www, ...run.quench, atoms: run.atoms, relax: run.relax ?? 'keating', ...(policy !== undefined && policy !== 'graphene' ? { cell: policy } : {}), ...material, ...(run.chemistry !== undefined ? { chemistry: run.chemistry } : {}) });
  try {
    for (let i = 0; i < run.count; i++) {
      run.onProgress?.(i, run.count);
      const uid = uniqueIdOf(`spramnet-generate/${run.method}/${run.seed >>> 0}/${i}/${settingsKey}`);
      const file = join(run.out, poscarName(i, run.count));
      if (toDb ? db?.hasUniqueId(uid) === true : existsSync(file)) {
        report.skipped++;
        continue;
      }
      const g = generateStructure(run, i);
      if (toDb) {
        const store = (db ??= new AseDatabase(run.out));
        store.transaction(() => store.write(uid, g.atoms, g.provenance, {}));
      } else {
        mkdirSync(run.out, { recursive: true });
        writeFileAtomic(file, writePoscar(g.atoms));
      }
      report.written++;
      report.atomCounts.push(g.atoms.length);
    }
    run.onProgress?.(run.count, run.count);
  } finally {
    db?.close();
  }
  return report;
}
