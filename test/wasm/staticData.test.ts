import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers.js';

/**
 * The kernels' allocators (src/wasm/runtime.ts: the shared workspace and ScratchKernels) hand out
 * memory from byte 1024 of the imported memory, where a module's static data (a lookup table, a
 * string) would be placed: it would be overwritten silently, as a first draft of the coordinate
 * parser's table was. So no kernel module may carry a data segment. Read from the binary's sections
 * (the WebAssembly spec's layout: id byte, LEB128 size; the data section has id 11).
 */
function leb128(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, at];
  }
}

function dataSegments(bytes: Uint8Array): number {
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], 'a WebAssembly 1.0 binary');
  let segments = 0;
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, body] = leb128(bytes, at + 1);
    if (id === 11) segments += leb128(bytes, body)[0];
    at = body + size;
  }
  return segments;
}

test('no kernel module carries static data, which the allocators starting at byte 1024 would overwrite', () => {
  for (const file of ['kernels.wasm', 'cnn-fma.wasm', 'krr-fma.wasm']) {
    const bytes = new Uint8Array(readFileSync(join(ROOT, 'build', file)));
    assert.equal(dataSegments(bytes), 0, `build/${file} has static data: pass tables from JavaScript (as assembly/coordinates.ts does) or move the allocators' base above it`);
  }
  // the reader finds a data section when there is one: a module with one 4-byte segment at offset 16
  const withData = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1, 11, 10, 1, 0, 0x41, 16, 0x0b, 4, 1, 2, 3, 4]);
  assert.ok(WebAssembly.validate(withData), 'the hand-written module is valid');
  assert.equal(dataSegments(withData), 1);
});
