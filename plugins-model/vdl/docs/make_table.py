"""The README's MNIST table from finished run folders (summary.json, denoise.json, probe/probe.json) and the
lista-classifier sweep. Usage: python3 make_table.py RESULTS_DIR (the finished vdl-mnist-<variant>-e<N> run with the
most epochs each). Probe cells: mean ± std over the probe's repetitions when there are several."""
import glob
import json
import os
import sys

root = sys.argv[1]
KS = ["1", "2", "5", "10", "20", "50", "all"]


def latest(pattern):
    found = sorted(glob.glob(pattern))
    return found[-1] if found else None


def load(path):
    with open(path) as f:
        return json.load(f)


rows = []
probe_rows = {}
raw = None
for v in ["sdl", "sdl-nl", "vdl", "vdl-nl"]:
    # the finished run with the most epochs
    done = glob.glob(f"{root}/vdl-mnist-{v}-e[0-9]*/*/summary.json")
    s = max(done, key=lambda f: (load(f)["final"]["train"]["epoch"], f)) if done else None
    if not s:
        continue
    run = os.path.dirname(s)
    d = load(s)
    test, train = d["final"]["test"], d["final"]["train"]
    lv = d["denoise"]["levels"][0]
    epochs = train["epoch"]
    rows.append(f"| {v.upper()} | {d['best']['epoch']} / {epochs} | {test['psnr']:.2f} | {lv['psnr_noisy_rec']:.2f} | "
                f"{lv['psnr_noisy_img']:.2f} | {test['l0']:.3f} | {lv['l0_noisy']:.3f} | {100 * test['dead_units']:.1f} % | "
                f"{train['code_l1']:.1f} | {train['atom_norm_mean']:.2f} | {d['seconds'] / 60:.0f} |")
    p = os.path.join(run, "probe", "probe.json")
    if os.path.exists(p):
        cells = load(p)["cells"]
        probe_rows[v] = {c["k"]: (c["mean"], c["std"], len(c["accuracies"])) for c in cells if c["features"] == "codes"}
        if any(c["features"] == "raw" for c in cells):
            raw = {c["k"]: (c["mean"], c["std"], len(c["accuracies"])) for c in cells if c["features"] == "raw"}
print("| model | best / epochs | PSNR clean (dB) | PSNR σ=1 rec (dB) | PSNR σ=1 noisy input | L0 clean | L0 σ=1 | dead codes | "
      "‖z*‖₁ (train) | atom norm (train) | minutes |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
print()
print("| K per class | " + " | ".join(KS) + " |")
print("|---|" + "---|" * len(KS))


def cell(c):
    mean, std, n = c
    return f"{100 * mean:.1f}" + (f" ± {100 * std:.1f}" if n > 1 else "")


for v, cells in probe_rows.items():
    print(f"| {v.upper()} codes (probe) | " + " | ".join(cell(cells[k]) if k in cells else "–" for k in KS) + " |")
if raw:
    print("| raw pixels (probe) | " + " | ".join(cell(raw[k]) if k in raw else "–" for k in KS) + " |")
lista = {}
for s in glob.glob(f"{root}/sweeps/vdl-mnist-lista-classifier-k/runs/*/*/summary.json"):
    d = load(s)
    if "final" not in d:
        continue
    with open(os.path.join(os.path.dirname(s), "config.resolved.yaml")) as f:
        k = [l for l in f.read().split("\n") if l.strip().startswith("train_per_class:")][0].split(":")[1].strip()
    lista["all" if k == "0" else k] = (d["final"]["test"]["accuracy"], d["best"]["epoch"])
if lista:
    print("| supervised LISTA (best val epoch) | " + " | ".join(f"{100 * lista[k][0]:.1f} (ep {lista[k][1]})" if k in lista else "–" for k in KS) + " |")
