"""Can a classifier tell generated sheets from public ones? (the structure factory's deciding test)

usage: /usr/bin/python3 bench/generate_auc.py PUBLIC.jsonl GENERATED.jsonl SUBSET OUT.json
  SUBSET: www (public ids 1-2000, c = 20 A) or quench (ids 2001-4000, c = 10 A);
       or: bench/generate_auc.py RDF_DIR GENERATED.jsonl thermal OUT.json
  (thermal: the public phonon set's rdf_i.npy against the generated sheets' release-normalised g(r)).
Features: src/generate/compare.ts (rings per atom by size, coordination, bond lengths and angles,
height spread, areal density). Score: 5-fold stratified cross-validated ROC AUC of gradient-boosted
trees (sklearn GradientBoostingClassifier, default settings), 0.5 = indistinguishable; also per
feature group, and the mean +- std of every feature on both sides.
"""
import json
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

public_file, generated_file, subset, out_file = sys.argv[1:5]
c_public = 20.0 if subset == "www" else 10.0
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

if subset == "thermal":
    import glob
    P = np.array([np.load(f) for f in sorted(glob.glob(public_file + "/rdf_*.npy"))])
    G = np.array([json.loads(line)["rdf"] for line in open(generated_file) if line.strip()])
    X = np.concatenate([P, G])
    y = np.array([0] * len(P) + [1] * len(G))
    auc = {}
    for g, cols in {"rdf_0_10A": range(100), "rdf_0_3A": range(30), "rdf_3_10A": range(30, 100)}.items():
        s = cross_val_score(GradientBoostingClassifier(random_state=0), X[:, list(cols)], y, cv=cv, scoring="roc_auc")
        auc[g] = {"mean": float(s.mean()), "folds": [float(v) for v in s]}
    pm, gm = P.mean(0), G.mean(0)
    result = {"subset": subset, "public": len(P), "generated": len(G), "auc": auc,
              "mean_rdf_public": pm.tolist(), "mean_rdf_generated": gm.tolist(),
              "mse_mean_curves": float(((pm - gm) ** 2).mean()),
              "public_spread_mse": float(((P - pm) ** 2).mean()),
              "large_r_mean_public_8_10A": float(pm[80:].mean()), "large_r_mean_generated_8_10A": float(gm[80:].mean())}
    json.dump(result, open(out_file, "w"), indent=1)
    print(f"thermal: {len(P)} public vs {len(G)} generated g(r); 5-fold ROC AUC " + ", ".join(f"{g} {v['mean']:.3f}" for g, v in auc.items()))
    print(f"mean-curve MSE {result['mse_mean_curves']:.3e} (public spread about its mean {result['public_spread_mse']:.3e}); "
          f"8-10 A level public {result['large_r_mean_public_8_10A']:.4f}, generated {result['large_r_mean_generated_8_10A']:.4f}")
    print("bins 1.2-3.0 A  public: " + " ".join(f"{v:.3f}" for v in pm[12:30]))
    print("bins 1.2-3.0 A  generated: " + " ".join(f"{v:.3f}" for v in gm[12:30]))
    sys.exit(0)


def load(path, keep):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    return [r for r in rows if keep(r)]


public = load(public_file, lambda r: r["c_A"] == c_public and ((r["id"] <= 2000) == (subset == "www")))
generated = load(generated_file, lambda r: True)
names = list(public[0]["features"].keys())
X = np.array([[r["features"][k] for k in names] for r in public + generated])
y = np.array([0] * len(public) + [1] * len(generated))
groups = {
    "all": names,
    "rings": [k for k in names if k.startswith("rings_")],
    "coordination": [k for k in names if k.startswith("coordination_")],
    "bonds_angles": [k for k in names if k.startswith("bond_")],
    "height": ["height_std_A"],
    "density": ["areal_density_per_A2"],
}
auc = {}
for g, cols in groups.items():
    idx = [names.index(c) for c in cols]
    s = cross_val_score(GradientBoostingClassifier(random_state=0), X[:, idx], y, cv=cv, scoring="roc_auc")
    auc[g] = {"mean": float(s.mean()), "folds": [float(v) for v in s]}
model = GradientBoostingClassifier(random_state=0).fit(X, y)
importance = sorted(zip(names, model.feature_importances_.tolist()), key=lambda t: -t[1])
table = {
    k: {
        "public_mean": float(X[y == 0, i].mean()), "public_std": float(X[y == 0, i].std()),
        "generated_mean": float(X[y == 1, i].mean()), "generated_std": float(X[y == 1, i].std()),
    }
    for i, k in enumerate(names)
}
result = {"subset": subset, "public": len(public), "generated": len(generated), "auc": auc, "importance": importance[:8], "table": table}
json.dump(result, open(out_file, "w"), indent=1)
print(f"{subset}: {len(public)} public vs {len(generated)} generated; 5-fold ROC AUC " + ", ".join(f"{g} {v['mean']:.3f}" for g, v in auc.items()))
print(f"{'feature':34s} {'public':>17s} {'generated':>17s}")
for k, t in table.items():
    print(f"{k:34s} {t['public_mean']:8.4f} ± {t['public_std']:6.4f} {t['generated_mean']:8.4f} ± {t['generated_std']:6.4f}")
print("most used by the classifier:", ", ".join(f"{k} {v:.2f}" for k, v in importance[:5]))
