import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkImplemented, type CalculateOptions, type CalculationResult, type Calculator, type PropertyName } from '../../calculators/calculator.js';
import { VERSION } from '../../version.js';
import type { Atoms } from '../../structure/atoms.js';
import { hashStructureInto } from '../../structure/hash.js';
import type { ResolvedPotential } from '../md/potential.js';
import { kappa, type KappaOptions, type KappaResult } from './kappa.js';
import { kappaLammps } from './lammpsKappa.js';

export interface KappaCalculatorOptions extends Omit<KappaOptions, 'checkpoint' | 'onProgress'> {
  engine: 'builtin' | 'lammps';
  /** The potential's name as the user gave it (provenance). */
  potentialName: string;
  perAtomVirial: 'centroid' | 'third';
  /** Finished MD runs of each structure are kept here (a file named by structure and settings); a restarted label skips them. */
  checkpointDir?: string;
}

/**
 * κ behind the calculator contract: Green–Kubo or HNEMD with the built-in MD, or Green–Kubo with
 * serial LAMMPS, on one structure. The value is per the stated thickness (V = area × thickness).
 */
export class KappaCalculator implements Calculator {
  readonly name: string;
  readonly implementedProperties: readonly PropertyName[] = ['kappa_W_mK'];

  constructor(
    readonly potential: ResolvedPotential,
    readonly options: KappaCalculatorOptions,
  ) {
    this.name = options.engine === 'lammps' ? 'lammps-kappa' : 'builtin-kappa';
  }

  /** Everything that changes the numbers (the provenance's settings and the checkpoint's name). */
  settings(): Record<string, unknown> {
    const { checkpointDir: _dir, ...settings } = this.options;
    return { ...settings, potential: this.options.potentialName };
  }

  /** The checkpoint file of one structure: named by structure and settings, never by file name or list position. */
  checkpointFile(atoms: Atoms): string | undefined {
    if (this.options.checkpointDir === undefined) return undefined;
    const h = hashStructureInto(createHash('sha256'), atoms).update(JSON.stringify(this.settings())).digest('hex').slice(0, 32);
    return join(this.options.checkpointDir, `kappa-${h}.${this.options.engine}.${this.options.method}.json`);
  }

  async calculate(atoms: Atoms, properties: readonly PropertyName[], options: CalculateOptions = {}): Promise<CalculationResult> {
    checkImplemented(this, properties);
    options.signal?.throwIfAborted();
    const checkpoint = this.checkpointFile(atoms);
    if (checkpoint !== undefined) mkdirSync(this.options.checkpointDir!, { recursive: true });
    const { engine: _engine, potentialName: _name, perAtomVirial: _virial, checkpointDir: _dir, ...kappaOptions } = this.options;
    const run: KappaOptions = {
      ...kappaOptions,
      checkpoint,
      onProgress: options.onProgress ? (_stage, done, total) => options.onProgress!(total > 0 ? done / total : 0) : undefined,
    };
    const r: KappaResult = this.options.engine === 'lammps' ? await kappaLammps(atoms, this.potential.lammps, run) : kappa(atoms, this.potential.forceField, run);
    return {
      properties: { kappa_W_mK: r.kappa_W_mK },
      provenance: { engine: this.name, version: VERSION, settings: { ...this.settings(), resolved: r.settings } },
      extra: { method: r.method, stderr_W_mK: r.stderr_W_mK, thickness_A: r.thickness_A, runs: r.runs },
    };
  }
}
