import type { Command } from 'commander';
import { registerLabelKappa } from './labelKappa.js';

/**
 * `spramnet label …`: compute labels of structures (minimal group made by helper/md; the label
 * command group proper belongs to helper/phonons and replaces this file when merged).
 */
export function registerLabel(program: Command): Command {
  const label = program.command('label').description('compute labels (κ, …) of structures');
  registerLabelKappa(label);
  return label;
}
