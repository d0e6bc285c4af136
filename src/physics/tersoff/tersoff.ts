import { InputError } from '../../errors.js';
import { SYMBOLS } from '../../structure/elements.js';
import { computeFresh, type AtomicSystem, type ForceField, type ForceRequest, type ForceResult, type SwitchingShell } from '../forceField.js';
import { VerletList } from '../neighborSkin.js';
import { elementNumber, missingPairs, tersoffCutoff, type TersoffEntry, type TersoffParameters } from './params.js';

/**
 * The Tersoff potential with LAMMPS' `pair_style tersoff` semantics (Tersoff, PRB 37, 6991, 1988;
 * PRB 39, 5566, 1989):
 *
 *   E = ½ Σ_i Σ_{j≠i} f_c(r_ij) [A e^{−λ1 r_ij} − b_ij B e^{−λ2 r_ij}]
 *   b_ij = (1 + (β ζ_ij)^n)^{−1/2n},  ζ_ij = Σ_{k≠i,j} f_c(r_ik) g(θ_ijk) exp[(λ3 (r_ij − r_ik))^m]
 *   g(θ) = γ (1 + c²/d² − c²/(d² + (h − cos θ)²)),  f_c = ½ (1 − sin(π/2 (r − R)/D)) on R − D … R + D.
 *
 * Two-body numbers come from the (i, j, j) entry, angular ones and the cut-off of r_ik from (i, j, k);
 * b_ij uses LAMMPS' asymptotic branches for very large or small βζ. Per-atom energies split each
 * ordered pair term ½/½ between i and j (LAMMPS `compute pe/atom`).
 *
 * Per-atom virials: the force field is a sum of sub-terms whose forces sum to zero: a pair term for
 * each ordered pair (i, j) (repulsion and the attraction at fixed b_ij) and a three-body term for each
 * (i, j, k) (the change of b_ij with r_i, r_j, r_k). The centroid form (Surblys et al., PRE 99,
 * 051301, 2019; LAMMPS `compute centroid/stress/atom`) gives each atom a of a sub-term
 * (r_a − r_centroid) ⊗ F_a. LAMMPS 2021's Tersoff has no centroid support; its `compute
 * stress/atom` gives a third of each three-body term's virial to each atom, available here as
 * `perAtomVirial: 'third'` (used to check the sub-term forces against LAMMPS).
 *
 * Signs and units: virial_eV and virials_eV are W = Σ r ⊗ f (row = r component), so Σ_i W_i = W,
 * ASE's stress is −sym(W)/V, and LAMMPS' per-atom "stress" (bar·Å³) is S_i = −1.6021765e6 · W_i.
 * The heat current's potential part is J = Σ_i e_i v_i + Σ_i W_i · v_i (LAMMPS `compute heat/flux`:
 * Σ e_i v_i − Σ S_i v_i), checked against LAMMPS in test/engines/lammps/run.test.ts.
 */
export interface TersoffOptions {
  /** Verlet skin in Å (default 1). */
  skin_A?: number;
  /** How three-body virials are shared among atoms (default 'centroid'). */
  perAtomVirial?: 'centroid' | 'third';
}

// Layout of one (i, j, k) parameter record in the flat table.
const M3 = 0; // 1 when m = 3
const GAMMA = 1;
const LAM3 = 2;
const C2 = 3;
const D2 = 4;
const H = 5;
const N = 6;
const BETA = 7;
const LAM2 = 8;
const BIGB = 9;
const R = 10;
const D = 11;
const LAM1 = 12;
const BIGA = 13;
const CUTSQ = 14;
const BC1 = 15; // LAMMPS' c1…c4 thresholds of βζ for the asymptotic forms of b_ij
const BC2 = 16;
const BC3 = 17;
const BC4 = 18;
const G0 = 19; // γ (1 + c²/d²)
const SAME_CUT = 20; // 1 when (i, j, k) has the same R, D as (i, k, k)
const PRESENT = 21;
const STRIDE = 22;

const PI2 = Math.PI / 2;
const PI4 = Math.PI / 4;

export class Tersoff implements ForceField {
  readonly name: string;
  readonly cutoff_A: number;
  readonly parameters: TersoffParameters;
  readonly list: VerletList;
  private readonly table: Float64Array;
  private readonly nel: number;
  /** Element index in the file of each atomic number, −1 when absent. */
  private readonly elementOf = new Int32Array(SYMBOLS.length).fill(-1);
  private lastNumbers = new Uint8Array(0);
  private readonly centroid: boolean;
  private types = new Int32Array(0);
  // Per-atom scratch over the short neighbours of one atom i.
  private cap = 0;
  private sj = new Int32Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sz = new Float64Array(0);
  private sr = new Float64Array(0);
  private sfc = new Float64Array(0);
  private sfcd = new Float64Array(0);
  private sok = new Uint8Array(0);
  private kcos = new Float64Array(0);
  private kg = new Float64Array(0);
  private kgd = new Float64Array(0);
  private kfc = new Float64Array(0);
  private kfcd = new Float64Array(0);
  private kex = new Float64Array(0);
  private kexd = new Float64Array(0);
  private kidx = new Int32Array(0);

  /** Per element pair, its pair entry's (i, j, j) switching shell R − D … R + D, as the pair term's f_c uses it. */
  get switchingShells(): SwitchingShell[] {
    return this.parameters.entries
      .filter((e) => e.elements[1] === e.elements[2] && e.elements[0] <= e.elements[1])
      .map((e) => ({ elements: [e.elements[0], e.elements[1]], inner_A: e.R - e.D, outer_A: e.R + e.D }));
  }

  constructor(parameters: TersoffParameters, options: TersoffOptions = {}) {
    this.parameters = parameters;
    this.name = `tersoff:${parameters.name}`;
    this.cutoff_A = tersoffCutoff(parameters);
    this.list = new VerletList(this.cutoff_A, options.skin_A ?? 1);
    this.centroid = (options.perAtomVirial ?? 'centroid') === 'centroid';
    const nel = parameters.elements.length;
    this.nel = nel;
    parameters.elements.forEach((s, k) => {
      const z = elementNumber(s);
      if (z !== undefined) this.elementOf[z] = k;
    });
    const table = new Float64Array(nel * nel * nel * STRIDE);
    const idx = (s: string): number => parameters.elements.indexOf(s);
    const at = (e: TersoffEntry): number => ((idx(e.elements[0]) * nel + idx(e.elements[1])) * nel + idx(e.elements[2])) * STRIDE;
    for (const e of parameters.entries) {
      const o = at(e);
      table[o + M3] = e.m === 3 ? 1 : 0;
      table[o + GAMMA] = e.gamma;
      table[o + LAM3] = e.lam3;
      table[o + C2] = e.c * e.c;
      table[o + D2] = e.d * e.d;
      table[o + H] = e.h;
      table[o + N] = e.n;
      table[o + BETA] = e.beta;
      table[o + LAM2] = e.lam2;
      table[o + BIGB] = e.B;
      table[o + R] = e.R;
      table[o + D] = e.D;
      table[o + LAM1] = e.lam1;
      table[o + BIGA] = e.A;
      table[o + CUTSQ] = (e.R + e.D) * (e.R + e.D);
      table[o + BC1] = Math.pow(2 * e.n * 1e-16, -1 / e.n);
      table[o + BC2] = Math.pow(2 * e.n * 1e-8, -1 / e.n);
      table[o + BC3] = 1 / table[o + BC2];
      table[o + BC4] = 1 / table[o + BC1];
      table[o + G0] = e.gamma * (1 + (e.c * e.c) / (e.d * e.d));
      table[o + PRESENT] = 1;
    }
    for (let a = 0; a < nel; a++)
      for (let b = 0; b < nel; b++)
        for (let c = 0; c < nel; c++) {
          const o = ((a * nel + b) * nel + c) * STRIDE;
          const p = ((a * nel + c) * nel + c) * STRIDE;
          table[o + SAME_CUT] = table[o + R] === table[p + R] && table[o + D] === table[p + D] ? 1 : 0;
        }
    this.table = table;
  }

  /** Map atoms to file elements; refuses species the file lacks or triplets it does not list. */
  private assignTypes(numbers: Uint8Array): void {
    const n = numbers.length;
    const last = this.lastNumbers;
    if (last.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = last[i] === numbers[i];
      if (same) return;
    }
    const types = new Int32Array(n);
    const seen = new Set<number>();
    const absent = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const t = this.elementOf[numbers[i]];
      if (t < 0) {
        if (!absent.has(numbers[i])) absent.set(numbers[i], i);
        continue;
      }
      types[i] = t;
      seen.add(t);
    }
    const e = this.parameters.elements;
    if (absent.size > 0) {
      // name the element pairs the structure needs and the file lacks, with the first atom of each missing element
      const symbols = [...new Set([...[...seen].map((t) => e[t]), ...[...absent.keys()].map((z) => SYMBOLS[z])])];
      const atoms = [...absent].map(([z, i]) => `${SYMBOLS[z]} (atom ${i + 1})`).join(', ');
      throw new InputError(
        `Tersoff potential ${this.parameters.name} does not describe ${atoms} (its elements: ${e.join(', ')}); missing element pairs: ${missingPairs(this.parameters, symbols).join('; ')}`,
      );
    }
    const nel = this.nel;
    const lacking: string[] = [];
    for (const a of seen)
      for (const b of seen)
        for (const c of seen) {
          if (this.table[((a * nel + b) * nel + c) * STRIDE + PRESENT] !== 1) lacking.push(`${e[a]} ${e[b]} ${e[c]}`);
        }
    if (lacking.length > 0) {
      throw new InputError(
        `Tersoff potential ${this.parameters.name} lacks element pairs of this structure: ${missingPairs(this.parameters, [...seen].map((t) => e[t])).join('; ')}`,
      );
    }
    this.types = types;
    this.lastNumbers = Uint8Array.from(numbers);
  }

  private grow(m: number): void {
    if (m <= this.cap) return;
    const cap = Math.max(2 * this.cap, m, 32);
    this.cap = cap;
    this.sj = new Int32Array(cap);
    this.sx = new Float64Array(cap);
    this.sy = new Float64Array(cap);
    this.sz = new Float64Array(cap);
    this.sr = new Float64Array(cap);
    this.sfc = new Float64Array(cap);
    this.sfcd = new Float64Array(cap);
    this.sok = new Uint8Array(cap);
    this.kcos = new Float64Array(cap);
    this.kg = new Float64Array(cap);
    this.kgd = new Float64Array(cap);
    this.kfc = new Float64Array(cap);
    this.kfcd = new Float64Array(cap);
    this.kex = new Float64Array(cap);
    this.kexd = new Float64Array(cap);
    this.kidx = new Int32Array(cap);
  }

  compute(system: AtomicSystem, request: ForceRequest = {}): ForceResult {
    return computeFresh(this.computeInto.bind(this), system, request);
  }

  /**
   * The hot path: fills caller-owned arrays (zeroed here) and returns the energy in eV, so MD can
   * reuse buffers. `energies` (n) and `virials` (9n, row-major r ⊗ f) are filled when given.
   */
  computeInto(
    system: AtomicSystem,
    forces: Float64Array,
    virial: Float64Array,
    energies?: Float64Array,
    virials?: Float64Array,
  ): number {
    const n = system.numbers.length;
    if (system.positions.length !== 3 * n) throw new InputError(`positions hold ${system.positions.length} numbers for ${n} atoms`);
    this.assignTypes(system.numbers);
    this.list.update(system);
    forces.fill(0, 0, 3 * n);
    virial.fill(0);
    if (energies) energies.fill(0, 0, n);
    if (virials) virials.fill(0, 0, 9 * n);
    const perAtom = energies !== undefined || virials !== undefined;
    const centroid = this.centroid;

    const x = system.positions;
    const types = this.types;
    const P = this.table;
    const nel = this.nel;
    const { start, index, shift } = this.list;
    const cutmax2 = this.cutoff_A * this.cutoff_A;
    let energy = 0;
    let w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0; // prettier-ignore

    for (let i = 0; i < n; i++) {
      const ti = types[i];
      const xi = x[3 * i];
      const yi = x[3 * i + 1];
      const zi = x[3 * i + 2];
      // Short list of i: neighbours within the largest cut-off, with f_c of the (i, j, j) entry.
      let m = 0;
      const e0 = start[i];
      const e1 = start[i + 1];
      if (e1 - e0 > this.cap) this.grow(e1 - e0);
      const sj = this.sj, sx = this.sx, sy = this.sy, sz = this.sz, sr = this.sr; // prettier-ignore
      const sfc = this.sfc, sfcd = this.sfcd, sok = this.sok; // prettier-ignore
      for (let e = e0; e < e1; e++) {
        const j = index[e];
        const dx = x[3 * j] + shift[3 * e] - xi;
        const dy = x[3 * j + 1] + shift[3 * e + 1] - yi;
        const dz = x[3 * j + 2] + shift[3 * e + 2] - zi;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq >= cutmax2) continue;
        const p = ((ti * nel + types[j]) * nel + types[j]) * STRIDE;
        const r = Math.sqrt(rsq);
        sj[m] = j;
        sx[m] = dx;
        sy[m] = dy;
        sz[m] = dz;
        sr[m] = r;
        if (rsq < P[p + CUTSQ]) {
          sok[m] = 1;
          const Rc = P[p + R];
          const Dc = P[p + D];
          if (r < Rc - Dc) {
            sfc[m] = 1;
            sfcd[m] = 0;
          } else {
            const arg = (PI2 * (r - Rc)) / Dc;
            sfc[m] = 0.5 * (1 - Math.sin(arg));
            sfcd[m] = -(PI4 / Dc) * Math.cos(arg);
          }
        } else sok[m] = 0;
        m++;
      }

      const kcos = this.kcos, kg = this.kg, kgd = this.kgd, kfc = this.kfc, kfcd = this.kfcd; // prettier-ignore
      const kex = this.kex, kexd = this.kexd, kidx = this.kidx; // prettier-ignore
      for (let a = 0; a < m; a++) {
        if (sok[a] === 0) continue;
        const j = sj[a];
        const tj = types[j];
        const pij = ((ti * nel + tj) * nel + tj) * STRIDE;
        const rij = sr[a];
        const invij = 1 / rij;
        const ujx = sx[a] * invij;
        const ujy = sy[a] * invij;
        const ujz = sz[a] * invij;

        // ζ_ij, keeping each k's factors for the forces.
        let zeta = 0;
        let nk = 0;
        for (let b = 0; b < m; b++) {
          if (b === a) continue;
          const k = sj[b];
          const pk = ((ti * nel + tj) * nel + types[k]) * STRIDE;
          const rik = sr[b];
          if (rik * rik >= P[pk + CUTSQ]) continue;
          const invik = 1 / rik;
          const cos = (sx[a] * sx[b] + sy[a] * sy[b] + sz[a] * sz[b]) * invij * invik;
          let fc: number, fcd: number;
          if (P[pk + SAME_CUT] === 1) {
            fc = sfc[b];
            fcd = sfcd[b];
          } else {
            const Rc = P[pk + R];
            const Dc = P[pk + D];
            if (rik < Rc - Dc) (fc = 1), (fcd = 0);
            else {
              const arg = (PI2 * (rik - Rc)) / Dc;
              fc = 0.5 * (1 - Math.sin(arg));
              fcd = -(PI4 / Dc) * Math.cos(arg);
            }
          }
          const hc = P[pk + H] - cos;
          const den = 1 / (P[pk + D2] + hc * hc);
          const c2 = P[pk + C2];
          const gamma = P[pk + GAMMA];
          const g = P[pk + G0] - gamma * c2 * den;
          const gd = -2 * gamma * c2 * hc * den * den;
          let ex = 1;
          let exd = 0;
          const lam3 = P[pk + LAM3];
          if (lam3 !== 0) {
            const dr = rij - rik;
            let arg: number;
            if (P[pk + M3] === 1) {
              const t = lam3 * dr;
              arg = t * t * t;
            } else arg = lam3 * dr;
            ex = arg > 69.0776 ? 1e30 : arg < -69.0776 ? 0 : Math.exp(arg);
            exd = P[pk + M3] === 1 ? 3 * lam3 * lam3 * lam3 * dr * dr * ex : lam3 * ex;
          }
          zeta += fc * g * ex;
          kidx[nk] = b;
          kcos[nk] = cos;
          kg[nk] = g;
          kgd[nk] = gd;
          kfc[nk] = fc;
          kfcd[nk] = fcd;
          kex[nk] = ex;
          kexd[nk] = exd;
          nk++;
        }

        // b_ij and its derivative, LAMMPS' branches.
        const beta = P[pij + BETA];
        const pn = P[pij + N];
        const tmp = beta * zeta;
        let bij: number, bijd: number;
        if (tmp > P[pij + BC1]) {
          bij = 1 / Math.sqrt(tmp);
          bijd = beta * -0.5 * Math.pow(tmp, -1.5);
        } else if (tmp > P[pij + BC2]) {
          bij = (1 - Math.pow(tmp, -pn) / (2 * pn)) / Math.sqrt(tmp);
          bijd = beta * (-0.5 * Math.pow(tmp, -1.5) * (1 - (1 + 1 / (2 * pn)) * Math.pow(tmp, -pn)));
        } else if (tmp < P[pij + BC4]) {
          bij = 1;
          bijd = 0;
        } else if (tmp < P[pij + BC3]) {
          bij = 1 - Math.pow(tmp, pn) / (2 * pn);
          bijd = -0.5 * beta * Math.pow(tmp, pn - 1);
        } else {
          // exp/log instead of Math.pow (3× faster in V8); (1 + tn)^(−1−1/2n) = b_ij / (1 + tn).
          const tn = Math.exp(pn * Math.log(tmp));
          bij = Math.exp(-Math.log1p(tn) / (2 * pn));
          bijd = (-0.5 * bij * tn) / ((1 + tn) * zeta);
        }

        // Pair term of the ordered pair: ½ V_R (each direction carries half) + ½ b_ij V_A.
        const fc = sfc[a];
        const fcd = sfcd[a];
        const expR = P[pij + BIGA] * Math.exp(-P[pij + LAM1] * rij);
        const expA = P[pij + BIGB] * Math.exp(-P[pij + LAM2] * rij);
        const fa = -expA * fc;
        const fad = expA * (P[pij + LAM2] * fc - fcd);
        const ePair = 0.5 * expR * fc + 0.5 * bij * fa;
        const dEdr = 0.5 * expR * (fcd - P[pij + LAM1] * fc) + 0.5 * bij * fad;
        energy += ePair;
        // Force on j is −dE/dr û_ij, on i the opposite.
        const fjx = -dEdr * ujx;
        const fjy = -dEdr * ujy;
        const fjz = -dEdr * ujz;
        forces[3 * j] += fjx;
        forces[3 * j + 1] += fjy;
        forces[3 * j + 2] += fjz;
        forces[3 * i] -= fjx;
        forces[3 * i + 1] -= fjy;
        forces[3 * i + 2] -= fjz;
        const rx = sx[a], ry = sy[a], rz = sz[a]; // prettier-ignore
        w00 += rx * fjx; w01 += rx * fjy; w02 += rx * fjz; // prettier-ignore
        w10 += ry * fjx; w11 += ry * fjy; w12 += ry * fjz; // prettier-ignore
        w20 += rz * fjx; w21 += rz * fjy; w22 += rz * fjz; // prettier-ignore
        if (perAtom) {
          if (energies) {
            energies[i] += 0.5 * ePair;
            energies[j] += 0.5 * ePair;
          }
          if (virials) {
            // r_ij ⊗ f_j, half to each end (the same in centroid and LAMMPS form).
            addOuter(virials, i, 0.5, rx, ry, rz, fjx, fjy, fjz);
            addOuter(virials, j, 0.5, rx, ry, rz, fjx, fjy, fjz);
          }
        }

        // Three-body forces from ∂b_ij/∂ζ_ij: for each k, f = prefactor ∂ζ-term/∂r.
        const prefactor = -0.5 * fa * bijd;
        if (prefactor === 0) continue;
        for (let q = 0; q < nk; q++) {
          const b = kidx[q];
          const k = sj[b];
          const rik = sr[b];
          const invik = 1 / rik;
          const ukx = sx[b] * invik;
          const uky = sy[b] * invik;
          const ukz = sz[b] * invik;
          const cos = kcos[q];
          const fck = kfc[q];
          const g = kg[q];
          const ex = kex[q];
          const a1 = fck * kgd[q] * ex; // multiplies ∂cos
          const a2 = fck * g * kexd[q]; // multiplies ∂(r_ij − r_ik)
          const a3 = kfcd[q] * g * ex; // multiplies ∂r_ik
          // ∂cos/∂r_j = (û_k − cos û_j)/r_ij, ∂cos/∂r_k = (û_j − cos û_k)/r_ik
          const cjx = (ukx - cos * ujx) * invij;
          const cjy = (uky - cos * ujy) * invij;
          const cjz = (ukz - cos * ujz) * invij;
          const ckx = (ujx - cos * ukx) * invik;
          const cky = (ujy - cos * uky) * invik;
          const ckz = (ujz - cos * ukz) * invik;
          const fjx3 = prefactor * (a1 * cjx + a2 * ujx);
          const fjy3 = prefactor * (a1 * cjy + a2 * ujy);
          const fjz3 = prefactor * (a1 * cjz + a2 * ujz);
          const fkx3 = prefactor * (a3 * ukx + a1 * ckx - a2 * ukx);
          const fky3 = prefactor * (a3 * uky + a1 * cky - a2 * uky);
          const fkz3 = prefactor * (a3 * ukz + a1 * ckz - a2 * ukz);
          forces[3 * j] += fjx3;
          forces[3 * j + 1] += fjy3;
          forces[3 * j + 2] += fjz3;
          forces[3 * k] += fkx3;
          forces[3 * k + 1] += fky3;
          forces[3 * k + 2] += fkz3;
          forces[3 * i] -= fjx3 + fkx3;
          forces[3 * i + 1] -= fjy3 + fky3;
          forces[3 * i + 2] -= fjz3 + fkz3;
          const qx = sx[b], qy = sy[b], qz = sz[b]; // prettier-ignore
          w00 += rx * fjx3 + qx * fkx3; w01 += rx * fjy3 + qx * fky3; w02 += rx * fjz3 + qx * fkz3; // prettier-ignore
          w10 += ry * fjx3 + qy * fkx3; w11 += ry * fjy3 + qy * fky3; w12 += ry * fjz3 + qy * fkz3; // prettier-ignore
          w20 += rz * fjx3 + qz * fkx3; w21 += rz * fjy3 + qz * fky3; w22 += rz * fjz3 + qz * fkz3; // prettier-ignore
          if (virials) {
            if (centroid) {
              // Positions relative to the triplet's centroid: i at −(r_ij + r_ik)/3.
              const cx = (rx + qx) / 3, cy = (ry + qy) / 3, cz = (rz + qz) / 3; // prettier-ignore
              addOuter(virials, i, 1, -cx, -cy, -cz, -fjx3 - fkx3, -fjy3 - fky3, -fjz3 - fkz3);
              addOuter(virials, j, 1, rx - cx, ry - cy, rz - cz, fjx3, fjy3, fjz3);
              addOuter(virials, k, 1, qx - cx, qy - cy, qz - cz, fkx3, fky3, fkz3);
            } else {
              for (let t = 0; t < 3; t++) {
                const atom = t === 0 ? i : t === 1 ? j : k;
                addOuter(virials, atom, 1 / 3, rx, ry, rz, fjx3, fjy3, fjz3);
                addOuter(virials, atom, 1 / 3, qx, qy, qz, fkx3, fky3, fkz3);
              }
            }
          }
        }
      }
    }
    virial[0] = w00; virial[1] = w01; virial[2] = w02; // prettier-ignore
    virial[3] = w10; virial[4] = w11; virial[5] = w12; // prettier-ignore
    virial[6] = w20; virial[7] = w21; virial[8] = w22; // prettier-ignore
    return energy;
  }
}

/** W_atom += s · (r ⊗ f), row-major. */
export function addOuter(w: Float64Array, atom: number, s: number, rx: number, ry: number, rz: number, fx: number, fy: number, fz: number): void {
  const o = 9 * atom;
  w[o] += s * rx * fx;
  w[o + 1] += s * rx * fy;
  w[o + 2] += s * rx * fz;
  w[o + 3] += s * ry * fx;
  w[o + 4] += s * ry * fy;
  w[o + 5] += s * ry * fz;
  w[o + 6] += s * rz * fx;
  w[o + 7] += s * rz * fy;
  w[o + 8] += s * rz * fz;
}
