import sys; sys.path.insert(0, '/tmp/acc/py')
from harness import *
x, y, ids, sc, S = load('el-dos')
# channels: 0 g2d 1 g3d 2 adf 3 env ; the el-dos ensemble uses pcf+env
X = np.concatenate([x[:, :320], x[:, 480:]], 1)
for seed in [0, 1, 2, 3, 4]:
    pv, ph, ch = krr_member(X, y, S[seed], ([0.2, 0.4, 0.8], [0.1, 0.3]), weights=env_weights(X.shape[1]))
    print(seed, spectra_mse(pv, y[S[seed]['validation']]), ch, flush=True)
