#!/usr/bin/python3
"""PyTorch reference of the modular stripes autoencoder's training step (the MSA repository's model.py/train.py as
spec netfragments-stripes.md B2-B4 describes it), for side-by-side throughput with runs in benchmarks/configs/msa-*.yaml:
784 -> 250 -> 30 stripes x 5 (ReLU) -> routing gate Linear(250 -> 30) on the intermediate layer, top-3 stripes
kept (ties kept), stripe masks XOR Bernoulli(0.4) -> 250 -> 784 (ReLU), MSE, SGD lr 0.01 momentum 0.9.
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


def kmask(v, k):
    thr = v.topk(k, dim=1).values[:, -1:]
    return v >= thr


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--steps", type=int, default=1000)
    a = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(1)
    x = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0)
    S, D, H, K, q = 30, 5, 250, 3, 0.4
    l1, l2 = torch.nn.Linear(784, H), torch.nn.Linear(H, S * D)
    l3, l4 = torch.nn.Linear(S * D, H), torch.nn.Linear(H, 784)
    route = torch.nn.Linear(H, S)
    params = [p for m in (l1, l2, l3, l4, route) for p in m.parameters()]
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)

    def step(xb):
        h = torch.relu(l1(xb))
        c = torch.relu(l2(h)).view(-1, S, D)
        r = route(h)
        m = kmask(r, K) ^ (torch.rand(r.shape) < q)
        code = (c * m.unsqueeze(2)).view(-1, S * D)
        out = torch.relu(l4(torch.relu(l3(code))))
        loss = ((out - xb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    n = x.shape[0]
    for i in range(a.warmup):
        step(x[(i * a.batch) % (n - a.batch):][:a.batch])
    t0 = time.perf_counter()
    for i in range(a.steps):
        j = ((a.warmup + i) * a.batch) % (n - a.batch)
        step(x[j:j + a.batch])
    sec = time.perf_counter() - t0
    print(json.dumps({"impl": "pytorch", "model": "msa", "batch": a.batch, "samples_per_s": round(a.steps * a.batch / sec, 1)}))


if __name__ == "__main__":
    main()
