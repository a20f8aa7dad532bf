#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench negcache`: one negative-cache training step on the near-duplicate corpus
sizes (vocab 2012, queries of 4 tokens, documents of 8, e = 64, beta = 20, L2-normalised bag-of-tokens towers),
batch B, cache C: encode queries and positives, score against the cache without autograd, Gumbel-max draw,
re-encode the drawn negatives, (1 - p+)-weighted loss, backward, Adam, refresh the drawn slots, insert the
positives into the oldest slots, age. Prints one JSON line: {"ms_per_step": median, ...}."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=10)
parser.add_argument("--steps", type=int, default=50)
parser.add_argument("--batch", type=int, default=8)
parser.add_argument("--capacity", type=int, default=4096)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
V, E, BETA = 2012, 64, 20.0


class Tower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V, E)
        torch.nn.init.normal_(self.emb.weight, 0, 0.1)
        self.first = torch.nn.Linear(E, E)
        self.second = torch.nn.Linear(E, E)

    def forward(self, tokens):
        u = torch.tanh(self.first(self.emb(tokens).mean(1)))
        return torch.nn.functional.normalize(self.second(u) + u, dim=1)


q_tower, d_tower = Tower(), Tower()
opt = torch.optim.Adam(list(q_tower.parameters()) + list(d_tower.parameters()), lr=2e-3)
C, B = args.capacity, args.batch
cache_feat = torch.randint(0, V, (C, 8))
with torch.no_grad():
    cache_emb = d_tower(cache_feat)
age = torch.zeros(C, dtype=torch.long)


def step():
    global cache_emb
    queries = torch.randint(0, V, (B, 4))
    positives = torch.randint(0, V, (B, 8))
    opt.zero_grad(set_to_none=True)
    fq, gp = q_tower(queries), d_tower(positives)
    s_pos = BETA * (fq * gp).sum(1)
    with torch.no_grad():
        cached = BETA * fq.double() @ cache_emb.double().T
        u = torch.rand(B, C, dtype=torch.float64).clamp(1e-12, 1 - 1e-7)
        slots = (cached - torch.log(-torch.log(u))).argmax(1)
        p_pos = torch.softmax(torch.cat([s_pos.detach().double()[:, None], cached], 1), 1)[:, 0]
    neg = d_tower(cache_feat[slots])
    s_neg = BETA * (fq * neg).sum(1)
    loss = ((1 - p_pos.float()) * (s_neg - s_pos)).mean()
    loss.backward()
    opt.step()
    with torch.no_grad():
        cache_emb = cache_emb.clone()
        cache_emb[slots] = neg.detach()
        age[slots] = -1
        oldest = torch.argsort(-age, stable=True)[:B]
        cache_feat[oldest] = positives
        cache_emb[oldest] = gp.detach()
        age[oldest] = -1
        age.add_(1)


for _ in range(args.warmup):
    step()
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(times), "threads": torch.get_num_threads(),
                  "torch": torch.__version__}))
