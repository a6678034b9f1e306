"""Learned atoms of the four MNIST runs, one row block per variant (the README's figure).

Usage: python3 plot_atoms.py OUT.png LABEL=RUN_FOLDER ...   (reads RUN_FOLDER/model/best.npz, else parameters.npz)
Linear decoders: the dictionary's atoms (rows of decoder_dict). One-hidden decoders: Dec(e_j) - Dec(0), what code unit j
adds at value 1 (VdlModel.atoms()). Each atom is scaled to its own max |value| (grey = 0)."""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def atoms(folder):
    f = os.path.join(folder, "model", "best.npz")
    if not os.path.exists(f):
        f = os.path.join(folder, "model", "parameters.npz")
    p = np.load(f)
    if "decoder_dict" in p:
        return p["decoder_dict"]
    w1, b1, w2 = p["decoder_w1"], p["decoder_b1"], p["decoder_w2"]
    relu = lambda a: np.maximum(a, 0)
    return relu(w1 + b1) @ w2 - relu(b1) @ w2


def main():
    out = sys.argv[1]
    runs = [a.split("=", 1) for a in sys.argv[2:]]
    per_row, rows = 16, 2
    fig, axes = plt.subplots(len(runs) * rows, per_row, figsize=(per_row * 0.5, len(runs) * rows * 0.56))
    for r, (label, folder) in enumerate(runs):
        a = atoms(folder)
        for i in range(per_row * rows):
            ax = axes[r * rows + i // per_row, i % per_row]
            img = a[i].reshape(28, 28)
            m = np.abs(img).max() or 1
            ax.imshow(img, cmap="gray", vmin=-m, vmax=m)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=7)
    plt.subplots_adjust(wspace=0.05, hspace=0.05, left=0.1, right=0.995, top=0.995, bottom=0.005)
    import io
    from PIL import Image
    buf = io.BytesIO()
    fig.savefig(buf, dpi=72, format="png")
    buf.seek(0)
    Image.open(buf).convert("L").save(out, optimize=True)  # grey levels only: a third of the RGBA file


if __name__ == "__main__":
    main()
