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

# ---- 4. LSTM cell (weights in leantrain's layout: W_ih [in, 4H], W_hh [H, 4H], one bias) ----------------------
x = torch.randn(3, 4, requires_grad=True)
h0 = torch.randn(3, 5, requires_grad=True)
c0 = torch.randn(3, 5, requires_grad=True)
w_ih = torch.randn(4, 20, requires_grad=True)
w_hh = torch.randn(5, 20, requires_grad=True)
bias = torch.randn(20, requires_grad=True)
cell = torch.nn.LSTMCell(4, 5)
with torch.no_grad():
    cell.weight_ih.copy_(w_ih.t())
    cell.weight_hh.copy_(w_hh.t())
    cell.bias_ih.copy_(bias)
    cell.bias_hh.zero_()
cell.weight_ih.requires_grad_(False)
cell.weight_hh.requires_grad_(False)
gates = x @ w_ih + h0 @ w_hh + bias
h1, c1 = cell(x, (h0, c0))
# the functional form with differentiable weights, checked against nn.LSTMCell
i, f, g, o = gates.chunk(4, 1)
c_f = torch.sigmoid(f) * c0 + torch.sigmoid(i) * torch.tanh(g)
h_f = torch.sigmoid(o) * torch.tanh(c_f)
assert torch.allclose(h_f, h1) and torch.allclose(c_f, c1)
r1 = torch.randn(3, 5)
r2 = torch.randn(3, 5)
((h_f * r1).sum() + (c_f * r2).sum()).backward()
for name, t in [("lstm.x", x), ("lstm.h0", h0), ("lstm.c0", c0), ("lstm.w_ih", w_ih), ("lstm.w_hh", w_hh),
                ("lstm.bias", bias), ("lstm.r1", r1), ("lstm.r2", r2), ("lstm.h1", h_f), ("lstm.c1", c_f),
                ("lstm.grad_x", x.grad), ("lstm.grad_h0", h0.grad), ("lstm.grad_c0", c0.grad),
                ("lstm.grad_w_ih", w_ih.grad), ("lstm.grad_w_hh", w_hh.grad), ("lstm.grad_bias", bias.grad)]:
    record(name, t)

# ---- 5. causal multi-head self-attention (weights in leantrain's layout: x @ W) ---------------------------------
x = torch.randn(2, 3, 4, requires_grad=True)
w_qkv = torch.randn(4, 12, requires_grad=True)
b_qkv = torch.randn(12, requires_grad=True)
w_out = torch.randn(4, 4, requires_grad=True)
b_out = torch.randn(4, requires_grad=True)
mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
with torch.no_grad():
    mha.in_proj_weight.copy_(w_qkv.t())
    mha.in_proj_bias.copy_(b_qkv)
    mha.out_proj.weight.copy_(w_out.t())
    mha.out_proj.bias.copy_(b_out)
causal = torch.triu(torch.ones(3, 3), diagonal=1).bool()
reference, _ = mha(x, x, x, attn_mask=causal, need_weights=False)
# the same computation with differentiable weights, checked against nn.MultiheadAttention
q, k, v = (x @ w_qkv + b_qkv).split(4, dim=2)
split = lambda t: t.reshape(2, 3, 2, 2).permute(0, 2, 1, 3)
scores = split(q) @ split(k).transpose(-1, -2) / 2 ** 0.5
att = torch.softmax(scores.masked_fill(causal, float("-inf")), -1) @ split(v)
out = att.permute(0, 2, 1, 3).reshape(2, 3, 4) @ w_out + b_out
assert torch.allclose(out, reference)
r = torch.randn(2, 3, 4)
(out * r).sum().backward()
for name, t in [("mha.x", x), ("mha.w_qkv", w_qkv), ("mha.b_qkv", b_qkv), ("mha.w_out", w_out), ("mha.b_out", b_out),
                ("mha.r", r), ("mha.out", out), ("mha.grad_x", x.grad), ("mha.grad_w_qkv", w_qkv.grad),
                ("mha.grad_b_qkv", b_qkv.grad), ("mha.grad_w_out", w_out.grad), ("mha.grad_b_out", b_out.grad)]:
    record(name, t)

# ---- 6. optimizer trajectories on loss = ½·Σ c⊙p² + Σ d⊙p -------------------------------------------------------
p0 = torch.randn(2, 3)
c = torch.rand(2, 3) + 0.5
d = torch.randn(2, 3)
record("optim.p0", p0)
record("optim.c", c)
record("optim.d", d)
for name, make in [("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True,
                                                               weight_decay=0.01)),
                   ("adam", lambda ps: torch.optim.Adam(ps, lr=0.05, weight_decay=0.01)),
                   ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.05, weight_decay=0.1))]:
    param = p0.clone().requires_grad_(True)
    opt = make([param])
    trajectory = []
    for _ in range(5):
        opt.zero_grad()
        (0.5 * (c * param ** 2).sum() + (d * param).sum()).backward()
        opt.step()
        trajectory.append(param.detach().clone())
    record(f"optim.{name}", torch.stack(trajectory))

with open("torch_reference.txt", "w") as f:
    f.write(f"# made by make_reference.py with torch {torch.__version__}\n")
    f.write("\n".join(lines) + "\n")
