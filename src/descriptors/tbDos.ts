import { errorMessage, InputError } from '../errors.js';
import { EL_DOS_ENERGIES_EV } from '../data/labels.js';
import { tightBindingExact } from '../physics/tb/exact.js';
import type { Atoms } from '../structure/atoms.js';

/**
 * The π tight-binding el-DoS of a structure as a descriptor channel (physics/tb, the default
 * `pi-normals` model on its 2×2 Γ-centred mesh): states/eV/atom on the el-DoS label grid (E − E_F
 * ∈ [−2, 2] eV, 81 points), broadened wider than the label (0.25 eV), which suits a model input
 * better than the label's 0.05 eV (kernel ridge, five folds: see docs/structure-channel.md).
 */
export const TB_CHANNEL_BROADENING_EV = 0.25;
export const TB_CHANNEL_LENGTH = EL_DOS_ENERGIES_EV.length;

export function tightBindingDosChannel(atoms: Atoms, file = 'structure'): Float64Array {
  // The π model is carbon's: a structure with other elements gets an empty channel, so it is still
  // predicted — and the domain check says it is outside (it names the elements the models never saw)
  // — instead of failing every property for want of one input channel.
  if (atoms.numbers.some((z) => z !== 6)) return new Float64Array(TB_CHANNEL_LENGTH);
  try {
    return tightBindingExact(atoms, { dosSigma_eV: TB_CHANNEL_BROADENING_EV }).el_dos.dos;
  } catch (error) {
    throw new InputError(`${file}: the tight-binding channel could not be computed: ${errorMessage(error)}`);
  }
}
