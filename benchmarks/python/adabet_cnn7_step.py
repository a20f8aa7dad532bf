#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench adabet` (training part): one Adam step (lr 1e-3) of the layer-select spec's
cnn7 on a random batch of 32 MNIST-sized images, 5 classes, training all layers (--trainable full) or only fc2 and
the head (--trainable fc2,head; frozen layers get requires_grad False and no optimizer state).
Prints one JSON line: {"ms_per_step": median, "threads": n, "torch": version}.

Needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--warmup", type=int, default=10)
parser.add_argument("--steps", type=int, default=30)
parser.add_argument("--trainable", default="full")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
layers = {
    "conv1": nn.Conv2d(1, 16, 3, 1, 1), "conv2": nn.Conv2d(16, 32, 3, 2, 1), "conv3": nn.Conv2d(32, 32, 3, 1, 1),
    "conv4": nn.Conv2d(32, 64, 3, 2, 1), "fc1": nn.Linear(3136, 128), "fc2": nn.Linear(128, 64),
    "head": nn.Linear(64, 5),
}
net = nn.Sequential(layers["conv1"], nn.ReLU(), layers["conv2"], nn.ReLU(), layers["conv3"], nn.ReLU(),
                    layers["conv4"], nn.ReLU(), nn.Flatten(), layers["fc1"], nn.ReLU(), layers["fc2"], nn.ReLU(),
                    layers["head"])
chosen = set(layers) if args.trainable == "full" else set(args.trainable.split(","))
for name, layer in layers.items():
    for p in layer.parameters():
        p.requires_grad_(name in chosen)
opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-3)
x = torch.randn(32, 1, 28, 28)
y = torch.randint(0, 5, (32,))


def step():
    opt.zero_grad(set_to_none=True)
    loss = nn.functional.cross_entropy(net(x), y)
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
