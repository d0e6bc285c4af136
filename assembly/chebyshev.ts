// Float64 SIMD kernel of the kernel polynomial method (src/physics/tb/kpm.ts), part of the module of
// assembly/linalg.ts. A block of `lanes` real vectors is stored interleaved, x[i·lanes + l], so the
// matrix (CSR: start i32[n+1], column i32[nnz], value f64[nnz]) is read once per step for all of them
// and each neighbour's entries are one or two contiguous f64x2 loads; the plain TypeScript
// chebyshevStepBlock in src/physics/tb/sparse.ts is the specification.

// next = a2·(H·curr) + b2·curr − prev over the block (lanes 2 or 4), in one pass, fused with the
// moments' dot products: dots[0] += Σ next·curr, dots[1] += Σ next·next over rows and lanes.
export function chebyshevBlock(n: i32, start: usize, column: usize, value: usize, lanes: i32, curr: usize, prev: usize, next: usize, a2: f64, b2: f64, dots: usize): void {
  if (lanes == 2) chebyshev2(n, start, column, value, curr, prev, next, a2, b2, dots);
  else chebyshev4(n, start, column, value, curr, prev, next, a2, b2, dots);
}

function chebyshev2(n: i32, start: usize, column: usize, value: usize, curr: usize, prev: usize, next: usize, a2: f64, b2: f64, dots: usize): void {
  const sa = f64x2.splat(a2);
  const sb = f64x2.splat(b2);
  let dc = f64x2.splat(0);
  let dn = f64x2.splat(0);
  let k = load<i32>(start);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(start + (<usize>(i + 1) << 2));
    let s = f64x2.splat(0);
    for (; k < end; k++) {
      const j = <usize>load<i32>(column + (<usize>k << 2));
      s = f64x2.add(s, f64x2.mul(v128.load64_splat(value + (<usize>k << 3)), v128.load(curr + (j << 4))));
    }
    const o = <usize>i << 4;
    const c = v128.load(curr + o);
    const x = f64x2.sub(f64x2.add(f64x2.mul(sa, s), f64x2.mul(sb, c)), v128.load(prev + o));
    v128.store(next + o, x);
    dc = f64x2.add(dc, f64x2.mul(x, c));
    dn = f64x2.add(dn, f64x2.mul(x, x));
  }
  store<f64>(dots, load<f64>(dots) + f64x2.extract_lane(dc, 0) + f64x2.extract_lane(dc, 1));
  store<f64>(dots, load<f64>(dots, 8) + f64x2.extract_lane(dn, 0) + f64x2.extract_lane(dn, 1), 8);
}

function chebyshev4(n: i32, start: usize, column: usize, value: usize, curr: usize, prev: usize, next: usize, a2: f64, b2: f64, dots: usize): void {
  const sa = f64x2.splat(a2);
  const sb = f64x2.splat(b2);
  let dc = f64x2.splat(0);
  let dn = f64x2.splat(0);
  let k = load<i32>(start);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(start + (<usize>(i + 1) << 2));
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (; k < end; k++) {
      const p = curr + (<usize>load<i32>(column + (<usize>k << 2)) << 5);
      const h = v128.load64_splat(value + (<usize>k << 3));
      s0 = f64x2.add(s0, f64x2.mul(h, v128.load(p)));
      s1 = f64x2.add(s1, f64x2.mul(h, v128.load(p, 16)));
    }
    const o = <usize>i << 5;
    const c0 = v128.load(curr + o);
    const c1 = v128.load(curr + o, 16);
    const x0 = f64x2.sub(f64x2.add(f64x2.mul(sa, s0), f64x2.mul(sb, c0)), v128.load(prev + o));
    const x1 = f64x2.sub(f64x2.add(f64x2.mul(sa, s1), f64x2.mul(sb, c1)), v128.load(prev + o, 16));
    v128.store(next + o, x0);
    v128.store(next + o, x1, 16);
    dc = f64x2.add(dc, f64x2.add(f64x2.mul(x0, c0), f64x2.mul(x1, c1)));
    dn = f64x2.add(dn, f64x2.add(f64x2.mul(x0, x0), f64x2.mul(x1, x1)));
  }
  store<f64>(dots, load<f64>(dots) + f64x2.extract_lane(dc, 0) + f64x2.extract_lane(dc, 1));
  store<f64>(dots, load<f64>(dots, 8) + f64x2.extract_lane(dn, 0) + f64x2.extract_lane(dn, 1), 8);
}

// The same step for a Chebyshev filter Σ_m c_m T_m(H̃) x: next as above, then out += c·next
// (no dot products), lanes 2 or 4.
export function chebyshevFilterBlock(n: i32, start: usize, column: usize, value: usize, lanes: i32, curr: usize, prev: usize, next: usize, a2: f64, b2: f64, c: f64, out: usize): void {
  const sa = f64x2.splat(a2);
  const sb = f64x2.splat(b2);
  const sc = f64x2.splat(c);
  const rowBytes = <usize>lanes << 3;
  const shift: usize = lanes == 2 ? 4 : 5;
  let k = load<i32>(start);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(start + (<usize>(i + 1) << 2));
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (; k < end; k++) {
      const p = curr + (<usize>load<i32>(column + (<usize>k << 2)) << shift);
      const h = v128.load64_splat(value + (<usize>k << 3));
      s0 = f64x2.add(s0, f64x2.mul(h, v128.load(p)));
      if (lanes == 4) s1 = f64x2.add(s1, f64x2.mul(h, v128.load(p, 16)));
    }
    const o = <usize>i * rowBytes;
    const x0 = f64x2.sub(f64x2.add(f64x2.mul(sa, s0), f64x2.mul(sb, v128.load(curr + o))), v128.load(prev + o));
    v128.store(next + o, x0);
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(sc, x0)));
    if (lanes == 4) {
      const x1 = f64x2.sub(f64x2.add(f64x2.mul(sa, s1), f64x2.mul(sb, v128.load(curr + o, 16))), v128.load(prev + o, 16));
      v128.store(next + o, x1, 16);
      v128.store(out + o, f64x2.add(v128.load(out + o, 16), f64x2.mul(sc, x1)), 16);
    }
  }
}
