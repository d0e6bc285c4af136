"""Replicates spramnet's kernel ridge member and fold splits (train.ts, kernelRidge.ts) in numpy."""
import json, numpy as np
A = '/tmp/acc/'
def load(task):
    x = np.load(A + f'{task}-x.npy'); y = np.load(A + f'{task}-y.npy')
    ids = np.load(A + f'{task}-ids.npy').view(np.int32)
    sc = np.load(A + f'{task}-scales.npy') if task == 'sigma' else None
    sp = json.load(open(A + f'{task}-splits.json'))
    splits = {}
    for s, d in sp.items():
        tr = np.array(d['train']); va = np.array(d['validation']); hp = np.array(d['holdOutPositions'])
        mask = np.ones(len(tr), bool); mask[hp] = False
        splits[int(s)] = dict(train=tr, validation=va, hold=tr[hp], fit=tr[mask])
    return x, y, ids, sc, splits

def prep(Xtr, Xte_list, transform='log', standardise=True, weights=None):
    f = (lambda v: np.log(v + 1e-4)) if transform == 'log' else (lambda v: v)
    R = f(Xtr); mean = R.mean(0); var = R.var(0)
    act = var > 1e-16
    scale = np.where(var > 1e-16, np.sqrt(var), 1.0)
    if not standardise: mean = np.zeros_like(mean); scale = np.ones_like(scale)
    w = np.ones(Xtr.shape[1]) if weights is None else weights
    g = lambda Z: ((w * (f(Z) - mean) / scale)[:, act]).astype(np.float32).astype(np.float64)
    return g(Xtr), [g(Z) for Z in Xte_list]

def sqd(A_, B_):
    d = (A_ * A_).sum(1)[:, None] + (B_ * B_).sum(1)[None, :] - 2 * A_ @ B_.T
    return np.maximum(d, 0)

def median_dist(Z, kernel='rbf'):
    rng = np.random.default_rng(12345)
    p = rng.integers(0, len(Z), min(400, len(Z)))
    P = Z[p]
    D = sqd(P, P) if kernel == 'rbf' else np.abs(P[:, None, :] - P[None, :, :]).sum(-1)
    iu = np.triu_indices(len(p), 1)
    d = D[iu][p[iu[0]] != p[iu[1]]]
    m = np.median(d) if len(d) else 0
    return m if m > 0 else 1

def krr_fit_predict(Ztr, ytr, Zte_list, gamma_scale, alpha, kernel='rbf', K=None):
    g = gamma_scale / median_dist(Ztr, kernel)
    dist = (lambda a, b: sqd(a, b)) if kernel == 'rbf' else (lambda a, b: np.abs(a[:, None, :] - b[None, :, :]).sum(-1))
    Ktr = np.exp(-g * dist(Ztr, Ztr))
    ym = ytr.mean(0)
    L = np.linalg.cholesky(Ktr + alpha * np.eye(len(Ztr)))
    a = np.linalg.solve(L.T, np.linalg.solve(L, ytr - ym))
    return [ym + np.exp(-g * dist(Z, Ztr)) @ a for Z in Zte_list]

def spectra_mse(p, t): return float(((p - t) ** 2).mean())

def krr_member(X, Y, sp, grid, loss=spectra_mse, kernel='rbf', transform='log', standardise=True, weights=None, target='none'):
    """As fitMember for a 'refit' kind: select (γ, α) on the inner hold-out, refit on all training rows.
    Returns (validation pred, hold-out pred, chosen)."""
    fwd = np.log if target == 'log' else (lambda v: v); back = np.exp if target == 'log' else (lambda v: v)
    Zf, (Zh,) = prep(X[sp['fit']], [X[sp['hold']]], transform, standardise, weights)
    best = None
    for gs in grid[0]:
        for al in grid[1]:
            (ph,) = krr_fit_predict(Zf, fwd(Y[sp['fit']]), [Zh], gs, al, kernel)
            s = loss(back(ph), Y[sp['hold']])
            if best is None or s < best[0]: best = (s, gs, al, back(ph))
    Zt, (Zv,) = prep(X[sp['train']], [X[sp['validation']]], transform, standardise, weights)
    (pv,) = krr_fit_predict(Zt, fwd(Y[sp['train']]), [Zv], best[1], best[2], kernel)
    return back(pv), best[3], (best[1], best[2], best[0])

def weights_simplex(preds, truth, loss, steps=20):
    n = len(preds)
    if n == 1: return [1.0]
    best = (np.inf, None)
    def visit(prefix, left):
        nonlocal best
        if len(prefix) == n - 1:
            w = [v / steps for v in prefix + [left]]
            l = loss(sum(wi * p for wi, p in zip(w, preds)), truth)
            if l < best[0]: best = (l, w)
            return
        for v in range(left + 1): visit(prefix + [v], left - v)
    visit([], steps)
    return best[1]

def sigma_metrics(p, t):
    out = {}
    for c, n in enumerate(['xx', 'yy']):
        pp, tt = p[:, c], t[:, c]
        out[n + '_rmse'] = float(np.sqrt(((pp - tt) ** 2).mean()))
        out[n + '_within25'] = float((np.abs(pp - tt) / np.abs(tt) < 0.25).mean())
        out[n + '_r2'] = float(1 - ((pp - tt) ** 2).sum() / ((tt - tt.mean()) ** 2).sum())
    return out

def env_weights(width, bins=160, w=4.0):
    v = np.ones(width); v[width - bins:] = w; return v
