// The coordinate block of a POSCAR (src/structure/io/poscarBlock.ts feeds it): the first three
// numbers of each of n lines, parsed from the file's bytes, correctly rounded as Number() rounds.
// A line with anything it does not take for certain (an exponent beyond the fast range, 17 digits
// with more than 17 decimals, a Fortran D, a short line) is left to the JavaScript reader, and so is
// the whole block if it has non-ASCII bytes or ends early; that reader keeps its error messages.
//
// Why WebAssembly: JavaScript reads a string one charCodeAt at a time and has no exact parse in
// place (Number() wants a slice per token); here each byte is one load, and the 16–17 digit
// mantissas of shortest round-trip output are exact in u64.

// No static data: ScratchKernels hands out memory from byte 1024, where a data segment would lie.
// The caller passes 10^0 … 10^22 (exact doubles) at pow10.
const TWO_53: u64 = 9007199254740992;
const SPLIT: f64 = 134217729; // 2^27 + 1, Veltkamp's splitter

@inline function isBlank(c: u32): bool {
  return c == 32 || c == 9 || c == 13;
}

@inline function veltkampHigh(a: f64): f64 {
  const c = SPLIT * a;
  return c - (c - a);
}

// Correctly rounded m·10^−j for 2^53 ≤ m < 10^17 and 1 ≤ j ≤ 17, or NaN. m/10^j = (m/5^j)·2^−j and
// the power of two scales exactly, so round q = m/5^j: x₀ = fl(fl(m)/5^j) lies within 1½ ulp of q,
// and R = m − x₀·5^j is exact in doubles (fl(m) − p is exact by Sterbenz and an integer, the rest of
// m an integer below 8, p + pe = x₀·5^j Dekker's exact product, pe a multiple of ulp(x₀) ≥ 2^−39
// below 8: R needs < 46 bits). Comparing R with half an ulp of x₀ times 5^j picks x₀ or a
// neighbour, ties to even.
function seventeenDigits(m: u64, j: i32, pow10: usize): f64 {
  const twoToMinusJ = reinterpret<f64>(<u64>(1023 - j) << 52);
  const f = load<f64>(pow10 + (<usize>j << 3)) * twoToMinusJ; // 5^j = 10^j·2^−j, exact (5^17 < 2^40)
  const mHigh = <f64>m;
  const mRest = <f64>(<i64>(m - <u64>mHigh)); // |mRest| ≤ 8
  const x0 = mHigh / f;
  const p = x0 * f;
  const xh = veltkampHigh(x0);
  const xl = x0 - xh;
  const fh = veltkampHigh(f);
  const fl = f - fh;
  const pe = xh * fh - p + xh * fl + xl * fh + xl * fl;
  const residual = mHigh - p + mRest - pe;
  const bits = reinterpret<u64>(x0);
  if ((bits & 0xFFFFFFFFFFFFF) == 0) return NaN; // a power of two: the ulp below it is half as large
  const ulp = reinterpret<f64>(((bits >> 52) - 52) << 52);
  const half = f * ulp * 0.5;
  if (abs(residual) >= 3 * half) return NaN; // x0 not within 1½ ulp: never expected
  const odd = (bits & 1) != 0;
  let q = x0;
  if (residual > half || (residual == half && odd)) q = x0 + ulp;
  else if (residual < -half || (residual == -half && odd)) q = x0 - ulp;
  return q * twoToMinusJ;
}

// The number in bytes [start, end): [sign] digits [. digits] [e|E [sign] digits], or NaN.
function parseToken(start: usize, end: usize, pow10: usize): f64 {
  let p = start;
  let c = <u32>load<u8>(p);
  const negative = c == 45;
  if (c == 45 || c == 43) p++;
  let m: u64 = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  let sawDot = false;
  for (; p < end; p++) {
    c = <u32>load<u8>(p);
    const d = c - 48;
    if (d <= 9) {
      digits++;
      if (sawDot) scale--;
      if (significant > 0 || d != 0) {
        if (++significant > 19) return NaN; // beyond u64's exact range
        m = m * 10 + <u64>d;
      }
    } else if (c == 46 && !sawDot) sawDot = true;
    else break;
  }
  if (digits == 0) return NaN;
  if (p < end) {
    if (c != 101 && c != 69) return NaN;
    p++;
    if (p == end) return NaN;
    c = <u32>load<u8>(p);
    const expNegative = c == 45;
    if (c == 45 || c == 43) p++;
    const expStart = p;
    let exponent = 0;
    for (; p < end; p++) {
      const d = <u32>load<u8>(p) - 48;
      if (d > 9 || exponent > 1000) return NaN;
      exponent = exponent * 10 + <i32>d;
    }
    if (p == expStart) return NaN;
    scale += expNegative ? -exponent : exponent;
  }
  let value: f64;
  if (m == 0) value = 0;
  else if (m < TWO_53 && scale >= -22 && scale <= 22) value = scale < 0 ? <f64>m / load<f64>(pow10 + (<usize>-scale << 3)) : <f64>m * load<f64>(pow10 + (<usize>scale << 3));
  else if (m < 100000000000000000 && scale >= -17 && scale <= -1) value = seventeenDigits(m, -scale, pow10);
  else return NaN;
  return negative ? -value : value;
}

// Parse the first three numbers of each of `lines` lines starting at bytes[0] (length bytes) into
// out (3 f64 per line) and each line's offset into lineStarts (i32); pow10: 10^0 … 10^22. A line
// with a number it is not certain of, or fewer than three, gets NaN as its first value: the caller
// reads that line the general way. Returns the offset of the line after the last (length if the
// text ends there), or −1 if the text ends early or has a non-ASCII byte (offsets would not be
// characters then).
export function parseCoordinateLines(bytes: usize, length: i32, lines: i32, out: usize, lineStarts: usize, pow10: usize): i32 {
  const end = bytes + <usize>length;
  let p = bytes;
  for (let line = 0; line < lines; line++) {
    if (p >= end) return -1; // the file ends early
    store<i32>(lineStarts + (<usize>line << 2), <i32>(p - bytes));
    const values = out + (<usize>(3 * line) << 3);
    for (let k = 0; k < 3; k++) {
      while (p < end && isBlank(<u32>load<u8>(p))) p++;
      const start = p;
      while (p < end) {
        const c = <u32>load<u8>(p);
        if (isBlank(c) || c == 10) break;
        p++;
      }
      const value = p == start ? NaN : parseToken(start, p, pow10);
      if (!isFinite(value)) {
        store<f64>(values, NaN);
        break;
      }
      store<f64>(values + (<usize>k << 3), value);
    }
    // the rest of the line (selective-dynamics flags, or what the caller will read again)
    while (p < end) {
      const c = <u32>load<u8>(p);
      p++;
      if (c == 10) break;
      if (c >= 128) return -1;
    }
  }
  return <i32>(p - bytes);
}
