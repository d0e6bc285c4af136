import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINALG_WASM_BASE64 } from '../../src/linalg/linalgWasm.js';
import { ROOT, run, tempDir } from '../helpers.js';

test('the embedded eigensolver kernels are assembly/linalg.ts compiled with the documented command', () => {
  const out = join(tempDir(), 'linalg.wasm');
  const asc = join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const r = run(process.execPath, [asc, join(ROOT, 'assembly', 'linalg.ts'), '--outFile', out, '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert', '--enable', 'simd,threads', '--runtime', 'stub', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Buffer.from(readFileSync(out)).toString('base64'), LINALG_WASM_BASE64);
});
