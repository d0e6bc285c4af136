import type { Command } from 'commander';
import { CONTINUOUS_SETTINGS } from '../descriptors/featurize.js';
import { InputError } from '../errors.js';
import type { ContinuousSettings } from '../tasks/modelInput.js';
import { numberOption } from './common.js';

/** The options that say how a structure task's descriptors are softened, shared by `train` and `experiment folds`. */
export function addDescriptorFormOptions(command: Command): Command {
  return command
    .option('--hard-descriptors', 'hard histograms and bond cut-off (structure tasks) and the release\'s hard, rounded g(r) of a structure (g(r) tasks), as models before the continuous descriptors; their predictions jump when a pair crosses a bin edge')
    .option('--bin-spread <bins>', `structure tasks: each pair's share of the g(r) and ADF bins spreads over this fraction of a bin, in (0, 1] (default: the recipe's, else ${CONTINUOUS_SETTINGS.binSpread}; smaller stays closer to the hard histograms)`, numberOption('--bin-spread'))
    .option('--bond-window <A>', `structure tasks: bonds fade in over this width below the bond cut-off, Å (default: the recipe's, else ${CONTINUOUS_SETTINGS.bondWindow_A})`, numberOption('--bond-window'));
}

/** What those options ask for: false (hard), the given settings (the rest from the recipe), or true (the recipe's). */
export function descriptorForm(o: { hardDescriptors?: boolean; binSpread?: number; bondWindow?: number }): boolean | Partial<ContinuousSettings> {
  const given = { ...(o.binSpread !== undefined ? { binSpread: o.binSpread } : {}), ...(o.bondWindow !== undefined ? { bondWindow_A: o.bondWindow } : {}) };
  const softened = Object.keys(given).length > 0;
  if (o.hardDescriptors && softened) throw new InputError('--hard-descriptors cannot go with --bin-spread or --bond-window');
  return o.hardDescriptors ? false : softened ? given : true;
}
