import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { angularDistribution } from '../../src/descriptors/adf.js';
import { ENVIRONMENT_FEATURES, localEnvironment } from '../../src/descriptors/environment.js';
import { CONTINUOUS_SETTINGS, describe, describeWithThermal, describeWithThermalPlain, REFERENCE_SPEC, type DescriptorSpec } from '../../src/descriptors/featurize.js';
import { Grid } from '../../src/descriptors/grid.js';
import { pairCorrelation } from '../../src/descriptors/pcf.js';
import { releaseThermalPcf, THERMAL_PCF_FOR_PREDICT } from '../../src/descriptors/releasePcf.js';
import { SoftHistogram } from '../../src/descriptors/softBins.js';
import { Atoms } from '../../src/structure/atoms.js';
import { readStructure } from '../../src/structure/io/formats.js';
import { writePoscar } from '../../src/structure/io/poscar.js';
import { THERMAL_GRID } from '../../src/tasks/modelInput.js';
import { EXAMPLES, FIXTURES, graphene, maxAbsDiff, python, random, randomSheet, run, tempDir } from '../helpers.js';

const examples = readdirSync(EXAMPLES).filter((f) => f.startsWith('POSCAR')).map((f) => join(EXAMPLES, f));
const HARD: DescriptorSpec = { ...REFERENCE_SPEC, images: 'all', adf: true, environment: true };
const CONTINUOUS: DescriptorSpec = { ...HARD, ...CONTINUOUS_SETTINGS };
const feature = (name: string): number => ENVIRONMENT_FEATURES.indexOf(name);

/** A copy with every coordinate moved by a uniform random amount in [−δ, δ]. */
function jittered(atoms: Atoms, delta: number, seed: number): Atoms {
  const rand = random(seed);
  const positions = Float64Array.from(atoms.positions, (x) => x + delta * (2 * rand() - 1));
  return new Atoms({ positions, numbers: atoms.numbers, cell: atoms.cell, pbc: atoms.pbc });
}

/** The structure with x, y and the in-plane cell scaled: stretched bonds land in the cut-off window. */
function stretched(atoms: Atoms, factor: number): Atoms {
  const positions = Float64Array.from(atoms.positions, (x, k) => (k % 3 === 2 ? x : x * factor));
  const cell = Float64Array.from(atoms.cell, (x, k) => (k < 6 && k % 3 !== 2 ? x * factor : x));
  return new Atoms({ positions, numbers: atoms.numbers, cell, pbc: atoms.pbc });
}

test('soft bins: each sample is the box kernel’s overlap with the bins (dense quadrature), sums to 1, keeps the first moment at spread 1', () => {
  const grid = new Grid(0, 2, 20);
  const rand = random(3);
  for (const spread of [1, 0.5, 0.1]) {
    for (let t = 0; t < 50; t++) {
      const x = 0.2 + 1.6 * rand();
      const h = new SoftHistogram(grid, spread, { start: true, stop: false });
      h.add(x);
      const counts = h.counts();
      // independent: the fraction of 20 000 points spread evenly over [x − w/2, x + w/2] that fall in each bin
      const w = spread * grid.step;
      const expected = new Float64Array(grid.bins);
      const points = 20000;
      for (let p = 0; p < points; p++) expected[grid.binOf(x - w / 2 + ((p + 0.5) / points) * w)] += 1 / points;
      assert.ok(maxAbsDiff(counts, expected) < 1e-4, `spread ${spread}, x ${x}`);
      assert.equal(counts.reduce((a, b) => a + b, 0), 1);
      if (spread === 1) {
        const centres = grid.centres();
        const mean = counts.reduce((s, c, k) => s + c * centres[k], 0);
        assert.ok(Math.abs(mean - x) < 1e-6, `first moment ${mean} vs ${x}`);
      }
    }
  }
});

test('soft bins: shares beyond a closed end fold back, beyond an open end fade out continuously', () => {
  const grid = new Grid(0, 180, 90, 'deg');
  const closed = new SoftHistogram(grid, 1, { start: true, stop: true });
  closed.add(180);
  closed.add(0);
  const c = closed.counts();
  assert.equal(c[89], 1);
  assert.equal(c[0], 1);
  const r = new Grid(0, 8, 160);
  const weightAt = (x: number): number => {
    const open = new SoftHistogram(r, 1, { start: true, stop: false });
    open.add(x);
    return open.counts().reduce((a, b) => a + b, 0);
  };
  assert.equal(weightAt(7.975), 1);
  assert.ok(Math.abs(weightAt(8) - 0.5) < 1e-7);
  assert.equal(weightAt(8.025), 0);
});

test('soft-binned g(r) keeps the neighbour counts (graphene: 3 below 1.8 Å, 6 in 1.8–2.6 Å)', () => {
  const g = graphene(8, 5);
  const grid = new Grid(0, 8, 160);
  const area = g.cell[0] * g.cell[4];
  const centres = grid.centres();
  for (const kind of ['2d', '3d', 'quasi2d'] as const) {
    const pcf = pairCorrelation(g, { kind, grid, binSpread: 1 });
    const count = (r0: number, r1: number): number => pcf.reduce((s, v, k) => s + (centres[k] >= r0 && centres[k] < r1 ? v * (g.length / area) * 2 * Math.PI * centres[k] * grid.step : 0), 0);
    // 1.42 Å sits 0.005 Å from the centre 1.425: shared with 1.375 in proportion, the count is kept
    assert.ok(Math.abs(count(0, 1.8) - 3) < 1e-6, `${kind}: ${count(0, 1.8)}`);
    assert.ok(Math.abs(count(1.8, 2.6) - 6) < 1e-6, kind);
  }
});

test('a dimer pulled through the cut-off window: coordination and bond length move linearly (analytic)', () => {
  for (const d of [1.7, 1.8, 1.82, 1.85, 1.88, 1.9, 1.95]) {
    const dimer = new Atoms({ positions: [10, 10, 5, 10 + d, 10, 5], symbols: ['C', 'C'], cell: [30, 0, 0, 0, 30, 0, 0, 0, 10], pbc: [true, true, true] });
    const env = localEnvironment(dimer, 1.85, 'dimer', { window_A: 0.1 });
    const bonded = Math.min(1, Math.max(0, (1.9 - d) / 0.1));
    assert.ok(Math.abs(env[feature('coordination_1_fraction')] - bonded) < 1e-12, `d ${d}`);
    assert.ok(Math.abs(env[feature('coordination_0_fraction')] - (1 - bonded)) < 1e-12);
    assert.ok(Math.abs(env[feature('bond_length_mean_A')] - bonded * d) < 1e-12);
    // the hard cut-off jumps at 1.85 Å
    assert.equal(localEnvironment(dimer)[feature('coordination_1_fraction')], 10 + d - 10 < 1.85 ? 1 : 0);
  }
});

test('a bond angle whose second bond crosses the window: the ADF carries it for that share of the cut-offs', () => {
  const grid = new Grid(0, 180, 90, 'deg');
  for (const d of [1.81, 1.86, 1.89]) {
    // B at the centre, A at 1.4 Å, C at d, 120° apart
    const positions = [15, 15, 5, 16.4, 15, 5, 15 + d * Math.cos((2 * Math.PI) / 3), 15 + d * Math.sin((2 * Math.PI) / 3), 5];
    const trimer = new Atoms({ positions, symbols: ['C', 'C', 'C'], cell: [30, 0, 0, 0, 30, 0, 0, 0, 10], pbc: [true, true, true] });
    const adf = angularDistribution(trimer, { grid, binSpread: 1, bondWindow_A: 0.1 });
    const share = (1.9 - d) / 0.1;
    assert.ok(Math.abs(adf.reduce((a, b) => a + b, 0) - share) < 1e-9, `d ${d}`);
    // 120° is the edge between the bins centred at 119° and 121°: half each
    assert.ok(Math.abs(adf[59] - share / 2) < 1e-7 && Math.abs(adf[60] - share / 2) < 1e-7);
  }
});

const py = python(['numpy']);

test('window-averaged environment statistics equal a numpy brute force (ring_statistics.py --window) on stretched examples', { skip: py === undefined && 'python3-numpy is not installed' }, () => {
  const dir = tempDir();
  const files = examples.slice(0, 3).flatMap((file, k) =>
    [1.2, 0.87].map((factor) => {
      const out = join(dir, `POSCAR_${k}_${factor}`);
      writeFileSync(out, writePoscar(stretched(readStructure(file), factor)));
      return out;
    }),
  );
  const r = run(py as string, [join(FIXTURES, 'ring_statistics.py'), '--window', '0.1', ...files]);
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
  let inWindow = 0;
  files.forEach((f, k) => {
    const atoms = readStructure(f);
    const mine = localEnvironment(atoms, 1.85, f, { window_A: 0.1 });
    assert.ok(maxAbsDiff(mine, theirs[k]) < 1e-9, `${f}: ${maxAbsDiff(mine, theirs[k])}`);
    if (maxAbsDiff(mine, localEnvironment(atoms)) > 1e-6) inWindow++;
  });
  assert.ok(inWindow >= 4, `the stretched structures have bonds in the window (${inWindow} of ${files.length})`);
});

/** Structures for the fast-vs-plain comparison: the examples, stretched examples, random sheets in odd cells. */
function passStructures(): Array<{ name: string; atoms: Atoms }> {
  const out = examples.map((f) => ({ name: f, atoms: readStructure(f) }));
  out.push({ name: 'stretched', atoms: stretched(readStructure(examples[0]), 1.2) });
  out.push({ name: 'random buckled', atoms: randomSheet(150, 13, 17, 2.5, 4) });
  const base = randomSheet(40, 7, 7, 1, 5);
  // hexagonal cell, narrower than r_max, sheet straddling the z boundary of the cell
  const hex = new Atoms({ positions: Float64Array.from(base.positions, (x, k) => (k % 3 === 0 ? x + 0.5 * base.positions[k + 1] : k % 3 === 2 ? x - 10.5 : x)), numbers: base.numbers, cell: [7, 0, 0, 3.5, 6.06, 0, 0, 0, 21], pbc: [true, true, true] });
  out.push({ name: 'hexagonal', atoms: hex });
  out.push({ name: 'graphene 2-atom cell', atoms: graphene(1, 1) });
  out.push({ name: 'chain cell 1.6 Å', atoms: new Atoms({ positions: [0.3, 0.2, 5], symbols: ['C'], cell: [1.6, 0, 0, 0, 9, 0, 0, 0, 10], pbc: [true, true, true] }) });
  return out;
}

test('the one-pass descriptors and thermal g(r) equal their plain reference bit for bit (hard and continuous, any cell)', () => {
  for (const spec of [HARD, CONTINUOUS, { ...CONTINUOUS, pcf: ['3d' as const], adf: false }]) {
    for (const thermal of [{ grid: THERMAL_GRID, options: {} }, { grid: THERMAL_GRID, options: THERMAL_PCF_FOR_PREDICT }]) {
      for (const { name, atoms } of passStructures()) {
        const fast = describeWithThermal(atoms, spec, thermal, name);
        const plain = describeWithThermalPlain(atoms, spec, thermal, name);
        assert.deepEqual(Array.from(fast.values), Array.from(plain.values), name);
        assert.deepEqual(Array.from(fast.thermal as Float64Array), Array.from(plain.thermal as Float64Array), name);
      }
    }
  }
});

test('hard one-pass descriptors equal the per-channel functions: g(r) and ADF bit for bit, environment to 1e-12', () => {
  const grid = new Grid(0, 8, 160);
  for (const file of examples) {
    const atoms = readStructure(file);
    const d = describe(atoms, HARD, file);
    assert.deepEqual(Array.from(d.subarray(0, 160)), Array.from(pairCorrelation(atoms, { kind: '2d', grid })));
    assert.deepEqual(Array.from(d.subarray(160, 320)), Array.from(pairCorrelation(atoms, { kind: '3d', grid })));
    assert.deepEqual(Array.from(d.subarray(320, 410)), Array.from(angularDistribution(atoms)));
    assert.ok(maxAbsDiff(d.subarray(480, 480 + ENVIRONMENT_FEATURES.length), localEnvironment(atoms)) < 1e-12);
    const c = describe(atoms, CONTINUOUS, file);
    assert.ok(maxAbsDiff(c.subarray(0, 160), pairCorrelation(atoms, { kind: '2d', grid, binSpread: 1 })) < 1e-12);
    assert.ok(maxAbsDiff(c.subarray(160, 320), pairCorrelation(atoms, { kind: '3d', grid, binSpread: 1 })) < 1e-12);
    assert.ok(maxAbsDiff(c.subarray(320, 410), angularDistribution(atoms, { binSpread: 1, bondWindow_A: 0.1 })) < 1e-12);
    assert.ok(maxAbsDiff(c.subarray(480, 480 + ENVIRONMENT_FEATURES.length), localEnvironment(atoms, 1.85, file, { window_A: 0.1 })) < 1e-12);
  }
});

test('the one-pass path with the soap and TB channels: the environment keeps its place before them, both equal their own functions', () => {
  const atoms = readStructure(examples[0]);
  for (const spec of [HARD, CONTINUOUS]) {
    const withExtra = { ...spec, soap: true, tb: true };
    const d = describe(atoms, withExtra, 'example');
    assert.equal(d.length, 6 * 160);
    assert.deepEqual(Array.from(d.subarray(0, 4 * 160)), Array.from(describe(atoms, spec, 'example')));
    assert.deepEqual(Array.from(d.subarray(4 * 160, 5 * 160)), Array.from(describe(atoms, { ...REFERENCE_SPEC, adf: false, pcf: ['2d'], soap: true }, 'example').subarray(160, 320)));
    assert.deepEqual(Array.from(d.subarray(5 * 160)), Array.from(describe(atoms, { ...REFERENCE_SPEC, adf: false, pcf: ['2d'], tb: true }, 'example').subarray(160, 320)));
    const plain = describeWithThermalPlain(atoms, withExtra, { grid: THERMAL_GRID, options: {} }, 'example');
    assert.deepEqual(Array.from(plain.values), Array.from(d));
  }
});

test('a 1e-5 Å jitter moves the continuous descriptors by little and in proportion; the hard ones jump', () => {
  let hardJump = 0;
  for (const file of [...examples, 'stretched']) {
    const atoms = file === 'stretched' ? stretched(readStructure(examples[1]), 1.2) : readStructure(file);
    const moved = jittered(atoms, 1e-5, 7);
    const movedMore = jittered(atoms, 1e-4, 7); // the same directions, ten times as far
    const base = describe(atoms, CONTINUOUS, file);
    const small = maxAbsDiff(describe(moved, CONTINUOUS, file), base);
    const large = maxAbsDiff(describe(movedMore, CONTINUOUS, file), base);
    assert.ok(small < 2e-3, `${file}: ${small}`);
    assert.ok(large > 3 * small && large < 20 * small, `${file}: Lipschitz, not a jump (${small} → ${large})`);
    hardJump = Math.max(hardJump, maxAbsDiff(describe(moved, HARD, file), describe(atoms, HARD, file)));
    const thermal = releaseThermalPcf(atoms, THERMAL_GRID, file, THERMAL_PCF_FOR_PREDICT);
    assert.ok(maxAbsDiff(releaseThermalPcf(moved, THERMAL_GRID, file, THERMAL_PCF_FOR_PREDICT), thermal) < 2e-4, file);
  }
  assert.ok(hardJump > 0.01, `hard bins jump by a whole pair: ${hardJump}`);
});

const ase = python(['ase', 'numpy']);

test('the release thermal g(r): hard counts equal ASE’s neighbour list; the continuous form differs only by pairs within 0.005 Å of an edge', { skip: ase === undefined && 'python3-ase is not installed' }, () => {
  const r = run(ase as string, [join(FIXTURES, 'ase_pair_counts.py'), 'counts', ...examples]);
  assert.equal(r.status, 0, r.stderr);
  const counts = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
  examples.forEach((file, k) => {
    const atoms = readStructure(file);
    const n = atoms.length;
    const hard = releaseThermalPcf(atoms, THERMAL_GRID, file, { round: false });
    const expected = counts[k].map((c, b) => (b === 0 ? 0 : c / n / (0.9 * b * 0.1)));
    assert.ok(maxAbsDiff(hard, expected) < 1e-12, file);
    const soft = releaseThermalPcf(atoms, THERMAL_GRID, file, THERMAL_PCF_FOR_PREDICT);
    // pairs per atom are kept (up to the last bin's open edge); each bin moves by the pairs near its edges at most
    const perAtom = (g: Float64Array): number => g.reduce((s, v, b) => s + v * 0.9 * b * 0.1, 0);
    assert.ok(Math.abs(perAtom(soft) - perAtom(hard)) < 0.5, file);
    for (let b = 1; b < 100; b++) assert.ok(Math.abs(soft[b] - hard[b]) * n * 0.9 * b * 0.1 <= 0.5 * (counts[k][b] + (counts[k][b - 1] ?? 0) + (counts[k][b + 1] ?? 0)) + 1e-9, `${file} bin ${b}`);
  });
});

test('the same atoms written by ASE as POSCAR and as extended XYZ (8 decimals) give continuous descriptors within 1e-5', { skip: ase === undefined && 'python3-ase is not installed' }, () => {
  const dir = tempDir();
  for (const file of examples) {
    const poscar = join(dir, 'POSCAR');
    const xyz = join(dir, 'atoms.extxyz');
    const r = run(ase as string, [join(FIXTURES, 'ase_pair_counts.py'), 'write', file, poscar, xyz]);
    assert.equal(r.status, 0, r.stderr);
    const a = readStructure(poscar);
    const b = readStructure(xyz);
    assert.ok(maxAbsDiff(a.positions, b.positions) < 1e-7);
    assert.ok(maxAbsDiff(describe(a, CONTINUOUS, file), describe(b, CONTINUOUS, file)) < 1e-5, file);
    const thermal = maxAbsDiff(releaseThermalPcf(a, THERMAL_GRID, file, THERMAL_PCF_FOR_PREDICT), releaseThermalPcf(b, THERMAL_GRID, file, THERMAL_PCF_FOR_PREDICT));
    assert.ok(thermal < 1e-5, `${file}: thermal g(r) ${thermal}`);
  }
});
