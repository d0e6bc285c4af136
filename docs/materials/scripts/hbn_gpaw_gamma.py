# Γ optical modes of PBE h-BN by frozen phonons: displace B by ±δ along x and z; with the acoustic
# sum rule, ω² = Φ_BB (1/m_B + 1/m_N) for the in-plane (E') and out-of-plane (ZO) optical modes
import numpy as np
from ase import Atoms
from ase.data import atomic_masses
from gpaw import GPAW, PW, FermiDirac
a = 2.5188; d = a / np.sqrt(3); delta = 0.01
def cell():
    return Atoms('BN', positions=[[0, 0, 7.5], [a / 2, d / 2, 7.5]], cell=[[a, 0, 0], [a / 2, a * np.sqrt(3) / 2, 0], [0, 0, 15]], pbc=True)
mB, mN = atomic_masses[5], atomic_masses[7]
conv = np.sqrt(1.602176634e-19 / (1e-20 * 1.66053906660e-27)) / (2 * np.pi) / 1e12
for axis, name in [(0, "E'"), (2, 'ZO')]:
    f = []
    for s in (+1, -1):
        at = cell(); at.positions[0, axis] += s * delta
        at.calc = GPAW(mode=PW(450), xc='PBE', kpts=(12, 12, 1), occupations=FermiDirac(0.01), txt=None, symmetry='off')
        f.append(at.get_forces()[0, axis])
    phi = -(f[0] - f[1]) / (2 * delta)
    nu = np.sqrt(phi * (1 / mB + 1 / mN)) * conv
    print(name, 'Phi_BB', phi, 'eV/A2', nu, 'THz', nu * 33.35641, 'cm-1', flush=True)
