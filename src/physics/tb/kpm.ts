import { InputError } from '../../errors.js';
import { csrMultiply, gershgorinBounds, type CsrMatrix } from './sparse.js';
import { chebyshevBlockEngine, type ChebyshevKernels } from './chebyshevBlock.js';
import { kuboPrefactor } from './kubo.js';
import { erf } from '../../descriptors/grid.js';

/**
 * Kernel polynomial method (Weiße, Wellein, Alvermann & Fehske, Rev. Mod. Phys. 78, 275 (2006)) on a
 * sparse real symmetric H: H is scaled into [−1, 1], H̃ = (H − b)/a, Chebyshev moments
 * μ_n = Tr T_n(H̃)/N are estimated with R random-phase vectors |r⟩ (entries e^{iθ}, each an
 * unbiased trace estimator; relative error ∝ 1/√(N·R)), two moments per mat-vec (μ_2n = 2⟨α_n|α_n⟩ − μ_0,
 * μ_2n+1 = 2⟨α_n+1|α_n⟩ − μ_1). Because H is real, a complex vector is two real recursions; the real
 * vectors run in blocks of 2 or 4 through one fused step per moment pair (chebyshevBlock.ts).
 */
export interface ChebyshevScale {
  /** Half width a and centre b: H̃ = (H − b)/a. */
  readonly a_eV: number;
  readonly b_eV: number;
}

export function chebyshevScale(h: CsrMatrix, margin = 0.01): ChebyshevScale {
  const [lo, hi] = gershgorinBounds(h);
  return { a_eV: ((hi - lo) / 2) * (1 + margin) + 1e-12, b_eV: (hi + lo) / 2 };
}

/** A seeded generator (mulberry32) so stochastic traces are reproducible. */
export function random32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The start vectors of a trace: R random-phase vectors (each as two real vectors), or the unit vectors. */
function* startVectors(n: number, options: KpmMomentsOptions): Generator<Float64Array> {
  if (options.exactTrace) {
    const e = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      e.fill(0);
      e[i] = 1;
      yield e;
    }
    return;
  }
  const random = random32(options.seed ?? 1);
  for (let r = 0; r < options.randomVectors; r++) yield* randomPhase(n, random);
}

/** Random-phase vector as two real vectors (cos θ, sin θ). */
function randomPhase(n: number, random: () => number): [Float64Array, Float64Array] {
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const theta = 2 * Math.PI * random();
    c[i] = Math.cos(theta);
    s[i] = Math.sin(theta);
  }
  return [c, s];
}

export interface KpmMomentsOptions {
  moments: number;
  randomVectors: number;
  seed?: number;
  scale?: ChebyshevScale;
  /** Trace over all n unit vectors instead of random ones (exact; for tests on small cells). */
  exactTrace?: boolean;
  /** Kernels of the moments' recursion: 'wasm' (default where WebAssembly SIMD runs) or 'js', the plain reference. */
  kernels?: ChebyshevKernels;
}

export interface KpmMoments {
  readonly mu: Float64Array;
  readonly scale: ChebyshevScale;
  readonly n: number;
  readonly randomVectors: number;
  readonly matVecs: number;
}

export function kpmMoments(h: CsrMatrix, options: KpmMomentsOptions): KpmMoments {
  const count = options.moments;
  if (!Number.isInteger(count) || count < 2) throw new InputError(`KPM needs at least 2 moments, got ${count}`);
  const scale = options.scale ?? chebyshevScale(h);
  const n = h.n;
  const mu = new Float64Array(count);
  const alpha = 1 / scale.a_eV;
  const beta = -scale.b_eV / scale.a_eV;
  let matVecs = 0;
  // The real start vectors run in blocks (a random-phase vector is two), so one pass over H serves all.
  const vectorsInAll = options.exactTrace ? n : 2 * options.randomVectors;
  const lanes = vectorsInAll > 2 ? 4 : 2;
  const engine = chebyshevBlockEngine(h, lanes, options.kernels);
  let [prev, curr, next] = engine.buffers;
  const dots = new Float64Array(2);
  const half = Math.ceil(count / 2);
  const starts = startVectors(n, options);
  for (let done = false; !done; ) {
    // α0 = the next `lanes` start vectors (unused lanes zero, they add nothing)
    curr.fill(0);
    let used = 0;
    for (; used < lanes; used++) {
      const start = starts.next();
      if (start.done) {
        done = true;
        break;
      }
      const r = start.value;
      for (let i = 0; i < n; i++) curr[i * lanes + used] = r[i];
    }
    if (used === 0) break;
    // α1 = H̃ α0 = α·Hα0 + β·α0 (the zero block as "prev")
    prev.fill(0);
    dots.fill(0);
    engine.step(curr, prev, next, alpha, beta, dots);
    matVecs += used;
    let mu0 = 0;
    for (let i = 0; i < curr.length; i++) mu0 += curr[i] * curr[i];
    const mu1 = dots[0];
    mu[0] += mu0;
    mu[1] += mu1;
    let norm = dots[1];
    [prev, curr, next] = [curr, next, prev];
    for (let m = 1; m < half; m++) {
      // moments 2m and 2m+1 from α_m and α_{m+1}: μ_2m = 2⟨α_m|α_m⟩ − μ0, μ_2m+1 = 2⟨α_m+1|α_m⟩ − μ1
      mu[2 * m] += 2 * norm - mu0;
      dots.fill(0);
      engine.step(curr, prev, next, 2 * alpha, 2 * beta, dots);
      matVecs += used;
      if (2 * m + 1 < count) mu[2 * m + 1] += 2 * dots[0] - mu1;
      norm = dots[1];
      [prev, curr, next] = [curr, next, prev];
    }
  }
  const samples = options.exactTrace ? 1 : options.randomVectors;
  for (let m = 0; m < count; m++) mu[m] /= n * samples;
  return { mu, scale, n, randomVectors: options.randomVectors, matVecs };
}

/** Moments from known eigenvalues (exact trace): the reference the stochastic estimate is tested against. */
export function exactMoments(eigenvalues: ArrayLike<number>, count: number, scale: ChebyshevScale): Float64Array {
  const mu = new Float64Array(count);
  for (let k = 0; k < eigenvalues.length; k++) {
    const x = (eigenvalues[k] - scale.b_eV) / scale.a_eV;
    let t0 = 1;
    let t1 = x;
    mu[0] += 1;
    if (count > 1) mu[1] += x;
    for (let m = 2; m < count; m++) {
      const t2 = 2 * x * t1 - t0;
      mu[m] += t2;
      t0 = t1;
      t1 = t2;
    }
  }
  for (let m = 0; m < count; m++) mu[m] /= eigenvalues.length;
  return mu;
}

/** Jackson kernel g_n (Weiße et al. eq. 71), N = number of moments. */
export function jacksonKernel(count: number): Float64Array {
  const g = new Float64Array(count);
  const q = Math.PI / (count + 1);
  for (let m = 0; m < count; m++) g[m] = ((count - m + 1) * Math.cos(q * m) + Math.sin(q * m) / Math.tan(q)) / (count + 1);
  return g;
}

/** DoS per orbital (1/eV, no spin) at absolute energies, Jackson-damped: the standard KPM estimate. */
export function jacksonDos(moments: KpmMoments, energies_eV: ArrayLike<number>): Float64Array {
  const { mu, scale } = moments;
  const g = jacksonKernel(mu.length);
  const out = new Float64Array(energies_eV.length);
  for (let e = 0; e < out.length; e++) {
    const x = (energies_eV[e] - scale.b_eV) / scale.a_eV;
    if (x <= -1 || x >= 1) continue;
    let s = g[0] * mu[0];
    let t0 = 1;
    let t1 = x;
    s += 2 * g[1] * mu[1] * t1;
    for (let m = 2; m < mu.length; m++) {
      const t2 = 2 * x * t1 - t0;
      s += 2 * g[m] * mu[m] * t2;
      t0 = t1;
      t1 = t2;
    }
    out[e] = s / (Math.PI * Math.sqrt(1 - x * x) * scale.a_eV);
  }
  return out;
}

/**
 * Chebyshev coefficients c_n of f(y) on [−1, 1], c_n = (2 − δ_n0)/π ∫₀^π f(cos θ) cos nθ dθ,
 * by the midpoint rule on `quadrature` points (exact for polynomials of degree < 2·quadrature).
 */
export function chebyshevCoefficients(f: (y: number) => number, count: number, quadrature = Math.max(2 * count, 256)): Float64Array {
  const c = new Float64Array(count);
  for (let q = 0; q < quadrature; q++) {
    const theta = (Math.PI * (q + 0.5)) / quadrature;
    const x = Math.cos(theta);
    const value = f(x);
    if (value === 0) continue;
    // cos(mθ) = T_m(cos θ) by the three-term recursion
    let t0 = 1;
    let t1 = x;
    c[0] += value;
    if (count > 1) c[1] += value * x;
    for (let m = 2; m < count; m++) {
      const t2 = 2 * x * t1 - t0;
      c[m] += value * t2;
      t0 = t1;
      t1 = t2;
    }
  }
  for (let m = 0; m < count; m++) c[m] *= (m === 0 ? 1 : 2) / quadrature;
  return c;
}

/**
 * DoS per orbital (1/eV, no spin) broadened by a unit-area Gaussian of σ exactly, as exact
 * diagonalisation broadens it: ρ_σ(E) = Σ_n μ_n c_n(E), c_n the Chebyshev coefficients of
 * y ↦ G_σ(E − (a·y + b)). Converged when σ/a ≫ π/N (the Gaussian's own Chebyshev series has
 * decayed), so no kernel damping is needed and the broadening matches the label's.
 */
export function gaussianKpmDos(moments: KpmMoments, energies_eV: ArrayLike<number>, sigma_eV: number): Float64Array {
  const { mu, scale } = moments;
  const out = new Float64Array(energies_eV.length);
  for (let e = 0; e < out.length; e++) {
    const c = chebyshevCoefficients((y) => gaussian(energies_eV[e] - (scale.a_eV * y + scale.b_eV), sigma_eV), mu.length);
    let s = 0;
    for (let m = 0; m < mu.length; m++) s += c[m] * mu[m];
    out[e] = s;
  }
  return out;
}

/** Fraction of levels below E, smoothed by the Gaussian CDF of σ, from the moments. */
export function gaussianKpmCount(moments: KpmMoments, energy_eV: number, sigma_eV: number): number {
  const { mu, scale } = moments;
  const c = chebyshevCoefficients((y) => 0.5 * (1 + erf((energy_eV - (scale.a_eV * y + scale.b_eV)) / (Math.SQRT2 * sigma_eV))), mu.length);
  let s = 0;
  for (let m = 0; m < mu.length; m++) s += c[m] * mu[m];
  return s;
}

/** E_F where the Gaussian-smoothed count reaches `fraction` (½ for the π half filling), by bisection. */
export function kpmFermiLevel(moments: KpmMoments, fraction: number, sigma_eV: number): number {
  let lo = moments.scale.b_eV - moments.scale.a_eV;
  let hi = moments.scale.b_eV + moments.scale.a_eV;
  for (let it = 0; it < 60 && hi - lo > 1e-7; it++) {
    const mid = 0.5 * (lo + hi);
    if (gaussianKpmCount(moments, mid, sigma_eV) < fraction) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

function gaussian(x: number, sigma: number): number {
  if (Math.abs(x) > 40 * sigma) return 0;
  return Math.exp((-0.5 * x * x) / (sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
}

/**
 * DC Kubo–Greenwood at one energy with Gaussian δ's, σ_αα(E) = (π ħ e² g_s/Ω) Tr[v_α δ_σ(E − H) v_α δ_σ(E − H)],
 * by Chebyshev filtering: with ħv = iA (A real antisymmetric) the trace is E_r[wᵀ A u],
 * u = δ(E − H) r and w = δ(E − H) A r, each δ(E − H)x = Σ_n c_n T_n(H̃) x with the Gaussian
 * coefficients of gaussianKpmDos. One r costs 3 Chebyshev recursions (u, w_x, w_y) of N mat-vecs,
 * run as one block of vectors (chebyshevBlock.ts).
 * Matches KuboAccumulator's dcGaussian form on the same cell (Γ point).
 */
export function kpmConductivityDc(
  h: CsrMatrix,
  velocities: readonly [CsrMatrix, CsrMatrix],
  energy_eV: number,
  sigma_eV: number,
  volume_A3: number,
  options: KpmMomentsOptions,
): { sigma_S_m: [number, number]; matVecs: number } {
  const scale = options.scale ?? chebyshevScale(h);
  const c = chebyshevCoefficients((y) => gaussian(energy_eV - (scale.a_eV * y + scale.b_eV), sigma_eV), options.moments);
  const n = h.n;
  let matVecs = 0;
  const alpha = 1 / scale.a_eV;
  const beta = -scale.b_eV / scale.a_eV;
  // The three filtered vectors of one start vector r, [r, A_x r, A_y r], run as one block (a fourth lane idle).
  const lanes = 4;
  const engine = chebyshevBlockEngine(h, lanes, options.kernels);
  let [prev, curr, next] = engine.buffers;
  const out = engine.buffers[3];
  const ar = new Float64Array(n);
  const au = new Float64Array(n);
  const u = new Float64Array(n);
  const trace = [0, 0];
  for (const start of startVectors(n, options)) {
    prev.fill(0);
    for (let i = 0; i < n; i++) prev[i * lanes] = start[i];
    for (let axis = 0; axis < 2; axis++) {
      csrMultiply(velocities[axis], start, ar);
      for (let i = 0; i < n; i++) prev[i * lanes + 1 + axis] = ar[i];
    }
    // out = Σ c_m T_m(H̃) x by the three-term recursion; T_1 = H̃x with the zeroed next as T_−1
    for (let i = 0; i < out.length; i++) out[i] = c[0] * prev[i];
    if (c.length > 1) {
      curr.fill(0);
      engine.filterStep(prev, curr, curr, alpha, beta, c[1], out);
      matVecs += 3;
    }
    for (let m = 2; m < c.length; m++) {
      engine.filterStep(curr, prev, next, 2 * alpha, 2 * beta, c[m], out);
      matVecs += 3;
      [prev, curr, next] = [curr, next, prev];
    }
    for (let i = 0; i < n; i++) u[i] = out[i * lanes];
    for (let axis = 0; axis < 2; axis++) {
      csrMultiply(velocities[axis], u, au);
      let wAu = 0;
      for (let i = 0; i < n; i++) wAu += out[i * lanes + 1 + axis] * au[i];
      trace[axis] += wAu;
    }
  }
  const prefactor = kuboPrefactor(volume_A3) / (options.exactTrace ? 1 : options.randomVectors);
  return { sigma_S_m: [prefactor * trace[0], prefactor * trace[1]], matVecs };
}
