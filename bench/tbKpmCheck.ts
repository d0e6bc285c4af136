/**
 * KPM against exact diagonalisation on public cells: the cell repeated to ≥ minAtoms atoms (r0×r1),
 * stochastic KPM (random-phase vectors, Gaussian σ = 0.05 eV applied through exact Chebyshev
 * coefficients) against exact diagonalisation of the unit cell on the matching Γ-centred r0×r1 k-mesh,
 * same broadening, compared on the same absolute energies (KPM's E_F + label grid).
 * usage: node dist/bench/tbKpmCheck.js [minAtoms=20000] [vectors=2] [ids…]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPoscar } from '../src/structure/io/poscar.js';
import { EL_DOS_ENERGIES_EV } from '../src/data/labels.js';
import { tightBindingExact } from '../src/physics/tb/exact.js';
import { tightBindingKpm } from '../src/physics/tb/kpmEngine.js';
import { unpackShared } from './shared.js';

const minAtoms = Number(process.argv[2] ?? 20000);
const vectors = Number(process.argv[3] ?? 2);
const ids = process.argv.length > 4 ? process.argv.slice(4).map(Number) : [2002, 2903, 3300, 150, 1201, 1850];
const dir = existsSync('/work/data/raw_dataset_electron/POSCAR') ? '/work/data/raw_dataset_electron/POSCAR' : unpackShared('electron', 'raw_dataset_electron/POSCAR');
console.log('id    atoms  repeat  KPM atoms  moments  KPM s   exact s  max|Δdos| (/eV/atom)  peak   |ΔE_F| eV');
let worstAll = 0;
for (const id of ids) {
  const name = `POSCAR_${String(id).padStart(4, '0')}`;
  const atoms = readPoscar(readFileSync(join(dir, name), 'utf8'), name);
  const kpm = tightBindingKpm(atoms, { minAtoms, randomVectors: vectors, seed: id });
  let t = performance.now();
  const exactFermi = tightBindingExact(atoms, { mesh: kpm.repeat }).fermi_eV;
  const exact = tightBindingExact(atoms, { mesh: kpm.repeat, grid_eV: Array.from(EL_DOS_ENERGIES_EV, (e) => e + kpm.fermi_eV - exactFermi) });
  const exactSeconds = (performance.now() - t) / 1000;
  const worst = Math.max(...Array.from(kpm.el_dos.dos, (v, k) => Math.abs(v - exact.el_dos.dos[k])));
  worstAll = Math.max(worstAll, worst);
  const peak = Math.max(...exact.el_dos.dos);
  console.log(`${id}  ${String(atoms.length).padStart(5)}  ${kpm.repeat[0]}×${kpm.repeat[1]}  ${String(kpm.atoms).padStart(9)}  ${kpm.moments}  ${kpm.seconds.toFixed(1).padStart(6)}  ${exactSeconds.toFixed(1).padStart(7)}  ${worst.toFixed(4)}  ${peak.toFixed(3)}  ${Math.abs(kpm.fermi_eV - exactFermi).toFixed(3)}`);
  t = performance.now();
}
console.log(`max |Δ| over all: ${worstAll.toFixed(4)} states/eV/atom (R = ${vectors} random-phase vectors, ≥ ${minAtoms} atoms)`);
