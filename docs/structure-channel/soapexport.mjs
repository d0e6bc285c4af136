const D = '/work/wt-accuracy/dist/src/';
const { atomPowerSpectra, atomPowerSpectraReference, soapLength } = await import(D + 'descriptors/soap.js');
const { AseDatabase } = await import(D + 'data/aseDb.js');
const { writeNpy } = await import(D + 'io/npy.js');
const store = new AseDatabase('/work/data/amc.db', { mustExist: true });
const rows = store.select({ set: 'electron' }).filter((r) => r.atoms !== undefined);
store.close();
const a = rows[0].atoms;
const fast = atomPowerSpectra(a, { rCut_A: 5, nMax: 4, lMax: 4, width_A: 0.5 });
const ref = atomPowerSpectraReference(a, { rCut_A: 5, nMax: 4, lMax: 4, width_A: 0.5 });
let m = 0; for (let k = 0; k < fast.length; k++) m = Math.max(m, Math.abs(fast[k] - ref[k]));
console.log('fast vs reference max diff', m);
for (const [tag, s] of [["b", { rCut_A: 5, nMax: 6, lMax: 6, width_A: 0.5 }], ["c", { rCut_A: 4, nMax: 6, lMax: 6, width_A: 0.4 }]]) {
  const w = soapLength(s);
  const mean = new Float64Array(rows.length * w), second = new Float64Array(rows.length * w);
  const t0 = Date.now(); let atomsTotal = 0;
  const perAtom = [];
  rows.forEach((r, k) => {
    const p = atomPowerSpectra(r.atoms, s);
    const n = r.atoms.length; atomsTotal += n;
    for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) { const v = p[i * w + j]; mean[k * w + j] += v / n; second[k * w + j] += v * v / n; }
    if (tag === "b") perAtom.push(Float32Array.from(p));
    if (k % 600 === 0) console.log(tag, k, (Date.now() - t0) / 1000);
  });
  console.log(tag, 'seconds per structure', (Date.now() - t0) / 1000 / rows.length);
  writeNpy(`/tmp/acc/soap-${tag}-mean.npy`, { data: mean, shape: [rows.length, w] });
  writeNpy(`/tmp/acc/soap-${tag}-second.npy`, { data: second, shape: [rows.length, w] });
  if (tag === 'b') {
    const all = new Float32Array(atomsTotal * w); let o = 0; for (const p of perAtom) { all.set(p, o); o += p.length; }
    writeNpy(`/tmp/acc/soap-${tag}-atoms.npy`, { data: all, shape: [atomsTotal, w] });
    writeNpy(`/tmp/acc/soap-${tag}-counts.npy`, { data: Float64Array.from(rows, (r) => r.atoms.length), shape: [rows.length] });
  }
}
writeNpy('/tmp/acc/soap-ids.npy', { data: Float64Array.from(rows, (r) => r.id), shape: [rows.length] });
