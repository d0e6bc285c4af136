import { InputError } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { neighborList, type NeighborList } from '../structure/neighbors.js';
import { sheetView } from './sheet.js';

/**
 * Atom-centred environment power spectra (SOAP-like, one species): around each atom the neighbours
 * within r_cut are expanded in Gaussian radial functions g_n(r) (centres spread over [1 Å, r_cut −
 * 0.5 Å], a cosine cut-off) times spherical harmonics, c_nlm = Σ_j g_n(r_ij) Y_lm(r̂_ij), and the
 * rotation-invariant power spectrum p_nn'l = Σ_m c_nlm c_n'lm (n ≤ n') is kept, scaled to unit
 * length per atom. Unlike g(r), which sums pairs over the whole sheet, these see each atom's
 * neighbourhood as a whole: bond angles, ring shapes, under- and over-coordination, buckling.
 *
 * Written here because no TypeScript library computes them (dscribe and librascal are Python/C++).
 */
export interface SoapSettings {
  rCut_A: number;
  nMax: number;
  lMax: number;
  /** Standard deviation of the radial Gaussians, Å. */
  width_A: number;
}

/** The setting of the structure channel (5 Å: the first four neighbour shells; 6 × 6 × 7 = 147 values fit one 160-bin channel). */
export const SOAP_DEFAULTS: Readonly<SoapSettings> = Object.freeze({ rCut_A: 5, nMax: 6, lMax: 6, width_A: 0.5 });

/** Length of one atom's power spectrum: nMax(nMax+1)/2 radial pairs × (lMax+1). */
export function soapLength(s: SoapSettings): number {
  return ((s.nMax * (s.nMax + 1)) / 2) * (s.lMax + 1);
}

function checkSettings(s: SoapSettings): void {
  if (!(s.rCut_A > 1.5)) throw new InputError(`SOAP r_cut must exceed 1.5 Å, got ${s.rCut_A}`);
  if (!(Number.isInteger(s.nMax) && s.nMax >= 1 && Number.isInteger(s.lMax) && s.lMax >= 0 && s.lMax <= 12)) throw new InputError(`SOAP needs whole nMax ≥ 1 and 0 ≤ lMax ≤ 12, got ${s.nMax}, ${s.lMax}`);
  if (!(s.width_A > 0)) throw new InputError(`SOAP width must be positive, got ${s.width_A}`);
}

/** g_n(r) for every n into `out` (from `offset`): Gaussians on centres spread over [1, r_cut − 0.5] Å, times the cosine cut-off. */
function radial(r: number, s: SoapSettings, out: Float64Array, offset: number): void {
  const cut = 0.5 * (Math.cos((Math.PI * r) / s.rCut_A) + 1);
  const step = s.nMax > 1 ? (s.rCut_A - 1.5) / (s.nMax - 1) : 0;
  for (let n = 0; n < s.nMax; n++) {
    const t = r - (1 + n * step);
    out[offset + n] = Math.exp(-(t * t) / (2 * s.width_A * s.width_A)) * cut;
  }
}

/** N_lm = √((2l+1)/(4π) · (l−m)!/(l+m)!), times √2 for m > 0, per lMax (computed once). */
const NORMS = new Map<number, Float64Array>();
function harmonicNorms(lMax: number): Float64Array {
  let norms = NORMS.get(lMax);
  if (norms === undefined) {
    norms = new Float64Array(((lMax + 1) * (lMax + 2)) / 2);
    for (let l = 0; l <= lMax; l++) {
      let ratio = 1; // (l−m)!/(l+m)!
      for (let m = 0; m <= l; m++) {
        if (m > 0) ratio /= (l + m) * (l - m + 1);
        norms[(l * (l + 1)) / 2 + m] = (m > 0 ? Math.SQRT2 : 1) * Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * ratio);
      }
    }
    NORMS.set(lMax, norms);
  }
  return norms;
}

/** Scratch for the Legendre triangle, per lMax. */
const SCRATCH = new Map<number, Float64Array>();

/**
 * Real orthonormal spherical harmonics of the unit vector (x, y, z) for l ≤ lMax into `out`,
 * (lMax+1)² values, l-major, m = −l … l (sin terms for m < 0). No trigonometry: P_l^m(z) =
 * sinᵐθ·Q_l^m(z) and sinᵐθ·(cos mφ, sin mφ) = (x + iy)ᵐ, with the standard recursions for Q.
 * The Condon–Shortley phase is left out (only Σ_m products are used).
 */
export function realSphericalHarmonics(x: number, y: number, z: number, lMax: number, out: Float64Array): Float64Array {
  const norms = harmonicNorms(lMax);
  let Q = SCRATCH.get(lMax);
  if (Q === undefined) SCRATCH.set(lMax, (Q = new Float64Array(((lMax + 1) * (lMax + 2)) / 2)));
  // Q_m^m = (2m−1)!!, Q_{m+1}^m = (2m+1) z Q_m^m, then upward in l
  let diagonal = 1;
  for (let m = 0; m <= lMax; m++) {
    if (m > 0) diagonal *= 2 * m - 1;
    const mm = (m * (m + 1)) / 2 + m;
    Q[mm] = diagonal;
    if (m < lMax) Q[((m + 1) * (m + 2)) / 2 + m] = (2 * m + 1) * z * diagonal;
    for (let l = m + 2; l <= lMax; l++) Q[(l * (l + 1)) / 2 + m] = ((2 * l - 1) * z * Q[((l - 1) * l) / 2 + m] - (l + m - 1) * Q[((l - 2) * (l - 1)) / 2 + m]) / (l - m);
  }
  for (let l = 0; l <= lMax; l++) out[l * l + l] = norms[(l * (l + 1)) / 2] * Q[(l * (l + 1)) / 2];
  let re = 1;
  let im = 0;
  for (let m = 1; m <= lMax; m++) {
    const next = re * x - im * y;
    im = re * y + im * x;
    re = next;
    for (let l = m; l <= lMax; l++) {
      const t = norms[(l * (l + 1)) / 2 + m] * Q[(l * (l + 1)) / 2 + m];
      out[l * l + l + m] = t * re;
      out[l * l + l - m] = t * im;
    }
  }
  return out;
}

/** The neighbours within r_cut of every atom of a sheet (periodic in-plane, open along z). */
function sheetNeighbours(atoms: Atoms, rCut_A: number, file: string): NeighborList {
  const sheet = sheetView(atoms, file);
  return neighborList(sheet.positions, sheet.cell, sheet.pbc, rCut_A);
}

/** Scale each row of a rows × width array to unit length (a lone atom's zero row stays zero). */
function normaliseRowsInPlace(values: Float64Array, width: number): Float64Array {
  for (let o = 0; o < values.length; o += width) {
    let s = 0;
    for (let k = 0; k < width; k++) s += values[o + k] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < width; k++) values[o + k] *= inv;
  }
  return values;
}

/**
 * Per-atom power spectra, atoms × soapLength (row-major), each row of unit length: the fast path
 * (expansion coefficients, then products summed over m).
 */
export function atomPowerSpectra(atoms: Atoms, settings: SoapSettings = SOAP_DEFAULTS, file = 'structure', neighbours?: NeighborList): Float64Array {
  checkSettings(settings);
  const { nMax, lMax } = settings;
  const list = neighbours ?? sheetNeighbours(atoms, settings.rCut_A, file);
  const n = atoms.length;
  const width = soapLength(settings);
  const harmonics = (lMax + 1) ** 2;
  const out = new Float64Array(n * width);
  const c = new Float64Array(nMax * harmonics);
  const g = new Float64Array(nMax);
  const Y = new Float64Array(harmonics);
  for (let i = 0; i < n; i++) {
    c.fill(0);
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const r = list.distances[e];
      if (r >= settings.rCut_A || r === 0) continue;
      radial(r, settings, g, 0);
      realSphericalHarmonics(list.vectors[3 * e] / r, list.vectors[3 * e + 1] / r, list.vectors[3 * e + 2] / r, lMax, Y);
      for (let a = 0; a < nMax; a++) {
        const ga = g[a];
        const row = a * harmonics;
        for (let h = 0; h < harmonics; h++) c[row + h] += ga * Y[h];
      }
    }
    let k = i * width;
    for (let a = 0; a < nMax; a++) {
      for (let b = a; b < nMax; b++) {
        for (let l = 0; l <= lMax; l++) {
          let s = 0;
          for (let h = l * l; h < (l + 1) * (l + 1); h++) s += c[a * harmonics + h] * c[b * harmonics + h];
          out[k++] = s;
        }
      }
    }
  }
  return normaliseRowsInPlace(out, width);
}

/**
 * The same spectra by the addition theorem, Σ_m Y_lm(u)Y_lm(v) = (2l+1)/(4π) P_l(u·v), summed over
 * neighbour pairs: O(neighbours²) per atom, no harmonics. The plain reference the fast path is tested against.
 */
export function atomPowerSpectraReference(atoms: Atoms, settings: SoapSettings = SOAP_DEFAULTS, file = 'structure'): Float64Array {
  checkSettings(settings);
  const { nMax, lMax } = settings;
  const list = sheetNeighbours(atoms, settings.rCut_A, file);
  const n = atoms.length;
  const width = soapLength(settings);
  const out = new Float64Array(n * width);
  const P = new Float64Array(lMax + 1);
  for (let i = 0; i < n; i++) {
    const entries: number[] = [];
    for (let e = list.start[i]; e < list.start[i + 1]; e++) if (list.distances[e] < settings.rCut_A && list.distances[e] > 0) entries.push(e);
    const g = entries.map((e) => {
      const v = new Float64Array(nMax);
      radial(list.distances[e], settings, v, 0);
      return v;
    });
    for (let p = 0; p < entries.length; p++) {
      for (let q = 0; q < entries.length; q++) {
        const e = entries[p];
        const f = entries[q];
        const cos = (list.vectors[3 * e] * list.vectors[3 * f] + list.vectors[3 * e + 1] * list.vectors[3 * f + 1] + list.vectors[3 * e + 2] * list.vectors[3 * f + 2]) / (list.distances[e] * list.distances[f]);
        legendre(Math.max(-1, Math.min(1, cos)), lMax, P);
        let k = i * width;
        for (let a = 0; a < nMax; a++) {
          for (let b = a; b < nMax; b++) {
            // symmetrised in (a, b): the ordered double sum over neighbours gives Σ_m c_a c_b
            const gg = g[p][a] * g[q][b];
            for (let l = 0; l <= lMax; l++) out[k++] += (gg * (2 * l + 1) * P[l]) / (4 * Math.PI);
          }
        }
      }
    }
  }
  return normaliseRowsInPlace(out, width);
}

/** Legendre polynomials P_0 … P_lMax at x into `out` (Bonnet's recursion). */
function legendre(x: number, lMax: number, out: Float64Array): void {
  out[0] = 1;
  if (lMax > 0) out[1] = x;
  for (let l = 2; l <= lMax; l++) out[l] = ((2 * l - 1) * x * out[l - 1] - (l - 1) * out[l - 2]) / l;
}

/**
 * The mean over atoms of the per-atom spectra (a linear structure kernel on it is the average
 * kernel over all atom pairs of two structures). Invariant under rotations, translations,
 * permutations and replication of the cell.
 */
export function soapMean(atoms: Atoms, settings: SoapSettings = SOAP_DEFAULTS, file = 'structure'): Float64Array {
  const width = soapLength(settings);
  const spectra = atomPowerSpectra(atoms, settings, file);
  const mean = new Float64Array(width);
  const n = atoms.length;
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) mean[k] += spectra[i * width + k] / n;
  return mean;
}

/**
 * The descriptor channel: 1 + the mean spectrum. Cross terms (n ≠ n′, l > 0) can be negative; the
 * shift keeps every value in [0, 2], where the structure models' log(x + 1e-4) transform is defined.
 */
export function soapChannel(atoms: Atoms, settings: SoapSettings = SOAP_DEFAULTS, file = 'structure'): Float64Array {
  return soapMean(atoms, settings, file).map((v) => 1 + v);
}
