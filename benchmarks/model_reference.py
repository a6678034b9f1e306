#!/usr/bin/python3
"""PyTorch references of the SDM plugin's training steps, for side-by-side throughput (benchmarks/bench_models.sh):
  sdmlp : SDMLP as runs/sdm-topk/split-mnist/sdmlp.yaml — ReLU'd and L2-normalised input, unit-norm addresses
          restored after each step, all weights clamped >= 0, no biases, GABA-switch Top-K (k = 10, binary
          counters, T = 30000), linear head, cross-entropy, SGD with momentum 0.03, gradient clipping 1.0;
  relu  : the noise-paper ReLU baseline as runs/sdm-topk/noise-relu-mnist.yaml — x + N(0, 0.8²) -> Linear+bias
          -> ReLU -> Linear+bias, MSE against the clean input, Adam 1e-3, gradient clipping 1.0.
Reads MNIST IDX files; prints one JSON line with samples/s of the timed steps."""
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
    p.add_argument("--model", choices=["sdmlp", "relu"], required=True)
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--steps", type=int, default=200)
    a = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(1)
    x = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte").astype(np.int64))
    n = a.units
    if a.model == "sdmlp":
        w = torch.empty(n, 784).uniform_(-784 ** -0.5, 784 ** -0.5).clamp_min_(0)
        w /= w.norm(dim=1, keepdim=True).clamp_min(1e-12)
        v = torch.empty(10, n).uniform_(-n ** -0.5, n ** -0.5).clamp_min_(0)
        params = [w.requires_grad_(), v.requires_grad_()]
        counts = torch.zeros(n)
        opt = torch.optim.SGD(params, lr=0.03, momentum=0.9)
        k, T = 10, 30000.0

        def forward(xb, yb):
            q = torch.relu(xb)
            q = q / q.norm(dim=1, keepdim=True).clamp_min(1e-12)
            h = torch.relu(q @ w.t())
            thr = h.detach().topk(k + 1, dim=1, sorted=False).values.min(dim=1, keepdim=True).values
            gamma = (-1 + 2 * counts / T).clamp(-1, 1)
            out = torch.relu(h - gamma * thr)
            counts.add_((out.detach() > 0).float().sum(0))
            return torch.nn.functional.cross_entropy(out @ v.t(), yb)

        def after():
            with torch.no_grad():
                for t in params:
                    t.clamp_(min=0)
                w.div_(w.norm(dim=1, keepdim=True).clamp_min(1e-12))
    else:
        enc = torch.nn.Linear(784, n)
        dec = torch.nn.Linear(n, 784)
        params = list(enc.parameters()) + list(dec.parameters())
        opt = torch.optim.Adam(params, lr=1e-3)

        def forward(xb, yb):
            noisy = xb + 0.8 * torch.randn_like(xb)
            return ((dec(torch.relu(enc(noisy))) - xb) ** 2).mean()

        def after():
            pass

    g = torch.Generator().manual_seed(1)
    perm = torch.randperm(x.shape[0], generator=g)
    rates = []
    for phase, steps in (("warmup", a.warmup), ("timed", a.steps)):
        t0 = time.perf_counter()
        for s in range(steps):
            b = perm[(s * a.batch) % (x.shape[0] - a.batch):][: a.batch]
            loss = forward(x[b], y[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            after()
            loss.item()
        if phase == "timed":
            rates.append(steps * a.batch / (time.perf_counter() - t0))
    print(json.dumps({"impl": "pytorch", "model": a.model, "units": n, "samples_per_s": round(rates[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
