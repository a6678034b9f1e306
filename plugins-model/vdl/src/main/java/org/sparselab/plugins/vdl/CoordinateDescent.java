package org.sparselab.plugins.vdl;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Cyclic coordinate descent with a precomputed Gram matrix for the energy of {@code sparselab fista} without the
 * variance hinge, per sample: E(z) = (1/P)‖y − D z‖² + λ‖z‖₁ (z ≥ 0, or signed). This is the algorithm of
 * scikit-learn's {@code Lasso(precompute=Gram)} ({@code enet_coordinate_descent_gram}, what {@code SparseCoder} runs
 * for {@code lasso_cd}), reimplemented: Lasso minimises (1/(2P))‖y − D z‖² + α‖z‖₁ = E(z)/2 for α = λ/2 (so
 * {@code SparseCoder}'s {@code transform_alpha}, which it divides by P, is λP/2), and its solver works on P times that,
 * ½ zᵀGz − qᵀz + a‖z‖₁ + const with G = DᵀD, q = Dᵀy and a = λP/2. Same minimiser as VDL's FISTA, another algorithm:
 * not the original's inference (spec vdl.md §3), which training keeps.
 *
 * <p>Per sample, r = q − G z is kept up to date; a sweep visits the atoms in order and sets
 * z_j = S_a(r_j + G_jj z_j) / G_jj (S the non-negative or two-sided soft threshold), updating r by one d-wide axpy
 * when z_j changed (zeros that stay zero cost a compare in a tight scan, since r does not change between updates). Atoms with G_jj = 0 are skipped. Stopping rule
 * as scikit-learn: after a sweep whose largest |Δz_j| is below tol·max_j|z_j| (or with z = 0, or at the last
 * sweep), the duality gap is computed and the sample stops when it is below tol·‖y‖² (both in scikit-learn's
 * scaling); at most maxIter sweeps. The Gram matrix and Dᵀy are computed in float32 (as scikit-learn on float32
 * data), the sweeps run in double: with a float32 H = G z (scikit-learn's), H drifts from G z by a rounding per update,
 * which at tolerances of 1e-7 and below (thousands of sweeps) moved codes by 6e-3 on the test problem; the codes are
 * returned as float32. Samples are independent and split over the common pool for
 * large batches.
 */
final class CoordinateDescent {

    /** Work (rows × atoms²) below which one thread is used (same unit as {@link FistaKernel#PARALLEL_WORK}). */
    static final long PARALLEL_WORK = Long.getLong("sparselab.cd.parallelWork", 1L << 21);
    /** Rows per task when the batch is split over the pool (work stealing evens out samples that need more sweeps). */
    static final int CHUNK = Integer.getInteger("sparselab.cd.chunk", 16);

    /**
     * Codes [n, d] row-major; per sample the sweeps taken; the energy Σᵢ (1/P)‖yᵢ − D zᵢ‖² + λ‖zᵢ‖₁; the fraction of
     * exact zeros; the samples whose gap was still above tolerance after maxIter sweeps.
     */
    record Result(float[] codes, int[] sweeps, double energy, double zeroFraction, int notConverged) {
        int maxSweeps() {
            int m = 0;
            for (int s : sweeps) {
                m = Math.max(m, s);
            }
            return m;
        }

        double meanSweeps() {
            long sum = 0;
            for (int s : sweeps) {
                sum += s;
            }
            return sweeps.length == 0 ? 0 : (double) sum / sweeps.length;
        }
    }

    private CoordinateDescent() {
    }

    /**
     * Solves every row of y [n, p] for the dictionary dict [p, d] (row-major, atoms as columns) from z0 [n, d] (null:
     * zeros). lambda is the tool's λ (FISTA's energy); tol and maxIter are scikit-learn's (1e-4 and 1000 there).
     */
    static Result solve(float[] y, float[] dict, int n, int p, int d, float[] z0, double lambda, boolean positive, double tol, int maxIter) {
        float[] gram = FistaKernel.gram(dict, p, d);
        float[] dty = FistaKernel.project(y, dict, n, p, d);
        double[][] g = new double[d][d];
        double[] diag = new double[d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                g[j][k] = gram[j * d + k];
            }
            diag[j] = g[j][j];
        }
        double a = lambda * p / 2;
        float[] codes = z0 == null ? new float[n * d] : z0.clone();
        int[] sweeps = new int[n];
        boolean[] open = new boolean[n];
        double[] yy = new double[n];
        int chunks = (n + CHUNK - 1) / CHUNK;
        boolean parallel = (long) n * d * d >= PARALLEL_WORK && ForkJoinPool.getCommonPoolParallelism() > 0 && chunks > 1;
        IntStream range = IntStream.range(0, chunks);
        (parallel ? range.parallel() : range).forEach(c -> {
            Row row = new Row(d);
            for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
                double s = 0;
                for (int k = i * p, e = k + p; k < e; k++) {
                    s += (double) y[k] * y[k];
                }
                yy[i] = s;
                for (int j = 0; j < d; j++) {
                    row.q[j] = dty[i * d + j];
                    row.w[j] = codes[i * d + j];
                }
                int taken = row.solve(g, diag, a, positive, tol, s, maxIter);
                sweeps[i] = Math.abs(taken);
                open[i] = taken < 0;
                for (int j = 0; j < d; j++) {
                    codes[i * d + j] = (float) row.w[j];
                }
            }
        });
        double yySum = 0;
        int notConverged = 0;
        for (int i = 0; i < n; i++) {
            yySum += yy[i];
            notConverged += open[i] ? 1 : 0;
        }
        GramEnergy fit = GramEnergy.of(codes, dty, gram, yySum, n, d);
        double energy = fit.squaredError() / p + lambda * fit.l1();
        long zeros = fit.zeros();
        return new Result(codes, sweeps, energy, n == 0 ? 0 : (double) zeros / ((long) n * d), notConverged);
    }

    /** One sample's state: codes w, q = Dᵀy and r = q − G w (scikit-learn keeps H = G w; r saves a load per atom). */
    static final class Row {
        final double[] w;
        final double[] q;
        final double[] r;

        Row(int d) {
            w = new double[d];
            q = new double[d];
            r = new double[d];
        }

        /**
         * Coordinate descent on ½ wᵀGw − qᵀw + a‖w‖₁ from the current w; diag = G's diagonal, yy = ‖y‖². Returns the
         * sweeps taken, negated when the gap was still above tol·yy after maxIter sweeps.
         */
        int solve(double[][] g, double[] diag, double a, boolean positive, double tol, double yy, int maxIter) {
            int d = w.length;
            System.arraycopy(q, 0, r, 0, d);
            for (int j = 0; j < d; j++) {
                if (w[j] != 0) {
                    axpy(r, g[j], -w[j]);
                }
            }
            double gapTol = tol * yy;
            for (int sweep = 0; sweep < maxIter; sweep++) {
                double wMax = 0;
                double dwMax = 0;
                for (int j = 0; ; j++) {
                    // skip the zeros that stay zero: for w_j = 0, r_j is the whole argument of the threshold, and
                    // r does not change until the next update
                    if (positive) {
                        while (j < d && w[j] == 0 && !(r[j] > a)) {
                            j++;
                        }
                    } else {
                        while (j < d && w[j] == 0 && !(Math.abs(r[j]) > a)) {
                            j++;
                        }
                    }
                    if (j == d) {
                        break;
                    }
                    double gjj = diag[j];
                    if (gjj == 0) {
                        continue; // an atom of zeros: scikit-learn skips it
                    }
                    double old = w[j];
                    double t = r[j] + old * gjj; // q_j − (G w)_j without w_j's own term
                    double nw;
                    if (positive && t < 0) {
                        nw = 0;
                    } else {
                        double m = Math.abs(t) - a;
                        nw = m > 0 ? Math.copySign(m, t) / gjj : 0;
                    }
                    if (nw != old) {
                        axpy(r, g[j], old - nw);
                        w[j] = nw;
                        double dw = Math.abs(nw - old);
                        if (dw > dwMax) {
                            dwMax = dw;
                        }
                    }
                    if (Math.abs(nw) > wMax) {
                        wMax = Math.abs(nw);
                    }
                }
                if (wMax == 0 || dwMax / wMax < tol || sweep == maxIter - 1) {
                    if (gap(a, positive, yy) < gapTol) {
                        return sweep + 1;
                    }
                }
            }
            return -maxIter;
        }

        /** The duality gap of scikit-learn's Gram solver (no L2 term). */
        double gap(double a, boolean positive, double yy) {
            double qw = 0;
            double rw = 0;
            double l1 = 0;
            double dual = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < w.length; j++) {
                dual = Math.max(dual, positive ? r[j] : Math.abs(r[j])); // r = Dᵀ(y − D w)
                qw += w[j] * q[j];
                rw += w[j] * r[j];
                l1 += Math.abs(w[j]);
            }
            double rr = yy - qw - rw; // ‖y − D w‖² = ‖y‖² + wᵀGw − 2qᵀw, wᵀGw = qᵀw − rᵀw
            double c;
            double gap;
            if (dual > a) {
                c = a / dual;
                gap = 0.5 * (rr + rr * c * c);
            } else {
                c = 1;
                gap = rr;
            }
            return gap + a * l1 - c * yy + c * qw;
        }

        private static void axpy(double[] out, double[] x, double v) {
            for (int k = 0; k < out.length; k++) {
                out[k] += v * x[k];
            }
        }
    }
}
