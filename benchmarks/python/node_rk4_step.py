#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench node`: one iteration of the E1 RK4-backprop baseline (neural-ode spec §7) in
float64 -- the Van der Pol PeN-ODE x1' = x2, x2' = -x1 + N(x1, x2) with N an MLP 2-16-16-1 (tanh, zero last layer),
RK4 with h = 0.1 over [0, 10] recording every stage on the autograd tape, F = 1/2 mean_d |x(t_d) - y_d|^2 +
1/2 lambda |theta|^2 (lambda 1e-4) with a trained x0, backward, Adam step (lr 1e-2). Data are synthetic noisy Van der Pol
samples (the timing does not depend on their values). Prints one JSON line
{"ms_per_step": median ms per iteration, "threads": n, "torch": version}.

Needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=5)
parser.add_argument("--steps", type=int, default=20)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
dtype = torch.float64
h, n_data = 0.1, 101
net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                          torch.nn.Linear(16, 1)).to(dtype)
torch.nn.init.zeros_(net[4].weight)
torch.nn.init.zeros_(net[4].bias)
x0 = torch.tensor([[0.0, 1.0]], dtype=dtype, requires_grad=True)
opt = torch.optim.Adam(list(net.parameters()) + [x0], lr=1e-2)

# synthetic data: the true Van der Pol (mu = 1) by fine RK4, plus noise
with torch.no_grad():
    x = torch.tensor([[0.0, 1.0]], dtype=dtype)
    ys = [x.clone()]
    for d in range(1, n_data):
        for _ in range(10):
            f = lambda s: torch.cat([s[:, 1:2], (1 - s[:, 0:1] ** 2) * s[:, 1:2] - s[:, 0:1]], dim=1)
            k1 = f(x); k2 = f(x + 0.005 * k1); k3 = f(x + 0.005 * k2); k4 = f(x + 0.01 * k3)
            x = x + 0.01 / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(x.clone())
    data = torch.cat(ys) + 0.05 * torch.randn(n_data, 2, dtype=dtype)


def rhs(x):
    return torch.cat([x[:, 1:2], net(x) - x[:, 0:1]], dim=1)


def iteration():
    opt.zero_grad()
    x = x0
    loss = 0.5 * ((x - data[0:1]) ** 2).sum()
    for d in range(1, n_data):
        k1 = rhs(x)
        k2 = rhs(x + h / 2 * k1)
        k3 = rhs(x + h / 2 * k2)
        k4 = rhs(x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        loss = loss + 0.5 * ((x - data[d:d + 1]) ** 2).sum()
    loss = loss / n_data + 0.5e-4 * sum((p ** 2).sum() for p in net.parameters())
    loss.backward()
    opt.step()


for _ in range(args.warmup):
    iteration()
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    iteration()
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": args.threads, "torch": torch.__version__}))
