/**
 * One error hierarchy for the whole package, so callers (and the CLI) can tell a user's bad input
 * from a bug. Messages always say what was found and what was expected.
 */
export class SpramnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value given by the caller is of the wrong kind or out of range. */
export class InputError extends SpramnetError {}

/** A file could not be read as the format it claims to be. `line` is 1-based when known. */
export class ParseError extends SpramnetError {
  readonly file: string;
  readonly line: number | undefined;
  readonly detail: string;
  constructor(file: string, line: number | undefined, detail: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

/** An iterative method did not reach its tolerance. */
export class ConvergenceError extends SpramnetError {}

/** Human-readable message of any thrown value, for batch reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
