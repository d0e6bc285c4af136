import { InputError } from '../errors.js';
import { permutation, seededRandom } from '../util/random.js';

/** k folds of a seeded shuffle: fold i is the validation rows of split i. */
export function kFold(n: number, k: number, seed = 0): Int32Array[] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new InputError(`k-fold needs 2 ≤ k ≤ ${n} rows, got k = ${k}`);
  const order = permutation(n, seededRandom(seed));
  return Array.from({ length: k }, (_, i) => order.filter((_, m) => m % k === i).sort());
}

/** The rows not in a fold, increasing. */
export function complement(n: number, fold: Int32Array): Int32Array {
  const inFold = new Uint8Array(n);
  for (const r of fold) inFold[r] = 1;
  return Int32Array.from({ length: n }, (_, i) => i).filter((i) => inFold[i] === 0);
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
}

/** A seeded split of the rows: validation = fold 0 of round(1/fraction) folds (what `spramnet train` draws). */
export function splitRows(count: number, seed: number, fraction: number): Split {
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`the validation fraction must lie in (0, 1), got ${fraction}`);
  const validation = kFold(count, Math.max(2, Math.round(1 / fraction)), seed)[0];
  return { train: complement(count, validation), validation };
}

/**
 * splitRows within each group (a row's origin: the public release, a campaign…) separately, so
 * every group sits in training and validation in proportion and the validation figures can be
 * given per group. With one group this is splitRows exactly (the shipped models' split).
 */
export function splitRowsByGroup(groups: readonly string[], seed: number, fraction: number): Split {
  const names = [...new Set(groups)];
  if (names.length <= 1) return splitRows(groups.length, seed, fraction);
  const train: number[] = [];
  const validation: number[] = [];
  for (const name of names) {
    const members = groups.flatMap((g, k) => (g === name ? [k] : []));
    if (members.length < 2) {
      train.push(...members);
      continue;
    }
    const s = splitRows(members.length, seed, fraction);
    for (const k of s.train) train.push(members[k]);
    for (const k of s.validation) validation.push(members[k]);
  }
  const sorted = (a: number[]) => Int32Array.from(a.sort((x, y) => x - y));
  return { train: sorted(train), validation: sorted(validation) };
}
