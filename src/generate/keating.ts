import { MAX_DEGREE, type BondNetwork } from './network.js';

/**
 * Keating's valence force field in the form WWW used (Keating, Phys. Rev. 145, 637, 1966):
 *   E = 3α/(16 d²) Σ_bonds (r_ij·r_ij − d²)² + 3β/(8 d²) Σ_angles (r_ij·r_ik − d² cos θ₀)²
 * with the topology given by the network's bond list, not by distances. θ₀ = 120° for sp² carbon.
 */
export interface KeatingParams {
  alpha_eV_A2: number;
  beta_eV_A2: number;
  bond_A: number;
  cosTheta0: number;
  /** cos θ₀ at two-coordinated atoms (chain-like edge sites open wider than 120°); default cosTheta0. */
  cosTheta0TwoFold?: number;
}

/**
 * Graphene values used here: α = 26.06, β = 5.51 eV/Å² (the figures quoted for Keating graphene
 * in WWW studies; not checked against the original paper in this repository), d = 1.42 Å.
 */
export const KEATING_GRAPHENE: Readonly<KeatingParams> = Object.freeze({ alpha_eV_A2: 26.06, beta_eV_A2: 5.51, bond_A: 1.42, cosTheta0: -0.5 });

/** A part of the network: the terms that involve at least one of its atoms. */
export interface Region {
  atoms: Int32Array;
  /** 1 for atoms in the region, length n. */
  mask: Uint8Array;
  /** The region's atoms and their neighbours (angle centres); computed per call when absent. */
  centres?: Int32Array;
}

const R1 = new Float64Array(3);
const R2 = new Float64Array(3);

/**
 * Keating energy (eV) of the whole network, or of the terms touching `region`; adds dE/dr to
 * `gradient` (3 per atom, eV/Å) when given. Terms outside the region do not change when only
 * region atoms move, so energy differences of regional evaluations are exact.
 */
export function keatingEnergy(net: BondNetwork, p: KeatingParams, gradient?: Float64Array, region?: Region): number {
  const d2 = p.bond_A * p.bond_A;
  const kb = (3 * p.alpha_eV_A2) / (16 * d2);
  const ka = (3 * p.beta_eV_A2) / (8 * d2);
  const c0 = d2 * p.cosTheta0;
  const nb = net.neighbors;
  let energy = 0;
  const owners = region ? region.atoms : undefined;
  const count = owners ? owners.length : net.n;
  // bonds
  for (let t = 0; t < count; t++) {
    const i = owners ? owners[t] : t;
    for (let m = 0; m < net.degree[i]; m++) {
      const j = nb[i * MAX_DEGREE + m];
      if (region ? region.mask[j] === 1 && j < i : j < i) continue;
      net.vector(i, j, R1);
      const u = R1[0] * R1[0] + R1[1] * R1[1] + R1[2] * R1[2] - d2;
      energy += kb * u * u;
      if (gradient) {
        const g = 4 * kb * u;
        for (let d = 0; d < 3; d++) {
          gradient[3 * j + d] += g * R1[d];
          gradient[3 * i + d] -= g * R1[d];
        }
      }
    }
  }
  // angles: centres are the region's atoms and their neighbours
  const centres = region ? (region.centres ?? expand(net, region)) : undefined;
  const nc = centres ? centres.length : net.n;
  for (let t = 0; t < nc; t++) {
    const c = centres ? centres[t] : t;
    const deg = net.degree[c];
    const cc = deg === 2 && p.cosTheta0TwoFold !== undefined ? d2 * p.cosTheta0TwoFold : c0;
    for (let a = 0; a < deg; a++) {
      const j = nb[c * MAX_DEGREE + a];
      net.vector(c, j, R1);
      for (let b = a + 1; b < deg; b++) {
        const k = nb[c * MAX_DEGREE + b];
        if (region && !region.mask[c] && !region.mask[j] && !region.mask[k]) continue;
        net.vector(c, k, R2);
        const v = R1[0] * R2[0] + R1[1] * R2[1] + R1[2] * R2[2] - cc;
        energy += ka * v * v;
        if (gradient) {
          const g = 2 * ka * v;
          for (let d = 0; d < 3; d++) {
            gradient[3 * j + d] += g * R2[d];
            gradient[3 * k + d] += g * R1[d];
            gradient[3 * c + d] -= g * (R1[d] + R2[d]);
          }
        }
      }
    }
  }
  return energy;
}

const EXPAND_MARK: { mark: Int32Array; stamp: number } = { mark: new Int32Array(0), stamp: 0 };

/** The region's atoms and their bonded neighbours, each once. */
export function expand(net: BondNetwork, region: Region): Int32Array {
  if (EXPAND_MARK.mark.length < net.n) EXPAND_MARK.mark = new Int32Array(net.n);
  const stamp = ++EXPAND_MARK.stamp;
  const mark = EXPAND_MARK.mark;
  const out: number[] = [];
  for (const i of region.atoms) {
    if (mark[i] !== stamp) {
      mark[i] = stamp;
      out.push(i);
    }
    for (let m = 0; m < net.degree[i]; m++) {
      const j = net.neighbors[i * MAX_DEGREE + m];
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        out.push(j);
      }
    }
  }
  return Int32Array.from(out);
}

/** Atoms within `hops` bonds of the seeds, as a region. */
export function regionAround(net: BondNetwork, seeds: readonly number[], hops: number): Region {
  const mask = new Uint8Array(net.n);
  let frontier = [...new Set(seeds)];
  for (const s of frontier) mask[s] = 1;
  const atoms = [...frontier];
  for (let h = 0; h < hops; h++) {
    const next: number[] = [];
    for (const i of frontier) {
      for (let m = 0; m < net.degree[i]; m++) {
        const j = net.neighbors[i * MAX_DEGREE + m];
        if (!mask[j]) {
          mask[j] = 1;
          atoms.push(j);
          next.push(j);
        }
      }
    }
    frontier = next;
  }
  return { atoms: Int32Array.from(atoms), mask };
}

/** The whole network as a region. */
export function wholeRegion(net: BondNetwork): Region {
  return { atoms: Int32Array.from({ length: net.n }, (_, i) => i), mask: new Uint8Array(net.n).fill(1) };
}
