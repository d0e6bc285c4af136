import { errorMessage } from '../errors.js';

/** Exit status for "some inputs failed": the others were still processed. */
export const EXIT_SOME_FAILED = 1;

export function speciesOption(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function numberOption(name: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isFinite(v)) throw new Error(`${name} must be a number, got "${value}"`);
    return v;
  };
}

export function integerOption(name: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isInteger(v)) throw new Error(`${name} must be a whole number, got "${value}"`);
    return v;
  };
}

/** Message for a failed input, led by the file name unless the message already names it. */
export function failureLine(file: string, message: string): string {
  return message.startsWith(file) ? message : `${file}: ${message}`;
}

/** Run `work` on every file; report each failure on stderr, go on, and set the exit status. */
export function runBatch(files: readonly string[], work: (file: string) => void): number {
  let failed = 0;
  for (const file of files) {
    try {
      work(file);
    } catch (error) {
      failed++;
      console.error(`error: ${failureLine(file, errorMessage(error))}`);
    }
  }
  if (failed > 0) {
    console.error(`${failed} of ${files.length} input(s) failed`);
    process.exitCode = EXIT_SOME_FAILED;
  }
  return failed;
}
