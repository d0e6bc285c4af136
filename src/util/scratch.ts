/**
 * Growable scratch arrays by name, reused from call to call: a hot loop that runs once per
 * structure borrows its working arrays here instead of allocating them each time (contents are
 * left over from the last use; callers clear what they read before writing).
 */
export class Scratch {
  private readonly int = new Map<string, Int32Array>();
  private readonly float = new Map<string, Float64Array>();
  private readonly byte = new Map<string, Uint8Array>();

  ints(name: string, length: number): Int32Array {
    let a = this.int.get(name);
    if (a === undefined || a.length < length) this.int.set(name, (a = new Int32Array(grown(length, a?.length))));
    return a;
  }

  floats(name: string, length: number): Float64Array {
    let a = this.float.get(name);
    if (a === undefined || a.length < length) this.float.set(name, (a = new Float64Array(grown(length, a?.length))));
    return a;
  }

  bytes(name: string, length: number): Uint8Array {
    let a = this.byte.get(name);
    if (a === undefined || a.length < length) this.byte.set(name, (a = new Uint8Array(grown(length, a?.length))));
    return a;
  }
}

function grown(needed: number, current = 0): number {
  return Math.max(needed, 2 * current, 64);
}
