"""Draws the net-fragments lines with PIL's ImageDraw.line (width 1), as the original dataset does, and prints
one line per segment: "x1 y1 x2 y2 <row-major pixel indices that are on>". Used to compare sparselab's own
rasteriser with PIL's pixels (see plugins-dataset/straight-lines/README.md)."""
import sys
from PIL import Image, ImageDraw
import numpy as np


def segments():
    # the 58 random-line draws of the training set
    for v in range(2, 31):
        yield (2, v, 30, 32 - v)
    for v in range(2, 31):
        yield (v, 2, 32 - v, 30)
    # the rotating evaluation sweep (60 samples)
    a, b = [2, 16], [30, 16]

    def step(p):
        if p[0] == 2 and p[1] < 30:
            p[1] += 1
        elif p[1] == 30 and p[0] < 30:
            p[0] += 1
        elif p[0] == 30 and p[1] > 2:
            p[1] -= 1
        else:
            p[0] -= 1
    for _ in range(60):
        yield (a[0], a[1], b[0], b[1])
        step(a)
        step(b)


for x1, y1, x2, y2 in segments():
    img = Image.new('L', (32, 32), 0)
    ImageDraw.Draw(img).line([(x1, y1), (x2, y2)], fill=255, width=1)
    on = np.flatnonzero(np.asarray(img).reshape(-1) > 128)
    print(x1, y1, x2, y2, " ".join(str(i) for i in on))
