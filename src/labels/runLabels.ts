import { createHash } from 'node:crypto';
import type { CalculationResult, Calculator } from '../calculators/calculator.js';
import { labelCalculator, labelKind, type EngineContext, type LabelKind } from '../calculators/registry.js';
import { errorMessage } from '../errors.js';
import type { Atoms } from '../structure/atoms.js';
import { hashStructureInto } from '../structure/hash.js';
import { isFailure, type SourceItem } from './sources.js';

/** One finished label: which structure, the calculation's result, how long it took. */
export interface LabelRecord {
  input: string;
  /** Identity of (structure, label kind, engine, settings): equal keys are the same label. */
  key: string;
  kind: LabelKind;
  engine: string;
  settings: Record<string, unknown>;
  /** The structure the label belongs to (the relaxed one when the engine relaxed it first). */
  atoms: Atoms;
  result: CalculationResult;
  seconds: number;
}

/** Where labels go: a store, a shard folder, a JSON array… `has` lets the runner skip labels a sink already holds. */
export interface LabelSink {
  has?(key: string): boolean;
  put(record: LabelRecord): void;
}

/** The key of a label: the structure to the last bit, the kind, the engine and every setting that changes the numbers. */
export function labelKey(atoms: Atoms, kind: string, engine: string, settings: Record<string, unknown>): string {
  const h = hashStructureInto(createHash('sha256'), atoms);
  h.update(`\0${kind}\0${engine}\0${JSON.stringify(settings)}`);
  return h.digest('hex').slice(0, 32);
}

export interface RunLabelsOptions {
  kind: LabelKind;
  /** Engine by name (default: the kind's) and its settings (checked; defaults filled in). */
  engine?: string;
  settings?: Record<string, unknown>;
  /** Instead of engine + settings: a calculator of your own (its name and `settings` then key the labels). */
  calculator?: Calculator;
  context?: EngineContext;
  sources: Iterable<SourceItem>;
  sinks: LabelSink[];
  /** Number of sources, when known (progress). */
  total?: number;
  /** Progress in sources: done (fractional inside a long label) of total. */
  onProgress?: (done: number, total: number) => void;
  onSkipped?: (input: string) => void;
  /** A structure that failed: its name, the message, and the error itself (undefined when the input could not be read). */
  onFailed?: (input: string, message: string, error?: unknown) => void;
  onLabel?: (record: LabelRecord) => void;
}

export interface LabelRunReport {
  labelled: number;
  skipped: number;
  failures: Array<{ input: string; message: string }>;
}

/**
 * The label loop every `label` command and every campaign item runs: for each structure, skip it
 * when a sink already holds its label, else compute the kind's properties with the engine and hand
 * the record to every sink as soon as it is done (so a killed run loses at most the label in hand).
 * A structure that fails is reported with its message and the others go on.
 */
export async function runLabels(options: RunLabelsOptions): Promise<LabelRunReport> {
  const made = options.calculator
    ? { calculator: options.calculator, settings: options.settings ?? {}, engine: options.calculator.name, properties: labelKind(options.kind).properties }
    : labelCalculator(options.kind, options.engine, options.settings ?? {}, options.context);
  const properties = made.properties;
  const report: LabelRunReport = { labelled: 0, skipped: 0, failures: [] };
  const total = options.total ?? 0;
  let index = 0;
  for (const source of options.sources) {
    const at = index++;
    options.onProgress?.(at, total);
    if (isFailure(source)) {
      report.failures.push({ input: source.name, message: source.error });
      options.onFailed?.(source.name, source.error);
      continue;
    }
    const key = labelKey(source.atoms, options.kind, made.engine, made.settings);
    if (options.sinks.some((s) => s.has?.(key))) {
      report.skipped++;
      options.onSkipped?.(source.name);
      continue;
    }
    try {
      const started = performance.now();
      const result = await made.calculator.calculate(source.atoms, properties, { onProgress: (f) => options.onProgress?.(at + f, total) });
      const record: LabelRecord = { input: source.name, key, kind: options.kind, engine: made.engine, settings: made.settings, atoms: result.atoms ?? source.atoms, result, seconds: (performance.now() - started) / 1000 };
      for (const sink of options.sinks) sink.put(record);
      report.labelled++;
      options.onLabel?.(record);
    } catch (error) {
      const message = errorMessage(error);
      report.failures.push({ input: source.name, message });
      options.onFailed?.(source.name, message, error);
    }
  }
  options.onProgress?.(index, total);
  return report;
}
