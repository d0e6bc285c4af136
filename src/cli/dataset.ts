import type { Command } from 'commander';
import { AseDatabase } from '../data/aseDb.js';
import { importSpramnetPublic } from '../data/importPublic.js';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { writeExtxyz } from '../structure/io/extxyz.js';
import { EXIT_SOME_FAILED, failureLine } from './common.js';
import { progressBar, type Progress } from './progress.js';

export function registerDataset(program: Command): void {
  program
    .command('import')
    .description('import a dataset into an ASE database (readable by `ase db` and ase.db.connect)')
    .argument('<kind>', 'spramnet-public: the public SPRamNet release')
    .argument('<path>', 'the release folder (raw_dataset_electron/, thermal_code/) or its .tar.xz archives')
    .requiredOption('--out <amc.db>', 'database file (created, or added to: rows already there are skipped)')
    .action((kind: string, path: string, o: { out: string }) => {
      if (kind !== 'spramnet-public') throw new InputError(`unknown dataset kind "${kind}" (known: spramnet-public)`);
      let bar: Progress | undefined; // the total is known once the layout is read
      const report = importSpramnetPublic(path, o.out, {
        onProgress: (done, total) => {
          bar ??= progressBar(total, 'import');
          bar.update(done);
        },
      });
      bar?.stop();
      for (const f of report.failures) console.error(`error: ${failureLine(f.file, f.message)}`);
      console.error(`${o.out}: ${report.added} rows added, ${report.skipped} already there${report.failures.length ? `, ${report.failures.length} problem(s) above` : ''}`);
      if (report.failures.length > 0) process.exitCode = EXIT_SOME_FAILED;
    });

  program
    .command('export')
    .description('export the structures of a database to extended XYZ (labels as per-frame info)')
    .argument('<format>', 'extxyz')
    .requiredOption('--data <amc.db>', 'database')
    .requiredOption('--out <file.extxyz>', 'output file')
    .option('--set <name>', 'only rows of this set (electron, phonon, kappa)')
    .action((format: string, o: { data: string; out: string; set?: string }) => {
      if (format !== 'extxyz') throw new InputError(`unknown export format "${format}" (known: extxyz)`);
      const db = new AseDatabase(o.data, { mustExist: true });
      const rows = db.select(o.set ? { set: o.set } : {}).filter((r) => r.atoms !== undefined);
      db.close();
      const frames = rows.map((r) => {
        const atoms = r.atoms!;
        Object.assign(atoms.info, r.keyValues, { db_id: r.id });
        return atoms;
      });
      writeFileAtomic(o.out, writeExtxyz(frames));
      console.error(`wrote ${o.out}: ${frames.length} structures`);
    });
}
