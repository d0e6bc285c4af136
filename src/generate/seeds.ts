/**
 * The seed of structure i of a run with seed s: a 32-bit mix of both (splitmix-style), so any
 * structure can be remade alone, and a resumed run makes the same files as an uninterrupted one.
 */
export function structureSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
