import { Command, CommanderError } from 'commander';
import { SpramnetError } from '../errors.js';
import { registerDescriptors } from './descriptors.js';
import { registerBench, registerCnn } from './cnn.js';
import { registerDataset } from './dataset.js';
import { registerGbdt } from './gbdt.js';
import { registerInfo } from './info.js';
import { registerTasks } from './tasks.js';
import { registerReport } from './report.js';
import { registerExperiment } from './experiment.js';
import { registerServe } from './serve.js';
import { registerMd } from './md.js';
import { registerCalc } from './calc.js';
import { registerLabel } from './label.js';
import { registerRelax } from './relax.js';
import { registerDft } from './dft.js';
import { VERSION } from '../version.js';
import { registerGenerate } from './generate.js';
import { registerRings } from './rings.js';
import { registerCampaign } from './campaign.js';

/** The `spramnet` command: one thin file per sub-command over the library. */
export function buildProgram(): Command {
  const program = new Command('spramnet')
    .description('properties of amorphous 2D materials from their pair correlation function')
    .version(VERSION)
    .exitOverride();
  registerInfo(program);
  registerDescriptors(program);
  registerGbdt(program);
  registerDataset(program);
  registerTasks(program);
  registerReport(program);
  registerExperiment(program);
  registerCnn(program);
  registerBench(program);
  registerServe(program);
  registerMd(program);
  registerCalc(program);
  registerRelax(program);
  registerLabel(program);
  registerGenerate(program);
  registerRings(program);
  registerDft(program);
  registerCampaign(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof SpramnetError || error instanceof RangeError || error instanceof TypeError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main();
