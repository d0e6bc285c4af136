// BNC.tersoff's homonuclear entries (B–B, N–N) are attractive at every distance at ordinary bond
// orders: the pair term A·exp(−λ1 r) − b·B·exp(−λ2 r) has A < B and λ1 ≈ λ2, so an isolated dimer
// (b = 1) and a homopolar bond in a sheet (b ≈ 0.9) shorten without bound. Prints E(r) of B2 and N2
// dimers and the pair term's sign. Run from the repository root after `npm run build`.
import { resolvePotential } from '../../../dist/src/physics/md/potential.js';
import { loadTersoff } from '../../../dist/src/physics/tersoff/params.js';
const ff = resolvePotential('kinaci-2012-bn').forceField;
const p = loadTersoff('kinaci-2012-bn');
for (const [z, el] of [[5, 'B'], [7, 'N']]) {
  const e = p.entries.find((x) => x.elements.every((s) => s === el));
  console.log(`${el}–${el}: A ${e.A} eV, λ1 ${e.lam1} /Å, B ${e.B} eV, λ2 ${e.lam2} /Å, R ${e.R} ± ${e.D} Å`);
  const rows = [];
  for (const r of [0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9]) {
    const E = ff.compute({ positions: Float64Array.of(5, 5, 5, 5 + r, 5, 5), numbers: Uint8Array.of(z, z), cell: Float64Array.of(20, 0, 0, 0, 20, 0, 0, 0, 20), pbc: [false, false, false] }).energy_eV;
    rows.push(`${r.toFixed(1)} Å ${E.toFixed(3)} eV`);
  }
  console.log(`  dimer E(r): ${rows.join(', ')}`);
}
