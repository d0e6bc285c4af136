/**
 * The one place the web server touches the prediction library (so it can be re-pointed when
 * predict's internals move). Uploads are predicted from memory: each structure is parsed once
 * (its atom count checked, then the parsed frames handed to predict and to the page's extras),
 * a g(r) is handed over as its bytes; nothing touches the disk. The upload's base name selects
 * the format, as a file name would, and names it in every message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  angularDistribution,
  DEFAULT_ADF_GRID,
  classifyInput,
  Grid,
  loadModelSets,
  pairCorrelation,
  parseMeasuredPcf,
  parseNpy,
  parseStructures,
  predictInputs,
  THERMAL_GRID,
  type Atoms,
  type ModelSets,
} from '../index.js';
import { errorMessage } from '../errors.js';
import type { InputSource } from '../inputs/detect.js';
import type { WebDescriptors, WebPrediction, WebStructure } from './types.js';

/** Model sets by material: each upload goes to its material's models. */
export type WebModels = ModelSets;

/** The models of the folders given (one per material). */
export function loadWebModels(dirs: readonly string[]): WebModels {
  return loadModelSets(dirs);
}

/** The model cards (`*.card.json`) of a model folder, parsed, in file-name order. */
export function modelCards(dir: string): unknown[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.card.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
}

export interface Upload {
  /** The name the client gave (any directories are dropped). */
  name: string;
  bytes: Uint8Array;
}

export interface PredictUploadsOptions {
  /** A structure with more atoms than this is not predicted: its entry carries an error. */
  maxAtoms: number;
  /** Add `descriptors` (the input's g(r), ADF) and `structure` (atoms for the 3D view). */
  extras?: boolean;
}

/** Atoms above this are not sent to the 3D view (the page would crawl); the numbers still come. */
const MAX_VIEW_ATOMS = 20000;
/** The g(r) shown for a structure: 160 bins over [0, 8) Å, quasi-2D normalisation (→ 1 at large r for flat and buckled sheets). */
const viewPcfGrid = () => new Grid(0, 8, 160);

/** A safe base name: no directories, no control characters, not empty, not a dot name. */
export function safeBaseName(name: string, index: number): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(-200);
  return base === '' || base === '.' || base === '..' ? `upload-${index + 1}` : base;
}

/** Same decision as predict makes (one table: inputs/detect.ts). */
function isStructure(name: string, bytes: Uint8Array): boolean {
  return classifyInput(name, () => Buffer.from(bytes.subarray(0, 4096)).toString('utf8')) === 'structure';
}

interface Checked {
  frames?: Atoms[];
  error?: string;
}

function checkStructure(name: string, text: string, maxAtoms: number): Checked {
  let frames: Atoms[];
  try {
    frames = parseStructures(text, name);
  } catch (error) {
    return { error: errorMessage(error) };
  }
  const largest = Math.max(...frames.map((a) => a.length));
  if (largest > maxAtoms) return { error: `${name}: ${largest} atoms, more than this server accepts (--max-atoms ${maxAtoms})` };
  return { frames };
}

function structureExtras(atoms: Atoms, name: string): { descriptors?: WebDescriptors; structure?: WebStructure } {
  const out: { descriptors?: WebDescriptors; structure?: WebStructure } = {};
  try {
    const grid = viewPcfGrid();
    const g = pairCorrelation(atoms, { kind: 'quasi2d', grid, file: name });
    const adf = angularDistribution(atoms, { file: name });
    out.descriptors = {
      g_source: 'g(r) of the structure (quasi-2D normalisation)',
      r_A: Array.from(grid.centres()),
      g: Array.from(g),
      adf_deg: Array.from(DEFAULT_ADF_GRID.centres()),
      adf: Array.from(adf),
    };
  } catch {
    // descriptors are a courtesy of the page; the prediction (or its error) stands on its own
  }
  if (atoms.length <= MAX_VIEW_ATOMS) {
    out.structure = { symbols: atoms.symbols, positions_A: Array.from(atoms.positions), cell_A: Array.from(atoms.cell), pbc: [...atoms.pbc] };
  }
  return out;
}

function pcfExtras(name: string, bytes: Uint8Array): { descriptors?: WebDescriptors } {
  try {
    if (name.endsWith('.npy')) {
      const g = parseNpy(bytes, name).data;
      const r_A = Array.from({ length: g.length }, (_, k) => THERMAL_GRID.start_A + (k + 0.5) * THERMAL_GRID.step_A);
      return { descriptors: { g_source: 'uploaded g(r) (.npy, 0.1 Å bins)', r_A, g: Array.from(g) } };
    }
    const m = parseMeasuredPcf(Buffer.from(bytes).toString('utf8'), name, { kind: 'text' });
    return { descriptors: { g_source: 'uploaded g(r)', r_A: Array.from(m.r_A), g: Array.from(m.g) } };
  } catch {
    return {};
  }
}

/**
 * Predict every upload; the result has one entry per upload, in order, with `input` = its name.
 * A file that cannot be read, or has too many atoms, gets `error`; the others are predicted.
 */
export function predictUploads(uploads: readonly Upload[], models: WebModels, options: PredictUploadsOptions): WebPrediction[] {
  const names = uploads.map((u, k) => safeBaseName(u.name, k));
  const sources: InputSource[] = [];
  const which: number[] = [];
  const results: WebPrediction[] = names.map((input) => ({ input }));
  const checked: Checked[] = uploads.map((u, k) => {
    const text = isStructure(names[k], u.bytes) ? Buffer.from(u.bytes.buffer, u.bytes.byteOffset, u.bytes.byteLength).toString('utf8') : undefined;
    const c: Checked = text === undefined ? {} : checkStructure(names[k], text, options.maxAtoms);
    if (c.error !== undefined) results[k] = { input: names[k], error: c.error };
    else {
      sources.push(c.frames ? { name: names[k], frames: c.frames } : { name: names[k], bytes: u.bytes });
      which.push(k);
    }
    return c;
  });
  // one entry per upload: a multi-frame structure's frames come back as file@index, the first is shown
  const predicted = sources.length ? (predictInputs(sources, models) as WebPrediction[]) : [];
  let at = 0;
  which.forEach((k) => {
    const frames = checked[k].frames?.length ?? 1;
    const entry: WebPrediction = { ...predicted[at], input: names[k] };
    at += frames;
    if (entry.error === undefined && options.extras) Object.assign(entry, checked[k].frames ? structureExtras(checked[k].frames![0], names[k]) : pcfExtras(names[k], uploads[k].bytes));
    results[k] = entry;
  });
  return results;
}
