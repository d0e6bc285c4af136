import numpy as np
from sklearn.cluster import MiniBatchKMeans
A = '/tmp/acc/'
P = np.load(A + 'soap-b-atoms.npy'); counts = np.load(A + 'soap-b-counts.npy').astype(int)
rng = np.random.default_rng(0); sub = P[rng.choice(len(P), 60000, replace=False)]
for k in [32, 128]:
    km = MiniBatchKMeans(k, random_state=0, n_init=3, batch_size=4096).fit(sub)
    lab = np.concatenate([km.predict(P[s:s + 100000]) for s in range(0, len(P), 100000)])
    H = np.zeros((len(counts), k)); o = 0
    for r, n in enumerate(counts): H[r] = np.bincount(lab[o:o + n], minlength=k) / n; o += n
    np.save(A + f'soap-b-hist{k}.npy', H); print(k, 'done', flush=True)
