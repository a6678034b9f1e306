#!/usr/bin/env python3
"""Markdown table of the Split-MNIST seed sweeps: final class-incremental accuracy (unseen tasks count as
wrong, the SDM continual learner's bookkeeping), forgetting and backward transfer, mean ± std over seeds.
Usage: python3 runs/sdm-topk/split-mnist/table.py [results/sweeps]"""
import glob
import json
import statistics
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "results/sweeps"
rows = [("SDMLP (GABA Top-K, k = 10)", "split-mnist-sdmlp-seeds"), ("SDMLP + EWC", "split-mnist-sdmlp-ewc-seeds"),
        ("Top-K baseline (k = 10)", "split-mnist-topk-seeds"), ("ReLU baseline", "split-mnist-relu-seeds")]


def fmt(values):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


print("| model | final accuracy (all 10 classes) | forgetting | backward transfer | last task | first task | seeds |")
print("|---|---|---|---|---|---|---|")
for name, sweep in rows:
    docs = []
    for f in sorted(glob.glob(f"{root}/{sweep}/runs/*/*/continual.json")):
        if glob.glob(f.replace("continual.json", "summary.json")):
            docs.append(json.load(open(f)))
    if not docs:
        continue
    last = [d["accuracy_matrix"][-1][-1] for d in docs]
    first = [d["accuracy_matrix"][-1][0] for d in docs]
    print(f"| {name} | {fmt([d['final_cl_accuracy'] for d in docs])} | {fmt([d['forgetting'] for d in docs])} | "
          f"{fmt([d['backward_transfer'] for d in docs])} | {fmt(last)} | {fmt(first)} | {len(docs)} |")
