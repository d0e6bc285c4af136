import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A bar with ETA on a terminal (stderr), nothing in pipes or CI logs. `fields` names extra values
 * shown after the ETA (e.g. loss), passed to update().
 */
export function progressBar(total: number, label: string, fields: string[] = [], stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 1) return { update: () => {}, stop: () => {} };
  const extra = fields.map((f) => ` | ${f} {${f}}`).join('');
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}${extra}`, stream, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, Object.fromEntries(fields.map((f) => [f, '…'])));
  return { update: (done, extra) => bar.update(done, extra), stop: () => bar.stop() };
}

/** One bar per stage of a long job: a new bar whenever the reported stage name changes. */
export function stagedProgress(): { onProgress: (stage: string, done: number, total: number) => void; stop: () => void } {
  let bar: Progress | undefined;
  let stage = '';
  return {
    onProgress: (name, done, total) => {
      if (name !== stage) {
        bar?.stop();
        bar = progressBar(total, name);
        stage = name;
      }
      bar?.update(done);
    },
    stop: () => bar?.stop(),
  };
}
