/**
 * Cost of the soap channel (the mean atom-centred power spectrum, soap.ts) per structure, against
 * the descriptors the shipped structure models compute today (g2d, g3d, ADF, environment; every
 * periodic image), on the same example structures in the same process. CPU time (process.cpuUsage),
 * not wall time: the machine is shared. Prints one JSON line.
 * usage: node dist/bench/soap.js [repeats]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, REFERENCE_SPEC } from '../src/descriptors/featurize.js';
import { SOAP_DEFAULTS, soapChannel } from '../src/descriptors/soap.js';
import { readStructure } from '../src/structure/io/formats.js';

const repeats = Number(process.argv[2] ?? 5);
const dir = join(process.cwd(), 'examples');
const structures = readdirSync(dir).filter((f) => f.startsWith('POSCAR')).map((f) => readStructure(join(dir, f)));
const today = { ...REFERENCE_SPEC, images: 'all' as const, environment: true };

function cpuSeconds(work: () => void): number {
  work(); // warm-up: JIT
  const best: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    best.push((used.user + used.system) / 1e6);
  }
  return Math.min(...best) / structures.length;
}

const descriptors = cpuSeconds(() => structures.forEach((a) => describe(a, today)));
const soap = cpuSeconds(() => structures.forEach((a) => soapChannel(a)));
const atoms = structures.reduce((s, a) => s + a.length, 0) / structures.length;
console.log(JSON.stringify({ bench: 'soap-channel', structures: structures.length, mean_atoms: atoms, settings: SOAP_DEFAULTS, soap_ms_per_structure: soap * 1e3, descriptors_today_ms_per_structure: descriptors * 1e3, ratio_soap_to_today: soap / descriptors }));
