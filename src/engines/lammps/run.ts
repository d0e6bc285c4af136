import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, SpramnetError } from '../../errors.js';

/**
 * Running the `lmp` executable (Debian package `lammps`; another binary via SPRAMNET_LMP). The input
 * script and its files go to a working directory; the run's log stays there for inspection.
 */

/** A LAMMPS run that exited with an error; the message carries LAMMPS' own ERROR line. */
export class LammpsError extends SpramnetError {}

/** The commands every run here opens with: metal units, atomic style, structure.data, the pair style. */
export function lammpsHeader(pairStyle: string, pairCoeff: string, boundary = 'p p p'): string[] {
  return ['units metal', 'atom_style atomic', 'atom_modify map array', `boundary ${boundary}`, 'read_data structure.data', `pair_style ${pairStyle}`, `pair_coeff ${pairCoeff}`];
}

export function lammpsExecutable(): string {
  return process.env.SPRAMNET_LMP ?? 'lmp';
}

let versionCache: string | null | undefined;

/** LAMMPS' version string ("29 Sep 2021 - Update 2"), or undefined when `lmp` is not installed. */
export function lammpsVersion(): string | undefined {
  if (versionCache !== undefined) return versionCache ?? undefined;
  try {
    const help = execFileSync(lammpsExecutable(), ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
    const match = /Simulator\s*-\s*(.+?)\s*$/m.exec(help) ?? /LAMMPS\s*\((.+?)\)/.exec(help);
    versionCache = match ? match[1] : 'unknown';
  } catch {
    versionCache = null;
  }
  return versionCache ?? undefined;
}

/** Throws an InputError naming the Debian package when `lmp` cannot be run. */
export function requireLammps(): string {
  const version = lammpsVersion();
  if (version === undefined) {
    throw new InputError(
      `LAMMPS executable "${lammpsExecutable()}" not found: install the Debian package "lammps" (apt-get install lammps) or set SPRAMNET_LMP to an lmp binary`,
    );
  }
  return version;
}

export interface LammpsRun {
  /** Working directory holding the script, the files and log.lammps. */
  dir: string;
  /** Text of log.lammps. */
  log: string;
  /** Read a file the run wrote (relative to dir). */
  read(name: string): string;
  /** Remove the directory (only when runLammps made it). */
  cleanup(): void;
}

export interface RunLammpsOptions {
  /** Extra command-line arguments (e.g. ['-var', 'seed', '42']). */
  args?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Write `files` (name → contents) and the script `in.lammps` into `dir` (a new temporary directory
 * when undefined), run `lmp -in in.lammps -log log.lammps -screen none` there and resolve when it
 * ends. A failing run rejects with a LammpsError quoting LAMMPS' ERROR line.
 */
export async function runLammps(
  script: string,
  files: Record<string, string | Uint8Array> = {},
  dir?: string,
  options: RunLammpsOptions = {},
): Promise<LammpsRun> {
  requireLammps();
  const owned = dir === undefined;
  const workDir = dir ?? mkdtempSync(join(tmpdir(), 'spramnet-lammps-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(workDir, name), data);
  writeFileSync(join(workDir, 'in.lammps'), script);
  const args = ['-in', 'in.lammps', '-log', 'log.lammps', '-screen', 'none', '-nocite', ...(options.args ?? [])];
  const readLog = (): string => {
    try {
      return readFileSync(join(workDir, 'log.lammps'), 'utf8');
    } catch {
      return '';
    }
  };
  await new Promise<void>((resolve, reject) => {
    execFile(
      lammpsExecutable(),
      args,
      { cwd: workDir, env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' }, maxBuffer: 1 << 26, signal: options.signal },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const log = readLog();
        const line = /^ERROR.*$/m.exec(log)?.[0] ?? /^ERROR.*$/m.exec(stderr)?.[0] ?? String(error.message);
        reject(new LammpsError(`LAMMPS failed in ${workDir}: ${line}`));
      },
    );
  });
  return {
    dir: workDir,
    log: readLog(),
    read: (name) => readFileSync(join(workDir, name), 'utf8'),
    cleanup: () => {
      if (owned) rmSync(workDir, { recursive: true, force: true });
    },
  };
}
