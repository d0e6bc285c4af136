/** Seeded uniform generator (mulberry32): the same seed gives the same model, bit for bit, on any machine. */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.uniform();
}

/** Fisher–Yates shuffle of 0…n−1. */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * A seeded generator whose state can be saved and restored (checkpoints resume bit for bit):
 * uniform numbers from mulberry32, normals by Box–Muller.
 */
export class Rng {
  state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  /** Fisher–Yates shuffle in place. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
