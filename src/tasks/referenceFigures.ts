
/**
 * The reference run's test figures (../shared/docs/reference.json: the paper's models trained on the
 * shared ids, scored on the held-back ones), copied so a model card can say how it compares without
 * the shared folder. Lower is better for every figure listed under `lower`, higher for `higher`.
 */
export interface ReferenceFigures {
  lower: Record<string, number>;
  higher: Record<string, number>;
}

export const REFERENCE_FIGURES: Record<string, ReferenceFigures> = {
  'el-dos': { lower: { mse: 0.0009190841810777783 }, higher: {} },
  'el-dos+adf': { lower: { mse: 0.0009332269546575844 }, higher: {} },
  sigma: {
    lower: { xx_rmse: 60.48369866550419, yy_rmse: 70.2815108572381 },
    higher: { xx_within25: 0.8525, yy_within25: 0.8175, xx_r2: 0.8623191119262524, yy_r2: 0.8212178754243 },
  },
  'ph-dos': { lower: { mse: 4.64618580053866e-7 }, higher: {} },
  kappa: { lower: { log10Mae: 0.10634791851043701 }, higher: { withinFactor2: 0.9240506329113924 } },
};

export interface ReferenceComparison {
  figure: string;
  ours: number;
  reference: number;
  /** In words: the error reduction (or increase) in % for error figures, the gain in points for shares, the R² difference. */
  better_by: string;
  beats: boolean;
}

/** Each reference figure next to a card's validation figure. */
export function compareToReference(ref: ReferenceFigures | undefined, validation: Record<string, number>): ReferenceComparison[] {
  if (ref === undefined) return [];
  const rows: ReferenceComparison[] = [];
  for (const [figure, reference] of Object.entries(ref.lower)) {
    const ours = validation[figure];
    if (ours === undefined) continue;
    const change = ((reference - ours) / reference) * 100;
    rows.push({ figure, ours, reference, better_by: change >= 0 ? `${change.toFixed(1)} % lower error` : `${(-change).toFixed(1)} % higher error`, beats: ours < reference });
  }
  for (const [figure, reference] of Object.entries(ref.higher)) {
    const ours = validation[figure];
    if (ours === undefined) continue;
    const diff = ours - reference;
    rows.push({ figure, ours, reference, better_by: figure.endsWith('_r2') ? `${diff >= 0 ? '+' : ''}${diff.toFixed(3)} R²` : `${diff >= 0 ? '+' : ''}${(diff * 100).toFixed(1)} points`, beats: ours > reference });
  }
  return rows;
}
