# The pristine h-BN sheets of boron-nitride.md §11: rectangular 4-atom cells (B at 0 and (a/2, b/2),
# N at (a/2, b/6) and (0, 2b/3), b = a√3) repeated nx × ny, a = 2.49786 Å (BNC.tersoff's minimum, §2),
# 20 Å of vacuum. Every bond is B–N at a/√3 = 1.44214 Å, three per atom (checked below).
#   /usr/bin/python3 hbn_sheet.py 10 6    # → hbn_240.vasp
import sys
import numpy as np
from ase import Atoms
from ase.io import write

nx, ny = (int(v) for v in sys.argv[1:3])
a = 2.49786
b = a * np.sqrt(3)
cell = Atoms(['B', 'N', 'B', 'N'], positions=[[0, 0, 0], [a / 2, b / 6, 0], [a / 2, b / 2, 0], [0, 2 * b / 3, 0]], cell=[a, b, 20], pbc=True)
sheet = cell.repeat((nx, ny, 1))
d = sheet.get_all_distances(mic=True)
np.fill_diagonal(d, 9)
assert abs(d.min() - a / np.sqrt(3)) < 1e-9 and ((d < 1.6).sum(1) == 3).all()
write(f'hbn_{len(sheet)}.vasp', sheet, format='vasp', direct=True, sort=True)
print(len(sheet), 'atoms', sheet.cell.lengths())
