import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { errorMessage } from '../../errors.js';
import { readStructures } from '../../structure/io/formats.js';
import { GpawCalculator, type GpawOptions } from './gpaw.js';

export interface GpawBatchOptions extends Omit<GpawOptions, 'workDir' | 'keep'> {
  out: string;
  format?: string;
  species?: readonly string[];
  /** Stage name, structure index and fraction of the current structure. */
  onProgress?: (stage: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface GpawBatchReport {
  done: Array<{ input: string; folder: string; atoms: number; seconds: number; reused: boolean }>;
  failures: Array<{ input: string; message: string }>;
}

/**
 * GPAW label runs for structure files, one folder per structure under `out` (per frame of a
 * multi-frame file). A folder that already holds the finished run of the same script is read, not
 * rerun, so a killed batch resumes where it stopped; `spramnet dft read out` then gives the labels.
 */
export async function runGpawFolders(files: readonly string[], options: GpawBatchOptions): Promise<GpawBatchReport> {
  const report: GpawBatchReport = { done: [], failures: [] };
  mkdirSync(options.out, { recursive: true });
  const { out, format, species, onProgress, signal, ...gpaw } = options;
  for (const [index, input] of files.entries()) {
    try {
      const frames = readStructures(input, { format, species });
      for (const [frame, atoms] of frames.entries()) {
        const name = basename(input).replace(/\.[^.]*$/, '').replace(/[^\w.-]/g, '_') + (frames.length > 1 ? `_frame${frame}` : '');
        const folder = join(out, name || `structure${index}`);
        const started = Date.now();
        const result = await new GpawCalculator({ ...gpaw, workDir: folder }).calculate(atoms, ['energy_eV', 'el_dos'], {
          signal,
          onProgress: (f) => onProgress?.(`gpaw ${index + 1}/${files.length} ${name}`, Math.round(100 * f), 100),
        });
        report.done.push({ input: frames.length > 1 ? `${input}[${frame}]` : input, folder, atoms: atoms.length, seconds: (Date.now() - started) / 1000, reused: result.extra?.reused === true });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      report.failures.push({ input, message: errorMessage(error) });
    }
  }
  return report;
}
