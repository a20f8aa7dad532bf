#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench ebm`: the E1-quick Jarzynski loop of the ebm-jarzynski spec (d = 50, two
modes, N = 2000 walkers, data batch 2000, PAPER ordering, closed-form GMM gradients, plain GD, systematic
resampling at ESS < N/2), float64. Same work per update as the Java loop: the loss evaluates the mixture on the data
batch and on the walkers, then one ULA move and one energy+gradient pass at the new points.
Prints one JSON line: {"ms_per_step": median over blocks, ...}."""
import argparse
import json
import math
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--steps", type=int, default=200)
parser.add_argument("--warmup", type=int, default=50)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
dt = torch.float64
d, N, n, B, h = 50, 2000, 10000, 2000, 0.1
eta_a, eta_z = 0.01, 0.05

teacher = torch.zeros(2, d, dtype=dt)
teacher[0, 0], teacher[1, 0] = -10.0, 6.0
data = torch.cat([teacher[0] + torch.randn(2500, d, dtype=dt), teacher[1] + torch.randn(7500, d, dtype=dt)])
a = 0.01 * torch.randn(2, d, dtype=dt)
a[0, 0], a[1, 0] = -0.1, 0.1
z = torch.zeros(2, dtype=dt)


def evaluate(x):
    l = -0.5 * ((x[:, None, :] - a[None]) ** 2).sum(-1) - z
    lse = torch.logsumexp(l, 1)
    r = torch.exp(l - lse[:, None])
    return -lse, x - r @ a, r


def systematic(p):
    c = torch.cumsum(p, 0)
    t = (torch.rand(1, dtype=dt) + torch.arange(N, dtype=dt)) / N * c[-1]
    return torch.clamp(torch.searchsorted(c, t, right=True), max=N - 1)


X = torch.cat([a[0] + torch.randn(N // 2, d, dtype=dt), a[1] + torch.randn(N // 2, d, dtype=dt)])
A = torch.zeros(N, dtype=dt)
U, G, _ = evaluate(X)


def step():
    global X, A, U, G, a, z
    xb = data[torch.randperm(n)[:B]]
    p = torch.softmax(A, 0)
    _, _, rd = evaluate(xb)
    _, _, rw = evaluate(X)
    wd = rd / B
    ww = rw * p[:, None]
    ga = (wd.sum(0) - ww.sum(0))[:, None] * a - (wd.T @ xb - ww.T @ X)
    gz = wd.sum(0) - ww.sum(0)
    gz[0] = 0.0
    xi = torch.randn(N, d, dtype=dt)
    Y = X - h * G + math.sqrt(2 * h) * xi
    a = a - eta_a * ga
    z = z - eta_z * gz
    U1, G1, _ = evaluate(Y)
    s = G + G1
    A = A + U - U1 + math.sqrt(h / 2) * (xi * s).sum(1) - h / 4 * (s * s).sum(1)
    X, U, G = Y, U1, G1
    lse = torch.logsumexp(A, 0)
    ess = torch.exp(2 * lse - torch.logsumexp(2 * A, 0))
    if ess < 0.5 * N:
        idx = systematic(torch.exp(A - lse))
        X, U, G, A = X[idx], U[idx], G[idx], torch.zeros(N, dtype=dt)


for _ in range(args.warmup):
    step()
blocks = []
per_block = 10
for _ in range(max(1, args.steps // per_block)):
    t0 = time.perf_counter()
    for _ in range(per_block):
        step()
    blocks.append((time.perf_counter() - t0) * 1000 / per_block)
print(json.dumps({"ms_per_step": statistics.median(blocks), "torch": torch.__version__, "threads": args.threads,
                  "mass": float(torch.softmax(-z, 0)[1])}))
