#!/usr/bin/env python3
"""GUDHI peer of `leantrain-bench adabet` (engine part): Vietoris-Rips persistence (H0, H1 over Z/2) of the seeded
clouds of the layer-select spec §6 (SplitMix64 = java.util.SplittableRandom, point i coordinate c = u[i*d + c]).
Prints one JSON line: {"ms_per_step": median ms per diagram, "h1": positive H1 bars, "version": gudhi version}.

Needs Debian's python3-gudhi (apt-get install python3-gudhi)."""
import argparse
import json
import statistics
import time

import gudhi

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)  # GUDHI's Rips persistence is single-threaded
parser.add_argument("--steps", type=int, default=5)
parser.add_argument("--seed", type=int, default=11)
parser.add_argument("--n", type=int, default=256)
parser.add_argument("--d", type=int, default=64)
args = parser.parse_args()

MASK = (1 << 64) - 1


def splitmix_doubles(seed, count):
    s = seed & MASK
    out = []
    for _ in range(count):
        s = (s + 0x9E3779B97F4A7C15) & MASK
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        out.append((z >> 11) * 2.0 ** -53)
    return out


u = splitmix_doubles(args.seed, args.n * args.d)
points = [u[i * args.d:(i + 1) * args.d] for i in range(args.n)]


def diagram():
    tree = gudhi.RipsComplex(points=points).create_simplex_tree(max_dimension=2)
    return tree.persistence(homology_coeff_field=2, min_persistence=0)


h1 = sum(1 for dim, (b, d) in diagram() if dim == 1 and d > b)
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    diagram()
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(times), "h1": h1, "version": gudhi.__version__}))
