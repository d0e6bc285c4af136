/** Correlation coefficients the validation benches report (tbValidate, storeAgreement, phononShell). */

/** Pearson's r of two equally long series. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const m = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < m; k++) {
    ma += a[k] / m;
    mb += b[k] / m;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < m; k++) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) ** 2;
    sbb += (b[k] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Ranks from 0, ties given their mean rank. */
export function ranks(a: readonly number[]): number[] {
  const order = a.map((_, k) => k).sort((x, y) => a[x] - a[y]);
  const r = new Array<number>(a.length);
  for (let q = 0; q < order.length; ) {
    let e = q;
    while (e + 1 < order.length && a[order[e + 1]] === a[order[q]]) e++;
    for (let z = q; z <= e; z++) r[order[z]] = (q + e) / 2;
    q = e + 1;
  }
  return r;
}

/** Spearman's ρ: Pearson's r of the ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}
