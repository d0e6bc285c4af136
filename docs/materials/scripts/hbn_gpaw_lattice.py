# PBE monolayer h-BN: lattice constant from a quadratic fit of E(a) (a = 2.49 … 2.52 Å)
import numpy as np
from ase import Atoms
from gpaw import GPAW, PW, FermiDirac
def cell(a):
    d = a / np.sqrt(3)
    return Atoms('BN', positions=[[0, 0, 7.5], [a / 2, d / 2, 7.5]],
                 cell=[[a, 0, 0], [a / 2, a * np.sqrt(3) / 2, 0], [0, 0, 15]], pbc=True)
es = []
for a in [2.49, 2.50, 2.51, 2.52]:
    at = cell(a)
    at.calc = GPAW(mode=PW(450), xc='PBE', kpts=(12, 12, 1), occupations=FermiDirac(0.01), txt=None, symmetry={'point_group': True})
    es.append(at.get_potential_energy())
    print(a, es[-1], flush=True)
p = np.polyfit([2.49, 2.50, 2.51, 2.52], es, 2); a0 = -p[1] / (2 * p[0]); print('a0', a0, 'bond', a0 / np.sqrt(3), flush=True)
