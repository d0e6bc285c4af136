import { SpramnetError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { writeLammpsData } from '../../structure/io/lammpsData.js';
import { A_PS_PER_A_FS } from '../md/units.js';

/** LAMMPS helpers of the MD engines (runs go through engines/lammps/run.ts). */

/** A LAMMPS data file (atomic style) with a Velocities section (Å/ps, metal units) from Å/fs velocities. */
export function lammpsDataWithVelocities(atoms: Atoms, velocities_A_fs: Float64Array): string {
  const lines = [writeLammpsData(atoms).trimEnd(), '', 'Velocities', ''];
  for (let i = 0; i < atoms.length; i++) {
    const v = velocities_A_fs.subarray(3 * i, 3 * i + 3);
    lines.push(`${i + 1} ${v[0] * A_PS_PER_A_FS} ${v[1] * A_PS_PER_A_FS} ${v[2] * A_PS_PER_A_FS}`);
  }
  return lines.join('\n') + '\n';
}

/** Numbers of the last thermo line of the last run (after the "Step" header). */
export function lastThermo(log: string): Map<string, number> {
  const lines = log.split('\n');
  let header = -1;
  for (let k = lines.length - 1; k >= 0; k--) if (/^\s*Step\s/.test(lines[k])) { header = k; break; }
  if (header < 0) throw new SpramnetError('LAMMPS log has no thermo output');
  const names = lines[header].trim().split(/\s+/);
  let last: string[] | undefined;
  for (let k = header + 1; k < lines.length; k++) {
    const f = lines[k].trim().split(/\s+/);
    if (f.length === names.length && f.every((x) => Number.isFinite(Number(x)))) last = f;
    else if (last) break;
  }
  if (!last) throw new SpramnetError('LAMMPS log has a thermo header but no values');
  return new Map(names.map((name, k) => [name, Number(last![k])]));
}
