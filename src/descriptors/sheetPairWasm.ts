import { scratchKernels, type ScratchKernels } from '../wasm/runtime.js';
import type { Grid } from './grid.js';

/**
 * The WebAssembly pair loop of the reference descriptors (assembly/sheetPairs.ts, two pairs per
 * f64x2 step, ~2× the JavaScript loop), with its buffers in a private memory that grows with the
 * largest structure seen. Null when build/kernels.wasm is missing or older than the kernel: the
 * caller's JavaScript serves.
 */
export interface UnorderedPairCounts {
  /** Unordered pairs per bin (integers). Views into the kernel's memory: valid until the next call. */
  inPlane: Int32Array;
  full: Int32Array;
  /** Bonds i < j in loop order: atoms (i, j) as pairs, vectors r_j − r_i. */
  bondCount: number;
  bondPairs: Int32Array;
  bondVectors: Float64Array;
}

class PairKernel {
  private sk: ScratchKernels;
  private atoms = 0;
  private bins = 0;
  private bondCapacity = 0;
  private xs!: Float64Array;
  private ys!: Float64Array;
  private zs!: Float64Array;
  private edges!: Float64Array;
  private inPlane!: Int32Array;
  private full!: Int32Array;
  private bondPairs!: Int32Array;
  private bondVectors!: Float64Array;

  constructor(sk: ScratchKernels) {
    this.sk = sk;
  }

  /** Fresh regions when a structure, grid or bond list outgrows them (bump allocation: the old ones are left behind, growth is geometric). */
  private reserve(atoms: number, bins: number, bonds: number): void {
    if (atoms <= this.atoms && bins <= this.bins && bonds <= this.bondCapacity) return;
    this.atoms = Math.max(atoms, 2 * this.atoms, 256);
    this.bins = Math.max(bins, this.bins);
    this.bondCapacity = Math.max(bonds, 2 * this.bondCapacity, 1024);
    const sk = this.sk;
    const at = {
      xs: sk.reserve(8 * this.atoms),
      ys: sk.reserve(8 * this.atoms),
      zs: sk.reserve(8 * this.atoms),
      edges: sk.reserve(8 * (this.bins + 1)),
      inPlane: sk.reserve(4 * this.bins),
      full: sk.reserve(4 * this.bins),
      bondPairs: sk.reserve(8 * this.bondCapacity),
      bondVectors: sk.reserve(24 * this.bondCapacity),
    };
    const buffer = sk.memory.buffer; // after every reserve: growing replaces the buffer object
    this.xs = new Float64Array(buffer, at.xs, this.atoms);
    this.ys = new Float64Array(buffer, at.ys, this.atoms);
    this.zs = new Float64Array(buffer, at.zs, this.atoms);
    this.edges = new Float64Array(buffer, at.edges, this.bins + 1);
    this.inPlane = new Int32Array(buffer, at.inPlane, this.bins);
    this.full = new Int32Array(buffer, at.full, this.bins);
    this.bondPairs = new Int32Array(buffer, at.bondPairs, 2 * this.bondCapacity);
    this.bondVectors = new Float64Array(buffer, at.bondVectors, 3 * this.bondCapacity);
  }

  run(positions: Float64Array, a_A: number, b_A: number, grid: Grid, bondCutoff_A: number): UnorderedPairCounts {
    const n = positions.length / 3;
    const bins = grid.bins;
    this.reserve(n, bins, 4 * n);
    for (;;) {
      const { xs, ys, zs } = this;
      for (let i = 0; i < n; i++) {
        xs[i] = positions[3 * i];
        ys[i] = positions[3 * i + 1];
        zs[i] = positions[3 * i + 2];
      }
      this.edges.set(grid.edges());
      const bondCount = this.sk.k.sheetMinimumImagePairs(
        xs.byteOffset, ys.byteOffset, zs.byteOffset, n,
        a_A, b_A,
        grid.stop * grid.stop, 1 / grid.step, this.edges.byteOffset, bins,
        this.inPlane.byteOffset, this.full.byteOffset,
        bondCutoff_A * bondCutoff_A, this.bondPairs.byteOffset, this.bondVectors.byteOffset, this.bondCapacity,
      );
      if (bondCount <= this.bondCapacity) {
        return { inPlane: this.inPlane.subarray(0, bins), full: this.full.subarray(0, bins), bondCount, bondPairs: this.bondPairs, bondVectors: this.bondVectors };
      }
      this.reserve(n, bins, bondCount); // a dense structure: more bonds than room; again with enough
    }
  }
}

let kernel: PairKernel | null | undefined;

/** The kernel, or null when the WebAssembly build is missing. */
export function sheetPairKernel(): { run: PairKernel['run'] } | null {
  if (kernel === undefined) {
    const sk = scratchKernels();
    kernel = sk === null || typeof sk.k.sheetMinimumImagePairs !== 'function' ? null : new PairKernel(sk); // a build from before this kernel: none
  }
  return kernel;
}
