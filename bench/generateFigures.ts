import { releaseThermalPcf } from '../src/descriptors/releasePcf.js';
import { THERMAL_GRID } from '../src/tasks/modelInput.js';
// Figures of the structure-factory validation (see bench/generateValidate.ts, bench/generate_auc.py):
//   node dist/bench/generateFigures.js PUBLIC_POSCAR_DIR PUBLIC.jsonl WWW_DIR WWW.jsonl QUENCH_DIR QUENCH.jsonl OUTDIR [THERMAL_AUC.json ...]
// writes rings.svg (SP rings per atom by size), gr.svg (mean release-normalised g(r) of each subset
// against the generated sheets) and, per thermal AUC file, its mean g(r) curves; prints the curves' MSE.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomicWrite.js';
import { RING_CATEGORIES } from '../src/generate/rings.js';
import { readPoscar } from '../src/structure/io/poscar.js';
import { lineChart, sideBySide } from '../src/report/svg.js';

interface Row { file: string; id?: number; c_A: number; features: Record<string, number> }
const [publicDir, publicJsonl, wwwDir, wwwJsonl, quenchDir, quenchJsonl, out, ...thermal] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const rows = (f: string): Row[] => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const pub = rows(publicJsonl);
const subsets = [
  { name: 'WWW-3D', public: pub.filter((r) => (r.id as number) <= 2000), generated: rows(wwwJsonl), publicDir, genDir: wwwDir },
  { name: 'quench (flat)', public: pub.filter((r) => (r.id as number) > 2000), generated: rows(quenchJsonl), publicDir, genDir: quenchDir },
];
const x = RING_CATEGORIES.map((_, k) => k + 3);
const meanRings = (rs: Row[]): number[] => RING_CATEGORIES.map((c) => rs.reduce((s, r) => s + r.features[`rings_${c.replace('+', 'plus')}_per_atom`], 0) / rs.length);
const ringCharts = subsets.map((s) =>
  lineChart({ title: `${s.name}: SP rings per atom (12 = 12+)`, xLabel: 'ring size', yLabel: 'rings per atom', series: [
    { name: `public (${s.public.length})`, x, y: meanRings(s.public) },
    { name: `generated (${s.generated.length})`, x, y: meanRings(s.generated), dashed: true },
  ] }),
);
writeFileAtomic(join(out, 'rings.svg'), sideBySide(ringCharts));
const r = Array.from({ length: 100 }, (_, k) => k * 0.1);
const meanGr = (dir: string, files: string[]): Float64Array => {
  const m = new Float64Array(100);
  for (const f of files) {
    const g = releaseThermalPcf(readPoscar(readFileSync(join(dir, f), 'utf8'), f), THERMAL_GRID, f, { round: false });
    for (let k = 0; k < 100; k++) m[k] += g[k] / files.length;
  }
  return m;
};
const mse = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2 / a.length;
  return s;
};
const grCharts = subsets.map((s) => {
  const p = meanGr(s.publicDir, s.public.map((q) => q.file));
  const g = meanGr(s.genDir, readdirSync(s.genDir).filter((f) => f.startsWith('POSCAR_')));
  console.log(JSON.stringify({ subset: s.name, mean_gr_mse: mse(p, g) }));
  return lineChart({ title: `${s.name}: mean g(r), release normalisation`, xLabel: 'r (Å)', yLabel: 'g(r)', series: [
    { name: 'public', x: r, y: p },
    { name: 'generated', x: r, y: g, dashed: true },
  ] });
});
for (const t of thermal) {
  const a = JSON.parse(readFileSync(t, 'utf8')) as { mean_rdf_public: number[]; mean_rdf_generated: number[]; auc: Record<string, { mean: number }> };
  grCharts.push(lineChart({ title: `thermal size (${t.split('/').pop()}): AUC ${a.auc.rdf_0_10A.mean.toFixed(2)}`, xLabel: 'r (Å)', yLabel: 'g(r)', series: [
    { name: 'public phonon set', x: r, y: a.mean_rdf_public },
    { name: 'generated', x: r, y: a.mean_rdf_generated, dashed: true },
  ] }));
}
writeFileAtomic(join(out, 'gr.svg'), sideBySide(grCharts));
console.log(`figures in ${out}: rings.svg, gr.svg`);
