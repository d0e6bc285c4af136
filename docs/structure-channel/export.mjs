// Export the task data and the fold splits that `experiment folds` uses, for numpy prototyping.
import { writeFileSync } from 'node:fs';
const D = '/work/wt-accuracy/dist/src/';
const { taskSpec } = await import(D + 'tasks/taskSpec.js');
await import(D + 'tasks/taskTable.js');
const { loadTaskData } = await import(D + 'tasks/taskData.js');
const { modelInputFor } = await import(D + 'tasks/train.js');
const { splitRows, kFold } = await import(D + 'data/splits.js');
const { writeNpy } = await import(D + 'io/npy.js');
const { AseDatabase } = await import(D + 'data/aseDb.js');
const db = '/work/data/amc.db';
const out = '/tmp/acc/';
const save = (name, data, shape) => writeNpy(out + name + '.npy', { data, shape, dtype: data instanceof Int32Array ? '<i4' : '<f8' });
function splits(name, count) {
  const s = {};
  for (const seed of [0, 1, 2, 3, 4]) {
    const sp = splitRows(count, seed, 0.1);
    const hold = kFold(sp.train.length, 10, seed + 1)[0];
    s[seed] = { train: Array.from(sp.train), validation: Array.from(sp.validation), holdOutPositions: Array.from(hold) };
  }
  writeFileSync(out + name + '-splits.json', JSON.stringify(s));
}
for (const [task, desc] of [['el-dos', 'pcf+adf+env'], ['sigma', 'pcf+adf+env'], ['ph-dos', undefined], ['kappa', undefined]]) {
  const spec = taskSpec(task);
  const data = loadTaskData(db, spec, modelInputFor(spec, desc));
  save(`${task}-x`, data.x, [data.count, data.channels * data.length]);
  save(`${task}-y`, data.y, [data.count, data.outputs]);
  save(`${task}-ids`, Int32Array.from(data.ids), [data.count]);
  if (data.scales) save(`${task}-scales`, data.scales, [data.count]);
  splits(task, data.count);
  console.log(task, data.count, data.channels, data.length);
}
// structures of the electron set, and the kappa → phonon mapping
const store = new AseDatabase(db, { mustExist: true });
const rows = store.select({ set: 'electron' }).filter((r) => r.atoms !== undefined);
const structs = rows.map((r) => ({ id: r.id, n: r.atoms.length, pos: Array.from(r.atoms.positions), cell: Array.from(r.atoms.cell), source: r.keyValues.source }));
writeFileSync(out + 'electron-structures.json', JSON.stringify(structs));
const kap = store.select({ set: 'kappa' }).map((r) => ({ id: r.id, release_id: r.keyValues.release_id, phonon_id: r.keyValues.phonon_id }));
const ph = store.select({ set: 'phonon' }).map((r) => ({ id: r.id, release_id: r.keyValues.release_id, has_dos: r.data.ph_dos !== undefined }));
writeFileSync(out + 'thermal-map.json', JSON.stringify({ kappa: kap, phonon: ph }));
store.close();
