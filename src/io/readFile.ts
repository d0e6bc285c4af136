import { readFileSync } from 'node:fs';
import { ParseError } from '../errors.js';

/** A file's contents, or a ParseError naming the file and the system's reason (ENOENT, EACCES…). */
export function readFileOrFail(file: string): Buffer;
export function readFileOrFail(file: string, encoding: 'utf8'): string;
export function readFileOrFail(file: string, encoding?: 'utf8'): Buffer | string {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (error) {
    throw new ParseError(file, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
