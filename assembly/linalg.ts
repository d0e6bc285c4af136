// Float64 SIMD kernels of the symmetric eigensolver (src/linalg/symmetricEigen.ts) and of the kernel
// polynomial method (assembly/chebyshev.ts), in AssemblyScript. A separate module from the CNN
// kernels (assembly/index.ts), built by hand, not by `npm run build`:
//   npx asc assembly/linalg.ts --outFile build/linalg.wasm --optimizeLevel 3 --shrinkLevel 0 --noAssert \
//     --enable simd,threads --runtime stub --importMemory --sharedMemory --initialMemory 1 --maximumMemory 65536
// and embedded as base64 in src/linalg/linalgWasm.ts (test/linalg/linalgWasm.test.ts rebuilds it and
// compares). Its memory is imported and shared, so the eigensolver's helper thread runs the same
// kernels on the same matrix. The plain TypeScript kernels in symmetricEigen.ts are the specification
// these are tested against. Pointers are byte offsets into that memory; matrices are row-major f64.

// y[r0…n) += the contributions of rows r0 ≤ r < r1 of the upper triangle of A to A·v: y[r] takes row
// r's dot product over c ≥ r, y[c] (c > r) takes A[r, c]·v[r]. On a zeroed y, symvRows(s, n) is
// A[s:, s:]·v, and row ranges added into one y per thread sum to it (the two-thread split). Four
// rows per pass, two columns per vector.
export function symvRows(a: usize, n: i32, r0: i32, r1: i32, v: usize, y: usize): void {
  const rowBytes = <usize>n << 3;
  let r = r0;
  for (; r + 3 < r1; r += 4) {
    const r0 = a + <usize>r * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    const v0 = load<f64>(v + (<usize>r << 3));
    const v1 = load<f64>(v + (<usize>(r + 1) << 3));
    const v2 = load<f64>(v + (<usize>(r + 2) << 3));
    const v3 = load<f64>(v + (<usize>(r + 3) << 3));
    // 4×4 diagonal block, element by element.
    for (let i = 0; i < 4; i++) {
      const ro = r0 + <usize>i * rowBytes;
      const vi = load<f64>(v + (<usize>(r + i) << 3));
      let acc = load<f64>(ro + (<usize>(r + i) << 3)) * vi;
      for (let j = i + 1; j < 4; j++) {
        const x = load<f64>(ro + (<usize>(r + j) << 3));
        acc += x * load<f64>(v + (<usize>(r + j) << 3));
        const yp = y + (<usize>(r + j) << 3);
        store<f64>(yp, load<f64>(yp) + x * vi);
      }
      const yp = y + (<usize>(r + i) << 3);
      store<f64>(yp, load<f64>(yp) + acc);
    }
    const s0 = f64x2.splat(v0);
    const s1 = f64x2.splat(v1);
    const s2 = f64x2.splat(v2);
    const s3 = f64x2.splat(v3);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let acc2 = f64x2.splat(0);
    let acc3 = f64x2.splat(0);
    let c = r + 4;
    for (; c + 1 < n; c += 2) {
      const off = <usize>c << 3;
      const x0 = v128.load(r0 + off);
      const x1 = v128.load(r1 + off);
      const x2 = v128.load(r2 + off);
      const x3 = v128.load(r3 + off);
      const vc = v128.load(v + off);
      acc0 = f64x2.add(acc0, f64x2.mul(x0, vc));
      acc1 = f64x2.add(acc1, f64x2.mul(x1, vc));
      acc2 = f64x2.add(acc2, f64x2.mul(x2, vc));
      acc3 = f64x2.add(acc3, f64x2.mul(x3, vc));
      const yc = v128.load(y + off);
      const t = f64x2.add(f64x2.add(f64x2.mul(x0, s0), f64x2.mul(x1, s1)), f64x2.add(f64x2.mul(x2, s2), f64x2.mul(x3, s3)));
      v128.store(y + off, f64x2.add(yc, t));
    }
    let a0 = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
    let a1 = f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1);
    let a2 = f64x2.extract_lane(acc2, 0) + f64x2.extract_lane(acc2, 1);
    let a3 = f64x2.extract_lane(acc3, 0) + f64x2.extract_lane(acc3, 1);
    for (; c < n; c++) {
      const off = <usize>c << 3;
      const x0 = load<f64>(r0 + off);
      const x1 = load<f64>(r1 + off);
      const x2 = load<f64>(r2 + off);
      const x3 = load<f64>(r3 + off);
      const vc = load<f64>(v + off);
      a0 += x0 * vc;
      a1 += x1 * vc;
      a2 += x2 * vc;
      a3 += x3 * vc;
      store<f64>(y + off, load<f64>(y + off) + x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3);
    }
    const yr = y + (<usize>r << 3);
    store<f64>(yr, load<f64>(yr) + a0);
    store<f64>(yr, load<f64>(yr, 8) + a1, 8);
    store<f64>(yr, load<f64>(yr, 16) + a2, 16);
    store<f64>(yr, load<f64>(yr, 24) + a3, 24);
  }
  for (; r < r1; r++) {
    const ro = a + <usize>r * rowBytes;
    const vr = load<f64>(v + (<usize>r << 3));
    let acc = load<f64>(ro + (<usize>r << 3)) * vr;
    for (let c = r + 1; c < n; c++) {
      const off = <usize>c << 3;
      const x = load<f64>(ro + off);
      acc += x * load<f64>(v + off);
      store<f64>(y + off, load<f64>(y + off) + x * vr);
    }
    const yr = y + (<usize>r << 3);
    store<f64>(yr, load<f64>(yr) + acc);
  }
}

// Columns of the trailing block per pass of syr2kRows: that chunk's packed Y (CHUNK·w2·8 bytes,
// 128 KB at w2 = 64) stays in L2 while every row block streams past it, as a GEMM keeps its B panel.
const CHUNK: i32 = 256;

// A[s+r, s+c] −= Σ_k<w2 x[r, k]·Y[c, k] over rows r0 ≤ r < r1 and columns c ≥ r of the trailing
// m×m block (upper triangle; blocks start at the 4-aligned column at or before the diagonal, so a few
// elements below it, which are never read, take updates too). x is m × w2 row-major; Y is packed in
// panels of four columns, yP[(c >> 2)·4·w2 + 4k + (c & 3)], zero past m. r0 must be a multiple of 4.
// Each 4×4 block of A keeps eight f64x2 sums over k: two Y loads and four x splats feed 16 products
// (the f32 GEMM's register blocking in assembly/gemm.ts), no lane sums.
export function syr2kRows(a: usize, n: i32, s: i32, x: usize, yP: usize, m: i32, w2: i32, r0: i32, r1: i32): void {
  const rowBytes = <usize>n << 3;
  const xRow = <usize>w2 << 3;
  const panelBytes = <usize>w2 << 5;
  const base = a + <usize>s * rowBytes + (<usize>s << 3);
  for (let c0 = r0; c0 < m; c0 += CHUNK) {
    const c1 = min(c0 + CHUNK, m);
    const c1Full = c1 & ~3;
    const rEnd = min(r1, c1);
    let r = r0;
    for (; r + 4 <= rEnd; r += 4) {
      const aRow = base + <usize>r * rowBytes;
      const xr = x + <usize>r * xRow;
      let c = max(c0, r);
      for (; c < c1Full; c += 4) block4x4(aRow + (<usize>c << 3), rowBytes, xr, xRow, yP + <usize>(c >> 2) * panelBytes, w2);
      if (c < c1) edge(base, rowBytes, x, xRow, yP, panelBytes, w2, r, r + 4, c, c1);
    }
    // the last rows (r1 = m not a multiple of 4, or rows of a narrow last chunk) one at a time
    for (; r < rEnd; r++) edge(base, rowBytes, x, xRow, yP, panelBytes, w2, r, r + 1, max(c0, r & ~3), c1);
  }
}

@inline
function block4x4(a: usize, rowBytes: usize, x: usize, xRow: usize, y: usize, w2: i32): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0);
  let s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0);
  let s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  const x1 = x + xRow;
  const x2 = x1 + xRow;
  const x3 = x2 + xRow;
  for (let k = 0; k < w2; k++) {
    const ko = <usize>k << 3;
    const yo = y + (<usize>k << 5);
    const y0 = v128.load(yo);
    const y1 = v128.load(yo, 16);
    let p = v128.load64_splat(x + ko);
    s00 = f64x2.add(s00, f64x2.mul(p, y0)); s01 = f64x2.add(s01, f64x2.mul(p, y1));
    p = v128.load64_splat(x1 + ko);
    s10 = f64x2.add(s10, f64x2.mul(p, y0)); s11 = f64x2.add(s11, f64x2.mul(p, y1));
    p = v128.load64_splat(x2 + ko);
    s20 = f64x2.add(s20, f64x2.mul(p, y0)); s21 = f64x2.add(s21, f64x2.mul(p, y1));
    p = v128.load64_splat(x3 + ko);
    s30 = f64x2.add(s30, f64x2.mul(p, y0)); s31 = f64x2.add(s31, f64x2.mul(p, y1));
  }
  v128.store(a, f64x2.sub(v128.load(a), s00)); v128.store(a, f64x2.sub(v128.load(a, 16), s01), 16);
  const a1 = a + rowBytes;
  v128.store(a1, f64x2.sub(v128.load(a1), s10)); v128.store(a1, f64x2.sub(v128.load(a1, 16), s11), 16);
  const a2 = a1 + rowBytes;
  v128.store(a2, f64x2.sub(v128.load(a2), s20)); v128.store(a2, f64x2.sub(v128.load(a2, 16), s21), 16);
  const a3 = a2 + rowBytes;
  v128.store(a3, f64x2.sub(v128.load(a3), s30)); v128.store(a3, f64x2.sub(v128.load(a3, 16), s31), 16);
}

// The same update element by element for rows [ra, rb) × columns [ca, cb): the blocks' ragged edges.
function edge(base: usize, rowBytes: usize, x: usize, xRow: usize, yP: usize, panelBytes: usize, w2: i32, ra: i32, rb: i32, ca: i32, cb: i32): void {
  for (let r = ra; r < rb; r++) {
    const xr = x + <usize>r * xRow;
    const ar = base + <usize>r * rowBytes;
    for (let c = ca; c < cb; c++) {
      const yc = yP + <usize>(c >> 2) * panelBytes + (<usize>(c & 3) << 3);
      let sum: f64 = 0;
      for (let k = 0; k < w2; k++) sum += load<f64>(xr + (<usize>k << 3)) * load<f64>(yc + (<usize>k << 5));
      store<f64>(ar + (<usize>c << 3), load<f64>(ar + (<usize>c << 3)) - sum);
    }
  }
}

// Row j of A (columns c ≥ j) takes the panel's i earlier rank-2 updates:
// A[j, c] −= Σ_q<i V_q[j]·W_q[c] + W_q[j]·V_q[c]. V_q, W_q are rows of vPanel, wPanel (n apart).
export function panelRowUpdate(a: usize, n: i32, j: i32, vPanel: usize, wPanel: usize, i: i32): void {
  const row = a + <usize>j * (<usize>n << 3);
  const stride = <usize>n << 3;
  for (let q = 0; q < i; q++) {
    const vq = vPanel + <usize>q * stride;
    const wq = wPanel + <usize>q * stride;
    const vj = load<f64>(vq + (<usize>j << 3));
    const wj = load<f64>(wq + (<usize>j << 3));
    const sv = f64x2.splat(vj);
    const sw = f64x2.splat(wj);
    let c = j;
    for (; c + 1 < n; c += 2) {
      const off = <usize>c << 3;
      const t = f64x2.add(f64x2.mul(sv, v128.load(wq + off)), f64x2.mul(sw, v128.load(vq + off)));
      v128.store(row + off, f64x2.sub(v128.load(row + off), t));
    }
    for (; c < n; c++) {
      const off = <usize>c << 3;
      store<f64>(row + off, load<f64>(row + off) - (vj * load<f64>(wq + off) + wj * load<f64>(vq + off)));
    }
  }
}

// y[c] −= Σ_q<i V_q[c]·(W_q·v) + W_q[c]·(V_q·v) over c ≥ s, the dot products over c ≥ s too: the
// panel's pending updates applied to the matrix–vector product of the not-yet-updated matrix.
export function panelCorrectY(n: i32, s: i32, vPanel: usize, wPanel: usize, i: i32, v: usize, y: usize): void {
  const stride = <usize>n << 3;
  for (let q = 0; q < i; q++) {
    const vq = vPanel + <usize>q * stride;
    const wq = wPanel + <usize>q * stride;
    let wv2 = f64x2.splat(0);
    let vv2 = f64x2.splat(0);
    let c = s;
    for (; c + 1 < n; c += 2) {
      const off = <usize>c << 3;
      const vc = v128.load(v + off);
      wv2 = f64x2.add(wv2, f64x2.mul(v128.load(wq + off), vc));
      vv2 = f64x2.add(vv2, f64x2.mul(v128.load(vq + off), vc));
    }
    let wv = f64x2.extract_lane(wv2, 0) + f64x2.extract_lane(wv2, 1);
    let vv = f64x2.extract_lane(vv2, 0) + f64x2.extract_lane(vv2, 1);
    for (; c < n; c++) {
      const off = <usize>c << 3;
      wv += load<f64>(wq + off) * load<f64>(v + off);
      vv += load<f64>(vq + off) * load<f64>(v + off);
    }
    const swv = f64x2.splat(wv);
    const svv = f64x2.splat(vv);
    c = s;
    for (; c + 1 < n; c += 2) {
      const off = <usize>c << 3;
      const t = f64x2.add(f64x2.mul(v128.load(vq + off), swv), f64x2.mul(v128.load(wq + off), svv));
      v128.store(y + off, f64x2.sub(v128.load(y + off), t));
    }
    for (; c < n; c++) {
      const off = <usize>c << 3;
      store<f64>(y + off, load<f64>(y + off) - (load<f64>(vq + off) * wv + load<f64>(wq + off) * vv));
    }
  }
}

// Plane rotation of rows i and i+1 of Zᵀ (n wide): z_{i+1} ← s z_i + c z_{i+1}, z_i ← c z_i − s z_{i+1}.
export function rotateRows(z: usize, n: i32, i: i32, c: f64, s: f64): void {
  const o0 = z + <usize>i * (<usize>n << 3);
  const o1 = o0 + (<usize>n << 3);
  const sc = f64x2.splat(c);
  const ss = f64x2.splat(s);
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const off = <usize>k << 3;
    const z0 = v128.load(o0 + off);
    const z1 = v128.load(o1 + off);
    v128.store(o1 + off, f64x2.add(f64x2.mul(ss, z0), f64x2.mul(sc, z1)));
    v128.store(o0 + off, f64x2.sub(f64x2.mul(sc, z0), f64x2.mul(ss, z1)));
  }
  for (; k < n; k++) {
    const off = <usize>k << 3;
    const z0 = load<f64>(o0 + off);
    const z1 = load<f64>(o1 + off);
    store<f64>(o1 + off, s * z0 + c * z1);
    store<f64>(o0 + off, c * z0 - s * z1);
  }
}

// Rows z0 ≤ z < z1 of Zᵀ become Q z = H_0 (H_1 (… H_{n−3} z)), H_j = I − τ_j v_j v_jᵀ with v_j in row j
// of A from column j+1; four rows per pass over the reflectors. Rows are independent, so two
// threads take disjoint ranges.
export function applyReflectors(a: usize, n: i32, tau: usize, zt: usize, z0: i32, z1: i32): void {
  const rowBytes = <usize>n << 3;
  for (let z = z0; z < z1; z += 4) {
    const count = min(4, z1 - z);
    for (let j = n - 3; j >= 0; j--) {
      const t = load<f64>(tau + (<usize>j << 3));
      if (t == 0) continue;
      const rj = a + <usize>j * rowBytes;
      for (let q = 0; q < count; q++) {
        const zo = zt + <usize>(z + q) * rowBytes;
        let acc = f64x2.splat(0);
        let c = j + 1;
        for (; c + 1 < n; c += 2) {
          const off = <usize>c << 3;
          acc = f64x2.add(acc, f64x2.mul(v128.load(rj + off), v128.load(zo + off)));
        }
        let d = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
        for (; c < n; c++) d += load<f64>(rj + (<usize>c << 3)) * load<f64>(zo + (<usize>c << 3));
        d *= t;
        const sd = f64x2.splat(d);
        c = j + 1;
        for (; c + 1 < n; c += 2) {
          const off = <usize>c << 3;
          v128.store(zo + off, f64x2.sub(v128.load(zo + off), f64x2.mul(sd, v128.load(rj + off))));
        }
        for (; c < n; c++) {
          const off = <usize>c << 3;
          store<f64>(zo + off, load<f64>(zo + off) - d * load<f64>(rj + off));
        }
      }
    }
  }
}

export { chebyshevBlock, chebyshevFilterBlock } from './chebyshev';
