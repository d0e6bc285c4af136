import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, REFERENCE_SPEC } from '../descriptors/featurize.js';
import { errorMessage, InputError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { readPoscar } from '../structure/io/poscar.js';
import { checkNoOverlaps } from '../structure/overlaps.js';
import { AseDatabase, uniqueIdOf, type DataValue, type KeyValue } from './aseDb.js';
import { parseDoscar, parseSigma, phononDos } from './labels.js';

export interface ImportReport {
  added: number;
  skipped: number;
  failures: Array<{ file: string; message: string }>;
}

export interface ImportOptions {
  onProgress?: (done: number, total: number) => void;
  /** Rows per transaction: what a kill can lose at most (none of what was committed). */
  batch?: number;
}

/** Kappa structure i is phonon structure i for i < 464 and i + 37 for i ≥ 464 (data.md). */
export function phononIdOfKappa(i: number): number {
  return i < 464 ? i : i + 37;
}

interface Job {
  uniqueId: string;
  file: string;
  build: () => { atoms?: ReturnType<typeof readPoscar>; keyValues: Record<string, KeyValue>; data: { [key: string]: DataValue }; problems: string[] };
}

const idOf = (name: string): number => Number(/(\d+)(?:\.\w+)?$/.exec(name)?.[1]);

function electronJobs(root: string): Job[] {
  const dir = join(root, 'raw_dataset_electron');
  const poscars = readdirSync(join(dir, 'POSCAR')).filter((f) => f.startsWith('POSCAR_')).sort();
  return poscars.map((name) => {
    const tag = name.slice('POSCAR_'.length);
    const file = join(dir, 'POSCAR', name);
    return {
      uniqueId: uniqueIdOf(`spramnet-public/electron/${tag}`),
      file,
      build: () => {
        const atoms = readPoscar(readFileSync(file, 'utf8'), file);
        checkNoOverlaps(atoms, file);
        const problems: string[] = [];
        const keyValues: Record<string, KeyValue> = { set: 'electron', release_id: idOf(tag), source: `raw_dataset_electron/POSCAR/${name}` };
        const data: { [key: string]: DataValue } = { descriptor_reference: describe(atoms, REFERENCE_SPEC, file) };
        const doscar = join(dir, 'DOSCAR', `DOSCAR_${tag}`);
        try {
          if (existsSync(doscar)) data.el_dos = parseDoscar(readFileSync(doscar, 'utf8'), doscar);
        } catch (error) {
          problems.push(errorMessage(error));
        }
        const imag = join(dir, 'imag', `imag_${tag}.dat`);
        try {
          const sigma = existsSync(imag) ? parseSigma(readFileSync(imag, 'utf8'), imag) : undefined;
          if (sigma !== undefined) {
            keyValues.sigma_xx = sigma.xx;
            keyValues.sigma_yy = sigma.yy;
          }
        } catch (error) {
          problems.push(errorMessage(error));
        }
        return { atoms, keyValues, data, problems };
      },
    };
  });
}

function thermalJobs(root: string): Job[] {
  const dir = join(root, 'thermal_code');
  const jobs: Job[] = [];
  const phononRdf = join(dir, 'ph-DoS', 'rdf');
  if (existsSync(phononRdf)) {
    for (const name of readdirSync(phononRdf).filter((f) => f.endsWith('.npy')).sort((a, b) => idOf(a) - idOf(b))) {
      const i = idOf(name);
      const file = join(phononRdf, name);
      jobs.push({
        uniqueId: uniqueIdOf(`spramnet-public/phonon/${i}`),
        file,
        build: () => {
          const data: { [key: string]: DataValue } = { rdf: Float64Array.from(rdfOf(file)) };
          const problems: string[] = [];
          const w = join(dir, 'ph-DoS', 'w', `w_${i}.npy`);
          try {
            if (existsSync(w)) data.ph_dos = phononDos(readNpy(w).data, w);
          } catch (error) {
            problems.push(errorMessage(error));
          }
          return { keyValues: { set: 'phonon', release_id: i, source: `thermal_code/ph-DoS/rdf/${name}` }, data, problems };
        },
      });
    }
  }
  const kappaRdf = join(dir, 'Kappa', 'rdf');
  if (existsSync(kappaRdf)) {
    const kappaFile = join(dir, 'Kappa', 'thermal.npy');
    const kappa = existsSync(kappaFile) ? readNpy(kappaFile).data : undefined;
    for (const name of readdirSync(kappaRdf).filter((f) => f.endsWith('.npy')).sort((a, b) => idOf(a) - idOf(b))) {
      const i = idOf(name);
      const file = join(kappaRdf, name);
      jobs.push({
        uniqueId: uniqueIdOf(`spramnet-public/kappa/${i}`),
        file,
        build: () => {
          const keyValues: Record<string, KeyValue> = { set: 'kappa', release_id: i, phonon_id: phononIdOfKappa(i), source: `thermal_code/Kappa/rdf/${name}` };
          const value = kappa?.[i - 1];
          if (value !== undefined && Number.isFinite(value)) keyValues.kappa_W_mK = value;
          return { keyValues, data: { rdf: Float64Array.from(rdfOf(file)) }, problems: [] };
        },
      });
    }
  }
  return jobs;
}

function rdfOf(file: string): Float64Array | Float32Array {
  const a = readNpy(file);
  if (a.data.length !== 100) throw new InputError(`${file}: expected 100 g(r) values (bins of 0.1 Å from 0), found ${a.data.length}`);
  return a.data;
}

/** Refuses a path that holds neither the public layout's folders nor its archives. */
function checkLayout(path: string): void {
  if (!existsSync(path)) throw new InputError(`${path}: no such file or directory`);
  const dir = statSync(path).isDirectory();
  const ok = dir ? readdirSync(path).some((f) => f.endsWith('.tar.xz') || f === 'raw_dataset_electron' || f === 'thermal_code') : path.endsWith('.tar.xz');
  if (!ok) throw new InputError(`${path}: expected raw_dataset_electron/ or thermal_code/ (the public SPRamNet layout), or electron.tar.xz/thermal.tar.xz`);
}

/** The public layout under `path`: its directories, or its .tar.xz archives unpacked to a temporary folder. */
function withLayout<T>(path: string, work: (root: string) => T): T {
  if (!existsSync(path)) throw new InputError(`${path}: no such file or directory`);
  const archives = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.tar.xz')).map((f) => join(path, f))
    : path.endsWith('.tar.xz')
      ? [path]
      : [];
  const hasDirs = statSync(path).isDirectory() && (existsSync(join(path, 'raw_dataset_electron')) || existsSync(join(path, 'thermal_code')));
  if (hasDirs || archives.length === 0) {
    if (!hasDirs) throw new InputError(`${path}: expected raw_dataset_electron/ or thermal_code/ (the public SPRamNet layout), or electron.tar.xz/thermal.tar.xz`);
    return work(path);
  }
  const temp = mkdtempSync(join(tmpdir(), 'spramnet-import-'));
  try {
    for (const archive of archives) {
      const r = spawnSync('tar', ['-xJf', archive, '-C', temp], { encoding: 'utf8' });
      if (r.status !== 0) throw new InputError(`${archive}: could not unpack (${r.stderr.trim() || `tar exited with ${r.status}`})`);
    }
    return work(temp);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Import the public SPRamNet release into an ASE database: one row per structure with its
 * reference descriptors and canonical labels (data.md), provenance in the key-value pairs. Rows go
 * in by transactions of `batch`; a row already there (same provenance) is skipped, so a killed
 * import resumes where it stopped. A file that cannot be read is reported and the rest go on; a
 * structure whose label file is bad is kept with that label missing (and reported).
 */
export function importSpramnetPublic(path: string, dbFile: string, options: ImportOptions = {}): ImportReport {
  // the release is checked before the store is opened, and a store this call created is removed
  // when nothing went into it: a failed import leaves no empty .db behind
  checkLayout(path);
  const created = !existsSync(dbFile);
  const db = new AseDatabase(dbFile);
  let added = 0;
  try {
    return withLayout(path, (root) => {
      const jobs = [
        ...(existsSync(join(root, 'raw_dataset_electron')) ? electronJobs(root) : []),
        ...(existsSync(join(root, 'thermal_code')) ? thermalJobs(root) : []),
      ];
      const report: ImportReport = { added: 0, skipped: 0, failures: [] };
      const batch = options.batch ?? 100;
      for (let start = 0; start < jobs.length; start += batch) {
        const built = jobs.slice(start, start + batch).flatMap((job) => {
          if (db.hasUniqueId(job.uniqueId)) {
            report.skipped++;
            return [];
          }
          try {
            const row = job.build();
            for (const p of row.problems) report.failures.push({ file: job.file, message: p });
            return [{ job, row }];
          } catch (error) {
            report.failures.push({ file: job.file, message: errorMessage(error) });
            return [];
          }
        });
        db.transaction(() => {
          for (const { job, row } of built) db.write(job.uniqueId, row.atoms, row.keyValues, row.data);
        });
        report.added += built.length;
        added = report.added;
        options.onProgress?.(Math.min(start + batch, jobs.length), jobs.length);
      }
      return report;
    });
  } finally {
    db.close();
    if (created && added === 0) rmSync(dbFile, { force: true });
  }
}

