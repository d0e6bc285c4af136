// Float64 SIMD kernels of the symmetric eigensolver (src/linalg/symmetricEigen.ts), in AssemblyScript.
// A separate module from the CNN kernels (assembly/index.ts). Built by hand, not by `npm run build`:
//   npx asc assembly/linalg.ts --outFile build/linalg.wasm --optimizeLevel 3 --shrinkLevel 0 \
//     --noAssert --enable simd --runtime stub --initialMemory 1
// and embedded as base64 in src/linalg/linalgWasm.ts (test/linalg/linalgWasm.test.ts rebuilds it and
// compares). The plain TypeScript kernels in symmetricEigen.ts are the specification these are
// tested against. Pointers are byte offsets into this module's memory; matrices are row-major f64.

// y[s…n) = A[s:, s:] · v[s…n) from the upper triangle, four rows per pass, two columns per vector.
export function symvUpper(a: usize, n: i32, s: i32, v: usize, y: usize): void {
  const rowBytes = <usize>n << 3;
  for (let c = s; c < n; c++) store<f64>(y + (<usize>c << 3), 0);
  let r = s;
  for (; r + 3 < n; r += 4) {
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
  for (; r < n; r++) {
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

// Σ_k<w2 x[k]·y[k] for w2 even, two lanes.
@inline
function dot2(x: usize, y: usize, w2: i32): f64 {
  let s = f64x2.splat(0);
  for (let k = 0; k < w2; k += 2) s = f64x2.add(s, f64x2.mul(v128.load(x + (<usize>k << 3)), v128.load(y + (<usize>k << 3))));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// A[s+r, s+c] −= x_r · y_c for c ≥ r (upper triangle of the trailing m×m block), x and y packed
// m × w2 row-major (w2 even); 3×3 blocks of elements, two k per vector.
export function syr2kUpper(a: usize, n: i32, s: i32, x: usize, yy: usize, m: i32, w2: i32): void {
  const rowBytes = <usize>n << 3;
  const packBytes = <usize>w2 << 3;
  let r = 0;
  for (; r + 2 < m; r += 3) {
    const x0 = x + <usize>r * packBytes;
    const x1 = x0 + packBytes;
    const x2 = x1 + packBytes;
    const a0 = a + <usize>(s + r) * rowBytes + (<usize>s << 3);
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    let c = r;
    for (; c + 2 < m; c += 3) {
      const y0 = yy + <usize>c * packBytes;
      const y1 = y0 + packBytes;
      const y2 = y1 + packBytes;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s22 = f64x2.splat(0);
      for (let k = 0; k < w2; k += 2) {
        const off = <usize>k << 3;
        const q0 = v128.load(y0 + off);
        const q1 = v128.load(y1 + off);
        const q2 = v128.load(y2 + off);
        let p = v128.load(x0 + off);
        s00 = f64x2.add(s00, f64x2.mul(p, q0)); s01 = f64x2.add(s01, f64x2.mul(p, q1)); s02 = f64x2.add(s02, f64x2.mul(p, q2));
        p = v128.load(x1 + off);
        s10 = f64x2.add(s10, f64x2.mul(p, q0)); s11 = f64x2.add(s11, f64x2.mul(p, q1)); s12 = f64x2.add(s12, f64x2.mul(p, q2));
        p = v128.load(x2 + off);
        s20 = f64x2.add(s20, f64x2.mul(p, q0)); s21 = f64x2.add(s21, f64x2.mul(p, q1)); s22 = f64x2.add(s22, f64x2.mul(p, q2));
      }
      const co = <usize>c << 3;
      store<f64>(a0 + co, load<f64>(a0 + co) - (f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1)));
      store<f64>(a0 + co, load<f64>(a0 + co, 8) - (f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1)), 8);
      store<f64>(a0 + co, load<f64>(a0 + co, 16) - (f64x2.extract_lane(s02, 0) + f64x2.extract_lane(s02, 1)), 16);
      store<f64>(a1 + co, load<f64>(a1 + co) - (f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1)));
      store<f64>(a1 + co, load<f64>(a1 + co, 8) - (f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1)), 8);
      store<f64>(a1 + co, load<f64>(a1 + co, 16) - (f64x2.extract_lane(s12, 0) + f64x2.extract_lane(s12, 1)), 16);
      store<f64>(a2 + co, load<f64>(a2 + co) - (f64x2.extract_lane(s20, 0) + f64x2.extract_lane(s20, 1)));
      store<f64>(a2 + co, load<f64>(a2 + co, 8) - (f64x2.extract_lane(s21, 0) + f64x2.extract_lane(s21, 1)), 8);
      store<f64>(a2 + co, load<f64>(a2 + co, 16) - (f64x2.extract_lane(s22, 0) + f64x2.extract_lane(s22, 1)), 16);
    }
    for (; c < m; c++) {
      const y0 = yy + <usize>c * packBytes;
      const co = <usize>c << 3;
      store<f64>(a0 + co, load<f64>(a0 + co) - dot2(x0, y0, w2));
      store<f64>(a1 + co, load<f64>(a1 + co) - dot2(x1, y0, w2));
      store<f64>(a2 + co, load<f64>(a2 + co) - dot2(x2, y0, w2));
    }
  }
  for (; r < m; r++) {
    const x0 = x + <usize>r * packBytes;
    const a0 = a + <usize>(s + r) * rowBytes + (<usize>s << 3);
    for (let c = r; c < m; c++) {
      const co = <usize>c << 3;
      store<f64>(a0 + co, load<f64>(a0 + co) - dot2(x0, yy + <usize>c * packBytes, w2));
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

// Every row z of Zᵀ becomes Q z = H_0 (H_1 (… H_{n−3} z)), H_j = I − τ_j v_j v_jᵀ with v_j in row j of
// A from column j+1; four rows per pass over the reflectors.
export function applyReflectors(a: usize, n: i32, tau: usize, zt: usize): void {
  const rowBytes = <usize>n << 3;
  for (let z = 0; z < n; z += 4) {
    const count = min(4, n - z);
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
