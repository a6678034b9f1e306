"""The original net-fragments evaluation written in PyTorch as the original code computes it (spec A3-A6):
batch size 1, S1 by conv2d, S2 by unfold (patches [5324, 1024]) and a matrix product per timestep, the alternative
choice at t=0 from binary weights, cap, mask, per-channel normalisation, power, threshold. It loads W from a
sparselab run (model/parameters.npz), draws the rotating-line sweep with PIL as the original does, and prints one
JSON line: samples/s of the evaluation (T steps per sample, metrics included) and the metrics.

  /usr/bin/python3 benchmarks/net-fragments/fragments_reference.py RUN_FOLDER [--samples 600] [--noise 0.1]
      [--line-interrupt 0] [--threshold 0.5] [--square-factor 1.2,1.4,1.6,1.8,2.0,2.2] [--threads N] [--batched]

--batched runs all samples at once (the same algorithm with a batch dimension), a stronger baseline than the
original's batch size 1.
"""
import argparse, json, time
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

p = argparse.ArgumentParser()
p.add_argument("run")
p.add_argument("--samples", type=int, default=600)
p.add_argument("--noise", type=float, default=0.1)
p.add_argument("--line-interrupt", type=int, default=0)
p.add_argument("--threshold", type=float, default=0.5)
p.add_argument("--square-factor", default="1.2,1.4,1.6,1.8,2.0,2.2")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--batched", action="store_true")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
gammas = [float(v) for v in a.square_factor.split(",")]
T, A, C, K, L = len(gammas), 10, 4, 11, 5
W = torch.from_numpy(np.load(a.run + "/model/parameters.npz")["W"]).float()  # [40, 5324]
lam = 1.3 * K

bank_a = torch.tensor([
    [[0, -1, 0, -1, 0], [0, -1, 2, -1, 0], [0, -1, 2, -1, 0], [0, -1, 2, -1, 0], [0, -1, 0, -1, 0]],
    [[0, 0, -1, -1, 0], [0, -1, 0, 2, -1], [-1, 0, 2, 0, -1], [-1, 2, 0, -1, 0], [0, -1, -1, 0, 0]],
    [[0, 0, 0, 0, 0], [-1, -1, -1, -1, -1], [0, 2, 2, 2, 0], [-1, -1, -1, -1, -1], [0, 0, 0, 0, 0]],
    [[0, -1, -1, 0, 0], [-1, 2, 0, -1, 0], [-1, 0, 2, 0, -1], [0, -1, 0, 2, -1], [0, 0, -1, -1, 0]]],
    dtype=torch.float32).unsqueeze(1) / 6


def sweep(n):
    pa, pb = [2, 16], [30, 16]

    def step(q):
        if q[0] == 2 and q[1] < 30: q[1] += 1
        elif q[1] == 30 and q[0] < 30: q[0] += 1
        elif q[0] == 30 and q[1] > 2: q[1] -= 1
        else: q[0] -= 1
    out = []
    for _ in range(n):
        out.append((pa[0], pa[1], pb[0], pb[1]))
        step(pa); step(pb)
    return out


def image(seg, li):
    img = Image.new('L', (32, 32), 0)
    ImageDraw.Draw(img).line([(seg[0], seg[1]), (seg[2], seg[3])], fill=255, width=1)
    x = np.asarray(img).astype(np.float32) / 255
    if li > 0:
        on = np.argwhere(x > 0.5)  # row-major
        mx, my = (seg[0] + seg[2]) // 2, (seg[1] + seg[3]) // 2
        c = int(np.argmin(np.abs(on[:, 1] - mx) + np.abs(on[:, 0] - my)))
        m = min(li, len(on) - 2)
        for r, col in on[c - m // 2: c - m // 2 + m]:
            x[r, col] = 0
    return torch.from_numpy(x)


Wb = (W > 0).float()
wcount = Wb.sum(1)  # [40]


def s2_run(feat):
    """feat [B, 4, 32, 32] -> final z [B, 40, 32, 32]"""
    B = feat.shape[0]
    z = torch.zeros(B, C * A, 32, 32)
    mask = None
    for t in range(T):
        x = torch.cat([feat, z], 1)
        xb = (x > 0.5).float()
        patches = F.unfold(xb, K, padding=L)  # [B, 5324, 1024]
        s = torch.matmul(W, patches).view(B, C * A, 32, 32)
        if t == 0:
            both = torch.matmul(Wb, patches)  # [B, 40, 1024]
            score = (3 * both - wcount[None, :, None] - patches.sum(1, keepdim=True)) / W.shape[1]
            best = score.view(B, C, A, 1024).argmax(2, keepdim=True)
            mask = torch.zeros(B, C, A, 1024).scatter_(2, best, 1.0).view(B, C, A, 32, 32)
        s = torch.where(s < lam, s, lam - 0.5 * (s - lam))
        s = s.view(B, C, A, 32, 32) * mask
        norm = s / (1e-10 + s.amax(dim=(2, 3, 4), keepdim=True))
        z = (norm ** gammas[t] >= a.threshold).float().view(B, C * A, 32, 32)
    return z


def merged(z):
    return z.view(z.shape[0], C, A, 32, 32).amax(2).view(z.shape[0], -1)


segs = sweep(a.samples)
clean = torch.stack([image(s, 0) for s in segs]).unsqueeze(1)
imgs = torch.stack([image(s, a.line_interrupt) for s in segs]).unsqueeze(1)
with torch.no_grad():
    base = torch.cat([merged(s2_run((F.conv2d(clean[i:i + 20], bank_a, padding=2) > 0).float()))
                      for i in range(0, a.samples, 20)])
    start = time.perf_counter()
    metrics = {"nr": [], "gap": [], "acc": [], "rec": [], "prec": []}
    nf = int(a.noise * 4096)
    if a.batched:
        feat = (F.conv2d(imgs, bank_a, padding=2) > 0).float().view(a.samples, -1)
        flips = torch.stack([torch.randperm(4096)[:nf] for _ in range(a.samples)]) if nf else torch.zeros(a.samples, 0, dtype=torch.long)
        noisy = feat.clone()
        noisy.scatter_(1, flips, 1 - feat.gather(1, flips))
        # chunks of 20: the unfolded patches take 5324 x 1024 floats (22 MB) per sample
        outs = torch.cat([merged(s2_run(noisy[i:i + 20].view(-1, 4, 32, 32))) for i in range(0, a.samples, 20)])
        rows = [(outs[i], noisy[i], flips[i]) for i in range(a.samples)]
    else:
        rows = []
        for i in range(a.samples):
            feat = (F.conv2d(imgs[i:i + 1], bank_a, padding=2) > 0).float().view(-1)
            idx = torch.randperm(4096)[:nf]
            feat[idx] = 1 - feat[idx]
            out = merged(s2_run(feat.view(1, 4, 32, 32)))[0]
            rows.append((out, feat, idx))
    for i, (out, noisy, idx) in enumerate(rows):
        b = base[i]
        metrics["nr"].append(float((out[idx] != noisy[idx]).float().mean()) if nf else 0.0)
        diff = (out - b).abs()
        metrics["acc"].append(1 - float(diff.mean()))
        metrics["rec"].append(1 - float(diff[b > 0].mean()) if (b > 0).any() else 1.0)
        metrics["prec"].append(1 - float(diff[out > 0].mean()) if (out > 0).any() else 1.0)
        gapmask = (imgs[i, 0] != clean[i, 0]).view(-1).repeat(4) & (b > 0)
        metrics["gap"].append(1 - float(diff[gapmask].mean()) if gapmask.any() else 0.0)
    sec = time.perf_counter() - start
print(json.dumps({"impl": "pytorch-batched" if a.batched else "pytorch", "samples": a.samples, "noise": a.noise,
                  "line_interrupt": a.line_interrupt, "threads": torch.get_num_threads(),
                  "samples_per_s": a.samples / sec, "noise_reduction": float(np.mean(metrics["nr"])),
                  "line_recon": float(np.mean(metrics["gap"])), "accuracy": float(np.mean(metrics["acc"])),
                  "recall": float(np.mean(metrics["rec"])), "precision": float(np.mean(metrics["prec"]))}))
