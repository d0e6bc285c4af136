import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Atoms } from '../src/structure/atoms.js';
import { seededRandom } from '../src/util/random.js';

/** Repository root (tests run from dist/test/…). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = join(ROOT, 'examples');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const SHARED = resolve(ROOT, '..', 'shared');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spramnet-test-'));
}

/** C–C bond length of graphene used in the analytic tests, Å. */
export const CC_A = 1.42;

/**
 * Graphene in its rectangular 4-atom cell (a = √3·d, b = 3d), repeated n × m. Every atom has 3
 * neighbours at d, 6 at √3·d, 3 at 2d: the analytic facts the g(r) tests check.
 */
export function graphene(n: number, m: number, d = CC_A, z = 5): Atoms {
  const a = Math.sqrt(3) * d;
  const b = 3 * d;
  const base = [
    [0, 0],
    [a / 2, d / 2],
    [a / 2, (3 * d) / 2],
    [0, 2 * d],
  ];
  const positions: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (const [x, y] of base) positions.push(x + i * a, y + j * b, z);
  return new Atoms({
    positions,
    symbols: positions.map(() => 'C').slice(0, positions.length / 3),
    cell: [n * a, 0, 0, 0, m * b, 0, 0, 0, 20],
    pbc: [true, true, true],
  });
}

/** Deterministic pseudo-random numbers for test data (the package's own seeded generator). */
export function random(seed: number): () => number {
  return seededRandom(seed);
}

/** Uniform random points in a sheet (or a box when thickness = c). */
export function randomSheet(count: number, a: number, b: number, thickness: number, seed: number, symbols: string[] = ['C']): Atoms {
  const rand = random(seed);
  const positions: number[] = [];
  for (let i = 0; i < count; i++) positions.push(rand() * a, rand() * b, 10 + rand() * thickness);
  return new Atoms({
    positions,
    symbols: Array.from({ length: count }, (_, i) => symbols[i % symbols.length]),
    cell: [a, 0, 0, 0, b, 0, 0, 0, 20 + thickness],
    pbc: [true, true, true],
  });
}

/**
 * A Python with the given modules: Debian's /usr/bin/python3 first (python3-ase, -xgboost, -torch
 * live there). Outside CI a missing module skips the tests that compare against it; in CI (CI set)
 * it never does: the Python is returned anyway, so those tests run and fail with the import error.
 */
export function python(modules: string[]): string | undefined {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(exe, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { encoding: 'utf8' });
    if (probe.status === 0) return exe;
  }
  return process.env.CI ? '/usr/bin/python3' : undefined;
}

/** A skip reason outside CI only: in CI a missing tool fails its tests instead of skipping them. */
export function skipOutsideCi(missing: boolean, reason: string): string | false {
  return missing && !process.env.CI ? reason : false;
}

export function run(exe: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(exe, args, { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}
