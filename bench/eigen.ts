/**
 * Eigenvalues of a random symmetric n×n matrix (default 2700): ours with 1 and 2 threads against
 * numpy eigvalsh (OpenBLAS/LAPACK dsyevd path) on the same matrix with 1 and 2 BLAS threads, in the
 * same run, each ratio at equal threads. Wall-clock and CPU seconds are both printed, with the load
 * average: on a shared machine the CPU-time ratio (1 thread) is the one that does not depend on how
 * much of a core each side was given.
 * Usage: node dist/bench/eigen.js [n] [blockSize]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { symmetricEigenvalues } from '../src/linalg/symmetricEigen.js';
import { writeNpy } from '../src/io/npy.js';
import { seededRandom } from '../src/util/random.js';
import { findPython } from './shared.js';

export interface NumpyTiming {
  threads: number;
  /** Wall-clock seconds (best of repeats). */
  seconds: number;
  /** CPU seconds of the process over that run (all threads). */
  cpuSeconds: number;
  kernel: string;
  values: Float64Array;
}

/** CPU seconds (user + system) of this process since `start` (a process.cpuUsage() value). */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/** numpy eigvalsh on an .npy matrix, best of `repeats`, with the BLAS thread count fixed by threadpoolctl when present. */
export function numpyEigvalsh(py: string, file: string, threads: number, repeats = 1): NumpyTiming {
  const script = `import sys, time, json, numpy as np
a = np.load(sys.argv[1]); threads = int(sys.argv[2]); reps = int(sys.argv[3])
kernel = 'unknown'
try:
    from threadpoolctl import threadpool_limits, threadpool_info
    ctx = threadpool_limits(limits=threads)
    info = threadpool_info()
    kernel = ';'.join(f"{i['internal_api']} {i.get('version')} {i.get('architecture')} threads={i['num_threads']}" for i in info)
except ImportError:
    pass
best = 1e30; best_cpu = 1e30
for _ in range(reps):
    t = time.perf_counter(); c = time.process_time(); w = np.linalg.eigvalsh(a)
    best = min(best, time.perf_counter() - t); best_cpu = min(best_cpu, time.process_time() - c)
np.save(sys.argv[1] + '.w.npy', w)
print(json.dumps({'seconds': best, 'cpu': best_cpu, 'kernel': kernel}))`;
  // The machine's OpenBLAS tuning variables are dropped for this command only (brief: LAPACK at its own defaults).
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = String(threads);
  env.OMP_NUM_THREADS = String(threads);
  const r = spawnSync(py, ['-c', script, file, String(threads), String(repeats)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`numpy failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { seconds: number; cpu: number; kernel: string };
  const w = spawnSync(py, ['-c', 'import sys, numpy as np; sys.stdout.write(" ".join(repr(float(x)) for x in np.load(sys.argv[1])))', file + '.w.npy'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { threads, seconds: out.seconds, cpuSeconds: out.cpu, kernel: out.kernel, values: Float64Array.from(w.stdout.split(' ').map(Number)) };
}

function main(): void {
  const n = Number(process.argv[2] ?? 2700);
  const blockSize = Number(process.argv[3] ?? 32);
  const rand = seededRandom(42);
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = r; c < n; c++) a[r * n + c] = a[c * n + r] = 2 * rand() - 1;
  const py = findPython(['numpy']);
  const ours = new Map<number, { seconds: number; cpuSeconds: number; values: Float64Array }>();
  for (const threads of [1, 2]) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const values = symmetricEigenvalues(a, n, { blockSize, threads });
    ours.set(threads, { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSecondsSince(c0), values });
  }
  const one = ours.get(1)!;
  const two = ours.get(2)!;
  console.log(
    `n = ${n}, blockSize ${blockSize}: ours ${one.seconds.toFixed(2)} s wall, ${one.cpuSeconds.toFixed(2)} s CPU; ` +
      `2 threads ${two.seconds.toFixed(2)} s wall, ${two.cpuSeconds.toFixed(2)} s CPU; load average ${loadavg()[0].toFixed(1)}`,
  );
  if (py === undefined) {
    console.log('numpy not found: no reference');
    return;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'eigen-bench-')), 'a.npy');
  writeNpy(file, { data: a, shape: [n, n] });
  for (const threads of [1, 2]) {
    const ref = numpyEigvalsh(py, file, threads);
    const mine = ours.get(threads)!;
    let norm = 0;
    let diff = 0;
    for (let k = 0; k < n; k++) {
      norm = Math.max(norm, Math.abs(ref.values[k]));
      diff = Math.max(diff, Math.abs(ref.values[k] - mine.values[k]));
    }
    console.log(
      `numpy eigvalsh, ${threads} thread(s): ${ref.seconds.toFixed(2)} s wall, ${ref.cpuSeconds.toFixed(2)} s CPU [${ref.kernel}]; ` +
        `ratio ours/numpy (${threads} thread(s) each) wall ${(mine.seconds / ref.seconds).toFixed(2)}, CPU ${(mine.cpuSeconds / ref.cpuSeconds).toFixed(2)}` +
        `; max |Δλ|/‖A‖ = ${(diff / norm).toExponential(2)}; load average ${loadavg()[0].toFixed(1)}`,
    );
  }
}

if (process.argv[1]?.endsWith('eigen.js')) main();
