package org.sparselab.plugins.vdl;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * FISTA's affine iteration (linear decoder, no variance hinge, non-negative threshold) on plain float arrays, for
 * CPU solves: Z_new = ReLU(A·Q + C) for the samples still moving and ReLU(A) for those that converged at the
 * previous iteration, with the momentum point A = Z + β(Z − Z_old), then the per-sample stopping test of spec
 * vdl.md §3, all in one pass over each row.
 *
 * <p>What makes it faster than the same iteration as tensor operations:
 * <ul>
 * <li>no engine call per operation (a small batch pays the JNI and dispatch cost of about ten calls per iteration);
 * <li>sparsity: the products skip exact zeros, and only the codes are multiplied, A·Q = (1 + β)·Z·Q − β·Z_old·Q
 * with Z·Q kept from the previous iteration: one product of a row with about 10 % non-zeros (MNIST, λ = 0.005)
 * instead of one with the union of two supports, or a dense matrix product;
 * <li>rows are independent given the iteration number: the batch is worked in blocks of rows that stay in cache
 * for several iterations, and large batches are split over threads that join once per segment of iterations.
 * </ul>
 * Rounding differs from the tensor path (another summation order), not the algorithm or its stopping rule.
 */
final class FistaKernel {

    /** Work (rows × atoms²) below which one thread is faster than splitting the batch over the pool. */
    static final long PARALLEL_WORK = Long.getLong("sparselab.fista.parallelWork", 1L << 20);
    /** Rows worked together for {@link #SEGMENT} iterations (their arrays stay in cache). */
    static final int BLOCK = Integer.getInteger("sparselab.fista.block", 32);
    /** Iterations a block takes before the blocks are compared for the stopping rule. */
    static final int SEGMENT = Integer.getInteger("sparselab.fista.segment", 10);

    final int n;
    final int d;
    final float[][] q;      // [d][d]: Q = I − (2η/P)DᵀD (− (2ηγ/d)I), one array per row
    final float[][] c;      // [n][d]: (2η/P)·YD (+ (2ηγ/d)E) − ηλ
    final float[][] z;      // [n][d] the codes
    final float[][] zOld;   // [n][d] the codes of the iteration before
    final float[][] g;      // [n][d] z·Q
    final float[][] gOld;   // [n][d] zOld·Q
    final double[] zNorm;   // ‖z_i‖²
    final boolean[] flags;
    final int[] counted;    // per sample, the iterations that ended below tol
    final boolean fista;
    final double tol;
    private final int threads;

    /**
     * q [d, d], c [n, d] and z0 [n, d] row-major. Every row is its own array: C2 vectorises a loop over one index
     * into several arrays, not one with a row offset into a flat array (measured: 4× on a 128-wide row).
     */
    FistaKernel(int n, int d, float[] q, float[] c, float[] z0, boolean fista, double tol) {
        this.n = n;
        this.d = d;
        this.q = rows(q, d, d);
        this.c = rows(c, n, d);
        this.z = rows(z0, n, d);
        this.zOld = rows(z0, n, d);
        this.g = new float[n][d];
        this.gOld = new float[n][d];
        this.fista = fista;
        this.tol = tol;
        this.zNorm = new double[n];
        int[] nz = new int[d];
        for (int i = 0; i < n; i++) {
            zNorm[i] = sumSquares(z[i]);
            product(z[i], g[i], nz);
            System.arraycopy(g[i], 0, gOld[i], 0, d);
        }
        this.flags = new boolean[n];
        this.counted = new int[n];
        int cores = ForkJoinPool.getCommonPoolParallelism() + 1;
        long work = (long) n * d * d;
        this.threads = work < PARALLEL_WORK ? 1 : cores;
    }

    /** The codes, row-major [n, d]. */
    float[] codes() {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(z[i], 0, out, i * d, d);
        }
        return out;
    }

    /**
     * Runs up to maxSteps iterations; returns the number taken (the original's stopping rule, §3 step e: the first
     * iteration k < maxSteps after which every sample is below tol). The blocks take {@link #SEGMENT} iterations each,
     * recording per iteration whether all their rows ended below tol; a segment in which some iteration had every
     * block below tol is redone from a copy of its start up to that iteration. The result is the one of iterating
     * the whole batch step by step.
     */
    int run(int maxSteps) {
        // beta[k]: the momentum of iteration k's point, A_k = Z_{k-1} + beta[k]·(Z_{k-1} − Z_{k-2}); beta[1] = 0
        float[] beta = new float[maxSteps + 1];
        double t = 1;
        for (int k = 1; k < maxSteps; k++) {
            double tNew = fista ? (1 + Math.sqrt(1 + 4 * t * t)) / 2 : 1;
            beta[k + 1] = (float) ((t - 1) / tNew);
            t = tNew;
        }
        int blocks = (n + BLOCK - 1) / BLOCK;
        State saved = new State(n, d);
        for (int k0 = 1; k0 <= maxSteps; k0 += SEGMENT) {
            int first = k0;
            int k1 = Math.min(k0 + SEGMENT - 1, maxSteps);
            boolean[][] allBelow = new boolean[blocks][k1 - k0 + 1];
            parallel(blocks, (from, to) -> {
                Scratch s = new Scratch(d);
                for (int b = from; b < to; b++) {
                    int r0 = b * BLOCK;
                    int r1 = Math.min(n, r0 + BLOCK);
                    saved.copy(this, r0, r1, true);
                    for (int k = first; k <= k1; k++) {
                        allBelow[b][k - first] = rows(r0, r1, beta[k], s) == r1 - r0;
                    }
                }
            });
            int stop = -1;
            for (int k = k0; k <= Math.min(k1, maxSteps - 1) && stop < 0; k++) {
                boolean all = true;
                for (int b = 0; b < blocks && all; b++) {
                    all = allBelow[b][k - k0];
                }
                if (all) {
                    stop = k;
                }
            }
            if (stop >= 0) {
                int last = stop;
                parallel(blocks, (from, to) -> {
                    Scratch s = new Scratch(d);
                    for (int b = from; b < to; b++) {
                        int r0 = b * BLOCK;
                        int r1 = Math.min(n, r0 + BLOCK);
                        saved.copy(this, r0, r1, false);
                        for (int k = first; k <= last; k++) {
                            rows(r0, r1, beta[k], s);
                        }
                    }
                });
                return stop;
            }
        }
        return maxSteps;
    }

    /** Per-thread scratch rows; they are swapped with the rows they replace. */
    private static final class Scratch {
        float[] out;
        float[] gNew;
        final int[] nz;

        Scratch(int d) {
            out = new float[d];
            gNew = new float[d];
            nz = new int[d];
        }
    }

    /** A copy of the per-row state, for redoing the end of a segment. */
    private static final class State {
        final float[][] z;
        final float[][] zOld;
        final float[][] g;
        final float[][] gOld;
        final double[] zNorm;
        final boolean[] flags;
        final int[] counted;

        State(int n, int d) {
            z = new float[n][d];
            zOld = new float[n][d];
            g = new float[n][d];
            gOld = new float[n][d];
            zNorm = new double[n];
            flags = new boolean[n];
            counted = new int[n];
        }

        /** Rows [r0, r1) from the kernel into this copy (save) or back (restore). */
        void copy(FistaKernel k, int r0, int r1, boolean save) {
            for (int i = r0; i < r1; i++) {
                row(k.z[i], z[i], save);
                row(k.zOld[i], zOld[i], save);
                row(k.g[i], g[i], save);
                row(k.gOld[i], gOld[i], save);
            }
            int len = r1 - r0;
            if (save) {
                System.arraycopy(k.zNorm, r0, zNorm, r0, len);
                System.arraycopy(k.flags, r0, flags, r0, len);
                System.arraycopy(k.counted, r0, counted, r0, len);
            } else {
                System.arraycopy(zNorm, r0, k.zNorm, r0, len);
                System.arraycopy(flags, r0, k.flags, r0, len);
                System.arraycopy(counted, r0, k.counted, r0, len);
            }
        }

        private static void row(float[] live, float[] copy, boolean save) {
            if (save) {
                System.arraycopy(live, 0, copy, 0, live.length);
            } else {
                System.arraycopy(copy, 0, live, 0, live.length);
            }
        }
    }

    /** Blocks [0, blocks) split over the common pool's threads when the work is large enough, else on this thread. */
    private void parallel(int blocks, BlockRange body) {
        int parts = Math.min(threads, blocks);
        if (parts <= 1) {
            body.run(0, blocks);
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[parts];
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) blocks * p / parts);
            int to = (int) ((long) blocks * (p + 1) / parts);
            tasks[p] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        RecursiveAction.invokeAll(tasks);
    }

    @FunctionalInterface
    private interface BlockRange {
        void run(int from, int to);
    }

    /** Rows [from, to) of one iteration whose momentum point has coefficient beta; returns how many ended below tol. */
    int rows(int from, int to, float beta, Scratch s) {
        int converged = 0;
        for (int i = from; i < to; i++) {
            float[] zi = z[i];
            float[] zo = zOld[i];
            float[] out = s.out;
            if (flags[i]) {
                // converged at the previous iteration: no gradient step and no threshold, only ReLU(A)
                for (int k = 0; k < out.length; k++) {
                    out[k] = Math.max(zi[k] + (zi[k] - zo[k]) * beta, 0f);
                }
            } else {
                // A·Q + C = Z·Q + β(Z·Q − Z_old·Q) + C
                float[] gi = g[i];
                float[] go = gOld[i];
                float[] ci = c[i];
                for (int k = 0; k < out.length; k++) {
                    out[k] = Math.max(gi[k] + (gi[k] - go[k]) * beta + ci[k], 0f);
                }
            }
            // the new Z·Q over the non-zeros of the new codes, which also give ‖Z‖² and Z·Z_old, so that
            // ‖Z − Z_old‖² = ‖Z‖² − 2 Z·Z_old + ‖Z_old‖² costs a pass over the non-zeros instead of the row (in double,
            // where the cancellation near convergence, ‖Z − Z_old‖² ≈ 1e-6 ‖Z‖² at tol 1e-3, leaves ~10 digits)
            int[] nz = s.nz;
            int found = nonZeros(out, nz);
            double nn = 0;
            double cross = 0;
            for (int f = 0; f < found; f++) {
                int k = nz[f];
                nn += (double) out[k] * out[k];
                cross += (double) out[k] * zi[k];
            }
            double dn = Math.max(0, nn - 2 * cross + zNorm[i]);
            // 0/0 and x/0 (NaN, ∞) count as not converged
            boolean below = Math.sqrt(dn) / Math.sqrt(zNorm[i]) < tol;
            flags[i] = below;
            zNorm[i] = nn;
            if (below) {
                counted[i]++;
                converged++;
            }
            // the new Z·Q, then rotate: Z_old ← Z ← out, Z_old·Q ← Z·Q ← the new product (the old arrays become scratch)
            java.util.Arrays.fill(s.gNew, 0f);
            product(out, s.gNew, nz, found);
            s.out = zo;
            zOld[i] = zi;
            z[i] = out;
            float[] gFree = gOld[i];
            gOld[i] = g[i];
            g[i] = s.gNew;
            s.gNew = gFree;
        }
        return converged;
    }

    /** out += x · Q over the non-zero entries of x (four rows of Q at a time). */
    private void product(float[] x, float[] out, int[] nz) {
        product(x, out, nz, nonZeros(x, nz));
    }

    /** The indices of x's non-zero entries into nz; returns their number. */
    static int nonZeros(float[] x, int[] nz) {
        int found = 0;
        for (int j = 0; j < x.length; j++) {
            nz[found] = j;
            found += x[j] != 0f ? 1 : 0;
        }
        return found;
    }

    /** out += x · Q over the entries of x listed in nz[0, found). */
    private void product(float[] x, float[] out, int[] nz, int found) {
        product(q, x, out, nz, found);
    }

    /** out += x · q over the entries of x listed in nz[0, found) (q one array per row, four rows at a time). */
    static void product(float[][] q, float[] x, float[] out, int[] nz, int found) {
        int f = 0;
        for (; f + 4 <= found; f += 4) {
            int j0 = nz[f];
            int j1 = nz[f + 1];
            int j2 = nz[f + 2];
            int j3 = nz[f + 3];
            axpy4(out, q[j0], q[j1], q[j2], q[j3], x[j0], x[j1], x[j2], x[j3]);
        }
        for (; f < found; f++) {
            axpy(out, q[nz[f]], x[nz[f]]);
        }
    }

    /**
     * out = x · q over the entries of x listed in nz[0, found): the remainder of found / 4 first, written rather than
     * added (no pass to clear out), then four rows at a time, so ⌈found / 4⌉ passes over out in all.
     */
    static void productInto(float[][] q, float[] x, float[] out, int[] nz, int found) {
        int f = found & 3;
        switch (f) {
            case 1 -> {
                float[] q0 = q[nz[0]];
                float v0 = x[nz[0]];
                for (int k = 0; k < out.length; k++) {
                    out[k] = v0 * q0[k];
                }
            }
            case 2 -> {
                float[] q0 = q[nz[0]];
                float[] q1 = q[nz[1]];
                float v0 = x[nz[0]];
                float v1 = x[nz[1]];
                for (int k = 0; k < out.length; k++) {
                    out[k] = v0 * q0[k] + v1 * q1[k];
                }
            }
            case 3 -> {
                float[] q0 = q[nz[0]];
                float[] q1 = q[nz[1]];
                float[] q2 = q[nz[2]];
                float v0 = x[nz[0]];
                float v1 = x[nz[1]];
                float v2 = x[nz[2]];
                for (int k = 0; k < out.length; k++) {
                    out[k] = v0 * q0[k] + v1 * q1[k] + v2 * q2[k];
                }
            }
            default -> {
                if (found == 0) {
                    java.util.Arrays.fill(out, 0f);
                    return;
                }
                float[] q0 = q[nz[0]];
                float[] q1 = q[nz[1]];
                float[] q2 = q[nz[2]];
                float[] q3 = q[nz[3]];
                float v0 = x[nz[0]];
                float v1 = x[nz[1]];
                float v2 = x[nz[2]];
                float v3 = x[nz[3]];
                for (int k = 0; k < out.length; k++) {
                    out[k] = v0 * q0[k] + v1 * q1[k] + v2 * q2[k] + v3 * q3[k];
                }
                f = 4;
            }
        }
        for (; f < found; f += 4) {
            int j0 = nz[f];
            int j1 = nz[f + 1];
            int j2 = nz[f + 2];
            int j3 = nz[f + 3];
            axpy4(out, q[j0], q[j1], q[j2], q[j3], x[j0], x[j1], x[j2], x[j3]);
        }
    }

    private static void axpy(float[] out, float[] q0, float v0) {
        for (int k = 0; k < out.length; k++) {
            out[k] += v0 * q0[k];
        }
    }

    private static void axpy4(float[] out, float[] q0, float[] q1, float[] q2, float[] q3, float v0, float v1, float v2, float v3) {
        for (int k = 0; k < out.length; k++) {
            out[k] += v0 * q0[k] + v1 * q1[k] + v2 * q2[k] + v3 * q3[k];
        }
    }

    /** DᵀD {@code [d, d]} row-major of D {@code [p, d]} row-major: Σₚ D[p, j]·D[p, :] four pixels at a time. */
    static float[] gram(float[] dict, int p, int d) {
        float[][] rowsOfD = rows(dict, p, d);
        float[] out = new float[d * d];
        float[] acc = new float[d];
        for (int j = 0; j < d; j++) {
            java.util.Arrays.fill(acc, 0f);
            int r = 0;
            for (; r + 4 <= p; r += 4) {
                axpy4(acc, rowsOfD[r], rowsOfD[r + 1], rowsOfD[r + 2], rowsOfD[r + 3],
                        rowsOfD[r][j], rowsOfD[r + 1][j], rowsOfD[r + 2][j], rowsOfD[r + 3][j]);
            }
            for (; r < p; r++) {
                axpy(acc, rowsOfD[r], rowsOfD[r][j]);
            }
            System.arraycopy(acc, 0, out, j * d, d);
        }
        return out;
    }

    /** Y·D {@code [n, d]} row-major of Y {@code [n, p]} and D {@code [p, d]} row-major; rows split over the pool when large. */
    static float[] project(float[] y, float[] dict, int n, int p, int d) {
        float[][] rowsOfD = rows(dict, p, d);
        float[] out = new float[n * d];
        int parts = (long) n * p * d < PARALLEL_WORK * 4 ? 1 : ForkJoinPool.getCommonPoolParallelism() + 1;
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, parts);
        (parts > 1 ? range.parallel() : range).forEach(part -> {
            float[] acc = new float[d];
            for (int i = (int) ((long) n * part / parts), end = (int) ((long) n * (part + 1) / parts); i < end; i++) {
                java.util.Arrays.fill(acc, 0f);
                int off = i * p;
                int r = 0;
                for (; r + 4 <= p; r += 4) {
                    axpy4(acc, rowsOfD[r], rowsOfD[r + 1], rowsOfD[r + 2], rowsOfD[r + 3], y[off + r], y[off + r + 1], y[off + r + 2], y[off + r + 3]);
                }
                for (; r < p; r++) {
                    axpy(acc, rowsOfD[r], y[off + r]);
                }
                System.arraycopy(acc, 0, out, i * d, d);
            }
        });
        return out;
    }

    static float[][] rows(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return out;
    }

    private static double sumSquares(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return s;
    }
}
