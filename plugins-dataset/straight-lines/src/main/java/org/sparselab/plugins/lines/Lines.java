package org.sparselab.plugins.lines;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Geometry of the net-fragments line images: endpoints, the rasteriser, interruptions and the rotating
 * evaluation sweep. Coordinates are (x, y) = (column, row) with the row pointing down, as in the original's
 * PIL drawing; images are row-major {@code [size * size]} with values 0 and 1.
 */
public final class Lines {

    /** Endpoints of one line, inclusive. */
    public record Segment(int x1, int y1, int x2, int y2) {
        /** Orientation metadata as the original computes it (not used by any metric). */
        public double angle() {
            return Math.atan((y2 - y1) / ((x2 - x1) + 1e-10));
        }

        float[] asFloats() {
            return new float[]{x1, y1, x2, y2};
        }
    }

    /** Lowest and highest endpoint coordinate on the 32-pixel grid (a 28-pixel square around the centre). */
    public static final int LOW = 2;
    public static final int HIGH = 30;

    private Lines() {
    }

    /**
     * A random line through the centre: with probability 1/2 from (2, y) to (30, 32 - y), otherwise from
     * (x, 2) to (32 - x, 30), with y or x uniform on [2, 30]. 58 equally likely draws, 56 distinct lines
     * (both diagonals occur in both families).
     */
    public static Segment random(SplittableRandom r) {
        boolean acrossRows = r.nextDouble() < 0.5;
        int v = LOW + r.nextInt(HIGH - LOW + 1);
        return acrossRows ? new Segment(LOW, v, HIGH, 32 - v) : new Segment(v, LOW, 32 - v, HIGH);
    }

    /**
     * Sample {@code i} of the deterministic rotating sweep: both endpoints start at (2,16) and (30,16) and move
     * {@code i} pixels counter-clockwise along the border of [2,30]²; sample 14 is the 45° diagonal, 28 vertical,
     * 56 horizontal again with the endpoints swapped.
     */
    public static Segment sweep(int i) {
        int[] a = {LOW, 16};
        int[] b = {HIGH, 16};
        for (int s = 0; s < i; s++) {
            step(a);
            step(b);
        }
        return new Segment(a[0], a[1], b[0], b[1]);
    }

    /** One counter-clockwise step along the square's border (down the left side, right along the bottom, ...). */
    private static void step(int[] p) {
        if (p[0] == LOW && p[1] < HIGH) {
            p[1]++;
        } else if (p[1] == HIGH && p[0] < HIGH) {
            p[0]++;
        } else if (p[0] == HIGH && p[1] > LOW) {
            p[1]--;
        } else {
            p[0]--;
        }
    }

    /**
     * Draws a 1-pixel line with both endpoints into a {@code size × size} image (Bresenham: one pixel per step
     * along the major axis; the minor coordinate steps when the accumulated error reaches half a pixel, so
     * exact halves round away from the start point).
     */
    public static float[] draw(Segment s, int size) {
        float[] img = new float[size * size];
        int x = s.x1();
        int y = s.y1();
        int dx = Math.abs(s.x2() - s.x1());
        int dy = Math.abs(s.y2() - s.y1());
        int sx = Integer.signum(s.x2() - s.x1());
        int sy = Integer.signum(s.y2() - s.y1());
        int steps = Math.max(dx, dy);
        boolean xMajor = dx >= dy;
        int major = xMajor ? dx : dy;
        int minor = xMajor ? dy : dx;
        int err = 2 * minor - major;
        for (int k = 0; k <= steps; k++) {
            set(img, size, x, y);
            if (err >= 0 && major > 0) {
                if (xMajor) {
                    y += sy;
                } else {
                    x += sx;
                }
                err -= 2 * major;
            }
            err += 2 * minor;
            if (xMajor) {
                x += sx;
            } else {
                y += sy;
            }
        }
        return img;
    }

    private static void set(float[] img, int size, int x, int y) {
        if (x >= 0 && y >= 0 && x < size && y < size) {
            img[y * size + x] = 1f;
        }
    }

    /**
     * Interrupts the line in place: of the line pixels in row-major order, the one nearest (L1) to the segment's
     * midpoint ((x1+x2)//2, (y1+y2)//2) (the first on ties) is the centre of a run of min(n, count - 2)
     * consecutive pixels that are set to 0, starting n'//2 before it.
     *
     * @return the indices of the removed pixels
     */
    public static int[] interrupt(float[] img, int size, Segment s, int n) {
        if (n <= 0) {
            return new int[0];
        }
        int[] on = new int[img.length];
        int count = 0;
        for (int i = 0; i < img.length; i++) {
            if (img[i] > 0.5f) {
                on[count++] = i;
            }
        }
        int mx = Math.floorDiv(s.x1() + s.x2(), 2);
        int my = Math.floorDiv(s.y1() + s.y2(), 2);
        int centre = 0;
        int best = Integer.MAX_VALUE;
        for (int k = 0; k < count; k++) {
            int d = Math.abs(on[k] % size - mx) + Math.abs(on[k] / size - my);
            if (d < best) {
                best = d;
                centre = k;
            }
        }
        int m = Math.max(0, Math.min(n, count - 2));
        // the run never leaves the list (the original's slice would wrap for a start below 0; that cannot happen
        // for lines through the centre, whose midpoint pixel lies in the middle of the list)
        int start = Math.max(0, Math.min(centre - m / 2, count - m));
        int[] removed = Arrays.copyOfRange(on, start, start + m);
        for (int i : removed) {
            img[i] = 0f;
        }
        return removed;
    }
}
