import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tersoffForceField } from '../../src/generate/forceFields.js';
import { generateQuench, quenchSchedule, quenchDefaults } from '../../src/generate/quench.js';
import { writePoscar } from '../../src/structure/io/poscar.js';

test('quench schedule: melt steps, then a linear ramp at the requested rate', () => {
  const s = quenchDefaults({ atoms: 96, seed: 1, rate_K_ps: 2000, meltTemperature_K: 5000, endTemperature_K: 1000, meltTime_ps: 0.5, timestep_fs: 0.5 });
  const { meltSteps, coolSteps, temperatureAt } = quenchSchedule(s);
  assert.equal(meltSteps, 1000);
  assert.equal(coolSteps, 4000); // 4000 K at 2000 K/ps = 2 ps = 4000 half-femtosecond steps
  assert.equal(temperatureAt(meltSteps + 2000), 3000);
  assert.equal(temperatureAt(meltSteps + coolSteps), 1000);
});

test('flat quench: z stays fixed, the sheet disorders, the same seed gives the same file', () => {
  const ff = tersoffForceField();
  const options = { atoms: 96, seed: 5, rate_K_ps: 20000, meltTemperature_K: 8000, meltTime_ps: 0.3, vacancies: 0.04 };
  const a = generateQuench(options, ff);
  const b = generateQuench(options, tersoffForceField());
  assert.equal(writePoscar(a.atoms), writePoscar(b.atoms));
  assert.equal(a.atoms.length, 96);
  assert.equal(a.atoms.cell[8], 10);
  for (let i = 0; i < a.atoms.length; i++) assert.equal(a.atoms.positions[3 * i + 2], 5);
  // disordered: bond lengths spread (graphene relaxed at fixed cell would give one length)
  const p = a.atoms.positions;
  const lengths: number[] = [];
  for (let i = 0; i < a.atoms.length; i++) {
    for (let j = i + 1; j < a.atoms.length; j++) {
      let dx = p[3 * j] - p[3 * i];
      let dy = p[3 * j + 1] - p[3 * i + 1];
      dx -= a.atoms.cell[0] * Math.round(dx / a.atoms.cell[0]);
      dy -= a.atoms.cell[4] * Math.round(dy / a.atoms.cell[4]);
      const r = Math.hypot(dx, dy);
      if (r < 1.85) lengths.push(r);
    }
  }
  const mean = lengths.reduce((x, y) => x + y, 0) / lengths.length;
  const std = Math.sqrt(lengths.reduce((x, y) => x + (y - mean) ** 2, 0) / lengths.length);
  assert.ok(std > 0.01, `bond-length spread ${std} Å`);
});
