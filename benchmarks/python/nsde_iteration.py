#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench nsde`: one training iteration of the NN-only control (spec §3) in float64 --
M paths of the Euler-Maruyama ELBO through K steps with the MLP (d+2)-64-64-1 (tanh, zero last layer) on features
(x, sin 2pi t/T, cos 2pi t/T), loss = -mean ELBO, backward, grad-norm clip 10, Adam step.
--experiment ou: OU prior (theta 1, sigma 0.5, T 4, K 200); doublewell: b = x - x^3 (sigma 0.7, T 6, K 300).
Observations are synthetic (the timing does not depend on their values). Prints one JSON line
{"ms_per_step": median ms per iteration, "threads": n, "torch": version}.

Needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import math
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=5)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--experiment", default="doublewell")
parser.add_argument("--paths", type=int, default=64)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
dtype = torch.float64
if args.experiment == "ou":
    sigma, T, K, x0, n_obs = 0.5, 4.0, 200, 0.0, 8
    drift = lambda x: -x
else:
    sigma, T, K, x0, n_obs = 0.7, 6.0, 300, -1.0, 20
    drift = lambda x: x - x ** 3
dt = T / K
r = 0.01
obs_every = K // n_obs
obs = {obs_every * (i + 1): 0.1 * i for i in range(n_obs)}

net = torch.nn.Sequential(torch.nn.Linear(3, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(),
                          torch.nn.Linear(64, 1)).to(dtype)
torch.nn.init.zeros_(net[4].weight)
torch.nn.init.zeros_(net[4].bias)
opt = torch.optim.Adam(net.parameters(), lr=1e-2)


def iteration():
    xi = torch.randn(K, args.paths, 1, dtype=dtype)
    x = torch.full((args.paths, 1), x0, dtype=dtype)
    loglik = torch.zeros(args.paths, 1, dtype=dtype)
    us = []
    for k in range(K):
        t = k * dt
        phase = 2 * math.pi * t / T
        feats = torch.cat([x, torch.full((args.paths, 1), math.sin(phase), dtype=dtype),
                           torch.full((args.paths, 1), math.cos(phase), dtype=dtype)], dim=1)
        u = net(feats)
        us.append(u)
        x = x + (drift(x) + sigma * u) * dt + sigma * math.sqrt(dt) * xi[k]
        if k + 1 in obs:
            loglik = loglik - 0.5 * (obs[k + 1] - x) ** 2 / r - 0.5 * math.log(2 * math.pi * r)
    kl = 0.5 * dt * (torch.cat(us, dim=1) ** 2).sum(dim=1, keepdim=True)
    loss = -(loglik - kl).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
    opt.step()


for _ in range(args.warmup):
    iteration()
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    iteration()
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": torch.get_num_threads(),
                  "torch": torch.__version__}))
