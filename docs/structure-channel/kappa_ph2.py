import sys; sys.path.insert(0, '/tmp/acc/py')
from harness import *
from scipy.spatial.distance import cdist
from scipy.linalg import cho_factor, cho_solve
xk, yk, idk, _, Sk = load('kappa')
xp, yp, idp, _, Sp = load('ph-dos')
m = json.load(open(A + 'thermal-map.json'))
ph_rel = {r['id']: r['release_id'] for r in m['phonon']}
kap_ph = {r['id']: r['phonon_id'] for r in m['kappa']}
rel_to_prow = {ph_rel[int(i)]: k for k, i in enumerate(idp)}
kp = np.array([rel_to_prow[kap_ph[int(i)]] for i in idk])
mae = lambda p, t: float(np.abs(p - t).mean())
def med(D, tr):
    rng = np.random.default_rng(12345); p = rng.integers(0, len(tr), min(400, len(tr)))
    P = D[np.ix_(tr[p], tr[p])]; iu = np.triu_indices(len(p), 1); d = P[iu][p[iu[0]] != p[iu[1]]]
    return np.median(d)
def krr(D, Y, tr, te, gs, al):
    g = gs / med(D, tr); K = np.exp(-g * D[np.ix_(tr, tr)]); K[np.diag_indices_from(K)] += al
    ym = Y[tr].mean(0); a = cho_solve(cho_factor(K), Y[tr] - ym)
    return ym + np.exp(-g * D[np.ix_(te, tr)]) @ a
def member(D, Y, sp, grid, loss):
    best = None
    for gs in grid[0]:
        for al in grid[1]:
            ph = krr(D, Y, sp['fit'], sp['hold'], gs, al); s = loss(ph, Y[sp['hold']])
            if best is None or s < best[0]: best = (s, gs, al)
    return krr(D, Y, sp['train'], sp['validation'], best[1], best[2])
# out-of-fold predicted ph-DoS of every phonon row: the ph-DoS recipe's kernel ridge (rbf, raw g, γ 0.3, α 1e-3), 10 folds
Dp = cdist(xp, xp, 'sqeuclidean')
oof = np.zeros_like(yp)
rng = np.random.default_rng(0); order = rng.permutation(len(xp))
for f in range(10):
    te = np.sort(order[f::10]); tr = np.setdiff1d(np.arange(len(xp)), te)
    oof[te] = np.clip(krr(Dp, yp, tr, te, 0.3, 1e-3), 0, None)
oof /= oof.sum(1, keepdims=True)
print('OOF ph-DoS MSE', spectra_mse(oof, yp), flush=True)
Dg = cdist(xk, xk, 'cityblock')
res = {k: [] for k in ['g', 'g+trueph', 'g+predph']}
for seed in range(5):
    sp = Sk[seed]; yv = yk[sp['validation']]
    grid = ([0.1, 0.3, 1], [0.01, 0.1])
    res['g'].append(mae(member(Dg, yk, sp, grid, mae), yv))
    for name, ph in [('g+trueph', yp[kp]), ('g+predph', oof[kp])]:
        Dph = cdist(ph, ph, 'cityblock')
        D = Dg + 3.0 * Dph * (Dg.mean() / Dph.mean())
        res[name].append(mae(member(D, yk, sp, grid, mae), yv))
    print(seed, {k: round(v[-1], 4) for k, v in res.items()}, flush=True)
for k, v in res.items(): print(k, 'mean %.4f ± %.4f' % (np.mean(v), np.std(v)), [round(a, 4) for a in v])
