/**
 * What the web API returns for one input: the JSON of `spramnet predict --json`, with the fields
 * other issues add (90 % intervals and bands, the domain verdict, sheet conductance) optional, and
 * two optional extras the page asks for with `?extras=1`: the input's own descriptors and, for a
 * structure, its atoms for the 3D view. Type-only: the page's browser modules import it too.
 */
export type Interval = [number, number];

/** Pointwise lower and upper curve of a 90 % band, on the spectrum's own grid. */
export interface Band {
  low: number[];
  high: number[];
}

export interface DomainVerdict {
  in_domain: boolean;
  /** 0–1: how typical the input is of the training data. */
  score: number;
  reasons: string[];
}

/** What `predict --json` gives: S and units of e²/h, intervals per key. */
export interface PredictedSheetConductance {
  xx_S: number;
  yy_S: number;
  xx_e2_h: number;
  yy_e2_h: number;
  interval90?: Record<string, [number, number]>;
}

/** In-plane conductance of the sheet per square, S (σ·c). */
export interface SheetConductance {
  xx: number;
  yy: number;
  interval90?: { xx: Interval; yy: Interval };
}

export interface WebDescriptors {
  /** What `g` is: the structure's g(r) as computed here, or the uploaded g(r) as read. */
  g_source: string;
  r_A: number[];
  g: number[];
  /** Bond-angle distribution (structures only): fraction of angles per 2° bin. */
  adf_deg?: number[];
  adf?: number[];
}

export interface WebStructure {
  symbols: string[];
  /** x0 y0 z0 x1 … in Å. */
  positions_A: number[];
  /** Rows a, b, c in Å. */
  cell_A: number[];
  pbc: boolean[];
}

export interface WebPrediction {
  input: string;
  /** The material predicted for (predict.ts Prediction.material). */
  material?: string | null;
  /** Frame of a multi-frame input, when predictions are per frame. */
  frame?: number;
  el_dos?: { energy_eV: number[]; dos: number[]; band90?: Band };
  sigma?: { xx: number; yy: number; interval90?: { xx: Interval; yy: Interval } };
  /** predict gives PredictedSheetConductance; read through sheetConductanceOf (csv.ts). */
  sheet_conductance?: SheetConductance;
  /** The spelling of the Calculator contract (units in the name); read as `sheet_conductance`. */
  sheet_conductance_S?: SheetConductance;
  ph_dos?: { frequency_THz: number[]; dos: number[]; band90?: Band };
  /** W_mK in the public labels' convention; W_mK_3p35A and the sheet conductance κ·t beside it (predict's kappa entry). */
  kappa?: { W_mK: number; interval90?: Interval; W_mK_3p35A?: number; W_mK_3p35A_interval90?: Interval; sheet_conductance_W_K?: number; sheet_conductance_W_K_interval90?: Interval };
  domain?: DomainVerdict;
  error?: string;
  descriptors?: WebDescriptors;
  structure?: WebStructure;
}
