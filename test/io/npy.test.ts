import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { formatNpy, parseNpy, readNpy, writeNpy } from '../../src/io/npy.js';
import { python, run, tempDir } from '../helpers.js';

test('float64 and float32 round-trip with their shapes', () => {
  const a = { data: Float64Array.from({ length: 24 }, (_, k) => k / 3 - 2), shape: [2, 3, 4] };
  const back = parseNpy(formatNpy(a));
  assert.deepEqual(back.shape, [2, 3, 4]);
  assert.deepEqual(Array.from(back.data), Array.from(a.data));
  const f = parseNpy(formatNpy({ data: Float32Array.from([1.5, -2.25]), shape: [2] }));
  assert.ok(f.data instanceof Float32Array);
  assert.deepEqual(f.shape, [2]);
});

const py = python(['numpy']);

test('numpy reads what spramnet writes and the other way round', { skip: py === undefined && 'no python3 with numpy' }, () => {
  const dir = tempDir();
  writeNpy(join(dir, 'mine.npy'), { data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
  const script = `import numpy as np, sys
a = np.load(sys.argv[1] + '/mine.npy'); assert a.shape == (2, 3) and a.dtype == np.float64 and a[1, 2] == 6
np.save(sys.argv[1] + '/f4.npy', np.arange(6, dtype=np.float32).reshape(3, 2) / 4)
np.save(sys.argv[1] + '/i8.npy', np.arange(6))
np.save(sys.argv[1] + '/fortran.npy', np.asfortranarray(np.ones((2, 3))))
np.save(sys.argv[1] + '/big.npy', np.ones(3, dtype='>f8'))`;
  const r = run(py as string, ['-c', script, dir]);
  assert.equal(r.status, 0, r.stderr);
  const f4 = readNpy(join(dir, 'f4.npy'));
  assert.deepEqual(f4.shape, [3, 2]);
  assert.deepEqual(Array.from(f4.data), [0, 0.25, 0.5, 0.75, 1, 1.25]);
  assert.throws(() => readNpy(join(dir, 'i8.npy')), (e: unknown) => e instanceof ParseError && /dtype <i8 is not supported/.test(e.message) && e.file.endsWith('i8.npy'));
  assert.throws(() => readNpy(join(dir, 'fortran.npy')), (e: unknown) => e instanceof ParseError && /Fortran/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'big.npy')), (e: unknown) => e instanceof ParseError && />f8/.test(e.message));
});

test('unreadable .npy files are clear errors', () => {
  const dir = tempDir();
  const good = formatNpy({ data: new Float64Array(10), shape: [10] });
  writeFileSync(join(dir, 'cut.npy'), good.subarray(0, good.length - 8));
  writeFileSync(join(dir, 'text.npy'), 'hello');
  assert.throws(() => readNpy(join(dir, 'cut.npy')), (e: unknown) => e instanceof ParseError && /truncated data/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'text.npy')), (e: unknown) => e instanceof ParseError && /not a .npy file/.test(e.message));
  assert.throws(() => readNpy(join(dir, 'missing.npy')), (e: unknown) => e instanceof ParseError && /ENOENT/.test(e.message));
  assert.equal(readFileSync(join(dir, 'text.npy'), 'utf8'), 'hello');
});
