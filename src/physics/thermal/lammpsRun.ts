import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpramnetError } from '../../errors.js';
import type { Atoms } from '../../structure/atoms.js';
import { writeLammpsData } from '../../structure/io/lammpsData.js';
import { A_PS_PER_A_FS } from '../md/units.js';

/** The LAMMPS executable: $SPRAMNET_LMP or `lmp` on the PATH. */
export function lammpsExecutable(): string {
  return process.env.SPRAMNET_LMP ?? 'lmp';
}

export function lammpsAvailable(): boolean {
  const r = spawnSync(lammpsExecutable(), ['-h'], { encoding: 'utf8' });
  return r.status === 0;
}

export interface LammpsRun {
  /** Contents of the files LAMMPS wrote that were asked for. */
  outputs: Record<string, string>;
  log: string;
  seconds: number;
}

/**
 * Run serial LAMMPS on `input` in a fresh temporary folder holding `files`; return the text of
 * `outputs` (names relative to that folder). The folder is removed afterwards.
 */
export function runLammpsInput(input: string, files: Record<string, string>, outputs: readonly string[], timeout_s = 0): LammpsRun {
  const dir = mkdtempSync(join(tmpdir(), 'spramnet-lmp-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'in.lmp'), input);
    const start = performance.now();
    const r = spawnSync(lammpsExecutable(), ['-in', 'in.lmp', '-log', 'log.lammps', '-screen', 'none', '-nocite'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: timeout_s > 0 ? timeout_s * 1000 : undefined,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    const seconds = (performance.now() - start) / 1000;
    let log = '';
    try {
      log = readFileSync(join(dir, 'log.lammps'), 'utf8');
    } catch {
      /* LAMMPS did not start */
    }
    if (r.error) throw new SpramnetError(`could not run ${lammpsExecutable()}: ${r.error.message}`);
    if (r.status !== 0) {
      const error = log.split('\n').filter((l) => /ERROR/.test(l)).join(' ') || (r.stderr ?? '').slice(-500);
      throw new SpramnetError(`LAMMPS failed (exit ${r.status}): ${error}`);
    }
    const out: Record<string, string> = {};
    for (const name of outputs) out[name] = readFileSync(join(dir, name), 'utf8');
    return { outputs: out, log, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
