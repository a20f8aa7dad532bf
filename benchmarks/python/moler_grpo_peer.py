#!/usr/bin/env python3
"""PyTorch peer of domain-rag's GRPO stage (spec §2, §3F, quick configuration of §7), written from the spec alone.

Run by `leantrain-bench moler --grpo-peer`, which exports what it needs into --data and runs the same draws in Java.
Starts from a MoL model exported by leantrain (weights, vocabulary with each word's BM25 analyzer terms, domain
documents, RL-train and test queries with graded qrels) and runs the spec's GRPO loop: P queries × G samples, MQR
sub-queries at τ = 0.9, one CQE-MSLF passage per sample, reward Recall@10 of RRF([L(q), L(p)]) over a BM25 that
follows Lucene's formula (k1 1.2, b 0.75), group-relative advantages shared by both completions, each completion's
per-token objective normalised by its length, k3 KL to the frozen start (β 0.04), μ = 1, global-norm clip 1, AdamW.
Then evaluates the held-out recall with the evaluation decoding (τ 0.7, top-k 20, top-p 0.8) in both fusion modes.

Before training it checks that it reproduces leantrain on the exported data (the raw-query recall, one fused ranking,
one row of token log-probabilities) and stops otherwise. Prints one line per GRPO draw and a final JSON line.
Needs Debian's python3-torch and libopenblas0-pthread."""
import argparse
import json
import math
import time
from collections import Counter, defaultdict

import torch

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="directory written by the leantrain exporter")
p.add_argument("--draws", default="0,1,2", help="comma-separated torch seeds, one GRPO run each")
p.add_argument("--steps", type=int, default=60)
p.add_argument("--eval-seeds", default="100,101")
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()
torch.set_num_threads(args.threads)
D, L, H, FF, C = 64, 2, 4, 256, 80
P, G, BETA, EPS, LR, WD, CLIP, MQR_TOKENS, CQE_TOKENS, N_SUB = 8, 8, 0.04, 0.2, 3e-4, 0.1, 1.0, 16, 40, 3
SPECIALS = {"<pad>", "<bos>", "<eos>", "<mqr>", "<cqe>", "<sep>", "<p>", ";"}


def read_lines(name):
    with open(f"{args.data}/{name}", encoding="utf-8") as f:
        return f.read().split("\n")[:-1]


words, word_terms = [], {}
for line in read_lines("vocab.tsv"):
    w, terms = line.split("\t")
    words.append(w)
    word_terms[w] = terms.split()
ids = {w: i for i, w in enumerate(words)}
BOS, EOS = ids["<bos>"], ids["<eos>"]


def terms(text):
    return Counter(t for w in text.split() for t in word_terms[w])


class Bm25:
    """Lucene 9 BM25: Σ qtf · idf · tf / (tf + k1 (1 − b + b dl / avgdl)), idf = ln(1 + (N − n + 0.5) / (n + 0.5))."""

    def __init__(self, docs, k1=1.2, b=0.75):
        self.postings = defaultdict(list)
        lengths = []
        for d, text in enumerate(docs):
            tf = terms(text)
            lengths.append(sum(tf.values()))
            for t, c in tf.items():
                self.postings[t].append((d, c))
        avgdl = sum(lengths) / len(lengths)
        self.norm = [k1 * (1 - b + b * n / avgdl) for n in lengths]
        self.idf = {t: math.log(1 + (len(docs) - len(ps) + 0.5) / (len(ps) + 0.5)) for t, ps in self.postings.items()}

    def search(self, text, depth=100):
        scores = defaultdict(float)
        for t, qtf in terms(text).items():
            for d, tf in self.postings.get(t, ()):
                scores[d] += qtf * self.idf[t] * tf / (tf + self.norm[d])
        return sorted(scores, key=lambda d: (-scores[d], d))[:depth]


def rrf(lists, k=60, depth=100):
    scores = defaultdict(float)
    for ranking in lists:
        for r, d in enumerate(ranking[:depth]):
            scores[d] += 1.0 / (k + r + 1)
    return sorted(scores, key=lambda d: (-scores[d], d))


def recall(ranking, qrels, k=10):
    relevant = {d for d, g in qrels.items() if g > 0}
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def queries(name):
    out = []
    for line in read_lines(name):
        text, rels = line.split("\t")
        out.append((text, {int(d): int(g) for d, g in (x.split(":") for x in rels.split(","))}))
    return out


index = Bm25(read_lines("docs.txt"))
train_queries, test_queries = queries("train.tsv"), queries("test.tsv")


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = torch.nn.LayerNorm(D), torch.nn.LayerNorm(D)
        self.qkv, self.out = torch.nn.Linear(D, 3 * D), torch.nn.Linear(D, D)
        self.up, self.down = torch.nn.Linear(D, FF), torch.nn.Linear(FF, D)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = [z.view(b, t, H, D // H).transpose(1, 2) for z in self.qkv(self.n1(x)).split(D, dim=2)]
        s = (q @ k.transpose(-1, -2) / math.sqrt(D // H)).masked_fill(
            torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        x = x + self.out((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, D))
        return x + self.down(torch.nn.functional.gelu(self.up(self.n2(x))))


class Lm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = torch.nn.Parameter(torch.zeros(len(words), D))
        self.pos = torch.nn.Parameter(torch.zeros(C, D))
        self.blocks = torch.nn.ModuleList([Block() for _ in range(L)])
        self.norm = torch.nn.LayerNorm(D)

    def hidden(self, x):
        h = self.tok[x] + self.pos[: x.shape[1]]
        for blk in self.blocks:
            h = blk(h)
        return self.norm(h)

    def forward(self, x):
        return self.hidden(x) @ self.tok.t()

    def token_logp(self, rows):
        """log p(x_{t+1} | x_≤t) for right-padded rows [B, T] as [B, T − 1]."""
        return self(rows[:, :-1]).log_softmax(-1).gather(2, rows[:, 1:, None])[..., 0]


def read_weights():
    """leantrain's parameters by name: a line of name and shape, then a line of values."""
    lines = read_lines("weights.txt")
    weights = {}
    for i in range(0, len(lines), 2):
        name, *shape = lines[i].split()
        weights[name] = torch.tensor([float(v) for v in lines[i + 1].split()]).view(*map(int, shape))
    return weights


exported = read_weights()


def load_exported():
    """A fresh model holding the exported weights (the start of every draw, and its frozen reference)."""
    lm = Lm()
    with torch.no_grad():
        lm.tok.copy_(exported["tokens.weight"])
        lm.pos.copy_(exported["positions.weight"])
        lm.norm.weight.copy_(exported["norm.weight"])
        lm.norm.bias.copy_(exported["norm.bias"])
        for i, blk in enumerate(lm.blocks):
            j = f"blocks.{i}."
            for mine, theirs in ((blk.n1, "norm1"), (blk.n2, "norm2")):
                mine.weight.copy_(exported[j + theirs + ".weight"])
                mine.bias.copy_(exported[j + theirs + ".bias"])
            for mine, theirs in ((blk.qkv, "attention.qkv"), (blk.out, "attention.out"), (blk.up, "up"),
                                 (blk.down, "down")):
                mine.weight.copy_(exported[j + theirs + ".weight"].t())  # leantrain stores [in, out]
                mine.bias.copy_(exported[j + theirs + ".bias"])
    return lm


def pad(rows):
    width = max(len(r) for r in rows)
    return torch.tensor([r + [0] * (width - len(r)) for r in rows])


@torch.no_grad()
def generate(lm, prompts, budget, tau, top_k=0, top_p=1.0):
    """Batched sampling, each row at its own length; returns (completion ids, stopped at <eos>) per row."""
    rows = [list(x) for x in prompts]
    done = [False] * len(rows)
    out = [[] for _ in rows]
    for _ in range(budget):
        live = [i for i in range(len(rows)) if not done[i] and len(rows[i]) < C]
        if not live:
            break
        states = lm.hidden(pad([rows[i] for i in live]))
        last = states[torch.arange(len(live)), torch.tensor([len(rows[i]) - 1 for i in live])] @ lm.tok.t() / tau
        probs = last.softmax(-1)
        if top_k > 0:
            kth = probs.topk(top_k, dim=-1).values[:, -1:]
            probs = torch.where(probs >= kth, probs, torch.zeros_like(probs))
            probs = probs / probs.sum(-1, keepdim=True)
        if top_p < 1:
            sorted_p, order = probs.sort(-1, descending=True)
            before = sorted_p.cumsum(-1) - sorted_p  # mass of the more probable tokens
            keep = before < top_p - 1e-12
            keep[:, 0] = True
            sorted_p = torch.where(keep, sorted_p, torch.zeros_like(sorted_p))
            probs = torch.zeros_like(probs).scatter(1, order, sorted_p)
            probs = probs / probs.sum(-1, keepdim=True)
        nxt = torch.multinomial(probs, 1)[:, 0].tolist()
        for i, t in zip(live, nxt):
            if t == EOS:
                done[i] = True
            else:
                rows[i].append(t)
                out[i].append(t)
    return out, done


def encode(text):
    return [ids[w] for w in text.split()]


def sub_queries(completion, query, pad_to_n):
    parts, current = [], []
    for t in completion:
        w = words[t]
        if w == ";":
            parts.append(" ".join(current))
            current = []
        elif w not in SPECIALS:
            current.append(w)
    parts.append(" ".join(current))
    subs = [s for s in parts if s][:N_SUB]
    if not subs and not pad_to_n:
        subs = [query]
    while pad_to_n and len(subs) < N_SUB:
        subs.append(query)
    return subs


def passage(completion):
    return " ".join(words[t] for t in completion if words[t] not in SPECIALS)


def mqr_prompt(q):
    return encode(f"<bos> <mqr> {q} <sep>")


def cqe_prompts(q, subs, mmlf):
    if mmlf:
        return [encode(f"<bos> <cqe> {q} <sep> {s} <p>") for s in subs]
    return [encode(f"<bos> <cqe> {q} <sep> {' ; '.join(subs)} <p>")]


def evaluate(lm, seed, mmlf):
    torch.manual_seed(seed)
    qs = [q for q, _ in test_queries]
    mqr, _ = generate(lm, [mqr_prompt(q) for q in qs], MQR_TOKENS, 0.7, 20, 0.8)
    prompts, owner = [], []
    for i, q in enumerate(qs):
        for pr in cqe_prompts(q, sub_queries(mqr[i], q, mmlf), mmlf):
            prompts.append(pr)
            owner.append(i)
    cqe, _ = generate(lm, prompts, CQE_TOKENS, 0.7, 20, 0.8)
    passages = defaultdict(list)
    for r, i in enumerate(owner):
        passages[i].append(passage(cqe[r]))
    return sum(recall(rrf([index.search(q)] + [index.search(x) for x in passages[i]]), rels)
               for i, (q, rels) in enumerate(test_queries)) / len(test_queries)


def rows_and_masks(prompts, completions, stopped):
    seqs = [pr + c + ([EOS] if s else []) for pr, c, s in zip(prompts, completions, stopped)]
    ids_ = pad(seqs)
    mask = torch.zeros(len(seqs), ids_.shape[1] - 1)
    for i, (pr, s) in enumerate(zip(prompts, seqs)):
        mask[i, len(pr) - 1: len(s) - 1] = 1  # position j predicts token j + 1, a completion token
    return ids_, mask, mask.sum(1).clamp(min=1)


def component(logp, old, ref, mask, length, adv):
    ratio = (logp - old).exp()
    surrogate = torch.min(ratio * adv[:, None], ratio.clamp(1 - EPS, 1 + EPS) * adv[:, None])
    d = (ref - logp).clamp(-20, 20)
    per_token = surrogate - BETA * (d.exp() - d - 1)
    return ((per_token * mask).sum(1) / length).sum() / len(adv)


def grpo(lm, seed):
    torch.manual_seed(seed)
    ref = load_exported()
    opt = torch.optim.AdamW(lm.parameters(), lr=LR, weight_decay=WD)
    rewards, zero_var = [], []
    for step in range(args.steps):
        batch = [train_queries[i] for i in torch.randint(len(train_queries), (P,)).tolist()]
        prompts = [mqr_prompt(q) for q, _ in batch for _ in range(G)]
        mqr, mqr_stop = generate(lm, prompts, MQR_TOKENS, 0.9)
        cqe_in = [cqe_prompts(batch[s // G][0], sub_queries(mqr[s], batch[s // G][0], False), False)[0]
                  for s in range(len(prompts))]
        cqe, cqe_stop = generate(lm, cqe_in, CQE_TOKENS, 0.9)
        r = torch.tensor([recall(rrf([index.search(batch[s // G][0]), index.search(passage(cqe[s]))]),
                                 batch[s // G][1]) for s in range(len(prompts))], dtype=torch.float64)
        groups = r.view(P, G)
        adv = ((groups - groups.mean(1, keepdim=True)) / (groups.std(1, keepdim=True) + 1e-4)).view(-1).float()
        rewards.append(r.mean().item())
        zero_var.append((groups.std(1) == 0).float().mean().item())
        parts = [rows_and_masks(prompts, mqr, mqr_stop), rows_and_masks(cqe_in, cqe, cqe_stop)]
        with torch.no_grad():
            refs = [ref.token_logp(x) for x, _, _ in parts]
            olds = [lm.token_logp(x) for x, _, _ in parts]
        opt.zero_grad()
        j = sum(component(lm.token_logp(x), o, rf, m, n, adv) for (x, m, n), o, rf in zip(parts, olds, refs))
        (-j).backward()
        torch.nn.utils.clip_grad_norm_(lm.parameters(), CLIP)
        opt.step()
    return rewards, zero_var


check = dict(line.split(" ", 1) for line in read_lines("checks.txt"))
raw = sum(recall(index.search(q), rels) for q, rels in test_queries) / len(test_queries)
mol = load_exported()
row = torch.tensor([[int(x) for x in check["ids"].split()]])
with torch.no_grad():
    logp_gap = (mol.token_logp(row)[0] - torch.tensor([float(x) for x in check["logp"].split()])).abs().max().item()
fused = rrf([index.search(train_queries[0][0]), index.search(check["fused_q0_passage"])])[:20]
fused_equal = fused == [int(x) for x in check["fused_q0"].split()]
print(f"checks: raw-query R@10 {raw:.4f} (leantrain {float(check['raw_recall10_test']):.4f}), max |log p − leantrain"
      f" log p| {logp_gap:.1e}, fused list {'equal' if fused_equal else 'DIFFERENT'}", flush=True)
if abs(raw - float(check["raw_recall10_test"])) > 1e-9 or logp_gap > 1e-4 or not fused_equal:
    raise SystemExit("the peer does not reproduce leantrain's model or retrieval on the exported data; no comparison")
eval_seeds = [int(s) for s in args.eval_seeds.split(",")]
before = {m: sum(evaluate(mol, s, m == "MMLF") for s in eval_seeds) / len(eval_seeds) for m in ("MSLF", "MMLF")}
print(f"MoL held-out R@10: MSLF {before['MSLF']:.3f}  MMLF {before['MMLF']:.3f}", flush=True)
results = []
for draw in (int(s) for s in args.draws.split(",")):
    t0 = time.time()
    lm = load_exported()
    rewards, zero_var = grpo(lm, draw)
    gain = {m: sum(evaluate(lm, s, m == "MMLF") for s in eval_seeds) / len(eval_seeds) - before[m]
            for m in ("MSLF", "MMLF")}
    first, last = sum(rewards[:10]) / 10, sum(rewards[-10:]) / 10
    results.append({"draw": draw, "reward_first10": first, "reward_last10": last, "gain_mslf": gain["MSLF"],
                    "gain_mmlf": gain["MMLF"], "zero_variance": sum(zero_var) / len(zero_var)})
    print(f"draw {draw}: reward {first:.3f} → {last:.3f} ({last - first:+.3f}), zero-variance groups "
          f"{results[-1]['zero_variance']:.2f}, held-out gain MSLF {gain['MSLF']:+.3f} MMLF {gain['MMLF']:+.3f} "
          f"({time.time() - t0:.0f} s)", flush=True)
print(json.dumps({"mol_mslf": before["MSLF"], "mol_mmlf": before["MMLF"], "draws": results}))
