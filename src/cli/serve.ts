import type { Command } from 'commander';
import { startWebServer } from '../web/server.js';
import { integerOption, numberOption } from './common.js';
import { SHIPPED_MODELS } from './tasks.js';
import { shippedModelFolders } from '../tasks/predict.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('a local web page and HTTP API over predict (POST /api/predict, GET /api/models)')
    .option('--port <n>', 'port (0: any free port)', integerOption('--port'), 8080)
    .option('--host <addr>', 'address to listen on (localhost only by default)', '127.0.0.1')
    .option('--models <dir>', 'model folder (default: the shipped folders, carbon\'s and each material\'s own)')
    .option('--max-upload-mb <mb>', 'largest upload per request, MiB', numberOption('--max-upload-mb'), 20)
    .option('--max-atoms <n>', 'largest structure accepted, atoms', integerOption('--max-atoms'), 100000)
    .action(async (o: { port: number; host: string; models?: string; maxUploadMb: number; maxAtoms: number }) => {
      const running = await startWebServer({ modelsDir: o.models !== undefined ? [o.models] : shippedModelFolders(SHIPPED_MODELS), port: o.port, host: o.host, maxUploadMb: o.maxUploadMb, maxAtoms: o.maxAtoms });
      console.log(`spramnet serving ${running.url}/ (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
