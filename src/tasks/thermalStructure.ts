import { InputError } from '../errors.js';
import { sheetView } from '../descriptors/sheet.js';
import { grapheneBondLength } from '../generate/potentialGraphene.js';
import type { ForceField } from '../physics/forceField.js';
import { relaxFire } from '../physics/relax/fire.js';
import { loadTersoff } from '../physics/tersoff/params.js';
import { Tersoff } from '../physics/tersoff/tersoff.js';
import { Atoms } from '../structure/atoms.js';
import { inverse } from '../structure/cell.js';
import { SYMBOLS } from '../structure/elements.js';
import { neighborList } from '../structure/neighbors.js';

/**
 * A structure the way the thermal labels saw theirs. The public thermal g(r) come from flat carbon
 * sheets relaxed with the Tersoff potential of Lindsay and Broido in a graphene cell at that
 * potential's own bond length (1.4388 Å; docs/factory.md, "The cell"); a DFT-relaxed cell has shorter
 * bonds in a 1.42 Å cell, so its g(r) shells sit ≈ 1.3 % short and outside the thermal models'
 * domain. Before its thermal g(r), a flat structure is therefore
 *  - 'potential' cell (default): stretched in x and y so that its parent graphene — read off the cell
 *    when the cell is a graphene supercell (parentGrapheneBond_A), else its median C–C bond (< 1.85 Å)
 *    — has the potential's graphene bond (a sheet already in that cell is left as it is), then its
 *    positions relaxed with FIRE at that fixed cell;
 *  - 'relaxed': positions and the in-plane cell relaxed to zero stress (as `label ph-dos --cell`);
 *  - 'fixed': positions relaxed in the cell as given.
 * Measured on public flat electron cells (bench/thermalDomain.ts): only 'potential' brings any of
 * them into the thermal domains; 'relaxed' (+2 % cell) and 'fixed' bring none.
 *
 * The thermal models learnt flat carbon sheets only: a buckled sheet (height spread above
 * FLAT_HEIGHT_STD_A) or one with other elements is not relaxed (the potential has only carbon, and
 * no relaxation makes a buckled sheet flat) and gets that as its reason in the domain verdict.
 */
export type ThermalCell = 'potential' | 'relaxed' | 'fixed';

export interface ThermalStructureOptions {
  /** Relax at all (default true); false keeps the atoms as given but still judges flatness and elements. */
  relax?: boolean;
  /** Tersoff set by name or file, or a force field (default the thermal labels' 'lindsay-broido-2010'). */
  potential?: string | ForceField;
  cell?: ThermalCell;
  /** FIRE convergence, eV/Å (default 0.05: positions to ≈ 0.002 Å, far below the g(r) bins of 0.1 Å). */
  fmax_eV_A?: number;
  /** FIRE step limit (default 3000); at the limit the last positions are used and `converged` is false. */
  maxSteps?: number;
}

/** What the relaxation did, as `predict --json` reports it under `thermal_relax`. */
export interface ThermalRelaxRecord {
  relaxed: boolean;
  /** Why not relaxed (not flat, other elements, or not asked). */
  skipped?: string;
  potential?: string;
  cell?: ThermalCell;
  /** Factor applied to x, y and the in-plane cell before relaxing ('potential' cell), or the cell relaxation's mean stretch. */
  in_plane_scale?: number;
  /** 'potential' cell: what the factor maps onto the potential's graphene bond — the parent graphene's bond read off a graphene-supercell cell, or else the sheet's median C–C bond. */
  scaled_from?: 'graphene cell' | 'median bond';
  steps?: number;
  converged?: boolean;
  fmax_eV_A?: number;
  /** Largest move of an atom by the relaxation (after the in-plane scaling), Å. */
  max_displacement_A?: number;
  seconds?: number;
}

export interface ThermalStructure {
  atoms: Atoms;
  record: ThermalRelaxRecord;
  /** Why the thermal models cannot judge this structure (empty for a flat carbon sheet). */
  reasons: string[];
}

/** Height spread (standard deviation of z on the whole sheet) above which a sheet is not flat, Å. */
export const FLAT_HEIGHT_STD_A = 0.1;
const BOND_CUTOFF_A = 1.85;
const THERMAL_POTENTIAL = 'lindsay-broido-2010';
const fieldCache = new Map<string, ForceField>();

function forceFieldOf(potential: string | ForceField): ForceField {
  if (typeof potential !== 'string') return potential;
  let field = fieldCache.get(potential);
  if (field === undefined) {
    field = new Tersoff(loadTersoff(potential));
    fieldCache.set(potential, field);
  }
  return field;
}

/** Standard deviation of z over the sheet made whole across the z boundary, Å. */
export function heightSpread_A(atoms: Atoms, file = 'structure'): number {
  const p = sheetView(atoms, file).positions;
  const n = atoms.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += p[3 * i + 2] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (p[3 * i + 2] - mean) ** 2 / n;
  return Math.sqrt(variance);
}

/** Why the thermal models (flat carbon sheets) cannot judge this structure; empty when they can. */
export function thermalReasons(atoms: Atoms, file = 'structure'): string[] {
  const reasons: string[] = [];
  const foreign = [...new Set(atoms.numbers)].filter((z) => z !== 6);
  if (foreign.length > 0) reasons.push(`contains ${foreign.map((z) => SYMBOLS[z]).join(', ')}; the thermal models saw only carbon sheets`);
  const h = heightSpread_A(atoms, file);
  if (h > FLAT_HEIGHT_STD_A) reasons.push(`not flat (height spread ${h.toFixed(2)} Å); the thermal models learnt flat sheets only (the public thermal set), so a buckled sheet's g(r) is outside what they saw`);
  return reasons;
}

/** Bond lengths a graphene parent of a sheet may have had, Å (DFT's 1.42, Tersoff sets' 1.44–1.46, strained cells). */
const PARENT_BOND_RANGE_A = [1.36, 1.5] as const;

/**
 * The bond of the graphene whose rectangular supercell this in-plane cell is — lx = 3a·nx and
 * ly = √3a·ny (armchair along x) or lx = √3a·nx and ly = 3a·ny (zigzag along x) for whole nx, ny to
 * 1e-6 — or undefined when the cell is no such supercell (sheared, relaxed). Sheets made from
 * graphene by switching bonds or removing atoms keep their parent's cell, and the cell, unlike their
 * bonds, says exactly what graphene they came from. Some cells are supercells of two graphenes
 * (10 × 3a by 20 × √3a is also 18 × √3a′ by 12 × 3a′ with a′ = 0.962a): `nearBond_A`, the sheet's
 * typical bond, picks the parent within 3 % of it (none: undefined).
 */
export function parentGrapheneBond_A(cell: ArrayLike<number>, nearBond_A?: number): number | undefined {
  const lx = cell[0];
  const ly = cell[4];
  if (!(lx > 0 && ly > 0) || Math.abs(cell[1]) > 1e-9 * lx || Math.abs(cell[3]) > 1e-9 * ly) return undefined;
  const found: number[] = [];
  for (const [fx, fy] of [[3, Math.sqrt(3)], [Math.sqrt(3), 3]]) {
    for (let nx = Math.ceil(lx / (fx * PARENT_BOND_RANGE_A[1])); nx <= Math.floor(lx / (fx * PARENT_BOND_RANGE_A[0])); nx++) {
      const a = lx / (fx * nx);
      const ny = ly / (fy * a);
      if (Math.round(ny) >= 1 && Math.abs(ny - Math.round(ny)) <= 1e-6 * ny && !found.some((b) => Math.abs(b - a) <= 1e-9 * a)) found.push(a);
    }
  }
  const plausible = nearBond_A === undefined ? found : found.filter((a) => Math.abs(a / nearBond_A - 1) <= 0.03);
  return plausible.length === 1 ? plausible[0] : undefined;
}

function medianBond_A(atoms: Atoms): number | undefined {
  const list = neighborList(atoms.positions, atoms.cell, atoms.pbc, BOND_CUTOFF_A);
  if (list.distances.length === 0) return undefined;
  const d = Float64Array.from(list.distances).sort();
  return d[d.length >> 1];
}

function scaledInPlane(atoms: Atoms, factor: number): Atoms {
  const positions = Float64Array.from(atoms.positions);
  const cell = Float64Array.from(atoms.cell);
  for (let i = 0; i < atoms.length; i++) {
    positions[3 * i] *= factor;
    positions[3 * i + 1] *= factor;
  }
  for (const k of [0, 1, 3, 4]) cell[k] *= factor;
  return new Atoms({ positions, numbers: atoms.numbers, cell, pbc: atoms.pbc, info: atoms.info });
}

/** Largest move between two states of the same atoms, compared in fractional coordinates (minimum image in periodic directions) and measured in the second cell. */
function maxDisplacement_A(before: Atoms, after: Atoms): number {
  const invA = inverse(before.cell);
  const invB = inverse(after.cell);
  const c = after.cell;
  let worst = 0;
  for (let i = 0; i < before.length; i++) {
    const df = [0, 0, 0];
    for (let d = 0; d < 3; d++) {
      const fa = before.positions[3 * i] * invA[d] + before.positions[3 * i + 1] * invA[3 + d] + before.positions[3 * i + 2] * invA[6 + d];
      const fb = after.positions[3 * i] * invB[d] + after.positions[3 * i + 1] * invB[3 + d] + after.positions[3 * i + 2] * invB[6 + d];
      df[d] = fb - fa;
      if (after.pbc[d]) df[d] -= Math.round(df[d]);
    }
    const dx = df[0] * c[0] + df[1] * c[3] + df[2] * c[6];
    const dy = df[0] * c[1] + df[1] * c[4] + df[2] * c[7];
    const dz = df[0] * c[2] + df[1] * c[5] + df[2] * c[8];
    worst = Math.max(worst, Math.hypot(dx, dy, dz));
  }
  return worst;
}

/** The structure whose thermal g(r) the thermal models read (see the comment at the top). */
export function thermalStructure(atoms: Atoms, options: ThermalStructureOptions = {}, file = 'structure'): ThermalStructure {
  const reasons = thermalReasons(atoms, file);
  if (options.relax === false) return { atoms, record: { relaxed: false, skipped: 'not asked (--no-thermal-relax)' }, reasons };
  if (reasons.length > 0) return { atoms, record: { relaxed: false, skipped: reasons[0].split(';')[0] }, reasons };
  const cell = options.cell ?? 'potential';
  if (cell !== 'potential' && cell !== 'relaxed' && cell !== 'fixed') throw new InputError(`thermal cell must be potential, relaxed or fixed, got "${String(cell)}"`);
  const forceField = forceFieldOf(options.potential ?? THERMAL_POTENTIAL);
  const t0 = performance.now();
  let start = atoms;
  let scale = 1;
  let scaledFrom: ThermalRelaxRecord['scaled_from'];
  if (cell === 'potential') {
    // the parent graphene's bond when the cell shows it (a sheet already in the potential's cell is
    // left as it is: its own bonds' median need not equal graphene's), else the median C–C bond
    const median = medianBond_A(atoms);
    const parent = median === undefined ? undefined : parentGrapheneBond_A(atoms.cell, median);
    const reference = parent ?? median;
    if (reference !== undefined) {
      scaledFrom = parent !== undefined ? 'graphene cell' : 'median bond';
      scale = grapheneBondLength(forceField) / reference;
      if (Math.abs(scale - 1) > 1e-9) start = scaledInPlane(atoms, scale);
      else scale = 1;
    }
  }
  const r = relaxFire(start, forceField, { fmax_eV_A: options.fmax_eV_A ?? 0.05, maxSteps: options.maxSteps ?? 3000, relaxCell: cell === 'relaxed', onMaxSteps: 'return' });
  if (cell === 'relaxed') scale = Math.sqrt(Math.abs((r.atoms.cell[0] * r.atoms.cell[4] - r.atoms.cell[1] * r.atoms.cell[3]) / (atoms.cell[0] * atoms.cell[4] - atoms.cell[1] * atoms.cell[3])));
  const record: ThermalRelaxRecord = {
    relaxed: true,
    potential: forceField.name,
    cell,
    in_plane_scale: Number(scale.toFixed(6)),
    ...(scaledFrom !== undefined ? { scaled_from: scaledFrom } : {}),
    steps: r.record.steps,
    converged: r.record.converged,
    fmax_eV_A: Number(r.record.fmax_eV_A.toPrecision(3)),
    max_displacement_A: Number(maxDisplacement_A(start, r.atoms).toFixed(4)),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
  };
  return { atoms: r.atoms, record, reasons };
}
