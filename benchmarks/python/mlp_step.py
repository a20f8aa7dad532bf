#!/usr/bin/env python3
"""PyTorch CPU peer of the leantrain core benchmark: one training step (forward, backward, SGD) of a
784-512-512-10 ReLU MLP on random float32 data. Prints one JSON line: {"ms_per_step": median, ...}.

Used by `leantrain-bench core`; needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--batch", type=int, default=256)
parser.add_argument("--warmup", type=int, default=100)
parser.add_argument("--steps", type=int, default=100)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(),
                          torch.nn.Linear(512, 10))
opt = torch.optim.SGD(net.parameters(), lr=0.01)
x = torch.rand(args.batch, 784)
y = torch.randint(0, 10, (args.batch,))


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.cross_entropy(net(x), y)
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
