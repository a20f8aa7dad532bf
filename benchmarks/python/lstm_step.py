#!/usr/bin/env python3
"""PyTorch CPU peer of the leantrain LSTM benchmark: one training step (forward over the sequence, backward,
SGD) of a single-layer LSTM, input 256, hidden 256, batch 64, 35 steps, float32, loss = mean(h²) over all
hidden states. Prints one JSON line: {"ms_per_step": median, ...}. Used by `leantrain-bench core`."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=10)
parser.add_argument("--steps", type=int, default=30)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
lstm = torch.nn.LSTM(256, 256, batch_first=True)
opt = torch.optim.SGD(lstm.parameters(), lr=0.01)
x = torch.randn(64, 35, 256)


def step():
    opt.zero_grad(set_to_none=True)
    h, _ = lstm(x)
    (h ** 2).mean().backward()
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
