"""Independent shortest-path (SP) ring count with networkx, for test/generate/rings.test.ts.

The periodic sheet is replicated 3 x 3 into a torus graph (bonds: pairs closer than the cut-off,
minimum image in x and y of the supercell). Rings are enumerated as simple cycles by depth-first
search from every atom of the central copy, keeping only cycles whose other atoms have larger
original indices (so each ring of the sheet is met once, in both directions), and kept when for
every two atoms the networkx shortest-path length equals the shorter way round the cycle
(Franzblau's SP ring). Prints {"size": count} as JSON for each POSCAR given.
"""
import json
import sys

import networkx as nx
import numpy as np


def read_poscar(path):
    lines = open(path).read().split("\n")
    cell = np.array([[float(x) for x in lines[i].split()] for i in (2, 3, 4)])
    n = sum(int(x) for x in lines[6].split())
    pos = np.array([[float(x) for x in lines[8 + i].split()[:3]] for i in range(n)])
    return cell, pos


def sp_rings(path, cutoff=1.85, max_len=12):
    cell, pos = read_poscar(path)
    n = len(pos)
    lx, ly = cell[0, 0], cell[1, 1]
    big = np.concatenate([pos + [a * lx, b * ly, 0] for a in range(3) for b in range(3)])
    copy = np.repeat(np.arange(9), n)
    orig = np.tile(np.arange(n), 9)
    d = big[:, None, :] - big[None, :, :]
    d[..., 0] -= 3 * lx * np.round(d[..., 0] / (3 * lx))
    d[..., 1] -= 3 * ly * np.round(d[..., 1] / (3 * ly))
    r = np.sqrt((d ** 2).sum(-1))
    g = nx.Graph()
    g.add_nodes_from(range(9 * n))
    ii, jj = np.nonzero((r < cutoff) & (r > 0))
    g.add_edges_from((int(a), int(b)) for a, b in zip(ii, jj) if a < b)
    dist = {}

    def distances(u):
        if u not in dist:
            dist[u] = nx.single_source_shortest_path_length(g, u, cutoff=max_len // 2 + 1)
        return dist[u]

    def is_sp(cycle):
        m = len(cycle)
        for a in range(m):
            du = distances(cycle[a])
            for b in range(a + 1, m):
                ring = min(b - a, m - (b - a))
                if du.get(cycle[b], max_len) < ring:
                    return False
        return True

    counts = {}
    central = 4  # copy (1, 1)
    for s in range(central * n, (central + 1) * n):
        o = orig[s]
        stack = [(s, [s])]
        while stack:
            v, path = stack.pop()
            for w in g.neighbors(v):
                if w == s and len(path) >= 3:
                    if path[1] < path[-1]:
                        origs = [orig[x] for x in path]
                        if len(set(origs)) == len(origs) and is_sp(path):
                            counts[len(path)] = counts.get(len(path), 0) + 1
                elif orig[w] > o and w not in path and len(path) < max_len:
                    stack.append((w, path + [w]))
    return counts


if __name__ == "__main__":
    max_len = int(sys.argv[1])
    print(json.dumps({p: {str(k): v for k, v in sorted(sp_rings(p, max_len=max_len).items())} for p in sys.argv[2:]}))
