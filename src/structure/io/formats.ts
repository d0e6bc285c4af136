import { readFileOrFail } from '../../io/readFile.js';
import { basename } from 'node:path';
import { InputError, ParseError } from '../../errors.js';
import type { Atoms } from '../atoms.js';
import { readExtxyz, writeExtxyz } from './extxyz.js';
import { readLammpsData, writeLammpsData, type LammpsAtomStyle } from './lammpsData.js';
import { readPoscar, writePoscar } from './poscar.js';
import { parseCif } from './cif.js';
import { checkNoOverlaps } from '../overlaps.js';

export interface ReadOptions {
  /** Force a format by name instead of guessing from the file name and content. */
  format?: string;
  /** Species for files that do not name them (VASP 4 POSCAR, LAMMPS data without Masses). */
  species?: readonly string[];
  lammpsStyle?: LammpsAtomStyle;
}

export interface StructureFormat {
  name: string;
  description: string;
  /** File-name patterns (on the base name) that select this format. */
  namePatterns: RegExp[];
  read(text: string, file: string, options: ReadOptions): Atoms[];
  write(frames: readonly Atoms[]): string;
  multiFrame: boolean;
  /** Cheap content test used when the name says nothing. */
  sniff(text: string): boolean;
}

/** One table of formats, as ASE's io/formats.py: look-up by name, by file name, then by content. */
export const FORMATS: readonly StructureFormat[] = [
  {
    name: 'vasp',
    description: 'VASP POSCAR/CONTCAR (VASP 4 and 5)',
    namePatterns: [/^(POSCAR|CONTCAR)/i, /\.(vasp|poscar)$/i],
    read: (text, file, o) => [readPoscar(text, file, { species: o.species })],
    write: (frames) => writePoscar(single(frames, 'vasp')),
    multiFrame: false,
    sniff: (text) => {
      const lines = text.split('\n', 6);
      return lines.length >= 5 && [2, 3, 4].every((k) => /^\s*[-+\d.eE]+\s+[-+\d.eE]+\s+[-+\d.eE]+\s*$/.test(lines[k]));
    },
  },
  {
    name: 'extxyz',
    description: 'extended XYZ, multi-frame (ASE)',
    namePatterns: [/\.(ext)?xyz$/i],
    read: (text, file) => readExtxyz(text, file),
    write: (frames) => writeExtxyz(frames),
    multiFrame: true,
    sniff: (text) => /^\s*\d+\s*\n/.test(text),
  },
  {
    name: 'lammps-data',
    description: 'LAMMPS data file (atomic, charge, molecular, full)',
    namePatterns: [/\.(data|lmp|lammps)$/i, /^data\./i],
    read: (text, file, o) => [readLammpsData(text, file, { style: o.lammpsStyle, typeSymbols: o.species })],
    write: (frames) => writeLammpsData(single(frames, 'lammps-data')),
    multiFrame: false,
    sniff: (text) => /^\s*\d+\s+atoms\s*$/m.test(text) && /^\s*Atoms\b/m.test(text),
  },
  {
    name: 'cif',
    description: 'CIF (read only: cell, symmetry-expanded fractional sites, occupancy 1; one structure per data block)',
    namePatterns: [/\.cif$/i],
    read: (text, file) => parseCif(text, file),
    write: () => {
      throw new InputError('spramnet reads CIF but does not write it; write vasp, extxyz or lammps-data');
    },
    multiFrame: true,
    sniff: (text) => /^\s*data_/m.test(text) && /_cell_length_a/.test(text),
  },
];

function single(frames: readonly Atoms[], format: string): Atoms {
  if (frames.length !== 1) throw new RangeError(`format ${format} holds one structure, got ${frames.length}`);
  return frames[0];
}

export function formatByName(name: string): StructureFormat {
  const format = FORMATS.find((f) => f.name === name);
  if (format === undefined) throw new RangeError(`unknown format "${name}" (known: ${FORMATS.map((f) => f.name).join(', ')})`);
  return format;
}

/** Guess a format from the file name, then from the content. */
export function detectFormat(file: string, text?: string): StructureFormat {
  const base = basename(file);
  const byName = FORMATS.find((f) => f.namePatterns.some((p) => p.test(base)));
  if (byName !== undefined) return byName;
  if (text !== undefined) {
    const byContent = FORMATS.find((f) => f.sniff(text));
    if (byContent !== undefined) return byContent;
  }
  throw new ParseError(file, undefined, `cannot tell the structure format (known: ${FORMATS.map((f) => f.name).join(', ')}); name it with --format`);
}

/** Every structure in a file's text (several for a multi-frame XYZ); each checked for atoms on top of each other. */
export function parseStructures(text: string, file: string, options: ReadOptions = {}): Atoms[] {
  const format = options.format !== undefined ? formatByName(options.format) : detectFormat(file, text);
  const frames = format.read(text, file, options);
  frames.forEach((atoms, k) => checkNoOverlaps(atoms, file, frames.length > 1 ? k : undefined));
  return frames;
}

export function readStructures(file: string, options: ReadOptions = {}): Atoms[] {
  const text = readFileOrFail(file, 'utf8');
  return parseStructures(text, file, options);
}

/** The first (or only) structure of a file. */
export function readStructure(file: string, options: ReadOptions = {}): Atoms {
  return readStructures(file, options)[0];
}

export function formatStructures(frames: readonly Atoms[], format: string): string {
  return formatByName(format).write(frames);
}
