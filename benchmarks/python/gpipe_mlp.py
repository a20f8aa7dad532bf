#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench gpipe`: one non-pipelined training step (forward, backward, SGD) of the
pipeline spec's synthetic model, 8 x (Linear 1024->1024 + ReLU), float32, batch 256, MSE against random targets.
Prints one JSON line: {"ms_per_step": median, ...}. Needs Debian's python3-torch."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--warmup", type=int, default=5)
parser.add_argument("--steps", type=int, default=20)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
layers = []
for _ in range(8):
    layers += [torch.nn.Linear(1024, 1024), torch.nn.ReLU()]
net = torch.nn.Sequential(*layers)
opt = torch.optim.SGD(net.parameters(), lr=1e-4)
x = torch.randn(256, 1024)
y = torch.randn(256, 1024)


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()


for _ in range(args.warmup):
    step()
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": torch.get_num_threads(),
                  "torch": torch.__version__}))
