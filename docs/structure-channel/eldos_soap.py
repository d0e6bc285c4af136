import sys; sys.path.insert(0, '/tmp/acc/py')
from fast import *
x, y, ids, sc, S = load('el-dos')
sid = np.load(A + 'soap-ids.npy').astype(int)
assert (sid == ids).all(), 'row order differs'
seeds = [int(s) for s in sys.argv[1].split(',')]
Dg = block_sqd(x[:, :320]); De = block_sqd(x[:, 480:])
blocks = {'g': Dg, 'env': De}
import os
for tag in ['b', 'c']:
    if not os.path.exists(A + f'soap-{tag}-mean.npy'): continue
    blocks['soap' + tag] = block_sqd(1 + np.load(A + f'soap-{tag}-mean.npy'), 'log')
    blocks['soap2' + tag] = block_sqd(np.load(A + f'soap-{tag}-second.npy'), 'log')
for k in [32, 128]: blocks[f'hist{k}'] = block_sqd(np.load(A + f'soap-b-hist{k}.npy'), 'log')
print('blocks ready', flush=True)
variants = {
    'g': [('g', 1)], 'g+env': [('g', 1), ('env', 16)],
    'g+env+soapb': [('g', 1), ('env', 16), ('soapb', 1)],
    'g+env+soapb x4': [('g', 1), ('env', 16), ('soapb', 4)],
    'g+env+soapb x0.25': [('g', 1), ('env', 16), ('soapb', 0.25)],
    'g+env x4+soapb': [('g', 1), ('env', 64), ('soapb', 1)],
    'g+env+soapc': [('g', 1), ('env', 16), ('soapc', 1)],
    'soapb': [('soapb', 1)],
    'g+env+soapb x16': [('g', 1), ('env', 16), ('soapb', 16)],
    'g+env+soapb x64': [('g', 1), ('env', 16), ('soapb', 64)],
    'g+env+soapb x4+h32': [('g', 1), ('env', 16), ('soapb', 4), ('hist32', 4)],
    'g+env+soapb x4+h128': [('g', 1), ('env', 16), ('soapb', 4), ('hist128', 1)],
    'g+env+h128': [('g', 1), ('env', 16), ('hist128', 1)], 'env+soapb': [('env', 16), ('soapb', 1)],
    'g+env+soapb+2': [('g', 1), ('env', 16), ('soapb', 1), ('soap2b', 1)],
}
GRID = ([0.4, 0.8, 1.6, 3.2], [0.03, 0.1, 0.3]) if len(sys.argv) > 3 else ([0.2, 0.4, 0.8], [0.1, 0.3])
only = sys.argv[2].split(';') if len(sys.argv) > 2 else list(variants)
for name in only:
    D = sum(w * blocks[b] for b, w in variants[name])
    vals = []
    for seed in seeds:
        pv, ph, ch = krr_eval(D, y, S[seed], GRID)
        vals.append(spectra_mse(pv, y[S[seed]['validation']]))
    print(name, ['%.3e' % v for v in vals], 'mean %.3e ± %.1e (std)' % (np.mean(vals), np.std(vals)), ch, flush=True)
    np.save(A + 'eldos-folds-' + name.replace(' ', '_') + '.npy', np.array(vals))
