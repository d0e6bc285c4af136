import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { readFileOrFail } from '../io/readFile.js';
import { FORMATS, formatByName } from '../structure/io/formats.js';
import type { Atoms } from '../structure/atoms.js';

/**
 * What an input file is, decided in one table: a structure (any format of structure/io/formats.ts),
 * a g(r) as .npy, a g(r) as two-column text, or a PDFgetX3 `.gr` file, which holds the reduced pair
 * distribution G(r) = 4πrρ₀(g(r) − 1) and is converted with a number density. Text files are read
 * once here and their content handed on.
 */
export type InputKind = 'structure' | 'pcf-npy' | 'pcf-text' | 'reduced-pdf-gr';

export interface DetectedInput {
  kind: InputKind;
  file: string;
  /** The file's text, for text kinds (read once). */
  text?: string;
  /** The content of an input given in memory (a .npy is read from these). */
  bytes?: Uint8Array;
  /** Structures already read from it (an in-memory input whose caller parsed it). */
  frames?: readonly Atoms[];
  /** A structure format named by the caller. */
  format?: string;
}

/**
 * An input held in memory instead of a file: its name (which selects the format, as a file name
 * would, and names it in messages) and its content as text or bytes — or the structures already
 * read from it, so a caller that parsed the file need not have it parsed again.
 */
export interface InputSource {
  name: string;
  text?: string;
  bytes?: Uint8Array;
  frames?: readonly Atoms[];
  /** What the input is, when its name does not say (a store row's g(r) as .npy bytes). */
  kind?: InputKind;
}

interface InputRule {
  kind: InputKind;
  description: string;
  /** Whether the rule claims the file (by name; `head` for text kinds whose content decides). */
  claims(name: string, head: () => string): boolean;
}

const TEXT_PCF_EXTENSIONS = /\.(txt|csv|rdf|dat)$/i;
const looksLikeStructure = (head: string): boolean => FORMATS.some((f) => f.sniff(head));

/** First match wins. */
export const INPUT_RULES: readonly InputRule[] = [
  { kind: 'pcf-npy', description: 'g(r) as a NumPy .npy array on the model’s grid (the public thermal set: 100 bins of 0.1 Å)', claims: (name) => /\.npy$/i.test(name) },
  { kind: 'reduced-pdf-gr', description: 'PDFgetX3 .gr: reduced G(r) = 4πrρ₀(g(r) − 1), converted with the number density', claims: (name) => /\.gr$/i.test(name) },
  { kind: 'pcf-text', description: 'g(r) as two columns (r in Å, g) in .txt/.csv/.rdf/.dat, unless the content is a structure file', claims: (name, head) => TEXT_PCF_EXTENSIONS.test(name) && !looksLikeStructure(head()) },
  { kind: 'structure', description: `a structure: ${FORMATS.map((f) => f.name).join(', ')} (by name, else by content)`, claims: () => true },
];

/** The kind of an input from its name and (read only when needed) the start of its text. */
export function classifyInput(name: string, head: () => string): InputKind {
  const rule = INPUT_RULES.find((r) => r.claims(basename(name), head));
  if (rule === undefined) throw new InputError(`${name}: not a known input kind`);
  return rule.kind;
}

/** Classify one input file (or in-memory source); `format` forces a structure format. */
export function detectInput(file: string | InputSource, options: { format?: string } = {}): DetectedInput {
  if (typeof file !== 'string') return detectSource(file, options);
  if (options.format !== undefined) {
    formatByName(options.format); // refuses an unknown name in words
    return { kind: 'structure', file, format: options.format };
  }
  let text: string | undefined;
  const head = (): string => (text ??= readFileOrFail(file, 'utf8')).slice(0, 4096);
  const kind = classifyInput(file, head);
  return { kind, file, ...(text !== undefined ? { text } : {}) };
}

function detectSource(source: InputSource, options: { format?: string }): DetectedInput {
  const name = source.name;
  const held = { ...(source.bytes ? { bytes: source.bytes } : {}), ...(source.frames ? { frames: source.frames } : {}) };
  let text = source.text;
  const readText = (): string => {
    if (text === undefined) {
      if (source.bytes === undefined) throw new InputError(`${name}: an in-memory input needs its text or bytes`);
      text = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength).toString('utf8');
    }
    return text;
  };
  // a source that says it is a g(r) stays one whatever structure format the other inputs are read as
  if (source.kind === 'pcf-npy' && source.bytes !== undefined) return { kind: 'pcf-npy', file: name, ...held };
  if (options.format !== undefined) {
    formatByName(options.format);
    return { kind: 'structure', file: name, format: options.format, ...held, ...(source.frames ? {} : { text: readText() }) };
  }
  if (source.frames) return { kind: 'structure', file: name, ...held };
  const kind = source.kind ?? classifyInput(name, () => readText().slice(0, 4096));
  if (kind === 'pcf-npy' && source.bytes === undefined) throw new InputError(`${name}: a .npy input in memory must be given as bytes`);
  return { kind, file: name, ...held, ...(kind === 'pcf-npy' ? {} : { text: readText() }) };
}

/** A number density stated in a `.gr` header (`numberdensity = …`, `rho0 = …`, atoms/Å³), if any. */
export function statedNumberDensity(text: string): number | undefined {
  const header = text.split(/^#+\s*start data/im)[0];
  const m = /(?:number[\s_-]*density|rho0)\s*[=:]\s*([0-9.eE+-]+)/i.exec(header);
  const value = m ? Number(m[1]) : NaN;
  return value > 0 ? value : undefined;
}
