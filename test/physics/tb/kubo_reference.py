"""Independent Kubo–Greenwood sums with numpy: complex eigh of H(k), |<a|ħv|b>|², scipy constants.
stdin: JSON {n, kpoints: [{w, hre, him, vre: [x, y], vim: [x, y]}], fermi, omega, eta, kT, sigma, volume}
stdout: JSON {optical: [xx, yy], dc: [...], gauss: [...]} in S/m."""
import json, sys
import numpy as np
from scipy import constants as C

d = json.load(sys.stdin)
n = d["n"]
sums = {k: np.zeros(2) for k in ("optical", "dc", "gauss")}
ef, w, eta, kT, s = d["fermi"], d["omega"], d["eta"], d["kT"], d["sigma"]
lor = lambda x: eta / np.pi / (x * x + eta * eta)
dlor = lambda x: -2 * eta * x / np.pi / (x * x + eta * eta) ** 2
for k in d["kpoints"]:
    h = np.array(k["hre"]).reshape(n, n) + 1j * np.array(k["him"]).reshape(n, n)
    e, u = np.linalg.eigh(h)
    f = 1 / (1 + np.exp(np.clip((e - ef) / kT, -200, 200))) if kT > 0 else (e < ef) + 0.5 * (e == ef)
    g = np.exp(-0.5 * ((ef - e) / s) ** 2) / (np.sqrt(2 * np.pi) * s)
    for axis in range(2):
        v = np.array(k["vre"][axis]).reshape(n, n) + 1j * np.array(k["vim"][axis]).reshape(n, n)
        m2 = np.abs(u.conj().T @ v @ u) ** 2
        de = e[None, :] - e[:, None]  # E_b − E_a
        df = f[:, None] - f[None, :]
        off = ~np.eye(n, dtype=bool)
        sums["optical"][axis] += k["w"] * np.sum((df * m2 * lor(de - w) / w)[off])
        sums["dc"][axis] += k["w"] * np.sum((df * m2 * -dlor(de))[off])
        sums["gauss"][axis] += k["w"] * np.sum(m2 * g[:, None] * g[None, :])
# σ = π e² g_s/(Ω ω) Σ Δf |v|² δ(E): |v|² = M (eV Å)²/ħ², δ in 1/J
hbar = C.hbar
pref = np.pi * C.e**2 * 2 / (d["volume"] * 1e-30) * (1e-10 * C.e / hbar) ** 2 * hbar / C.e**2
print(json.dumps({k: list(v * pref) for k, v in sums.items()}))
