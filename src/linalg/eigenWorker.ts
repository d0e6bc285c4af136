import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { CONTROL, OP } from './eigenHelper.js';
import type { LinalgKernels } from './linalgKernels.js';

/**
 * The second core of the eigensolver (eigenHelper.ts): it waits on the shared control block, runs
 * the float64 kernels on the row range it is given of the matrix in the attached shared memory, and
 * signals completion. Between jobs of one reduction it spins briefly (they come every few
 * microseconds to milliseconds), then sleeps.
 */
const { control, port, module } = workerData as { control: SharedArrayBuffer; port: MessagePort; module: WebAssembly.Module };
const ctl = new Int32Array(control);
const SPIN = 20_000;
let k: LinalgKernels | null = null;
let seen = Atomics.load(ctl, CONTROL.job);
Atomics.store(ctl, CONTROL.ready, 1);
Atomics.notify(ctl, CONTROL.ready);

for (;;) {
  let seq = Atomics.load(ctl, CONTROL.job);
  for (let spin = 0; seq === seen && spin < SPIN; spin++) seq = Atomics.load(ctl, CONTROL.job);
  if (seq === seen) {
    Atomics.wait(ctl, CONTROL.job, seen);
    continue;
  }
  seen = seq;
  const arg = (i: number): number => ctl[CONTROL.args + i];
  try {
    switch (ctl[CONTROL.op]) {
      case OP.attach: {
        const message = receiveMessageOnPort(port);
        if (message === undefined) throw new Error('no memory was sent');
        const memory = (message.message as { memory: WebAssembly.Memory }).memory;
        k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LinalgKernels;
        break;
      }
      case OP.detach:
        k = null;
        break;
      case OP.symv:
        k!.symvRows(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5));
        break;
      case OP.syr2k:
        k!.syr2kRows(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), arg(7), arg(8));
        break;
      case OP.reflect:
        k!.applyReflectors(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5));
        break;
      default:
        throw new Error(`unknown job ${ctl[CONTROL.op]}`);
    }
    Atomics.store(ctl, CONTROL.error, 0);
  } catch {
    Atomics.store(ctl, CONTROL.error, 1);
  }
  Atomics.store(ctl, CONTROL.done, seq);
  Atomics.notify(ctl, CONTROL.done);
}
