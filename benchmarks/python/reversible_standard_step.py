#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench reversible`: one training step (forward, backward, AdamW) of the standard
pre-LN char LM of the reversible-llm quick config (V = 85, d = 64, 4 heads, GELU MLP 4x, L = 6, T = 64, B = 32,
learned positions, final LN, untied head), float32, plain autograd.
Prints one JSON line: {"ms_per_step": median over steps, "torch": version}."""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--warmup", type=int, default=3)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
V, d, H, L, T, B = 85, 64, 4, 6, 64, 32


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.up, self.down = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.register_buffer("mask", torch.triu(torch.full((T, T), float("-inf")), 1))

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, -1)
        q, k, v = (z.view(b, t, H, d // H).transpose(1, 2) for z in (q, k, v))
        s = (q @ k.transpose(-1, -2)) / (d // H) ** 0.5 + self.mask[:t, :t]
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.out(a)
        return x + self.down(nn.functional.gelu(self.up(self.ln2(x))))


class Lm(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok, self.pos = nn.Embedding(V, d), nn.Embedding(T, d)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, V)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


model = Lm()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0)
ids = torch.randint(0, V, (B, T))
targets = torch.randint(0, V, (B, T))
times = []
for i in range(args.warmup + args.steps):
    t0 = time.perf_counter()
    loss = nn.functional.cross_entropy(model(ids).reshape(-1, V), targets.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if i >= args.warmup:
        times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms_per_step": statistics.median(times), "torch": torch.__version__}))
