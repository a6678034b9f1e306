package org.sparselab.plugins.vdl;

import org.junit.jupiter.api.Test;
import org.sparselab.api.data.Npy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AdaptiveFista} ({@code sparselab fista --solver adaptive}): its step against known eigenvalues, its iterations
 * against a direct dense transcription in double, its optimum against coordinate descent, and its per-sample
 * bookkeeping (independent rows, exact fixed points, warm starts, the step cap).
 */
class AdaptiveFistaTest {

    private static final double LAMBDA = 0.01; // the cd fixture's λ

    /** The cd fixture: dictionary d [p, k], inputs y [n, p]. */
    private record Problem(float[] d, float[] y, int p, int k, int n) {
        static Problem load() throws IOException, URISyntaxException {
            Npy.Matrix d = read("D.npy");
            Npy.Matrix y = read("Y.npy");
            return new Problem(d.data(), y.data(), d.rows(), d.cols(), y.rows());
        }

        private static Npy.Matrix read(String name) throws IOException, URISyntaxException {
            return Npy.read(Path.of(AdaptiveFistaTest.class.getResource("/cd/" + name).toURI()));
        }
    }

    @Test
    void stepIsOneOverTheLipschitzConstant() {
        // D = U diag(s) Vᵀ with orthonormal U [p, d] and V [d, d]: DᵀD = V diag(s²) Vᵀ, λ_max = max s², here with a
        // second eigenvalue close to it (slow power iteration)
        int p = 30;
        int d = 12;
        Random rnd = new Random(3);
        double[][] u = orthonormalColumns(p, d, rnd);
        double[][] v = orthonormalColumns(d, d, rnd);
        double[] s = {3.0, 2.97, 2, 1.5, 1, 1, 0.5, 0.5, 0.2, 0.1, 0, 0};
        float[] dict = new float[p * d];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < d; j++) {
                double x = 0;
                for (int m = 0; m < d; m++) {
                    x += u[i][m] * s[m] * v[j][m];
                }
                dict[i * d + j] = (float) x;
            }
        }
        double step = AdaptiveFista.lipschitzStep(FistaKernel.gram(dict, p, d), d, p);
        double exact = p / (2 * 9.0);
        assertEquals(exact / AdaptiveFista.LIPSCHITZ_MARGIN, step, 1e-5 * exact);
        assertEquals(1.0, AdaptiveFista.lipschitzStep(new float[d * d], d, p), "a zero dictionary");
    }

    @Test
    void iteratesAsADirectTranscription() throws Exception {
        Problem f = Problem.load();
        int p = f.p();
        int k = f.k();
        int n = f.n();
        for (boolean positive : new boolean[]{true, false}) {
            for (boolean restart : new boolean[]{true, false}) {
                AdaptiveFista.Result r = AdaptiveFista.solve(f.y(), f.d(), n, p, k, null, LAMBDA, Double.NaN, positive, restart, 1e-3, 500);
                int sameSteps = 0;
                double refMean = 0;
                for (int i = 0; i < n; i++) {
                    int[] steps = new int[1];
                    double[] ref = direct(f.d(), f.y(), i, p, k, LAMBDA, r.step(), positive, restart, 1e-3, 500, steps);
                    refMean += steps[0] / (double) n;
                    sameSteps += steps[0] == r.steps()[i] ? 1 : 0;
                    if (steps[0] == r.steps()[i]) {
                        for (int j = 0; j < k; j++) {
                            assertEquals(ref[j], r.codes()[i * k + j], 1e-3, "sample " + i + " atom " + j + " positive " + positive + " restart " + restart);
                        }
                    }
                }
                // float32 rounding may move a stop or a restart by a step on a few samples, no more
                String what = "positive " + positive + " restart " + restart + ": " + sameSteps + " of " + n + " samples took the same steps";
                assertTrue(sameSteps >= 0.9 * n, what);
                assertEquals(refMean, r.meanSteps(), 0.02 * refMean, what);
                assertEquals(0, r.notConverged(), what);
            }
        }
    }

    @Test
    void restartsSaveStepsAndReachCoordinateDescentsOptimum() throws Exception {
        Problem f = Problem.load();
        int p = f.p();
        int k = f.k();
        int n = f.n();
        for (boolean positive : new boolean[]{true, false}) {
            CoordinateDescent.Result cd = CoordinateDescent.solve(f.y(), f.d(), n, p, k, null, LAMBDA, positive, 1e-9, 100_000);
            AdaptiveFista.Result plain = AdaptiveFista.solve(f.y(), f.d(), n, p, k, null, LAMBDA, Double.NaN, positive, false, 1e-6, 20_000);
            AdaptiveFista.Result restarted = AdaptiveFista.solve(f.y(), f.d(), n, p, k, null, LAMBDA, Double.NaN, positive, true, 1e-6, 20_000);
            assertTrue(restarted.meanSteps() < 0.8 * plain.meanSteps(), restarted.meanSteps() + " vs " + plain.meanSteps() + " steps without restart");
            for (AdaptiveFista.Result r : new AdaptiveFista.Result[]{plain, restarted}) {
                assertEquals(0, r.notConverged());
                assertEquals(cd.energy(), r.energy(), 1e-6 * cd.energy(), "positive " + positive);
                for (int i = 0; i < cd.codes().length; i++) {
                    assertEquals(cd.codes()[i], r.codes()[i], 1e-3, "positive " + positive + " code " + i);
                }
            }
        }
    }

    @Test
    void rowsAreIndependentAndStopOnTheirOwn() {
        Random rnd = new Random(8);
        int p = 40;
        int k = 64;
        int n = 600; // n·k² above the parallel threshold: split over the pool
        assertTrue((long) n * k * k >= FistaKernel.PARALLEL_WORK);
        float[] d = new float[p * k];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian() / 6;
        }
        float[] y = new float[n * p];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
        }
        AdaptiveFista.Result all = AdaptiveFista.solve(y, d, n, p, k, null, 0.02, Double.NaN, true, true, 1e-3, 1000);
        for (int i = 0; i < n; i += 37) {
            float[] row = java.util.Arrays.copyOfRange(y, i * p, (i + 1) * p);
            AdaptiveFista.Result one = AdaptiveFista.solve(row, d, 1, p, k, null, 0.02, Double.NaN, true, true, 1e-3, 1000);
            assertArrayEquals(java.util.Arrays.copyOfRange(all.codes(), i * k, (i + 1) * k), one.codes(), "row " + i);
            assertEquals(all.steps()[i], one.steps()[0], "row " + i);
        }
        assertTrue(all.maxSteps() > 2 * all.steps()[java.util.stream.IntStream.range(0, n).reduce((a, b) -> all.steps()[a] <= all.steps()[b] ? a : b).orElseThrow()],
                "samples stop at different steps");
        // a warm start at the solution stops within a few steps and does not lose energy
        AdaptiveFista.Result warm = AdaptiveFista.solve(y, d, n, p, k, all.codes(), 0.02, Double.NaN, true, true, 1e-3, 1000);
        assertTrue(warm.meanSteps() < 3, "warm start: " + warm.meanSteps() + " steps");
        assertTrue(warm.energy() <= all.energy() * (1 + 1e-6));
        // the step cap: samples stop there and are counted
        AdaptiveFista.Result capped = AdaptiveFista.solve(y, d, n, p, k, null, 0.02, Double.NaN, true, true, 1e-3, 3);
        assertEquals(3, capped.maxSteps());
        assertTrue(capped.notConverged() > 0 && capped.energy() >= all.energy());
        // a λ above max|Dᵀy|·2/P: zero is the solution and an exact fixed point, reached at the first step
        AdaptiveFista.Result zero = AdaptiveFista.solve(y, d, n, p, k, null, 1e3, Double.NaN, true, true, 1e-3, 1000);
        assertEquals(1.0, zero.zeroFraction());
        assertEquals(1, zero.maxSteps());
        assertEquals(0, zero.notConverged());
        assertEquals(GramEnergy.sumSquares(y) / p, zero.energy(), 1e-9 * zero.energy());
    }

    /**
     * One sample by the textbook recurrence, in double and dense: a = z_{k−1} + ((t_{k−1} − 1)/t_k)(z_{k−1} − z_{k−2}),
     * z_k = prox(a − η∇f(a)), restart (t = 1) when (a − z_k)·(z_k − z_{k−1}) &gt; 0, stop when ‖z_k − z_{k−1}‖ is 0 or
     * below tol·‖z_{k−1}‖.
     */
    private static double[] direct(float[] dict, float[] y, int s, int p, int k, double lambda, double eta, boolean positive, boolean restart,
                                   double tol, int maxSteps, int[] stepsOut) {
        double[] z = new double[k];
        double[] zPrev = new double[k];
        double[] a = new double[k];
        double t = 1;
        for (int step = 1; step <= maxSteps; step++) {
            double[] residual = new double[p];
            for (int i = 0; i < p; i++) {
                double r = -y[s * p + i];
                for (int j = 0; j < k; j++) {
                    r += dict[i * k + j] * a[j];
                }
                residual[i] = r;
            }
            double[] next = new double[k];
            double change = 0;
            double norm = 0;
            double against = 0;
            for (int j = 0; j < k; j++) {
                double grad = 0;
                for (int i = 0; i < p; i++) {
                    grad += dict[i * k + j] * residual[i];
                }
                double v = a[j] - eta * 2 * grad / p;
                double th = eta * lambda;
                next[j] = positive ? Math.max(0, v - th) : Math.signum(v) * Math.max(0, Math.abs(v) - th);
                change += (next[j] - z[j]) * (next[j] - z[j]);
                norm += z[j] * z[j];
                against += (a[j] - next[j]) * (next[j] - z[j]);
            }
            zPrev = z;
            z = next;
            if (change == 0 || Math.sqrt(change) / Math.sqrt(norm) < tol) {
                stepsOut[0] = step;
                return z;
            }
            if (restart && against > 0) {
                t = 1;
            }
            double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int j = 0; j < k; j++) {
                a[j] = z[j] + (t - 1) / tNew * (z[j] - zPrev[j]);
            }
            t = tNew;
        }
        stepsOut[0] = maxSteps;
        return z;
    }

    private static double[][] orthonormalColumns(int rows, int cols, Random rnd) {
        double[][] m = new double[rows][cols];
        for (int c = 0; c < cols; c++) {
            double[] v = new double[rows];
            for (int r = 0; r < rows; r++) {
                v[r] = rnd.nextGaussian();
            }
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (int r = 0; r < rows; r++) {
                    dot += v[r] * m[r][prev];
                }
                for (int r = 0; r < rows; r++) {
                    v[r] -= dot * m[r][prev];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            for (int r = 0; r < rows; r++) {
                m[r][c] = v[r] / Math.sqrt(norm);
            }
        }
        return m;
    }
}
