// Scan of the a-BN WWW generator: homopolar penalty × Metropolis temperature → accepted switches,
// homopolar-bond fraction and ring fractions of flat 200-atom sheets (Keating relaxation).
// Run from the repository root after `npm run build`: node docs/materials/scripts/bn_www_scan.mjs
import { generateWww } from '../../../dist/src/generate/www.js';
import { sheetAtoms } from '../../../dist/src/generate/toAtoms.js';
import { ringStatistics, ringSummary } from '../../../dist/src/generate/rings.js';
import { bondChemistry } from '../../../dist/src/generate/chemistry.js';

const penalties = (process.env.PENALTIES ?? '0,0.5,1,2,4.3').split(',').map(Number);
const temps = (process.env.TEMPS ?? '20000,40000').split(',').map(Number);
const seeds = (process.env.SEEDS ?? '1,2').split(',').map(Number);
const atoms = Number(process.env.ATOMS ?? 200);
const swapFraction = Number(process.env.SWAP ?? 0.5);
const pairSwitchFraction = Number(process.env.PAIR ?? 0);
const pct = (x) => (100 * x).toFixed(1);
console.log(`pair-switch fraction ${pairSwitchFraction}, swap fraction ${swapFraction}`);
console.log('penalty_eV T_K seed switches_accepted swaps_accepted homopolar_% rings_%(4 5 6 7 8 9+)');
for (const T of temps)
  for (const P of penalties)
    for (const seed of seeds) {
      const r = generateWww({ atoms, seed, temperature_K: T, switches: 4 * atoms, minRing: 4, chemistry: { sublattices: [5, 7], homopolarPenalty_eV: P, swapFraction, pairSwitchFraction } });
      const a = sheetAtoms(r.network, 10, 'scan', r.chemistry.numbers);
      const f = ringSummary('x', ringStatistics(a, { maxRing: 12 })).ring_fractions;
      const nine = Object.entries(f).filter(([k]) => !['3', '4', '5', '6', '7', '8'].includes(k)).reduce((s, [, v]) => s + v, 0);
      console.log(`${P} ${T} ${seed} ${r.accepted}/${r.attempted} (pair ${r.chemistry.pairSwitchesAccepted}/${r.chemistry.pairSwitchesAttempted}) ${r.chemistry.swapsAccepted}/${r.chemistry.swapsAttempted} ${pct(bondChemistry(a).homopolarFraction)} ${['4', '5', '6', '7', '8'].map((k) => pct(f[k])).join(' ')} ${pct(nine)}`);
    }
