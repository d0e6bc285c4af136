import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError, ParseError } from '../../src/errors.js';
import { Grid } from '../../src/descriptors/grid.js';
import { parseMeasuredPcf, resamplePcf } from '../../src/descriptors/measured.js';

test('two-column g(r) with comments and a header is read and resampled linearly (exact for a line)', () => {
  const rows = Array.from({ length: 101 }, (_, k) => `${(k * 0.1).toFixed(1)}  ${(2 + 3 * k * 0.1).toFixed(6)}`);
  const m = parseMeasuredPcf(`# measured at 300 K\nr g\n${rows.join('\n')}\n`, 'g.txt');
  assert.equal(m.r_A.length, 101);
  const grid = new Grid(0, 8, 40);
  const g = resamplePcf(m, grid);
  grid.centres().forEach((r, k) => assert.ok(Math.abs(g[k] - (2 + 3 * r)) < 1e-9));
});

test('PDFgetX3 .gr: G(r) converted with the number density', () => {
  const rho = 0.113;
  const header = '[DEFAULT]\nversion = pdfgetx3-2.1\n#### start data\n#S 1\n#L r($\\AA$)  G($\\AA^{-2}$)\n';
  const rows = Array.from({ length: 50 }, (_, k) => {
    const r = 0.5 + k * 0.2;
    const g = 1 + Math.sin(r);
    return `${r} ${4 * Math.PI * r * rho * (g - 1)}`;
  });
  const m = parseMeasuredPcf(header + rows.join('\n'), 'a.gr', { numberDensity_A3: rho });
  m.r_A.forEach((r, k) => assert.ok(Math.abs(m.g[k] - (1 + Math.sin(r))) < 1e-12));
  assert.throws(() => parseMeasuredPcf(header + rows.join('\n'), 'a.gr'), (e: unknown) => e instanceof ParseError && /number density/.test(e.message));
});

test('a g(r) that does not cover the grid is a clear error; zero below the data only when asked', () => {
  const m = parseMeasuredPcf('1.0 0\n2.0 1\n3.0 1\n', 'short.txt');
  const grid = new Grid(0, 8, 16);
  assert.throws(() => resamplePcf(m, grid), (e: unknown) => e instanceof InputError && /ends at r = 3 Å.*7\.75 Å/.test(e.message));
  const covered = parseMeasuredPcf('1.0 0\n2.0 1\n9.0 1\n', 'ok.txt');
  assert.throws(() => resamplePcf(covered, grid), (e: unknown) => e instanceof InputError && /starts at r = 1 Å/.test(e.message));
  const g = resamplePcf(covered, grid, { zeroBelowData: true });
  assert.equal(g[0], 0);
  assert.equal(g[1], 0);
  assert.ok(Math.abs(g[2] - 0.25) < 1e-12);
});

test('bad measured files name the line', () => {
  assert.throws(() => parseMeasuredPcf('1 2\n2 x\n', 'bad.txt'), (e: unknown) => e instanceof ParseError && e.line === 2);
  assert.throws(() => parseMeasuredPcf('1 2\n0.5 3\n', 'bad.txt'), (e: unknown) => e instanceof ParseError && e.line === 2 && /increase/.test(e.message));
  assert.throws(() => parseMeasuredPcf('1 2\n', 'bad.txt'), (e: unknown) => e instanceof ParseError && /at least 2/.test(e.message));
  // a ragged row (three numbers in a two-column file, or one) is a broken line, not data to half-read
  assert.throws(() => parseMeasuredPcf('# r g\n1 2\n1.1 2\n1.2 2 3\n1.3 2\n', 'ragged.txt'), (e: unknown) => e instanceof ParseError && e.line === 4 && /3 columns \("1\.2 2 3"\) where the data start with 2 \(line 2\)/.test(e.message));
  assert.throws(() => parseMeasuredPcf('1 2\n1.1\n', 'short.txt'), (e: unknown) => e instanceof ParseError && e.line === 2 && /1 column/.test(e.message));
  // consistent further columns (r, g, error) are read
  assert.equal(parseMeasuredPcf('1 2 0.1\n1.1 2 0.1\n', 'err.txt').g.length, 2);
});
