/** The rows `index` of a row-major array of `width` values per row, in that order, same number type. */
export function gatherRows<T extends Float32Array | Float64Array>(values: T, width: number, index: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(index.length * width);
  for (let k = 0; k < index.length; k++) out.set(values.subarray(index[k] * width, (index[k] + 1) * width), k * width);
  return out;
}
