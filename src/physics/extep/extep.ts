import { InputError } from '../../errors.js';
import { SYMBOLS } from '../../structure/elements.js';
import { computeFresh, type AtomicSystem, type ForceField, type ForceRequest, type ForceResult, type SwitchingShell } from '../forceField.js';
import { addOuter, Tersoff, type TersoffOptions } from '../tersoff/tersoff.js';
import { elementNumber } from '../tersoff/params.js';
import { tersoffPart, type ExtepParameters } from './params.js';
import { correctionXY, envelope, knotTable, patchTable } from './spline.js';

/**
 * The extended Tersoff potential ExTeP (J. H. Los et al., PRB 96, 184108, 2017) with LAMMPS'
 * `pair_style extep` semantics:
 *
 *   E = E_Tersoff + ½ Σ_i Σ_{j≠i} f_A(r_ij) F_c(i, j),   f_A = −B e^{−λ2 r} f_c(r)   (the (i, j, j) entry)
 *   F_c(i, j) = f_env(N^t_ij, N^t_ji) · F_XY(N^d_ij, N^d_ji)                        (spline.ts)
 *
 * E_Tersoff is the Tersoff bond-order energy of the file's triplet entries, computed by the built-in
 * Tersoff (src/physics/tersoff), whose arithmetic is LAMMPS' `pair_style tersoff`, the same as
 * `extep`'s but for ∂b_ij/∂ζ on the asymptotic branch βζ > c2 (the LAMMPS extep source has an extra factor ½ inside it), which
 * starts at βζ ≈ 5·10⁶ for BN.extep, where βζ gains at most ≈ 530 per neighbour (B–B–B: β(1 + c²/d²)).
 * The counts are LAMMPS': N^t_i = Σ_k f_c(r_ik) over all neighbours k of i and N^d_i the
 * same sum over neighbours of the other species, with f_c of the (i, k, k) entry; the bond's own term
 * is removed, N^t_ij = N^t_i − f_c(r_ij) and N^t_ji = N^t_j − f_c(r_ij) (the hetero counts only when
 * i and j differ in species), and each is clamped at 0.
 *
 * Forces: the radial ½ f_A′ F_c on the bond, and for each other neighbour k of i the pair force of
 * f_A (∂F_c/∂N^t_ij + [k of the other species] ∂F_c/∂N^d_ij) f_c′(r_ik). That is twice the derivative
 * of the ordered term (i, j) alone: LAMMPS lets it stand for the mirror term (j, i) as well, whose
 * dependence on i's neighbours is the same because the knot table is mirrored, f_env is symmetric and
 * f_A of (i, j, j) and (j, i, i) agree (true of BN.extep; not checked for other files). Two
 * deliberate differences from LAMMPS, neither of which changes BN.extep's numbers (all its R, D are
 * equal): f_c′(r_ik) is taken from the (i, k, k) entry that defines N^t_i (LAMMPS uses (i, k, first
 * element)), and k runs over the (i, k, k) cut-off (LAMMPS: the (i, j, k) one).
 *
 * Virials: every correction force is a central pair force (i–j or i–k), so per-atom virials give half
 * of r ⊗ f to each end, in LAMMPS' `compute stress/atom` form and in the centroid form alike; the
 * Tersoff part follows TersoffOptions.perAtomVirial. Per-atom energies: half of each ordered term to i
 * and to j (LAMMPS `compute pe/atom`).
 *
 * Range: a term of bond i–j involves the neighbours of i and of j, so it spans up to 3 cut-offs (a
 * Tersoff term 2). The phonon code's cluster force constants keep every atom within 4 cut-offs of
 * the displaced one, which holds every term that contains it: exact for ExTeP too (tested).
 */
export class Extep implements ForceField {
  readonly name: string;
  readonly cutoff_A: number;
  readonly parameters: ExtepParameters;
  /** The Tersoff part; its Verlet list serves the correction too. */
  readonly bondOrder: Tersoff;
  private readonly nel: number;
  private readonly elementOf = new Int32Array(SYMBOLS.length).fill(-1);
  /** Per ordered element pair (i, j): B, λ2, R, D, (R + D)² of the (i, j, j) entry. */
  private readonly pair: Float64Array;
  private readonly patches: Float64Array;
  private types = new Int32Array(0);
  private lastNumbers = new Uint8Array(0);
  // Per atom: total and hetero neighbour counts.
  private nt = new Float64Array(0);
  private nd = new Float64Array(0);
  // Per Verlet-list entry: bond vector, length, f_c, f_c′ and whether it is inside its cut-off.
  private ex = new Float64Array(0);
  private er = new Float64Array(0);
  private efc = new Float64Array(0);
  private efcd = new Float64Array(0);
  private eok = new Uint8Array(0);
  private readonly dxy = new Float64Array(2);
  private readonly denv = new Float64Array(1);
  /** The correction's virial, summed over its pair forces before it joins the Tersoff part's. */
  private readonly virialSum = new Float64Array(9);

  /** The Tersoff part's switching shells (the correction F_corr counts neighbours with the same f_c). */
  get switchingShells(): SwitchingShell[] {
    return this.bondOrder.switchingShells;
  }

  constructor(parameters: ExtepParameters, options: TersoffOptions = {}) {
    this.parameters = parameters;
    this.name = `extep:${parameters.name}`;
    this.bondOrder = new Tersoff(tersoffPart(parameters), options);
    this.cutoff_A = this.bondOrder.cutoff_A;
    const elements = parameters.elements;
    const nel = elements.length;
    this.nel = nel;
    elements.forEach((s, k) => {
      const z = elementNumber(s);
      if (z !== undefined) this.elementOf[z] = k;
    });
    this.pair = new Float64Array(nel * nel * 5);
    for (const e of parameters.entries) {
      if (e.elements[1] !== e.elements[2]) continue;
      const o = (elements.indexOf(e.elements[0]) * nel + elements.indexOf(e.elements[1])) * 5;
      this.pair.set([e.B, e.lam2, e.R, e.D, (e.R + e.D) * (e.R + e.D)], o);
    }
    this.patches = patchTable(nel, knotTable(elements, parameters.knots));
  }

  compute(system: AtomicSystem, request: ForceRequest = {}): ForceResult {
    return computeFresh(this.computeInto.bind(this), system, request);
  }

  /** Fills caller-owned arrays (zeroed here) and returns the energy in eV, as Tersoff.computeInto. */
  computeInto(system: AtomicSystem, forces: Float64Array, virial: Float64Array, energies?: Float64Array, virials?: Float64Array): number {
    this.assignTypes(system.numbers);
    const tersoff = this.bondOrder.computeInto(system, forces, virial, energies, virials);
    return tersoff + this.correction(system, forces, virial, energies, virials);
  }

  /** Atoms to file elements; refuses species the file lacks (the parser made sure every triplet is there). */
  private assignTypes(numbers: Uint8Array): void {
    const n = numbers.length;
    if (this.lastNumbers.length === n && this.lastNumbers.every((z, i) => z === numbers[i])) return;
    const types = new Int32Array(n);
    const absent = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const t = this.elementOf[numbers[i]];
      if (t < 0 && !absent.has(numbers[i])) absent.set(numbers[i], i);
      types[i] = t;
    }
    if (absent.size > 0) {
      const atoms = [...absent].map(([z, i]) => `${SYMBOLS[z]} (atom ${i + 1})`).join(', ');
      throw new InputError(`ExTeP potential ${this.parameters.name} does not describe ${atoms} (its elements: ${this.parameters.elements.join(', ')})`);
    }
    this.types = types;
    this.lastNumbers = Uint8Array.from(numbers);
  }

  /** The F_c term on top of the Tersoff energy, forces and virials already in the arrays. */
  private correction(system: AtomicSystem, forces: Float64Array, virial: Float64Array, energies?: Float64Array, virials?: Float64Array): number {
    const n = system.numbers.length;
    const { start, index, shift } = this.bondOrder.list;
    const entries = start[n];
    if (this.nt.length < n) {
      this.nt = new Float64Array(n);
      this.nd = new Float64Array(n);
    }
    if (this.er.length < entries) {
      const cap = Math.max(entries, 2 * this.er.length);
      this.ex = new Float64Array(3 * cap);
      this.er = new Float64Array(cap);
      this.efc = new Float64Array(cap);
      this.efcd = new Float64Array(cap);
      this.eok = new Uint8Array(cap);
    }
    const x = system.positions;
    const types = this.types;
    const nel = this.nel;
    const pair = this.pair;
    const { nt, nd, ex, er, efc, efcd, eok } = this;

    // Pass 1: f_c of every bond and the coordination counts N^t_i, N^d_i.
    for (let i = 0; i < n; i++) {
      const ti = types[i];
      let total = 0;
      let hetero = 0;
      for (let e = start[i]; e < start[i + 1]; e++) {
        const j = index[e];
        const dx = x[3 * j] + shift[3 * e] - x[3 * i];
        const dy = x[3 * j + 1] + shift[3 * e + 1] - x[3 * i + 1];
        const dz = x[3 * j + 2] + shift[3 * e + 2] - x[3 * i + 2];
        const rsq = dx * dx + dy * dy + dz * dz;
        const p = (ti * nel + types[j]) * 5;
        if (!(rsq < pair[p + 4])) {
          eok[e] = 0;
          continue;
        }
        const r = Math.sqrt(rsq);
        const R = pair[p + 2];
        const D = pair[p + 3];
        let fc = 1;
        let fcd = 0;
        if (r >= R - D) {
          const arg = ((Math.PI / 2) * (r - R)) / D;
          fc = 0.5 * (1 - Math.sin(arg));
          fcd = -(Math.PI / 4 / D) * Math.cos(arg);
        }
        eok[e] = 1;
        ex[3 * e] = dx;
        ex[3 * e + 1] = dy;
        ex[3 * e + 2] = dz;
        er[e] = r;
        efc[e] = fc;
        efcd[e] = fcd;
        total += fc;
        if (types[j] !== ti) hetero += fc;
      }
      nt[i] = total;
      nd[i] = hetero;
    }

    // Pass 2: each ordered bond's ½ f_A F_c and its forces.
    const dxy = this.dxy;
    const denv = this.denv;
    let energy = 0;
    const w = this.virialSum.fill(0);
    for (let i = 0; i < n; i++) {
      const ti = types[i];
      for (let a = start[i]; a < start[i + 1]; a++) {
        if (eok[a] === 0) continue;
        const j = index[a];
        const tj = types[j];
        const fc = efc[a];
        let ntij = nt[i] - fc;
        let ntji = nt[j] - fc;
        let ndij = nd[i];
        let ndji = nd[j];
        if (tj !== ti) {
          ndij -= fc;
          ndji -= fc;
        }
        if (ntij < 0) ntij = 0;
        if (ntji < 0) ntji = 0;
        if (ndij < 0) ndij = 0;
        if (ndji < 0) ndji = 0;
        const fxy = correctionXY(this.patches, nel, ti, tj, ndij, ndji, dxy);
        const fenv = envelope(ntij, ntji, denv);
        const Fc = fenv * fxy;
        const dFcNt = denv[0] * fxy;
        const dFcNd = fenv * dxy[0];
        if (Fc === 0 && dFcNt === 0 && dFcNd === 0) continue;

        const p = (ti * nel + tj) * 5;
        const r = er[a];
        const expA = pair[p] * Math.exp(-pair[p + 1] * r);
        const fa = -expA * fc;
        const faD = expA * (pair[p + 1] * fc - efcd[a]);
        const term = 0.5 * fa * Fc;
        energy += term;
        // Radial: force on j is −dE/dr û_ij, on i the opposite.
        const rx = ex[3 * a], ry = ex[3 * a + 1], rz = ex[3 * a + 2]; // prettier-ignore
        const s = (-0.5 * faD * Fc) / r;
        centralForce(forces, w, virials, i, j, rx, ry, rz, s * rx, s * ry, s * rz);
        if (energies) {
          energies[i] += 0.5 * term;
          energies[j] += 0.5 * term;
        }

        // Through the counts: each other neighbour k of i in its switching zone (f_c′ ≠ 0).
        if (dFcNt === 0 && dFcNd === 0) continue;
        for (let b = start[i]; b < start[i + 1]; b++) {
          if (b === a || eok[b] === 0 || efcd[b] === 0) continue;
          const k = index[b];
          const g = types[k] !== ti ? dFcNt + dFcNd : dFcNt;
          if (g === 0) continue;
          const qx = ex[3 * b], qy = ex[3 * b + 1], qz = ex[3 * b + 2]; // prettier-ignore
          const t = (-fa * g * efcd[b]) / er[b];
          centralForce(forces, w, virials, i, k, qx, qy, qz, t * qx, t * qy, t * qz);
        }
      }
    }
    for (let c = 0; c < 9; c++) virial[c] += w[c];
    return energy;
  }
}

/**
 * A central pair force f on `to` (−f on `from`), r = r_to − r_from: the forces, the running virial
 * sum r ⊗ f, and half of r ⊗ f to each atom's virial when those are asked for.
 */
function centralForce(forces: Float64Array, w: Float64Array, virials: Float64Array | undefined, from: number, to: number, rx: number, ry: number, rz: number, fx: number, fy: number, fz: number): void {
  forces[3 * to] += fx;
  forces[3 * to + 1] += fy;
  forces[3 * to + 2] += fz;
  forces[3 * from] -= fx;
  forces[3 * from + 1] -= fy;
  forces[3 * from + 2] -= fz;
  w[0] += rx * fx; w[1] += rx * fy; w[2] += rx * fz; // prettier-ignore
  w[3] += ry * fx; w[4] += ry * fy; w[5] += ry * fz; // prettier-ignore
  w[6] += rz * fx; w[7] += rz * fy; w[8] += rz * fz; // prettier-ignore
  if (virials) {
    addOuter(virials, from, 0.5, rx, ry, rz, fx, fy, fz);
    addOuter(virials, to, 0.5, rx, ry, rz, fx, fy, fz);
  }
}
