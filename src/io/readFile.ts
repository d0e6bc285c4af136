import { readFileSync } from 'node:fs';
import { ParseError } from '../errors.js';

/** The system's reasons in words. */
const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
};

/** A file's contents, or a ParseError naming the file and the system's reason (ENOENT, EACCES…). */
export function readFileOrFail(file: string): Buffer;
export function readFileOrFail(file: string, encoding: 'utf8'): string;
export function readFileOrFail(file: string, encoding?: 'utf8'): Buffer | string {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ParseError(file, undefined, `cannot read: ${code !== undefined && SYSTEM_REASONS[code] ? `${SYSTEM_REASONS[code]} (${code})` : (code ?? String(error))}`);
  }
}
