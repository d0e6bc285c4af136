"""Fast prototyping: squared-distance blocks precomputed once over all rows (columns standardised on all rows)."""
import sys; sys.path.insert(0, '/tmp/acc/py')
from harness import *
from scipy.linalg import cho_factor, cho_solve

def block_sqd(F, transform='log'):
    Z = np.log(F + 1e-4) if transform == 'log' else F.copy()
    v = Z.var(0); act = v > 1e-16
    Z = (Z[:, act] - Z[:, act].mean(0)) / np.sqrt(v[act])
    return sqd(Z, Z)

def krr_eval(Dsum, Y, sp, grid, loss=spectra_mse, target='none', Yeval=None):
    fwd = np.log if target == 'log' else (lambda v: v); back = np.exp if target == 'log' else (lambda v: v)
    def fitpred(tr, te, gs, al):
        Dtr = Dsum[np.ix_(tr, tr)]
        rng = np.random.default_rng(12345); p = rng.integers(0, len(tr), min(400, len(tr)))
        P = Dtr[np.ix_(p, p)]; iu = np.triu_indices(len(p), 1); d = P[iu][p[iu[0]] != p[iu[1]]]
        g = gs / np.median(d)
        K = np.exp(-g * Dtr); K[np.diag_indices_from(K)] += al
        yt = fwd(Y[tr]); ym = yt.mean(0)
        a = cho_solve(cho_factor(K), yt - ym)
        return back(ym + np.exp(-g * Dsum[np.ix_(te, tr)]) @ a)
    best = None
    for gs in grid[0]:
        for al in grid[1]:
            ph = fitpred(sp['fit'], sp['hold'], gs, al)
            s = loss(ph, Y[sp['hold']])
            if best is None or s < best[0]: best = (s, gs, al, ph)
    pv = fitpred(sp['train'], sp['validation'], best[1], best[2])
    return pv, best[3], best[1:3]
