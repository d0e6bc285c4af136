import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * A helper thread for the eigensolver's O(n³) kernels, so two cores split them: the matrix lives in
 * a shared WebAssembly memory that both threads instantiate the kernels of assembly/linalg.ts on.
 * Each kernel call is cut into row chunks of equal work that either thread claims (an atomic
 * compare-exchange on a word tagged with the job's sequence number), so the main thread never waits
 * for a helper that the scheduler has not woken yet (this machine is shared by many processes): it
 * takes the unclaimed chunks itself and waits only for chunks the helper is running; where chunks
 * write to separate outputs (the matrix–vector products, thousands per reduction) it does not wait
 * even for those, but runs them again itself (runSpeculative). One helper per
 * process (started on first use, ~50 ms); each reduction's memory is sent to it by message and
 * dropped when the reduction ends.
 */

/** Int32 slots of the control block. */
export const CONTROL = Object.freeze({
  /** Sequence number of the last job posted. */
  job: 0,
  /** (job & 0xffffff) << 8 | next unclaimed chunk. */
  claim: 1,
  /** Chunks of the current job finished. */
  finished: 2,
  /** Set to 1 by the helper once it listens. */
  ready: 3,
  /** Set when a chunk failed on the helper. */
  error: 4,
  /** Chunks the helper has run (all jobs). */
  helperChunks: 5,
  /** The job's kernel (OP), memory generation, chunk count. */
  op: 6,
  generation: 7,
  chunks: 8,
  /** Kernel arguments, then chunk bounds (chunks + 1 of them), then the chunks' states (speculative jobs). */
  args: 9,
  bounds: 20,
  state: 40,
  size: 60,
});
export const OP = Object.freeze({ release: 1, symv: 2, syr2k: 3, reflect: 4 });
export const MAX_CHUNKS = CONTROL.state - CONTROL.bounds - 1;
/**
 * Chunk states of a speculative job (low 3 bits; the rest is the job's tag): free, run by the main
 * thread, run by the helper, done by the helper, taken over by the main thread (the helper's result
 * is then ignored).
 */
export const CHUNK = Object.freeze({ free: 0, main: 1, helper: 2, helperDone: 3, takenOver: 4 });

/** Main-thread spins on the helper's last chunk before sleeping (~20 ns a load). */
const SPIN = 20_000;

export class EigenHelper {
  private readonly ctl: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seq = 0;
  private generation = 0;
  /** Set when the thread failed or exited: the next reduction starts a new helper. */
  dead = false;

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

  /** Chunks run by the helper so far (tests check that it took part). */
  get helperChunks(): number {
    return Atomics.load(this.ctl, CONTROL.helperChunks);
  }

  /** Sends the memory of a new reduction; the helper instantiates the kernels on it when it first takes a chunk. */
  attach(memory: WebAssembly.Memory): void {
    this.generation++;
    this.port.postMessage({ generation: this.generation, memory });
  }

  /** The helper drops its instance, so the reduction's memory can be freed (no wait). */
  release(): void {
    this.post(OP.release, [], [0]);
  }

  /**
   * Runs a row-range kernel over chunks [bounds[i], bounds[i+1]), each taken by whichever thread
   * claims it first; `runHere(r0, r1)` runs one on this thread. Returns when all chunks are done.
   */
  run(op: number, args: number[], bounds: number[], runHere: (r0: number, r1: number) => void): void {
    const chunks = bounds.length - 1;
    if (chunks > MAX_CHUNKS) throw new Error(`at most ${MAX_CHUNKS} chunks`);
    const ctl = this.ctl;
    const tag = this.post(op, args, bounds);
    for (;;) {
      const c = Atomics.load(ctl, CONTROL.claim);
      const i = c & 0xff;
      if (i >= chunks) break;
      if (Atomics.compareExchange(ctl, CONTROL.claim, c, c + 1) !== c) continue;
      runHere(bounds[i], bounds[i + 1]);
      Atomics.add(ctl, CONTROL.finished, 1);
    }
    let finished = Atomics.load(ctl, CONTROL.finished);
    for (let spin = 0; finished !== chunks && spin < SPIN; spin++) finished = Atomics.load(ctl, CONTROL.finished);
    // a chunk lasts milliseconds; minutes without an answer means the thread is gone (it cannot say so while we block)
    const deadline = Date.now() + 300_000;
    while (finished !== chunks) {
      if (Date.now() > deadline) {
        this.dead = true;
        throw new Error('the eigensolver helper thread stopped answering');
      }
      Atomics.wait(ctl, CONTROL.finished, finished, 50);
      finished = Atomics.load(ctl, CONTROL.finished);
    }
    if (Atomics.load(ctl, CONTROL.error) !== 0) {
      Atomics.store(ctl, CONTROL.error, 0);
      throw new Error(`the eigensolver helper thread failed on its share of job ${tag}`);
    }
  }

  /**
   * A job whose chunks write only to per-chunk outputs: the helper takes chunks from the back into
   * its own buffers, this thread from the front, and a chunk the helper is still running when the
   * rest are done is run again here (the helper's copy is then ignored), so this thread never waits.
   * `runHere(i, r0, r1)` runs chunk i on this thread; `helperDone(i, r0, r1)` is called for each chunk
   * whose result the helper delivered (in its buffer i).
   */
  runSpeculative(op: number, args: number[], bounds: number[], runHere: (i: number, r0: number, r1: number) => void, helperDone: (i: number, r0: number, r1: number) => void): void {
    const chunks = bounds.length - 1;
    if (chunks > MAX_CHUNKS) throw new Error(`at most ${MAX_CHUNKS} chunks`);
    const ctl = this.ctl;
    const tag = this.post(op, args, bounds) << 3;
    for (let i = 0; i < chunks; i++) {
      if (Atomics.compareExchange(ctl, CONTROL.state + i, tag | CHUNK.free, tag | CHUNK.main) === (tag | CHUNK.free)) runHere(i, bounds[i], bounds[i + 1]);
    }
    for (let i = 0; i < chunks; i++) {
      if (Atomics.compareExchange(ctl, CONTROL.state + i, tag | CHUNK.helper, tag | CHUNK.takenOver) === (tag | CHUNK.helper)) runHere(i, bounds[i], bounds[i + 1]);
    }
    for (let i = 0; i < chunks; i++) if (Atomics.load(ctl, CONTROL.state + i) === (tag | CHUNK.helperDone)) helperDone(i, bounds[i], bounds[i + 1]);
    if (Atomics.load(ctl, CONTROL.error) !== 0) {
      Atomics.store(ctl, CONTROL.error, 0);
      throw new Error(`the eigensolver helper thread failed on its share of job ${tag >> 3}`);
    }
  }

  /** Writes a job into the control block and wakes the helper; returns its tag. */
  private post(op: number, args: number[], bounds: number[]): number {
    const ctl = this.ctl;
    this.seq = (this.seq + 1) & 0xffffff;
    ctl[CONTROL.op] = op;
    ctl[CONTROL.generation] = this.generation;
    ctl[CONTROL.chunks] = bounds.length - 1;
    for (let i = 0; i < args.length; i++) ctl[CONTROL.args + i] = args[i];
    for (let i = 0; i < bounds.length; i++) ctl[CONTROL.bounds + i] = bounds[i];
    for (let i = 0; i + 1 < bounds.length; i++) Atomics.store(ctl, CONTROL.state + i, (this.seq << 3) | CHUNK.free);
    Atomics.store(ctl, CONTROL.finished, 0);
    Atomics.store(ctl, CONTROL.claim, this.seq << 8);
    Atomics.store(ctl, CONTROL.job, this.seq);
    Atomics.notify(ctl, CONTROL.job);
    return this.seq;
  }

  /** Ends the helper thread (the process does not wait for it otherwise). */
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

/**
 * Bounds of `chunks` row ranges of rows [s, n) of an upper triangle (row r holds n − r elements)
 * with equal areas, each a multiple of `align` from s.
 */
export function triangleChunks(s: number, n: number, chunks: number, align = 1): number[] {
  const bounds = [s];
  for (let i = 1; i < chunks; i++) {
    const r = n - Math.round((n - s) * Math.sqrt(1 - i / chunks));
    const aligned = s + Math.floor((r - s) / align) * align;
    bounds.push(Math.max(bounds[bounds.length - 1], aligned));
  }
  bounds.push(n);
  return bounds;
}
