#!/usr/bin/python3
"""FISTA references for `sparselab fista` (benchmarks/bench_fista.sh), on the problem of spec vdl.md check C10:
dictionary = the first 128 MNIST training images, normalised with the training mean/std (0.1307, 0.3081), each
column scaled to unit L2 norm; inputs = the next B images; energy (1/P)|y - Dz|^2 + lambda|z|_1 with z >= 0,
lambda = 0.005, step 1, per-sample relative-change tolerance 1e-3, at most 200 steps, zero start.
  --write DIR : write D.npy [784,128] and Y.npy [B,784] for the Java tool, and exit;
  --impl torch : the same batched FISTA in PyTorch (float32, 2 threads);
  --impl torch-adaptive : the algorithm of `sparselab fista --solver adaptive` in PyTorch: step 1/L (L from eigvalsh,
                   the same 1 % margin), each sample stops at its first step below tol (its row leaves the batch), momentum
                   restarted when (a - z_k).(z_k - z_{k-1}) > 0; --tol sets tol (default 1e-3), at most 1000 steps;
  --impl sklearn : scikit-learn's SparseCoder (lasso_cd, positive codes, alpha = lambda*P/2 so the objective
                   matches; its tol is a coordinate-descent tolerance, so the final energies are reported too);
  --codes FILE : also save the last solve's codes (float32 .npy) there (after the timing).
Prints one JSON line: codes/s (median of --repeat solves) and the final energy (sum over the batch)."""
import argparse
import json
import struct
import time

import numpy as np


def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">i", f.read(4))
        dims = struct.unpack(">" + "i" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def problem(data, batch):
    x = idx(f"{data}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0
    x = (x - 0.1307) / 0.3081
    d = x[:128].T.copy()
    d /= np.linalg.norm(d, axis=0, keepdims=True)
    y = x[128:128 + batch].copy()
    return d.astype(np.float32), y.astype(np.float32)


def energy(d, y, z, lam):
    return float(((y - z @ d.T) ** 2).sum() / y.shape[1] + lam * np.abs(z).sum())


def torch_fista(d, y, lam, step, tol, steps):
    import torch
    D = torch.from_numpy(d)
    Y = torch.from_numpy(y)
    dtd, dty = D.t() @ D, Y @ D
    n, k = Y.shape[0], D.shape[1]
    z = torch.zeros(n, k)
    a = z.clone()
    flags = torch.zeros(n, 1)
    t = 1.0
    for it in range(1, steps + 1):
        g = (a @ dtd - dty) * (2.0 / Y.shape[1])
        move = 1 - flags
        znew = torch.relu(a - move * step * g - move * step * lam)
        tnew = (1 + (1 + 4 * t * t) ** 0.5) / 2
        a = znew + ((t - 1) / tnew) * (znew - z)
        r = (znew - z).norm(dim=1, keepdim=True) / z.norm(dim=1, keepdim=True)
        flags = (r < tol).float()
        z, t = znew, tnew
        if it < steps and bool(flags.min() >= 1):
            break
    return z.numpy()


def torch_adaptive(d, y, lam, tol, steps, restart=True):
    import torch
    D = torch.from_numpy(d)
    Y = torch.from_numpy(y)
    p = Y.shape[1]
    dtd, dty = D.t() @ D, Y @ D
    step = 1.0 / (2.0 / p * 1.01 * float(torch.linalg.eigvalsh(dtd.double()).max()))
    n, k = Y.shape[0], D.shape[1]
    out = torch.zeros(n, k)
    idx = torch.arange(n)
    z = torch.zeros(n, k)
    zp = z.clone()
    t = torch.ones(n, 1)
    beta = torch.zeros(n, 1)
    for it in range(1, steps + 1):
        a = z + beta * (z - zp)
        znew = torch.relu(a - step * (a @ dtd - dty[idx]) * (2.0 / p) - step * lam)
        change = (znew - z).norm(dim=1)
        below = (change == 0) | (change / z.norm(dim=1) < tol)
        if restart:
            t = torch.where((((a - znew) * (znew - z)).sum(1, keepdim=True) > 0), torch.ones_like(t), t)
        tnew = (1 + torch.sqrt(1 + 4 * t * t)) / 2
        beta, t = (t - 1) / tnew, tnew
        zp, z = z, znew
        if bool(below.any()):
            out[idx[below]] = z[below]
            keep = ~below
            idx, z, zp, t, beta = idx[keep], z[keep], zp[keep], t[keep], beta[keep]
            if idx.numel() == 0:
                break
    out[idx] = z
    return out.numpy()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--impl", choices=["torch", "torch-adaptive", "sklearn"])
    p.add_argument("--tol", type=float, default=1e-3)
    p.add_argument("--write")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--algorithm", default="lasso_cd", choices=["lasso_cd", "lasso_lars"], help="SparseCoder's transform_algorithm")
    p.add_argument("--jobs", type=int, default=None, help="SparseCoder's n_jobs (default None: one core)")
    p.add_argument("--warmup", type=int, default=0, help="untimed solves before the timed ones")
    p.add_argument("--codes")
    a = p.parse_args()
    d, y = problem(a.data, a.batch)
    if a.write:
        np.save(f"{a.write}/D.npy", d)
        np.save(f"{a.write}/Y.npy", y)
        return
    lam, times, z = 0.005, [], None
    if a.impl == "torch":
        import torch
        torch.set_num_threads(2)
        for _ in range(a.warmup + a.repeat):
            t0 = time.perf_counter()
            z = torch_fista(d, y, lam, 1.0, 1e-3, 200)
            times.append(time.perf_counter() - t0)
    elif a.impl == "torch-adaptive":
        import torch
        torch.set_num_threads(2)
        for _ in range(a.warmup + a.repeat):
            t0 = time.perf_counter()
            z = torch_adaptive(d, y, lam, a.tol, 1000)
            times.append(time.perf_counter() - t0)
    else:
        from sklearn.decomposition import SparseCoder
        coder = SparseCoder(dictionary=d.T, transform_algorithm=a.algorithm, transform_alpha=lam * y.shape[1] / 2,
                            positive_code=True, transform_max_iter=200, n_jobs=a.jobs)
        for _ in range(a.warmup + a.repeat):
            t0 = time.perf_counter()
            z = coder.transform(y)
            times.append(time.perf_counter() - t0)
    sec = float(np.median(times[a.warmup:]))
    if a.codes:
        np.save(a.codes, np.ascontiguousarray(z, dtype=np.float32))
    print(json.dumps({"impl": a.impl + (f"-{a.algorithm}" if a.algorithm != "lasso_cd" else "") + (f"-jobs{a.jobs}" if a.jobs else ""), "batch": a.batch, "codes_per_s": round(a.batch / sec, 1), "energy": round(energy(d, y, z, lam), 4),
                      "zeros": round(float((z == 0).mean()), 4)}))


if __name__ == "__main__":
    main()
