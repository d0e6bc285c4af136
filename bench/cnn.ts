/**
 * The paper's networks trained on random data of the real shapes, spramnet against
 * ../shared/bench/reference.py (PyTorch CPU) in the same run. Prints one JSON line per network with
 * both timings and the ratio. usage: node dist/bench/cnn.js [epochs]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchmarkCnn } from '../src/nn/benchmark.js';
import { SHARED, findPython } from './shared.js';

const epochs = Number(process.argv[2] ?? 3);
const python = findPython(['torch']);
for (const net of ['eldos', 'thermal'] as const) {
  const reference = (threads: number): { sec_per_epoch: number } | null => {
    if (python === undefined) return null;
    // PyTorch at its own defaults: the machine's OpenBLAS tuning variables dropped for this command
    // alone, its thread pools at `threads` (torch.set_num_threads in reference.py sets the same)
    const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync(python, [join(SHARED, 'bench', 'reference.py'), net, String(epochs), String(threads)], { encoding: 'utf8', env });
    return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop() as string) : null;
  };
  const torch1 = reference(1);
  const ours1 = benchmarkCnn(net, epochs, 1);
  const ours2 = benchmarkCnn(net, epochs, 2);
  const torch2 = reference(2);
  console.log(
    JSON.stringify({
      bench: 'cnn',
      net,
      epochs,
      spramnet_1thread_sec_per_epoch: ours1.sec_per_epoch,
      spramnet_2threads_sec_per_epoch: ours2.sec_per_epoch,
      torch_1thread_sec_per_epoch: torch1?.sec_per_epoch ?? null,
      torch_2threads_sec_per_epoch: torch2?.sec_per_epoch ?? null,
      ratio_2threads_vs_torch_1thread: torch1 ? ours2.sec_per_epoch / torch1.sec_per_epoch : null,
      ratio_1thread_vs_torch_1thread: torch1 ? ours1.sec_per_epoch / torch1.sec_per_epoch : null,
      ratio_2threads_vs_torch_2threads: torch2 ? ours2.sec_per_epoch / torch2.sec_per_epoch : null,
      peak_rss_MiB: ours2.peak_rss_MiB,
    }),
  );
}
