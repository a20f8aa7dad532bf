#!/usr/bin/env python3
"""Writes torch_reference.txt: inputs, outputs and gradients computed with PyTorch (float64) for the core's
cross-check test (TorchReferenceTest). Run from this folder with Debian's python3-torch:

    /usr/bin/python3 make_reference.py

Format: one array per line, "name|shape|values" with shape as comma-separated dims and values space-separated.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)
lines = []


def record(name, t):
    shape = ",".join(str(d) for d in t.shape)
    values = t.detach().reshape(-1).tolist()
    lines.append(f"{name}|{shape}|" + " ".join(repr(float(v)) for v in values))


# ---- 1. a dense graph over most pointwise, reduction and loss ops -------------------------------------------
x = torch.randn(4, 3, requires_grad=True)
w = torch.randn(3, 5, requires_grad=True)
b = torch.randn(5, requires_grad=True)
labels = torch.tensor([1, 4, 0, 2])
z = x @ w + b
h = torch.tanh(z)
s = torch.softmax(h, 1) * F.gelu(h) + torch.sigmoid(h) * F.silu(h) - F.softplus(h)
loss = (torch.logsumexp(s, 1).mean()
        + F.cross_entropy(x @ w, labels)
        + 0.1 * torch.log(x.abs() + 1).sum()
        + F.leaky_relu(h, 0.1).pow(2).mean()
        + torch.sqrt(torch.exp(h)).max(dim=1).values.sum()
        + torch.log_softmax(z, 0).clamp(-3, -0.5).mean())
loss.backward()
for name, t in [("dense.x", x), ("dense.w", w), ("dense.b", b)]:
    record(name, t)
record("dense.labels", labels.double())
record("dense.loss", loss)
for name, t in [("dense.grad_x", x.grad), ("dense.grad_w", w.grad), ("dense.grad_b", b.grad)]:
    record(name, t)

# ---- 2. convolution and pooling (forward values and gradients) -----------------------------------------------
img = torch.randn(2, 3, 6, 5, requires_grad=True)
kernel = torch.randn(4, 3, 3, 3, requires_grad=True)
bias = torch.randn(4, requires_grad=True)
conv = F.conv2d(img, kernel, bias, stride=1, padding=1)
pooled = F.max_pool2d(conv, 2, 2)
avg = F.avg_pool2d(pooled, 3, 1, 1)  # count_include_pad=True is PyTorch's default
r = torch.randn(avg.shape)
out = (avg * r).sum()
out.backward()
for name, t in [("conv.x", img), ("conv.w", kernel), ("conv.b", bias), ("conv.r", r), ("conv.conv", conv),
                ("conv.avg", avg), ("conv.grad_x", img.grad), ("conv.grad_w", kernel.grad),
                ("conv.grad_b", bias.grad)]:
    record(name, t)

# ---- 3. batched matmul, transpose, concat, index select, masked fill --------------------------------------------
q = torch.randn(2, 3, 4, requires_grad=True)
k = torch.randn(2, 3, 4, requires_grad=True)
scores = q @ k.transpose(1, 2) / 2.0
mask = torch.triu(torch.ones(3, 3), diagonal=1).bool()
att = torch.softmax(scores.masked_fill(mask, float("-inf")), -1)
mixed = att @ k
rows = torch.tensor([2, 0, 2])
sel = torch.cat([mixed.reshape(6, 4), q.reshape(6, 4)], 0)[rows]
out = (sel * torch.arange(12.0).reshape(3, 4)).sum()
out.backward()
for name, t in [("attn.q", q), ("attn.k", k), ("attn.mask", mask.double()), ("attn.att", att), ("attn.out", out),
                ("attn.grad_q", q.grad), ("attn.grad_k", k.grad)]:
    record(name, t)

with open("torch_reference.txt", "w") as f:
    f.write(f"# made by make_reference.py with torch {torch.__version__}\n")
    f.write("\n".join(lines) + "\n")
