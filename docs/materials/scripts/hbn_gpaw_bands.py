# PBE eigenvalues of monolayer h-BN at Γ, K, M (60° cell: K = (2/3, 1/3)) with each state's p_z share of
# its PAW projections, to tell π from σ states
import numpy as np
from ase import Atoms
from gpaw import GPAW, PW, FermiDirac
a = 2.5188
d = a / np.sqrt(3)
at = Atoms('BN', positions=[[0, 0, 7.5], [a / 2, d / 2, 7.5]], cell=[[a, 0, 0], [a / 2, a * np.sqrt(3) / 2, 0], [0, 0, 15]], pbc=True)
calc = GPAW(mode=PW(450), xc='PBE', kpts=(12, 12, 1), occupations=FermiDirac(0.01), txt=None, nbands=8)
at.calc = calc; at.get_potential_energy()
ks = {'G': [0, 0, 0], 'K': [2/3, 1/3, 0], 'M': [0.5, 0, 0]}
bs = calc.fixed_density(nbands=10, kpts=list(ks.values()), symmetry='off', txt=None)
for q, name in enumerate(ks):
    e = bs.get_eigenvalues(kpt=q)
    # pz weight of each state from the PAW projections (m = 0 of l = 1 is pz in GPAW's real harmonics: index 1 → y, 2 → z, 3 → x)
    P = bs.wfs.kpt_u[q].projections
    w = []
    for n in range(len(e)):
        tot = 0; pz = 0
        for aidx in range(2):
            p = P[aidx][n]
            tot += np.sum(np.abs(p) ** 2)
            # first projector channel is s (1 function), then p (3 functions: y, z, x)
            pz += np.abs(p[2]) ** 2
        w.append(pz / tot if tot > 0 else 0)
    print(name, ' '.join(f'{x:.3f}({y:.2f})' for x, y in zip(e, w)))
