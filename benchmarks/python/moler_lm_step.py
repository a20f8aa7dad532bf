#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench moler`: the domain-rag tiny causal LM (spec §7 quick: d 64, 2 pre-norm
layers, 4 heads, GELU MLP 256, context 80, learned positions, head tied to the N(0, 0.02) token embeddings) in float32.
Times (1) one stage-0 training step (batch 32 of right-padded sequences, per-sequence mean cross-entropy, AdamW,
gradient-norm clip 1) and (2) batched sampling of 16 new tokens for 64 prompts of 12 tokens, once recomputing the
whole prefix at every step and once with a KV cache (the two decodings of the Java generator). Prints one JSON line
{"ms_per_step": median train-step ms, "gen_ms": median generation ms without cache, "gen_cached_ms": with the cache,
"threads": n, "torch": version}.

Needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import math
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=3)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--vocab", type=int, default=950)
parser.add_argument("--length", type=int, default=60)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
V, D, L, H, FF, C = args.vocab, 64, 2, 4, 256, 80


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n1 = torch.nn.LayerNorm(D)
        self.qkv = torch.nn.Linear(D, 3 * D)
        self.out = torch.nn.Linear(D, D)
        self.n2 = torch.nn.LayerNorm(D)
        self.up = torch.nn.Linear(D, FF)
        self.down = torch.nn.Linear(FF, D)

    def forward(self, x, cache=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.n1(x)).split(D, dim=2)
        q, k, v = [z.view(b, t, H, D // H).transpose(1, 2) for z in (q, k, v)]
        if cache is not None:  # keys and values of the earlier positions come first
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        n = k.shape[2]
        s = q @ k.transpose(-1, -2) / math.sqrt(D // H)
        s = s.masked_fill(torch.triu(torch.ones(t, n, dtype=torch.bool), n - t + 1), float("-inf"))
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, D)
        x = x + self.out(a)
        return x + self.down(torch.nn.functional.gelu(self.up(self.n2(x))))


class Lm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = torch.nn.Parameter(0.02 * torch.randn(V, D))
        self.pos = torch.nn.Parameter(0.02 * torch.randn(C, D))
        self.blocks = torch.nn.ModuleList([Block() for _ in range(L)])
        self.norm = torch.nn.LayerNorm(D)

    def forward(self, ids, caches=None, start=0):
        x = self.tok[ids] + self.pos[start: start + ids.shape[1]]
        for i, blk in enumerate(self.blocks):
            x = blk(x, None if caches is None else caches[i])
        return self.norm(x) @ self.tok.t()


lm = Lm()
opt = torch.optim.AdamW(lm.parameters(), lr=1e-3, weight_decay=0.01)
lengths = torch.randint(args.length // 2, args.length + 1, (32,))
ids = torch.randint(8, V, (32, args.length))
mask = (torch.arange(args.length - 1)[None, :] < (lengths[:, None] - 1)).float()


def train_step():
    opt.zero_grad()
    logp = lm(ids[:, :-1]).log_softmax(-1).gather(2, ids[:, 1:, None])[..., 0]
    loss = -((logp * mask).sum(1) / mask.sum(1)).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(lm.parameters(), 1.0)
    opt.step()


def generate():
    with torch.no_grad():
        seq = torch.randint(8, V, (64, 12))
        for _ in range(16):
            logits = lm(seq)[:, -1] / 0.9
            nxt = torch.multinomial(logits.softmax(-1), 1)
            seq = torch.cat([seq, nxt], dim=1)


def generate_cached():
    with torch.no_grad():
        seq = torch.randint(8, V, (64, 12))
        caches = [{} for _ in lm.blocks]
        logits = lm(seq, caches)[:, -1]
        for i in range(16):
            nxt = torch.multinomial((logits / 0.9).softmax(-1), 1)
            if i < 15:
                logits = lm(nxt, caches, 12 + i)[:, -1]


for _ in range(args.warmup):
    train_step()
    generate()
    generate_cached()
train_ms, gen_ms, cached_ms = [], [], []
for _ in range(args.steps):
    t0 = time.perf_counter()
    train_step()
    train_ms.append((time.perf_counter() - t0) * 1e3)
for _ in range(max(3, args.steps // 4)):
    t0 = time.perf_counter()
    generate()
    gen_ms.append((time.perf_counter() - t0) * 1e3)
    t0 = time.perf_counter()
    generate_cached()
    cached_ms.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"ms_per_step": statistics.median(train_ms), "gen_ms": statistics.median(gen_ms),
                  "gen_cached_ms": statistics.median(cached_ms),
                  "threads": args.threads, "torch": torch.__version__}))
