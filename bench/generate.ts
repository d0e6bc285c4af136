/**
 * Structure factory throughput: structures per minute for WWW (flat, 1 switch attempt per atom,
 * T = 30000 K, 5 % vacancies) and melt-quench (flat, melt 6000 K for 0.3 ps, cooled at
 * 20000 K/ps, 0.5 fs steps) at 200 and 900 atoms. Reference in the same run: one Tersoff force
 * call on the same sheet (quench) and one full Keating energy+gradient (WWW); the ratio says how
 * many such calls one structure costs.  usage: node dist/bench/generate.js [repeats]
 */
import { tersoffForceField } from '../src/generate/forceFields.js';
import { grapheneNetwork, generateWww } from '../src/generate/www.js';
import { nearestGrapheneCell } from '../src/generate/graphene.js';
import { KEATING_GRAPHENE, keatingEnergy } from '../src/generate/keating.js';
import { generateQuench } from '../src/generate/quench.js';

const repeats = Number(process.argv[2] ?? 1);
const seconds = (work: () => void, times = 1): number => {
  const t0 = performance.now();
  for (let k = 0; k < times; k++) work();
  return (performance.now() - t0) / 1000 / times;
};

for (const atoms of [200, 900]) {
  const net = grapheneNetwork(nearestGrapheneCell(atoms));
  const g = new Float64Array(net.positions.length);
  const keating_s = seconds(() => keatingEnergy(net, KEATING_GRAPHENE, g), 200);
  const www_s = seconds(() => generateWww({ atoms, seed: 1, temperature_K: 30000, switches: atoms, vacancies: 0.05 }), repeats);
  console.log(JSON.stringify({ bench: 'generate', method: 'www', dimensions: 2, atoms, structures_per_min: 60 / www_s, seconds_per_structure: www_s, reference_keating_eval_s: keating_s, ratio_structure_vs_keating_eval: www_s / keating_s }));

  const ff = tersoffForceField();
  const sys = { positions: Float64Array.from(net.positions), numbers: new Uint8Array(net.n).fill(6), cell: Float64Array.of(net.lx_A, 0, 0, 0, net.ly_A, 0, 0, 0, 10), pbc: [true, true, false] as const };
  const tersoff_s = seconds(() => ff.compute(sys), 50);
  let steps = 0;
  const quench_s = seconds(() => {
    steps = generateQuench({ atoms, seed: 1, vacancies: 0.05, meltTemperature_K: 6000, meltTime_ps: 0.3, rate_K_ps: 20000 }, ff).steps;
  }, repeats);
  console.log(JSON.stringify({ bench: 'generate', method: 'quench', dimensions: 2, atoms, md_steps: steps, structures_per_min: 60 / quench_s, seconds_per_structure: quench_s, reference_tersoff_call_s: tersoff_s, ratio_structure_vs_tersoff_call: quench_s / tersoff_s }));
}
