import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PARALLEL_MIN_N, symmetricEigen, symmetricEigenvalues } from '../../src/linalg/symmetricEigen.js';
import { eigenHelper } from '../../src/linalg/eigenHelper.js';
import { linalgModule } from '../../src/linalg/linalgKernels.js';
import { writeNpy } from '../../src/io/npy.js';
import { python, random, run, tempDir } from '../helpers.js';

const py = python(['numpy']);
const needPython = py === undefined && !process.env.CI ? 'python3-numpy is not installed' : false;

function randomSymmetric(n: number, seed: number): Float64Array {
  const rand = random(seed);
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = r; c < n; c++) {
      const x = 2 * rand() - 1;
      a[r * n + c] = x;
      a[c * n + r] = x;
    }
  }
  return a;
}

/** Q diag(λ) Qᵀ with Q a product of random reflectors: known, repeated and clustered eigenvalues. */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const rand = random(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let h = 0; h < 4; h++) {
    const v = Float64Array.from({ length: n }, () => rand() - 0.5);
    const vv = v.reduce((s, x) => s + x * x, 0);
    for (let r = 0; r < n; r++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += q[r * n + c] * v[c];
      for (let c = 0; c < n; c++) q[r * n + c] -= (2 * dot * v[c]) / vv;
    }
  }
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[r * n + k] * lambda[k] * q[c * n + k];
    a[r * n + c] = s;
  }
  // Exactly symmetric, as numpy reads the lower and we read the upper triangle.
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) a[r * n + c] = a[c * n + r];
  return a;
}

function numpyEigenvalues(matrices: Float64Array[], sizes: number[]): number[][] {
  const dir = tempDir();
  matrices.forEach((m, i) => writeNpy(join(dir, `m${i}.npy`), { data: m, shape: [sizes[i], sizes[i]] }));
  const script = `import numpy as np, json, sys
out = []
for i in range(${matrices.length}):
    a = np.load(sys.argv[1] + f'/m{i}.npy')
    out.append(np.linalg.eigvalsh(a).tolist())
print(json.dumps(out))`;
  const r = run(py!, ['-c', script, dir]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as number[][];
}

function spectralNorm(values: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) m = Math.max(m, Math.abs(values[k]));
  return m || 1;
}

/** max |A·V − V·Λ| and max |VᵀV − I| over elements, relative to ‖A‖. */
function residuals(a: Float64Array, n: number, values: Float64Array, v: Float64Array): { eigen: number; orthogonality: number } {
  const norm = spectralNorm(values);
  let eigen = 0;
  let orthogonality = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[r * n + k] * v[k * n + i];
      eigen = Math.max(eigen, Math.abs(av - v[r * n + i] * values[i]) / norm);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[k * n + i] * v[k * n + j];
      orthogonality = Math.max(orthogonality, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return { eigen, orthogonality };
}

const clustered = [1, 1, 1, 2, 2, 2, 2, 1 + 1e-9, 1 - 1e-12, -3, -3, 0, 0, 0, 1e-8, 5, 5 + 1e-7, 5, 5, -3 + 1e-10];

test('eigenvalues equal numpy eigvalsh to 1e-10 of the spectral norm (random, clustered, repeated)', { skip: needPython }, () => {
  const sizes = [1, 2, 3, 17, 200, clustered.length, 45];
  const matrices = [
    randomSymmetric(1, 1),
    randomSymmetric(2, 2),
    randomSymmetric(3, 3),
    randomSymmetric(17, 4),
    randomSymmetric(200, 5),
    withSpectrum(clustered, 6),
    withSpectrum(Array.from({ length: 45 }, (_, k) => Math.floor(k / 9) * 0.5), 7),
  ];
  const expected = numpyEigenvalues(matrices, sizes);
  matrices.forEach((m, i) => {
    const n = sizes[i];
    const norm = spectralNorm(expected[i]);
    for (const [blockSize, kernels] of [[1, 'js'], [7, 'js'], [32, 'js'], [1, 'wasm'], [7, 'wasm'], [32, 'wasm']] as const) {
      const values = symmetricEigenvalues(m, n, { blockSize, kernels });
      const full = symmetricEigen(m, n, { blockSize, kernels });
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(values[k] - expected[i][k]) <= 1e-10 * norm, `n=${n} nb=${blockSize} ${kernels} λ${k}: ${values[k]} vs numpy ${expected[i][k]}`);
        assert.ok(Math.abs(full.values[k] - expected[i][k]) <= 1e-10 * norm, `eigen n=${n} nb=${blockSize} λ${k}: ${full.values[k]} vs numpy ${expected[i][k]}`);
      }
    }
  });
});

test('the clustered spectrum is recovered against its construction too', () => {
  const values = symmetricEigenvalues(withSpectrum(clustered, 6), clustered.length);
  const sorted = [...clustered].sort((x, y) => x - y);
  for (let k = 0; k < sorted.length; k++) assert.ok(Math.abs(values[k] - sorted[k]) < 1e-13 * 5, `λ${k}: ${values[k]} vs ${sorted[k]}`);
});

test('A·V = V·Λ and VᵀV = I to 1e-12 (random, clustered, diagonal, zero, already tridiagonal)', () => {
  const tri = new Float64Array(30 * 30);
  for (let k = 0; k < 30; k++) {
    tri[k * 30 + k] = Math.sin(k);
    if (k + 1 < 30) tri[k * 30 + k + 1] = tri[(k + 1) * 30 + k] = k % 5 === 0 ? 0 : 1 / (k + 1);
  }
  const diagonal = new Float64Array(10 * 10);
  for (let k = 0; k < 10; k++) diagonal[k * 11] = [3, 1, 2, 2, -1, 0, 7, 3, 3, 1][k];
  const cases: [Float64Array, number][] = [
    [randomSymmetric(1, 11), 1],
    [randomSymmetric(2, 12), 2],
    [randomSymmetric(3, 13), 3],
    [randomSymmetric(17, 14), 17],
    [randomSymmetric(120, 15), 120],
    [withSpectrum(clustered, 16), clustered.length],
    [tri, 30],
    [diagonal, 10],
    [new Float64Array(16), 4],
  ];
  for (const [a, n] of cases) {
    for (const [blockSize, kernels] of [[1, 'js'], [5, 'js'], [32, 'js'], [5, 'wasm'], [32, 'wasm']] as const) {
      const { values, vectors } = symmetricEigen(a, n, { blockSize, kernels });
      for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], 'ascending');
      const res = residuals(a, n, values, vectors);
      assert.ok(res.eigen < 1e-12, `n=${n} nb=${blockSize} ${kernels}: |AV − VΛ|/‖A‖ = ${res.eigen}`);
      assert.ok(res.orthogonality < 1e-12, `n=${n} nb=${blockSize}: |VᵀV − I| = ${res.orthogonality}`);
    }
  }
});

test('WebAssembly and TypeScript kernels agree to 1e-13 of the spectral norm (n = 301, odd sizes and panel tails)', () => {
  const a = randomSymmetric(301, 21);
  for (const blockSize of [16, 32]) {
    const js = symmetricEigenvalues(a, 301, { blockSize, kernels: 'js' });
    const wasm = symmetricEigenvalues(a, 301, { blockSize, kernels: 'wasm' });
    const norm = spectralNorm(js);
    for (let k = 0; k < 301; k++) assert.ok(Math.abs(js[k] - wasm[k]) < 1e-13 * norm, `λ${k}: ${js[k]} vs ${wasm[k]}`);
  }
});

test('the eigensolver\'s reused WebAssembly memory: a small problem after a large one (stale data in the buffers) gives what the TypeScript kernels give, vectors too', () => {
  const big = randomSymmetric(180, 5);
  symmetricEigen(big, 180, { kernels: 'wasm' });
  for (const n of [37, 64, 5]) {
    const a = randomSymmetric(n, 40 + n);
    const js = symmetricEigen(a, n, { kernels: 'js' });
    const wasm = symmetricEigen(a, n, { kernels: 'wasm' });
    const norm = spectralNorm(js.values);
    for (let k = 0; k < n; k++) assert.ok(Math.abs(js.values[k] - wasm.values[k]) < 1e-13 * norm, `n ${n} λ${k}`);
    // vectors up to sign
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += js.vectors[r * n + c] * wasm.vectors[r * n + c];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `n ${n} vector ${c}: |v·v'| = ${Math.abs(dot)}`);
    }
  }
});

test('bad input is refused in words', () => {
  assert.throws(() => symmetricEigenvalues(new Float64Array(5), 2), /expected n² = 4/);
  assert.throws(() => symmetricEigenvalues(Float64Array.from([1, NaN, NaN, 1]), 2), /\(0, 1\) is NaN/);
});

test('two threads give the one-thread eigenvalues (to rounding) and numpy eigvalsh (1e-10‖A‖); eigenvectors too (n = 457)', { skip: needPython }, () => {
  const n = 457; // above PARALLEL_MIN_N, odd, so row chunks and panel tails are ragged
  assert.ok(n >= PARALLEL_MIN_N);
  const a = randomSymmetric(n, 31);
  const helper = eigenHelper(linalgModule()!);
  assert.ok(helper !== null, 'the helper thread started');
  const [expected] = numpyEigenvalues([a], [n]);
  const norm = spectralNorm(expected);
  let chunks = helper.helperChunks;
  const one = symmetricEigenvalues(a, n, { threads: 1 });
  assert.equal(helper.helperChunks, chunks, 'one thread gives the helper nothing');
  // The helper takes chunks only when the scheduler runs it in time: on a loaded machine, try again.
  for (let attempt = 0; attempt < 5 && helper.helperChunks < chunks + 20; attempt++) {
    const two = symmetricEigenvalues(a, n, { threads: 2 });
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(two[k] - one[k]) <= 1e-13 * norm, `λ${k}: 2 threads ${two[k]} vs 1 thread ${one[k]}`);
      assert.ok(Math.abs(two[k] - expected[k]) <= 1e-10 * norm, `λ${k}: ${two[k]} vs numpy ${expected[k]}`);
    }
  }
  assert.ok(helper.helperChunks >= chunks + 20, `the helper ran ${helper.helperChunks - chunks} chunks`);
  chunks = helper.helperChunks;
  for (let attempt = 0; attempt < 5 && helper.helperChunks < chunks + 20; attempt++) {
    const full = symmetricEigen(a, n, { threads: 2, blockSize: 24 });
    for (let k = 0; k < n; k++) assert.ok(Math.abs(full.values[k] - one[k]) <= 1e-13 * norm);
    const res = residuals(a, n, full.values, full.vectors);
    assert.ok(res.eigen < 1e-12, `|AV − VΛ|/‖A‖ = ${res.eigen}`);
    assert.ok(res.orthogonality < 1e-12, `|VᵀV − I| = ${res.orthogonality}`);
  }
  assert.ok(helper.helperChunks >= chunks + 20, `the helper ran ${helper.helperChunks - chunks} chunks of the vectors path`);
});
