import sys, os; sys.path.insert(0, '/tmp/acc/py')
from fast import *
x, y, ids, sc, S = load('sigma')
sid = np.load(A + 'soap-ids.npy').astype(int)
pos = {int(i): k for k, i in enumerate(sid)}
rows = np.array([pos[int(i)] for i in ids])
seeds = [int(s) for s in sys.argv[1].split(',')]
blocks = {'g': block_sqd(x[:, :320]), 'adf': block_sqd(x[:, 320:480]), 'env': block_sqd(x[:, 480:])}
blocks['soapb'] = block_sqd(1 + np.load(A + 'soap-b-mean.npy')[rows], 'log')
variants = {'g+adf+env': [('g', 1), ('adf', 1), ('env', 16)], 'g+adf+env+soapb': [('g', 1), ('adf', 1), ('env', 16), ('soapb', 1)],
            'g+adf+env+soapb x16': [('g', 1), ('adf', 1), ('env', 16), ('soapb', 16)], 'g+adf': [('g', 1), ('adf', 1)]}
only = sys.argv[2].split(';') if len(sys.argv) > 2 else list(variants)
for name in only:
    D = sum(w * blocks[b] for b, w in variants[name])
    res = []
    for seed in seeds:
        sp = S[seed]
        pv, ph, ch = krr_eval(D, y, sp, ([0.1, 0.3, 1], [0.03, 0.1]), target='log')
        v = sp['validation']
        res.append(sigma_metrics(pv / sc[v, None], y[v] / sc[v, None]))
    agg = {k: np.mean([r[k] for r in res]) for k in res[0]}
    print(name, {k: round(v, 4) for k, v in agg.items()}, [round(r['xx_rmse'], 2) for r in res], [round(r['xx_within25'], 3) for r in res], flush=True)
