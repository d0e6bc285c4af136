/**
 * Tight-binding benchmarks, each against a reference run in the same process (CPU time of each process,
 * since the machine is shared):
 * 1. exact el-DoS (π model, Γ-centred 2×2 mesh = 4 real H(k)) of the largest public structures
 *    (≈250 atoms): our time per structure, and our eigensolver on the same H(k) matrices against numpy
 *    eigvalsh (1 BLAS thread; OPENBLAS_CORETYPE/L2_SIZE unset for numpy only);
 * 2. KPM: Chebyshev moments on a replicated public cell of ≈10⁵ atoms, against scipy.sparse CSR
 *    mat-vec products doing the same number of products on the same matrix.
 * usage: node dist/bench/tb.js [targetAtoms=100000] [moments=1400]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPoscar } from '../src/structure/io/poscar.js';
import { writeNpy } from '../src/io/npy.js';
import { symmetricEigenvalues } from '../src/linalg/symmetricEigen.js';
import { tightBindingExact } from '../src/physics/tb/exact.js';
import { hoppings, piParameters } from '../src/physics/tb/model.js';
import { blochHamiltonian } from '../src/physics/tb/bloch.js';
import { monkhorstPack } from '../src/physics/tb/kpoints.js';
import { csrHamiltonian } from '../src/physics/tb/sparse.js';
import { kpmMoments } from '../src/physics/tb/kpm.js';
import { repeatsFor } from '../src/physics/tb/kpmEngine.js';
import { findPython, unpackShared } from './shared.js';

/** CPU seconds of this process (user + system): the machine is shared, wall time is not ours alone. */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const target = Number(process.argv[2] ?? 100000);
const moments = Number(process.argv[3] ?? 1400);
const dir = existsSync('/work/data/raw_dataset_electron/POSCAR') ? '/work/data/raw_dataset_electron/POSCAR' : unpackShared('electron', 'raw_dataset_electron/POSCAR');
const read = (name: string) => readPoscar(readFileSync(join(dir, name), 'utf8'), name);
// the five largest structures
const files = readdirSync(dir).sort();
const sizes = files.map((f) => ({ f, n: Number(readFileSync(join(dir, f), 'utf8').split('\n')[6].trim().split(/\s+/)[0]) }));
const largest = sizes.sort((a, b) => b.n - a.n).slice(0, 5);
const py = findPython(['numpy', 'scipy']);
const tmp = mkdtempSync(join(tmpdir(), 'tb-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;

let full = 0;
let eig = 0;
let matrices = 0;
const npyFiles: string[] = [];
for (const { f } of largest) {
  const atoms = read(f);
  let t = cpu();
  tightBindingExact(atoms, { mesh: [2, 2, 1] });
  full += (cpu() - t);
  const h = hoppings(atoms, piParameters());
  const k = monkhorstPack(atoms.cell, atoms.pbc, [2, 2, 1]);
  for (let q = 0; q < k.count; q++) {
    const m = blochHamiltonian(h, k.cartesian_invA.subarray(3 * q, 3 * q + 3)).re;
    t = cpu();
    symmetricEigenvalues(m, atoms.length);
    eig += (cpu() - t);
    matrices++;
    const file = join(tmp, `h${npyFiles.length}.npy`);
    writeNpy(file, { data: m, shape: [atoms.length, atoms.length] });
    npyFiles.push(file);
  }
}
console.log(`exact el-DoS, ${largest.length} structures of ${largest.map((s) => s.n).join('/')} atoms, 2×2 Γ-centred mesh: ${(full / largest.length).toFixed(3)} s per structure (${matrices} real H(k))`);
if (py !== undefined) {
  const script = `import sys, time, numpy as np
ms = [np.load(f) for f in sys.argv[1:]]
best = 1e30
for _ in range(3):
    t = time.process_time()
    for m in ms: np.linalg.eigvalsh(m)
    best = min(best, time.process_time() - t)
print(best)`;
  const r = spawnSync(py, ['-c', script, ...npyFiles], { encoding: 'utf8', env });
  const numpy = Number(r.stdout);
  console.log(`eigenvalues of the same ${matrices} H(k): ours ${eig.toFixed(3)} s, numpy eigvalsh (1 thread, best of 3) ${numpy.toFixed(3)} s; ratio ours/numpy ${(eig / numpy).toFixed(2)}`);
} else console.log('numpy not found: no eigensolver reference');

// KPM on a replicated cell
const cell = read(largest[0].f);
const rep = repeatsFor(cell, target);
let t = cpu();
const big = cell.repeat(...rep);
const hop = hoppings(big, piParameters());
const h = csrHamiltonian(hop);
const build = (cpu() - t);
t = cpu();
const m = kpmMoments(h, { moments, randomVectors: 1, seed: 1 });
const kpm = (cpu() - t);
console.log(`KPM: ${big.length} atoms (${largest[0].f} × ${rep[0]}×${rep[1]}), ${h.value.length} non-zeros, build ${build.toFixed(2)} s; ${moments} moments × 1 random-phase vector = ${m.matVecs} mat-vecs in ${kpm.toFixed(2)} s (${((kpm * 1e5) / big.length).toFixed(2)} s per 10⁵ atoms)`);
if (py !== undefined) {
  writeNpy(join(tmp, 'data.npy'), { data: h.value, shape: [h.value.length] });
  writeNpy(join(tmp, 'indices.npy'), { data: Float64Array.from(h.column), shape: [h.column.length] });
  writeNpy(join(tmp, 'indptr.npy'), { data: Float64Array.from(h.start), shape: [h.start.length] });
  const script = `import sys, time, numpy as np, scipy.sparse as sp
d = sys.argv[1]; n = int(sys.argv[2]); count = int(sys.argv[3])
a = sp.csr_matrix((np.load(d + '/data.npy'), np.load(d + '/indices.npy').astype(np.int32), np.load(d + '/indptr.npy').astype(np.int32)), shape=(n, n))
x = np.random.default_rng(1).standard_normal(n); y = np.zeros(n)
t = time.process_time()
for _ in range(count): y = a @ x; x, y = y / 10, x
print(time.process_time() - t)`;
  const r = spawnSync(py, ['-c', script, tmp, String(h.n), String(m.matVecs)], { encoding: 'utf8', env });
  const scipy = Number(r.stdout);
  console.log(`scipy.sparse CSR: ${m.matVecs} mat-vecs (plus a scaling each) on the same matrix ${scipy.toFixed(2)} s; ratio ours (full KPM) / scipy (mat-vecs only) ${(kpm / scipy).toFixed(2)}`);
}
