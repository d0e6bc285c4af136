import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { CHUNK, CONTROL, OP } from './eigenHelper.js';
import type { LinalgKernels } from './linalgKernels.js';

/**
 * The second core of the eigensolver (eigenHelper.ts): it waits for a job on the shared control
 * block, claims chunks of it while any are left and runs the kernel on their rows of the attached
 * memory. Between the jobs of a reduction (microseconds to milliseconds apart) it spins briefly,
 * then sleeps.
 */
const { control, port, module } = workerData as { control: SharedArrayBuffer; port: MessagePort; module: WebAssembly.Module };
const ctl = new Int32Array(control);
const SPIN = 20_000;
let k: LinalgKernels | null = null;
let memory: WebAssembly.Memory | null = null;
let attached = 0;
let seen = Atomics.load(ctl, CONTROL.job);
Atomics.store(ctl, CONTROL.ready, 1);
Atomics.notify(ctl, CONTROL.ready);

/** The kernels on the memory of `generation` (its message was posted before any of its jobs). */
function kernelsOf(generation: number): LinalgKernels {
  while (attached !== generation || k === null) {
    const message = receiveMessageOnPort(port);
    if (message === undefined) throw new Error(`the memory of reduction ${generation} was not sent`);
    const data = message.message as { generation: number; memory: WebAssembly.Memory };
    if (data.generation !== generation) continue;
    k = new WebAssembly.Instance(module, { env: { memory: data.memory } }).exports as unknown as LinalgKernels;
    memory = data.memory;
    attached = generation;
  }
  return k;
}

function runChunk(op: number, r0: number, r1: number): void {
  const arg = (i: number): number => ctl[CONTROL.args + i];
  const kernels = kernelsOf(ctl[CONTROL.generation]);
  if (op === OP.syr2k) kernels.syr2kRows(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), r0, r1);
  else if (op === OP.reflect) kernels.applyReflectors(arg(0), arg(1), arg(2), arg(3), r0, r1);
  else throw new Error(`unknown kernel ${op}`);
}

for (;;) {
  let seq = Atomics.load(ctl, CONTROL.job);
  for (let spin = 0; seq === seen && spin < SPIN; spin++) seq = Atomics.load(ctl, CONTROL.job);
  if (seq === seen) {
    Atomics.wait(ctl, CONTROL.job, seen);
    continue;
  }
  seen = seq;
  if (ctl[CONTROL.op] === OP.release) {
    k = null;
    memory = null;
    attached = 0;
    continue;
  }
  if (ctl[CONTROL.op] === OP.symv) {
    speculativeSymv(seq);
    continue;
  }
  // Claim chunks tagged with this job; a stale tag means the main thread has moved on.
  for (;;) {
    const c = Atomics.load(ctl, CONTROL.claim);
    if (c >>> 8 !== seq) break;
    const i = c & 0xff;
    if (i >= ctl[CONTROL.chunks]) break;
    if (Atomics.compareExchange(ctl, CONTROL.claim, c, c + 1) !== c) continue;
    // the job cannot end (nor its arguments change) while this chunk is unfinished
    try {
      runChunk(ctl[CONTROL.op], ctl[CONTROL.bounds + i], ctl[CONTROL.bounds + i + 1]);
      Atomics.add(ctl, CONTROL.helperChunks, 1);
    } catch {
      Atomics.store(ctl, CONTROL.error, 1);
    }
    Atomics.add(ctl, CONTROL.finished, 1);
    Atomics.notify(ctl, CONTROL.finished);
  }
}

/**
 * The helper's side of a speculative matrix–vector product (EigenHelper.runSpeculative): chunks from
 * the back, each into its own zeroed buffer (args: a, n, v, buffers, buffer stride in bytes).
 */
function speculativeSymv(seq: number): void {
  const tag = seq << 3;
  const chunks = ctl[CONTROL.chunks];
  for (let i = chunks - 1; i >= 0; i--) {
    const slot = CONTROL.state + i;
    if (Atomics.compareExchange(ctl, slot, tag | CHUNK.free, tag | CHUNK.helper) !== (tag | CHUNK.free)) continue;
    // the job's arguments stay until this chunk is done or taken over; a taken-over result is ignored
    try {
      const arg = (j: number): number => ctl[CONTROL.args + j];
      const [r0, r1] = [ctl[CONTROL.bounds + i], ctl[CONTROL.bounds + i + 1]];
      const kernels = kernelsOf(ctl[CONTROL.generation]);
      const n = arg(1);
      const out = arg(3) + i * arg(4);
      new Float64Array(memory!.buffer, out + 8 * r0, n - r0).fill(0);
      kernels.symvRows(arg(0), n, r0, r1, arg(2), out);
      if (Atomics.compareExchange(ctl, slot, tag | CHUNK.helper, tag | CHUNK.helperDone) === (tag | CHUNK.helper)) Atomics.add(ctl, CONTROL.helperChunks, 1);
    } catch {
      // left as "helper running": the main thread runs the chunk itself
    }
  }
}
