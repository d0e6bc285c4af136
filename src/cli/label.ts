import type { Command } from 'commander';
import { existsSync, rmSync } from 'node:fs';
import { POTENTIAL_HELP, type LabelKind } from '../calculators/registry.js';
import { LabelStore } from '../data/labelStore.js';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { labelJson } from '../labels/labelJson.js';
import { kappaFromThickness } from '../physics/thermal/kappaConvention.js';
import { runLabels, type LabelRecord } from '../labels/runLabels.js';
import { structuresFromFiles } from '../labels/sources.js';
import { EXIT_SOME_FAILED, failureLine, integerOption, numberOption, speciesOption } from './common.js';
import { progressBar } from './progress.js';
import { DEFAULT_MATERIAL, materialByName } from '../materials/material.js';

const MATERIAL_HELP = `material whose default potential (and κ thickness) apply when --potential (--thickness) is not given: carbon (default), boron-nitride = bn, or a material file`;

/** --material: the material's potential (and, for κ, its thickness) unless given; carbon adds nothing, so its settings stay as before. */
function materialDefaults(o: Record<string, unknown>, withThickness: boolean): { potential?: unknown; thickness_A?: unknown } {
  if (o.material === undefined) return {};
  const m = materialByName(o.material as string);
  if (m.name === DEFAULT_MATERIAL) return {};
  return { potential: m.potentials.default, ...(withThickness ? { thickness_A: m.kappa.thickness_A } : {}) };
}

export { POTENTIAL_HELP };

/** A label sub-command: its options and how they become the engine's settings. */
interface LabelCommand {
  kind: LabelKind;
  description: string;
  options(command: Command): Command;
  /** The engine and its settings from the parsed options (undefined values fall back to the engine's defaults). */
  settings(o: Record<string, unknown>): { engine?: string; settings: Record<string, unknown> };
  /** One terminal line per finished label. */
  line(record: LabelRecord): string;
}

const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function meshOption(value: string): [number, number, number] {
  const parts = value.split(/[,x×]/).map(Number);
  if (parts.length !== 3 || !parts.every((p) => Number.isInteger(p) && p >= 1)) throw new InputError(`--mesh must be three whole numbers like 2,2,1, got "${value}"`);
  return parts as [number, number, number];
}

function plateauOption(value: string): [number, number] {
  const p = value.split(',').map(Number);
  if (p.length !== 2 || !p.every(Number.isFinite)) throw new InputError(`--plateau-ps takes t1,t2 in ps, got "${value}"`);
  return [p[0], p[1]];
}

const fixed = (x: number | undefined, digits = 3): string => (x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

const PH_DOS: LabelCommand = {
  kind: 'ph-dos',
  description: 'relax each structure (FIRE), then Γ-point phonons by finite differences: 3N frequencies and the ph-DoS label (1-THz bins over [0, 100) THz, unit sum)',
  options: (c) =>
    c
      .option('--potential <name|file>', POTENTIAL_HELP)
      .option('--material <name>', MATERIAL_HELP)
      .option('--no-relax', 'use the positions as given (forces should already vanish)')
      .option('--cell', 'relaxation: also relax the in-plane lattice vectors a, b (c fixed)')
      .option('--fmax <eV/Å>', 'relaxation: largest force at convergence', numberOption('--fmax'))
      .option('--max-steps <n>', 'relaxation: FIRE step limit', integerOption('--max-steps'))
      .option('--displacement <Å>', 'finite-difference step (≤ 0.002 Å for cells with bonds near the Tersoff cut-off)', numberOption('--displacement'))
      .option('--method <cluster|full>', 'force constants from local clusters (exact for Tersoff and ExTeP, faster) or whole-cell displacements'),
  settings: (o) => ({ settings: defined({ potential: o.potential ?? materialDefaults(o, false).potential, relax: o.relax, cell: o.cell, fmax_eV_A: o.fmax, max_steps: o.maxSteps, displacement_A: o.displacement, method: o.method }) }),
  line: (r) => {
    const f = r.result.properties.frequencies_THz!;
    const outside = f.filter((x) => !(x >= 0 && x < 100)).length;
    const shell = r.result.extra?.switchingShell as { pairs_in_shell: number; pairs_at_edge: number } | undefined;
    const pairs = shell ? `; ${shell.pairs_in_shell} pair(s) in the potential's switching shell, ${shell.pairs_at_edge} at its edges` : '';
    return `${r.input}: ${f.length} modes, lowest ${f[0].toFixed(3)} THz, highest ${f[f.length - 1].toFixed(3)} THz, ${outside} outside [0, 100) THz${pairs}`;
  },
};

const KAPPA: LabelCommand = {
  kind: 'kappa',
  description: 'lattice thermal conductivity κ (W/m·K, in-plane xx, yy) by Green–Kubo or HNEMD MD; V = area × thickness',
  options: (c) =>
    c
      .option('--potential <name|file>', POTENTIAL_HELP)
      .option('--material <name>', MATERIAL_HELP)
      .option('--method <gk|hnemd>', 'Green–Kubo (NVE) or homogeneous non-equilibrium MD (default gk)')
      .option('--temperature <K>', 'temperature (default 300)', numberOption('--temperature'))
      .option('--engine <builtin|lammps>', 'built-in MD or serial LAMMPS (Green–Kubo only); default builtin')
      .option('--runs <r>', 'independent runs (velocity seeds); HNEMD does r runs per direction (default 3)', integerOption('--runs'))
      .option('--seed <s>', 'seed of the first run (default 1)', integerOption('--seed'))
      .option('--timestep-fs <fs>', 'time step (default 0.5)', numberOption('--timestep-fs'))
      .option('--equilibration-ps <ps>', 'NVT equilibration per run (default 10)', numberOption('--equilibration-ps'))
      .option('--production-ps <ps>', 'production per run (default 50)', numberOption('--production-ps'))
      .option('--correlation-ps <ps>', 'GK: longest correlation time (default 2)', numberOption('--correlation-ps'))
      .option('--plateau-ps <t1,t2>', 'GK: plateau window, mean of κ(t) over [t1, t2] (default: second half of the correlation time)', plateauOption)
      .option('--driving-force <per_A>', 'HNEMD: F_e in 1/Å (default 1e-3)', numberOption('--driving-force'))
      .option('--thickness <A>', 'sheet thickness for the volume (default 3.35)', numberOption('--thickness'))
      .option('--per-atom-virial <centroid|third>', 'built-in heat current: centroid virials, or the stress/atom share LAMMPS 2021 uses for Tersoff (default centroid)')
      .option('--checkpoint-dir <dir>', 'keep finished runs of each input here; a restarted command skips them'),
  settings: (o) => ({
    engine: o.engine as string | undefined,
    settings: defined({
      potential: o.potential ?? materialDefaults(o, true).potential,
      method: o.method,
      temperature_K: o.temperature,
      runs: o.runs,
      seed: o.seed,
      timestep_fs: o.timestepFs,
      equilibration_ps: o.equilibrationPs,
      production_ps: o.productionPs,
      correlation_ps: o.correlationPs,
      plateau_ps: o.plateauPs,
      driving_force_per_A: o.drivingForce,
      thickness_A: o.thickness ?? materialDefaults(o, true).thickness_A,
      per_atom_virial: o.perAtomVirial,
    }),
  }),
  line: (r) => {
    const k = r.result.properties.kappa_W_mK!;
    const e = (r.result.extra?.stderr_W_mK ?? {}) as { xx?: number; yy?: number; mean?: number };
    const x = r.result.extra ?? {};
    // the mean in the conventions predict prints: the sheet conductance κ·t and the public labels' κ
    const c = Number.isFinite(k.mean) && Number(x.thickness_A) > 0 ? kappaFromThickness(k.mean, Number(x.thickness_A)) : undefined;
    const conventions = c ? `; sheet conductance κ·t ${c.sheet_conductance_W_K.toPrecision(3)} W/K; in the public labels' convention ${c.W_mK.toPrecision(3)} W/(m·K)` : '';
    return `${r.input}: κ ${String(x.method)} (${r.engine}) xx ${fixed(k.xx)} ± ${fixed(e.xx)}, yy ${fixed(k.yy)} ± ${fixed(e.yy)}, mean ${fixed(k.mean)} ± ${fixed(e.mean)} W/(m·K) (thickness ${String(x.thickness_A)} Å, ${(x.runs as unknown[] | undefined)?.length ?? 0} runs)${conventions}`;
  },
};

function electronic(kind: 'el-dos' | 'sigma', description: string, line: (r: LabelRecord) => string): LabelCommand {
  return {
    kind,
    description,
    options: (c) =>
      c
        .option('--engine <name>', `tb (exact diagonalisation on a k-mesh; default), tb-kpm (linear-scaling KPM)${kind === 'el-dos' ? ', gpaw (DFT)' : ''}, or a registered engine`)
        .option('--model <name>', 'π model: pi-normals (p orbitals on local normals, for buckled sheets) or pi-flat')
        .option('--material <name>', 'the el-DoS window of this material (tb, tb-kpm: and its π model, on-site energies and hoppings): carbon (default), boron-nitride = bn, or a material file')
        .option('--mesh <n1,n2,n3>', 'tb, gpaw: Monkhorst–Pack mesh, Γ-centred (tb default 2,2,1)', meshOption)
        .option('--klength <Å>', 'tb: automatic mesh N_i = max(1, round(l/width_i)) instead of --mesh', numberOption('--klength'))
        .option('--moments <n>', 'tb-kpm: Chebyshev moments (default 7a/σ)', integerOption('--moments'))
        .option('--vectors <n>', 'tb-kpm: random-phase vectors', integerOption('--vectors'))
        .option('--seed <n>', 'tb-kpm: random seed', integerOption('--seed'))
        .option('--min-atoms <n>', 'tb-kpm: repeat small cells to at least this many atoms', integerOption('--min-atoms')),
    settings: (o) => {
      const engine = (o.engine as string | undefined) ?? 'tb';
      const settings =
        engine === 'tb-kpm'
          ? { model: o.model, material: o.material, moments: o.moments, vectors: o.vectors, seed: o.seed, min_atoms: o.minAtoms }
          : engine === 'gpaw'
            ? { mesh: o.mesh, material: o.material }
            : { model: o.model, material: o.material, mesh: o.mesh, k_length_A: o.klength };
      return { engine, settings: defined(settings) };
    },
    line,
  };
}

const EL_DOS = electronic('el-dos', 'electronic DoS label: per atom, E − E_F ∈ [−2, 2] eV step 0.05 (a material\'s own window with --material), Gaussian σ = 0.05 eV (π tight binding, or GPAW)', (r) => {
  const { energy_eV, dos } = r.result.properties.el_dos!;
  const atFermi = energy_eV.findIndex((e) => Math.abs(e) < 1e-9);
  return `${r.input}: E_F ${fixed(r.result.extra?.fermi_eV as number | undefined)} eV, dos(E_F) ${atFermi >= 0 ? dos[atFermi].toFixed(4) : '—'} /eV/atom, max ${Math.max(...dos).toFixed(4)}`;
});

const SIGMA = electronic('sigma', 'conductivity σ_xx, σ_yy by Kubo–Greenwood (tb: at ħω₁ = 0.0169 eV, Lorentzian η = 0.1 eV; tb-kpm: DC, Gaussian 0.05 eV)', (r) => {
  const s = r.result.properties.sigma_S_m!;
  const g = r.result.properties.sheet_conductance_S!;
  return `${r.input}: σ xx ${s.xx.toPrecision(4)} yy ${s.yy.toPrecision(4)} S/m, sheet xx ${g.xx.toPrecision(4)} yy ${g.yy.toPrecision(4)} S`;
});

/** One `label <kind>` command: parse, run the library's label loop over every frame of every file, print. */
function registerLabelCommand(parent: Command, spec: LabelCommand): void {
  spec
    .options(parent.command(spec.kind).description(spec.description).argument('<files...>', 'structure files (POSCAR/CONTCAR, extended XYZ with every frame, LAMMPS data)'))
    .option('--format <name>', 'structure format instead of guessing')
    .option('--species <list>', 'species for structure files that do not name them, comma-separated', speciesOption)
    .option('--json', 'print the JSON array of labels')
    .option('--out <file>', 'write the JSON array to this file (atomically; not written when no input gave a label)')
    .option('--db <file.db>', 'also keep each label in this store (ASE db, the schema train reads), committed as it is done; labels already there are skipped')
    .action(async (files: string[], o: Record<string, unknown>) => {
      const { engine, settings } = spec.settings(o);
      const createdDb = o.db !== undefined && !existsSync(o.db as string);
      const store = o.db === undefined ? undefined : new LabelStore(o.db as string);
      const records: Record<string, unknown>[] = [];
      const bar = progressBar(100 * files.length, spec.kind);
      // On a terminal the bar owns stderr: messages wait until it ends; in pipes they go at once.
      const held: Array<() => void> = [];
      const say = (fn: () => void): void => (process.stderr.isTTY ? void held.push(fn) : fn());
      let report;
      try {
        report = await runLabels({
          kind: spec.kind,
          engine,
          settings,
          context: { workDir: o.checkpointDir as string | undefined },
          sources: structuresFromFiles(files, { format: o.format as string | undefined, species: o.species as string[] | undefined }),
          sinks: [...(store ? [store] : []), { put: (r) => void records.push(labelJson(r)) }],
          total: files.length,
          onProgress: (done) => bar.update(Math.min(100 * files.length, Math.round(100 * done))),
          onSkipped: (input) => say(() => console.error(`${input}: already in ${String(o.db)}, skipped`)),
          onFailed: (input, message) => say(() => console.error(`error: ${failureLine(input, message)}`)),
          onLabel: (r) => {
            if (!o.json) say(() => console.log(spec.line(r)));
          },
        });
      } finally {
        bar.stop();
        store?.close();
        for (const fn of held) fn();
      }
      // a store this command created and filled with nothing is not left behind
      if (createdDb && report.labelled === 0) rmSync(o.db as string, { force: true });
      const json = JSON.stringify(records);
      if (o.out !== undefined && report.labelled > 0) writeFileAtomic(o.out as string, json + '\n');
      if (o.json) console.log(json);
      if (report.failures.length > 0) {
        console.error(`${report.failures.length} of ${report.labelled + report.skipped + report.failures.length} input(s) failed${o.out !== undefined && report.labelled === 0 ? `; ${String(o.out)} not written` : ''}`);
        process.exitCode = EXIT_SOME_FAILED;
      }
    });
}

/** `spramnet label …`: compute property labels with the registered engines, one sub-command per label kind. */
export function registerLabel(program: Command): void {
  const label = program.command('label').description('compute property labels of structures with the built-in engines (every frame of every file)');
  for (const spec of [PH_DOS, KAPPA, EL_DOS, SIGMA]) registerLabelCommand(label, spec);
}
