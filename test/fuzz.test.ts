import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { SpramnetError } from '../src/errors.js';
import { parseMeasuredPcf } from '../src/descriptors/measured.js';
import { formatNpy, parseNpy } from '../src/io/npy.js';
import { parseStructures } from '../src/structure/io/formats.js';
import { FIXTURES, random } from './helpers.js';

const seeds = readdirSync(join(FIXTURES, 'ase'))
  .filter((f) => f !== 'truth.json')
  .map((f) => ({ name: f, text: readFileSync(join(FIXTURES, 'ase', f), 'utf8') }));

/** A reader may accept a mutated file or refuse it with a SpramnetError (or a RangeError for sizes); nothing else. */
function acceptable(error: unknown): boolean {
  return error instanceof SpramnetError || error instanceof RangeError;
}

function mutate(text: string, rand: () => number): string {
  const chars = text.split('');
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * chars.length);
    const op = rand();
    if (op < 0.25) chars.splice(at, Math.floor(rand() * 40));
    else if (op < 0.5) chars.splice(at, 0, ...'\n -1e999 nan # Xx , T 0.5 \t'.split(' ')[Math.floor(rand() * 9)]);
    else if (op < 0.75) chars[at] = String.fromCharCode(32 + Math.floor(rand() * 95));
    else return chars.slice(0, at).join('');
  }
  return chars.join('');
}

test('structure readers survive 3000 mutated files: parsed or a clear SpramnetError, never a crash', () => {
  const rand = random(2024);
  let parsed = 0;
  let refused = 0;
  for (let k = 0; k < 3000; k++) {
    const seed = seeds[k % seeds.length];
    const text = mutate(seed.text, rand);
    try {
      const frames = parseStructures(text, seed.name, { species: seed.name.endsWith('.data') ? ['B', 'C', 'H', 'N'] : undefined });
      for (const a of frames) assert.ok(a.positions.every(Number.isFinite));
      parsed++;
    } catch (error) {
      assert.ok(acceptable(error), `${seed.name} mutation ${k}: ${(error as Error).stack}`);
      refused++;
    }
  }
  // the mutations must exercise both paths, or this test proves nothing
  assert.ok(parsed > 100 && refused > 100, `parsed ${parsed}, refused ${refused}`);
});

test('arbitrary text never crashes the readers', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('x.vasp', 'x.xyz', 'x.data', 'x.txt', 'x.gr'), (text, name) => {
      try {
        if (name.endsWith('.txt') || name.endsWith('.gr')) parseMeasuredPcf(text, name, { numberDensity_A3: 0.1 });
        else parseStructures(text, name);
      } catch (error) {
        assert.ok(acceptable(error), String((error as Error).stack));
      }
    }),
    { numRuns: 2000, seed: 1 },
  );
});

test('.npy parser survives corrupted bytes', () => {
  const good = formatNpy({ data: Float64Array.from({ length: 12 }, (_, k) => k), shape: [3, 4] });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(good.length), (edits, cut) => {
      const bytes = good.slice(0, Math.max(cut, 1));
      for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
      try {
        const a = parseNpy(bytes, 'f.npy');
        assert.equal(a.data.length, a.shape.reduce((x, y) => x * y, 1));
      } catch (error) {
        assert.ok(acceptable(error), String((error as Error).stack));
      }
    }),
    { numRuns: 2000, seed: 5 },
  );
});
