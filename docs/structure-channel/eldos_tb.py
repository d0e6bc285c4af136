import sys; sys.path.insert(0, '/tmp/acc/py')
from fast import *
x, y, ids, sc, S = load('el-dos')
tid = np.load(A + 'tb-ids.npy').astype(int); assert (tid == ids).all()
blocks = {'g': block_sqd(x[:, :320]), 'env': block_sqd(x[:, 480:]), 'soapb': block_sqd(1 + np.load(A + 'soap-b-mean.npy'), 'log')}
for s in ['0.05', '0.25']: blocks['tb' + s] = block_sqd(np.load(A + f'tb-eldos-{s}.npy'), 'none')
variants = {'g+env+soapb x16+tb0.25': [('g', 1), ('env', 16), ('soapb', 16), ('tb0.25', 1)],
            'g+env+soapb x16+tb0.05': [('g', 1), ('env', 16), ('soapb', 16), ('tb0.05', 1)],
            'g+env+tb0.25': [('g', 1), ('env', 16), ('tb0.25', 1)]}
seeds = [int(s) for s in sys.argv[1].split(',')]
for name in sys.argv[2].split(';'):
    D = sum(w * blocks[b] for b, w in variants[name])
    vals = [spectra_mse(krr_eval(D, y, S[s], ([0.2, 0.4, 0.8], [0.1, 0.3]))[0], y[S[s]['validation']]) for s in seeds]
    print(name, ['%.3e' % v for v in vals], 'mean %.3e ± %.1e' % (np.mean(vals), np.std(vals)), flush=True)
