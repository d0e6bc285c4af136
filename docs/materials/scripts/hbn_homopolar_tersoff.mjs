// Energy of homopolar (B–B, N–N) bonds in h-BN under BNC.tersoff: antisite pairs in a 96-atom cell,
// positions relaxed by FIRE at the honeycombMinimum cell. Run from this directory after `npm run build`:
//   node hbn_homopolar_tersoff.mjs
import { Atoms } from '../../../dist/src/structure/atoms.js';
import { Tersoff } from '../../../dist/src/physics/tersoff/tersoff.js';
import { loadTersoff } from '../../../dist/src/physics/tersoff/params.js';
import { relaxFire } from '../../../dist/src/physics/relax/fire.js';
import { grapheneSupercell } from '../../../dist/src/generate/graphene.js';
import { honeycombMinimum } from '../../../dist/src/generate/potentialGraphene.js';
import { neighborList } from '../../../dist/src/structure/neighbors.js';
const ff = new Tersoff(loadTersoff('/usr/share/lammps/potentials/BNC.tersoff'));
const { bond_A: d, energyPerAtom_eV } = honeycombMinimum(ff, [5, 7]);
const cell = { nx: 4, ny: 6, atoms: 96, lx_A: 12 * d, ly_A: 6 * Math.sqrt(3) * d };
const pos = grapheneSupercell(cell, d);
let s = 1; const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
for (let i = 0; i < 96; i++) pos[3 * i + 2] = 5 + 0.01 * (rnd() - 0.5);
const base = Uint8Array.from({ length: 96 }, (_, k) => (k % 2 ? 7 : 5));
const nl = neighborList(pos, [cell.lx_A,0,0,0,cell.ly_A,0,0,0,10], [true,true,true], 1.6);
const mk = (numbers) => new Atoms({ positions: Float64Array.from(pos), numbers, cell: [cell.lx_A, 0, 0, 0, cell.ly_A, 0, 0, 0, 10], pbc: [true, true, true] });
const relaxE = (numbers) => { const r = relaxFire(mk(numbers), ff, { fmax_eV_A: 1e-3, maxSteps: 20000 }); return ff.compute(r.atoms).energy_eV; };
const e0 = relaxE(base);
console.log('perfect E/atom', e0 / 96, 'vs honeycombMinimum', energyPerAtom_eV);
// adjacent antisite pair: swap atom 0 (B) and its first neighbour (N)
const j = nl.index[nl.start[0]];
const pair = Uint8Array.from(base); pair[0] = 7; pair[j] = 5;
const ep = relaxE(pair);
console.log('adjacent antisite pair: ΔE', ep - e0, 'eV; 4 homopolar bonds →', (ep - e0) / 4, 'eV per homopolar bond');
// separated antisites: atom 0 (B→N) and the N farthest from it
let far = -1, best = 0; for (let k = 1; k < 96; k += 2) { const dx = pos[3*k]-pos[0], dy = pos[3*k+1]-pos[1]; const ddx = dx - cell.lx_A*Math.round(dx/cell.lx_A), ddy = dy - cell.ly_A*Math.round(dy/cell.ly_A); const r = Math.hypot(ddx, ddy); if (r > best) { best = r; far = k; } }
const sep = Uint8Array.from(base); sep[0] = 7; sep[far] = 5;
const es = relaxE(sep);
console.log('separated antisites (', best.toFixed(2), 'Å apart): ΔE', es - e0, 'eV; 6 homopolar bonds (3 B–B, 3 N–N) →', (es - e0) / 6, 'eV per homopolar bond');
