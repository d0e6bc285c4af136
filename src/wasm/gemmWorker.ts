import { workerData } from 'node:worker_threads';
import { gemmKernelsFor, type KernelExports } from './runtime.js';

/**
 * The second core's half of each large GEMM: it waits on the shared control block, runs the same
 * kernel on the same memory for the rows it is given, and signals completion. It exits when the
 * control block names another generation of helper.
 */
const { module, fma, memory, control, generation } = workerData as { module: WebAssembly.Module; fma: WebAssembly.Module | null; memory: WebAssembly.Memory; control: number; generation: number };
const instance = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('wasm kernel abort'); } } });
const k = instance.exports as unknown as KernelExports;
const packed = gemmKernelsFor(memory, k, fma);
const ctl = new Int32Array(memory.buffer, control, 16);
let seen = Atomics.load(ctl, 0);
Atomics.store(ctl, 10, generation);
Atomics.notify(ctl, 10);
for (;;) {
  Atomics.wait(ctl, 0, seen);
  if (Atomics.load(ctl, 9) !== generation) break;
  const seq = Atomics.load(ctl, 0);
  if (seq === seen) continue;
  // Claim the job's half (the main thread may have taken a packed job's half itself). The job is the
  // one posted last, read after the claim: a helper that wakes late for a job the main thread took
  // can meet the next one here, and then runs that one, once.
  if (Atomics.compareExchange(ctl, 12, 0, 1) === 0) {
    const kernel = Atomics.load(ctl, 11);
    if (kernel === 2) packed.cnnGemmTask(ctl[2]);
    else (kernel === 1 ? k.gemmNT : k.gemm)(ctl[2], ctl[3], ctl[4], ctl[5], ctl[6], ctl[7], ctl[8]);
  }
  seen = seq;
  Atomics.store(ctl, 1, seq);
  Atomics.notify(ctl, 1);
}
