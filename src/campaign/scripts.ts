import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { SPRAMNET_CLI, sbatchScript } from './executors/slurm.js';
import { expandItems } from './items.js';
import type { Plan } from './plan.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Batch scripts a user can read and submit by hand: one `sbatch --array` script per structure
 * stage over all its items (slurm/scripts/<stage>.sbatch with its item list), and submit.sh, which
 * chains them with `--dependency=afterany` and ends with one job that runs `campaign run --executor
 * local` on a node: it merges the store, reruns what failed, then trains and evaluates. Items done
 * already are skipped by every task, so the scripts may be submitted again at any time.
 */
export function writeScripts(plan: Plan, dir: string): string[] {
  const out = join(dir, 'slurm', 'scripts');
  mkdirSync(out, { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const items = expandItems(plan);
  const written: string[] = [];
  const submit = ['#!/bin/bash', '# submit the campaign by hand: each stage waits for the one it reads (afterany: failed items are rerun by the last job)', 'set -euo pipefail', 'cd "$(dirname "$0")"', 'declare -A JOB'];
  for (const stage of plan.stages) {
    const list = items.get(stage.name) ?? [];
    if (list.length === 0) continue;
    mkdirSync(join(dir, 'logs', stage.name), { recursive: true });
    const batchFile = join(out, `${stage.name}.items.json`);
    writeFileAtomic(batchFile, JSON.stringify(list.map((item) => ({ item }))) + '\n');
    const script = join(out, `${stage.name}.sbatch`);
    writeFileAtomic(script, sbatchScript({ plan, dir, stage, batchFile, count: list.length }));
    written.push(script, batchFile);
    const after = stage.from.filter((f) => (items.get(f) ?? []).length > 0);
    const dependency = after.length > 0 ? `--dependency=afterany:${after.map((f) => `\${JOB["${f}"]}`).join(':')} ` : '';
    submit.push(`JOB["${stage.name}"]=$(sbatch --parsable ${dependency}${stage.name}.sbatch)`, `echo "${stage.name}: job \${JOB["${stage.name}"]}"`);
  }
  const finish = join(out, 'finish.sbatch');
  const cores = Math.max(1, ...plan.stages.filter((s) => s.spec.kind === 'train').map((s) => s.resources.cores));
  writeFileAtomic(
    finish,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=spramnet-${plan.name}-finish`,
      `#SBATCH --cpus-per-task=${cores}`,
      `#SBATCH --output=${resolve(dir)}/logs/finish_%j.log`,
      ...(plan.slurm.partition ? [`#SBATCH --partition=${plan.slurm.partition}`] : []),
      ...(plan.slurm.account ? [`#SBATCH --account=${plan.slurm.account}`] : []),
      ...(plan.slurm.sbatch ?? []).map((x) => `#SBATCH ${x}`),
      ...(plan.slurm.setup ?? []),
      `exec ${quote(process.execPath)} ${quote(SPRAMNET_CLI)} campaign run ${quote(resolve(plan.file))} --dir ${quote(resolve(dir))} --executor local --workers ${cores}`,
      '',
    ].join('\n'),
  );
  const last = Object.keys(Object.fromEntries(items)).filter((k) => (items.get(k) ?? []).length > 0);
  submit.push(`sbatch ${last.length > 0 ? `--dependency=afterany:${last.map((f) => `\${JOB["${f}"]}`).join(':')} ` : ''}finish.sbatch`);
  const submitFile = join(out, 'submit.sh');
  writeFileAtomic(submitFile, submit.join('\n') + '\n');
  chmodSync(submitFile, 0o755);
  written.push(finish, submitFile);
  return written;
}
