#!/usr/bin/python3
"""PyTorch reference of the sdm-topk training step (the same computation as plugins-model/sdm-topk):
L2-normalised input, unit-norm address rows restored after every step, no bias, top-k mask of
ReLU(x W^T), linear head without bias, cross-entropy, Adam. Reads MNIST IDX files (no download).
Prints one JSON line per timed epoch. Usage:
  /usr/bin/python3 benchmarks/sdm_topk_reference.py --data data/mnist --units 1000 --k 50 --epochs 2
"""
import argparse
import json
import struct
import time

import numpy as np
import torch


def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">i", f.read(4))
        dims = struct.unpack(">" + "i" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--k", type=int, default=50)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--max-steps", type=int, default=10 ** 9)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte").astype(np.int64))
    n = x.shape[0]
    bound_w = 1 / 784 ** 0.5
    w = torch.empty(a.units, 784).uniform_(-bound_w, bound_w)
    w /= w.norm(dim=1, keepdim=True)
    w.requires_grad_(True)
    bound_v = 1 / a.units ** 0.5
    v = torch.empty(10, a.units).uniform_(-bound_v, bound_v).requires_grad_(True)
    opt = torch.optim.Adam([w, v], lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        q = xb / xb.norm(dim=1, keepdim=True).clamp_min(1e-12)
        h = torch.relu(q @ w.t())
        kth = h.detach().topk(a.k, dim=1, sorted=False).values.min(dim=1, keepdim=True).values
        code = h * (h >= kth).float()
        loss = loss_fn(code @ v.t(), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            w.div_(w.norm(dim=1, keepdim=True).clamp_min(1e-12))
        return loss.item()

    g = torch.Generator().manual_seed(1)
    for e in range(-1, a.epochs):
        perm = torch.randperm(n, generator=g)
        steps = a.warmup if e < 0 else min(a.max_steps, n // a.batch)
        t0 = time.perf_counter()
        for s in range(steps):
            idx_b = perm[(s * a.batch) % (n - a.batch):][: a.batch]
            step(x[idx_b], y[idx_b])
        sec = time.perf_counter() - t0
        if e >= 0:
            print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "units": a.units, "k": a.k, "batch": a.batch,
                              "epoch": e, "steps": steps, "samples_per_s": round(steps * a.batch / sec, 1)}), flush=True)


if __name__ == "__main__":
    main()
