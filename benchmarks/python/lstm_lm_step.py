#!/usr/bin/env python3
"""PyTorch CPU peer of `leantrain-bench lstm-dropout`: one training step of the same character LSTM language model
(embedding, nn.LSTM(num_layers=L, dropout=p) with embedding and output dropout, linear decoder, cross-entropy,
global-norm clip 5, Adam) on one random segment of B streams × T steps, float32. Prints one JSON line:
{"ms_per_step": median, ...}."""
import argparse
import json
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=2)
parser.add_argument("--steps", type=int, default=5)
parser.add_argument("--vocab", type=int, default=97)
parser.add_argument("--hidden", type=int, default=1024)
parser.add_argument("--layers", type=int, default=2)
parser.add_argument("--batch", type=int, default=64)
parser.add_argument("--bptt", type=int, default=25)
parser.add_argument("--p", type=float, default=0.5)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
embed = torch.nn.Embedding(args.vocab, args.hidden)
lstm = torch.nn.LSTM(args.hidden, args.hidden, num_layers=args.layers, dropout=args.p)
decoder = torch.nn.Linear(args.hidden, args.vocab)
drop = torch.nn.Dropout(args.p)
params = list(embed.parameters()) + list(lstm.parameters()) + list(decoder.parameters())
opt = torch.optim.Adam(params, lr=2e-3)
x = torch.randint(0, args.vocab, (args.bptt, args.batch))
y = torch.randint(0, args.vocab, (args.bptt, args.batch))


def step():
    opt.zero_grad(set_to_none=True)
    h, _ = lstm(drop(embed(x)))
    logits = decoder(drop(h))
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, args.vocab), y.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 5.0)
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
