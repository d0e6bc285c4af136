import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError, ParseError } from '../../../src/errors.js';
import { Extep } from '../../../src/physics/extep/extep.js';
import { extepFile, isExtep, loadExtep, parseExtep } from '../../../src/physics/extep/params.js';
import { potentialByName } from '../../../src/calculators/registry.js';
import { materialByName } from '../../../src/materials/material.js';
import { Tersoff } from '../../../src/physics/tersoff/tersoff.js';
import { Atoms } from '../../../src/structure/atoms.js';
import { tempDir } from '../../helpers.js';
import { BN_EXTEP } from './support.js';

/** Reading `.extep` files (LAMMPS' format, Fortran exponents) and finding ExTeP by name. */
const SHIPPED = extepFile('extep-bn-2017');
const TEXT = readFileSync(SHIPPED, 'utf8');

test('the shipped BN file: 8 triplet entries (Fortran d exponents read), 75 F_corr knots', () => {
  const p = parseExtep(TEXT, SHIPPED);
  assert.deepEqual(p.elements, ['B', 'N']);
  assert.equal(p.entries.length, 8);
  assert.equal(p.knots.length, 75);
  // the B N B line, written "306.586555205d0  10.d0  -0.7218d0 …", against its own text
  const line = TEXT.split('\n').find((l) => /^B\s+N\s+B\s/.test(l)) as string;
  const words = line.trim().split(/\s+/);
  const bnb = p.entries.find((e) => e.elements.join(' ') === 'B N B');
  assert.ok(bnb);
  assert.equal(bnb.c, Number(words[6].replace('d', 'e')));
  assert.equal(bnb.d, Number(words[7].replace('d', 'e')));
  assert.equal(bnb.A, Number(words[16].replace('d', 'e')));
  assert.ok(Number.isFinite(bnb.c) && bnb.d === 10);
});

function expectParseError(text: string, line: number | undefined, pattern: RegExp): void {
  assert.throws(
    () => parseExtep(text, 'bad.extep'),
    (e: unknown) => e instanceof ParseError && e.file === 'bad.extep' && e.line === line && pattern.test(e.message) && e.message.startsWith(`bad.extep${line === undefined ? '' : `:${line}`}:`),
  );
}

test('a bad .extep file: the error names the file, the line and what was expected', () => {
  const lines = TEXT.split('\n');
  const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
  const edit = (k: number, replace: (l: string) => string): string => lines.map((l, i) => (i === k ? replace(l) : l)).join('\n');
  const bnb = at(/^B\s+N\s+B\s/);
  const knot = at(/^\s*B\s+N\s+1\s+2\s/);
  // a number that is not one
  expectParseError(edit(bnb, (l) => l.replace('306.586555205d0', '306.5x6d0')), bnb + 1, /entry B N B: c = "306\.5x6d0" is not a number/);
  // a field too many on a triplet line
  expectParseError(edit(bnb, (l) => `${l} 1.0`), bnb + 1, /expected a triplet entry of 17 fields .* found 18/);
  // a missing triplet: the entries end (at the last one) without it
  const nnb = at(/^N\s+N\s+B\s/);
  const lastEntry = at(/^N\s+B\s+N\s/);
  expectParseError(edit(nnb, () => ''), lastEntry + 1, /without one for N N B: ExTeP needs an entry for every triplet of its elements \(B, N\)/);
  // LAMMPS' own checks on an entry
  expectParseError(edit(bnb, (l) => l.replace(/^B(\s+)N(\s+)B(\s+)3/, 'B$1N$2B$32')), bnb + 1, /entry B N B: m = 2 must be 1 or 3/);
  // knots: an index beyond 4, a non-integer index, a field short, an unknown element, a bad value
  expectParseError(edit(knot, (l) => l.replace(/1(\s+)2/, '1$15')), knot + 1, /N_ji = "5" must be an integer from 0 to 4/);
  expectParseError(edit(knot, (l) => l.replace(/1(\s+)2/, '1$12.5')), knot + 1, /N_ji = "2\.5" must be an integer/);
  expectParseError(edit(knot, (l) => l.replace(/\s+\S+\s*$/, '')), knot + 1, /an F_corr knot has 8 fields .* found 7/);
  expectParseError(edit(knot, (l) => l.replace(/^(\s*)B/, '$1C')), knot + 1, /F_corr knot for element "C", which has no triplet entries/);
  expectParseError(edit(knot, (l) => l.replace('-0.0068', '-0.00.68')), knot + 1, /F_corr knot B N 1 2: value = "-0\.00\.68" is not a number/);
  // nothing at all
  expectParseError('# only a comment\n', undefined, /no ExTeP triplet entries/);
});

test('loading by name or path; an unknown name or missing file is refused in words', () => {
  assert.ok(isExtep('extep-bn-2017') && isExtep('/x/BN.extep') && !isExtep('kinaci-2012-bn') && !isExtep('/x/BNC.tersoff'));
  assert.equal(loadExtep('extep-bn-2017').name, 'extep-bn-2017');
  const dir = tempDir();
  const file = join(dir, 'copy.extep');
  writeFileSync(file, TEXT);
  assert.equal(loadExtep(file).name, file);
  assert.throws(() => loadExtep(join(dir, 'absent.extep')), (e: unknown) => e instanceof InputError && /neither a shipped set .* nor an existing file/.test(e.message));
});

test('potentialByName: any *.extep path and extep-bn-2017 give the built-in ExTeP and LAMMPS pair_style extep; Tersoff names are unchanged', () => {
  for (const name of ['extep-bn-2017', BN_EXTEP]) {
    if (name === BN_EXTEP && !process.env.CI) {
      try {
        readFileSync(BN_EXTEP);
      } catch {
        continue; // Debian's lammps package not installed here
      }
    }
    const p = potentialByName(name);
    assert.ok(p.forceField instanceof Extep, name);
    assert.equal(p.forceField.name, `extep:${name}`);
    assert.equal(p.lammps.pairStyle, 'extep');
    assert.equal(p.lammps.file, name === 'extep-bn-2017' ? SHIPPED : BN_EXTEP);
  }
  const t = potentialByName('kinaci-2012-bn');
  assert.ok(t.forceField instanceof Tersoff);
  assert.equal(t.lammps.pairStyle, 'tersoff');
  assert.equal(materialByName('bn').potentials.default, 'extep-bn-2017', 'boron nitride’s default potential');
  assert.ok(materialByName('bn').potentials.others.includes('kinaci-2012-bn'), 'BNC.tersoff’s B/N entries still listed');
});

test('a structure with an element the file lacks is refused, naming the atom', () => {
  const ff = new Extep(loadExtep('extep-bn-2017'));
  const atoms = new Atoms({ positions: [0, 0, 0, 1.4, 0, 0], symbols: ['B', 'C'], cell: [10, 0, 0, 0, 10, 0, 0, 0, 10], pbc: [true, true, true] });
  assert.throws(() => ff.compute(atoms), (e: unknown) => e instanceof InputError && /does not describe C \(atom 2\)/.test(e.message));
});
