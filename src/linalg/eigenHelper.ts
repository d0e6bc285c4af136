import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * A helper thread for the eigensolver's O(n³) kernels, so two cores split them: the matrix lives
 * in a shared WebAssembly memory that both threads instantiate the kernels of assembly/linalg.ts on;
 * the main thread posts a row range through a shared control block and computes the other range
 * meanwhile. One helper per process (started on first use, ~50 ms), attached to the memory of each
 * reduction in turn, so a matrix's memory is freed when its reduction ends.
 */

/** Int32 slots of the control block: job sequence, last job done, ready flag, error flag, the job's kernel and arguments. */
export const CONTROL = Object.freeze({ job: 0, done: 1, ready: 2, error: 3, op: 4, args: 5, size: 16 });
export const OP = Object.freeze({ attach: 1, detach: 2, symv: 3, syr2k: 4, reflect: 5 });

/** Main-thread spins on the helper's completion before sleeping (its share is about as long as ours). */
const SPIN = 20_000;

export class EigenHelper {
  private readonly ctl: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seq = 0;
  private pending = false;
  /** Set when the thread failed or exited: the next reduction starts a new helper. */
  dead = false;
  /** Kernel jobs run on the helper so far (tests check that the two-thread path ran). */
  jobs = 0;

  private constructor(worker: Worker, ctl: Int32Array, port: MessagePort) {
    this.worker = worker;
    this.ctl = ctl;
    this.port = port;
  }

  /** Starts the helper; null when it is not ready within 10 s (a machine this loaded runs one thread). */
  static start(module: WebAssembly.Module): EigenHelper | null {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
    const { port1, port2 } = new MessageChannel();
    // execArgv: [] so options of the parent (e.g. --input-type for `node -e`) do not stop the helper loading
    const worker = new Worker(new URL('./eigenWorker.js', import.meta.url), {
      execArgv: [],
      workerData: { control: ctl.buffer, port: port2, module },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    const self: { helper?: EigenHelper } = {};
    const fail = (): void => {
      if (self.helper) self.helper.dead = true;
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    const deadline = Date.now() + 10_000;
    while (Atomics.load(ctl, CONTROL.ready) !== 1) {
      if (Date.now() > deadline) {
        void worker.terminate();
        return null;
      }
      Atomics.wait(ctl, CONTROL.ready, 0, 20);
    }
    self.helper = new EigenHelper(worker, ctl, port1);
    return self.helper;
  }

  /** The helper instantiates the kernels on `memory` (shared) for the jobs that follow. */
  attach(memory: WebAssembly.Memory): void {
    this.port.postMessage({ memory });
    this.post(OP.attach, []);
    this.wait();
  }

  /** Drops the helper's instance, so the memory can be freed. */
  detach(): void {
    if (this.pending) this.wait();
    this.post(OP.detach, []);
    this.wait();
  }

  /** Starts a kernel on the helper (returns at once); `wait` before touching what it writes. */
  post(op: number, args: number[]): void {
    if (this.pending) throw new Error('eigen helper: a job is already running');
    const ctl = this.ctl;
    ctl[CONTROL.op] = op;
    for (let i = 0; i < args.length; i++) ctl[CONTROL.args + i] = args[i];
    this.seq = (this.seq + 1) | 0;
    this.pending = true;
    if (op !== OP.attach && op !== OP.detach) this.jobs++;
    Atomics.store(ctl, CONTROL.job, this.seq);
    Atomics.notify(ctl, CONTROL.job);
  }

  /** Blocks until the posted job is done; throws if the helper's kernel failed. */
  wait(): void {
    const ctl = this.ctl;
    const seq = this.seq;
    let done = Atomics.load(ctl, CONTROL.done);
    for (let spin = 0; done !== seq && spin < SPIN; spin++) done = Atomics.load(ctl, CONTROL.done);
    // a share lasts milliseconds; minutes without an answer means the thread is gone (it cannot say so while we block)
    const deadline = Date.now() + 300_000;
    while (done !== seq) {
      if (Date.now() > deadline) {
        this.dead = true;
        throw new Error('the eigensolver helper thread stopped answering');
      }
      Atomics.wait(ctl, CONTROL.done, done, 100);
      done = Atomics.load(ctl, CONTROL.done);
    }
    this.pending = false;
    if (Atomics.load(ctl, CONTROL.error) !== 0) throw new Error('the eigensolver helper thread failed on its share of a kernel');
  }

  /** Ends the helper thread (tests; the process does not wait for it otherwise). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

let helper: EigenHelper | null | undefined;

/** The process's helper (started on first call), or null where it could not start. */
export function eigenHelper(module: WebAssembly.Module): EigenHelper | null {
  if (helper === undefined || helper?.dead) helper = EigenHelper.start(module);
  return helper;
}
