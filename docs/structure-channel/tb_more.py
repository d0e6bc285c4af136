import sys; sys.path.insert(0, '/tmp/acc/py')
from fast import *
x, y, ids, sc, S = load('el-dos')
tb = np.load(A + 'tb-eldos-0.25.npy')
blocks = {'g': block_sqd(x[:, :320]), 'env': block_sqd(x[:, 480:]), 'soapb': block_sqd(1 + np.load(A + 'soap-b-mean.npy'), 'log'), 'tblog': block_sqd(tb, 'log')}
D = blocks['g'] + 16 * blocks['env'] + 16 * blocks['soapb'] + blocks['tblog']
vals = [spectra_mse(krr_eval(D, y, S[s], ([0.2, 0.4, 0.8], [0.1, 0.3]))[0], y[S[s]['validation']]) for s in range(5)]
print('el-dos g+env+soap x16+tb(log) ', ['%.3e' % v for v in vals], 'mean %.3e ± %.1e' % (np.mean(vals), np.std(vals)), flush=True)
del blocks, D
xs, ys, ids2, sc2, S2 = load('sigma')
pos = {int(i): k for k, i in enumerate(ids)}
rows = np.array([pos[int(i)] for i in ids2])
B = {'g': block_sqd(xs[:, :320]), 'adf': block_sqd(xs[:, 320:480]), 'env': block_sqd(xs[:, 480:]), 'soapb': block_sqd(1 + np.load(A + 'soap-b-mean.npy')[rows], 'log'), 'tblog': block_sqd(tb[rows], 'log')}
D = B['g'] + B['adf'] + 16 * B['env'] + 16 * B['soapb'] + B['tblog']
res = []
for s in range(5):
    sp = S2[s]; pv = krr_eval(D, ys, sp, ([0.1, 0.3, 1], [0.03, 0.1]), target='log')[0]; v = sp['validation']
    res.append(sigma_metrics(pv / sc2[v, None], ys[v] / sc2[v, None]))
print('sigma g+adf+env+soap x16+tb(log)', {k: round(np.mean([r[k] for r in res]), 4) for k in res[0]}, [round(r['xx_rmse'], 2) for r in res], [round(r['xx_within25'], 3) for r in res], flush=True)
