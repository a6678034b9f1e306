package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
 * {@link CoordinateDescent} ({@code sparselab fista --solver cd}) against scikit-learn's lasso_cd (codes and sweeps of
 * {@code src/test/resources/cd}, made by its make_fixture.py with Debian's scikit-learn 1.2.1), against an independent
 * double-precision solver, and against VDL's FISTA on the same energy.
 */
class CoordinateDescentTest {

    private static final double LAMBDA = 0.01; // the fixture's λ: SparseCoder's transform_alpha = λP/2

    private static Npy.Matrix fixture(String name) throws IOException, URISyntaxException {
        return Npy.read(Path.of(CoordinateDescentTest.class.getResource("/cd/" + name).toURI()));
    }

    @Test
    void codesAndSweepsEqualScikitLearnsLassoCd() throws Exception {
        Npy.Matrix d = fixture("D.npy");
        Npy.Matrix y = fixture("Y.npy");
        Npy.Matrix iters = fixture("iters.npy");
        int p = d.rows();
        int k = d.cols();
        int n = y.rows();
        for (boolean positive : new boolean[]{true, false}) {
            float[] ref = fixture(positive ? "Z_pos.npy" : "Z_signed.npy").data();
            CoordinateDescent.Result r = CoordinateDescent.solve(y.data(), d.data(), n, p, k, null, LAMBDA, positive, 1e-4, 1000);
            assertEquals(0, r.notConverged());
            boolean negative = false;
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], r.codes()[i], 1e-4, (positive ? "positive" : "signed") + " code " + i);
                // the same zero pattern: exact zeros where scikit-learn has them
                assertEquals(ref[i] == 0f, r.codes()[i] == 0f, "zero pattern at " + i);
                if (positive) {
                    assertTrue(r.codes()[i] >= 0f, "code " + i + " = " + r.codes()[i]);
                }
                negative |= r.codes()[i] < 0f;
            }
            assertEquals(!positive, negative, "the signed problem has negative codes, the positive one none");
            // the same stopping rule: the sweeps per sample as scikit-learn's n_iter_ (one off allowed for rounding)
            for (int i = 0; i < n; i++) {
                int sk = (int) iters.data()[(positive ? 0 : 1) * n + i];
                assertTrue(Math.abs(sk - r.sweeps()[i]) <= 1, "sample " + i + ": " + r.sweeps()[i] + " sweeps, scikit-learn " + sk);
            }
        }
    }

    @Test
    void tightToleranceMatchesAnIndependentSolver() throws Exception {
        Npy.Matrix d = fixture("D.npy");
        Npy.Matrix y = fixture("Y.npy");
        int p = d.rows();
        int k = d.cols();
        int n = y.rows();
        for (boolean positive : new boolean[]{true, false}) {
            CoordinateDescent.Result r = CoordinateDescent.solve(y.data(), d.data(), n, p, k, null, LAMBDA, positive, 1e-9, 100_000);
            double[][] ref = slowCoordinateDescent(d.data(), y.data(), n, p, k, LAMBDA, positive, 20_000);
            double refEnergy = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    assertEquals(ref[i][j], r.codes()[i * k + j], 2e-5, "sample " + i + " atom " + j);
                }
                refEnergy += energy(d.data(), y.data(), i, p, k, ref[i], LAMBDA);
            }
            assertEquals(refEnergy, r.energy(), 1e-6 * refEnergy);
        }
    }

    @Test
    void energyIsAtMostFistas() throws Exception {
        Npy.Matrix d = fixture("D.npy");
        Npy.Matrix y = fixture("Y.npy");
        int p = d.rows();
        int k = d.cols();
        int n = y.rows();
        CoordinateDescent.Result cd = CoordinateDescent.solve(y.data(), d.data(), n, p, k, null, LAMBDA, true, 1e-4, 1000);
        try (NDManager m = NDManager.newBaseManager()) {
            var yArr = m.create(y.data(), new Shape(n, p));
            var dArr = m.create(d.data(), new Shape(p, k));
            // the spec's settings (η = 1, tol 1e-3, 200 steps) and FISTA run to convergence (η = 3 below 1/L ≈ 3.47, 5000 steps)
            for (double[] st : new double[][]{{1, 1e-3, 200}, {3, 1e-7, 5000}}) {
                Fista.Settings s = new Fista.Settings(LAMBDA, st[0], st[1], (int) st[2], true, true, 0, 0.5, 0);
                Fista.Result f = Fista.solve(yArr, dArr, m.zeros(new Shape(n, k)), null, s);
                assertTrue(cd.energy() <= f.energy() * (1 + 1e-6), "cd " + cd.energy() + " vs FISTA " + f.energy() + " " + java.util.Arrays.toString(st));
                // the reported energy is the energy of the codes
                double e = Fista.energy(yArr, dArr, m.create(cd.codes(), new Shape(n, k)), null, s);
                assertEquals(e, cd.energy(), 1e-5 * e);
            }
        }
    }

    @Test
    void threadsWarmStartsAndTheSweepCap() {
        Random rnd = new Random(4);
        int p = 40;
        int k = 64;
        int n = 600; // n·k² above CoordinateDescent.PARALLEL_WORK: split over the pool
        assertTrue((long) n * k * k >= CoordinateDescent.PARALLEL_WORK);
        float[] d = new float[p * k];
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = 0; i < p; i++) {
                d[i * k + j] = (float) rnd.nextGaussian();
                norm += d[i * k + j] * d[i * k + j];
            }
            for (int i = 0; i < p; i++) {
                d[i * k + j] /= (float) Math.sqrt(norm);
            }
        }
        float[] y = new float[n * p];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
        }
        CoordinateDescent.Result all = CoordinateDescent.solve(y, d, n, p, k, null, 0.02, true, 1e-4, 1000);
        // rows are independent: one row at a time gives the same codes bit for bit
        for (int i = 0; i < n; i += 37) {
            float[] row = java.util.Arrays.copyOfRange(y, i * p, (i + 1) * p);
            CoordinateDescent.Result one = CoordinateDescent.solve(row, d, 1, p, k, null, 0.02, true, 1e-4, 1000);
            assertArrayEquals(java.util.Arrays.copyOfRange(all.codes(), i * k, (i + 1) * k), one.codes(), "row " + i);
            assertEquals(all.sweeps()[i], one.sweeps()[0]);
        }
        // warm start at the solution: one sweep, codes unchanged to the tolerance
        CoordinateDescent.Result warm = CoordinateDescent.solve(y, d, n, p, k, all.codes(), 0.02, true, 1e-4, 1000);
        assertEquals(1, warm.maxSweeps());
        assertTrue(warm.energy() <= all.energy() * (1 + 1e-7));
        // a cap of 2 sweeps: samples stop there, those with a gap above tolerance are counted
        CoordinateDescent.Result capped = CoordinateDescent.solve(y, d, n, p, k, null, 0.02, true, 1e-4, 2);
        assertEquals(2, capped.maxSweeps());
        assertTrue(capped.notConverged() > 0 && capped.energy() >= all.energy());
        assertEquals(0, all.notConverged());
    }

    /** Cyclic coordinate descent in double from the residual, no Gram matrix: (1/P)‖y − Dz‖² + λ‖z‖₁ per sample. */
    private static double[][] slowCoordinateDescent(float[] d, float[] y, int n, int p, int k, double lambda, boolean positive, int sweeps) {
        double[][] z = new double[n][k];
        for (int s = 0; s < n; s++) {
            double[] r = new double[p];
            for (int i = 0; i < p; i++) {
                r[i] = y[s * p + i];
            }
            for (int sweep = 0; sweep < sweeps; sweep++) {
                for (int j = 0; j < k; j++) {
                    double norm = 0;
                    double rho = 0;
                    for (int i = 0; i < p; i++) {
                        double dij = d[i * k + j];
                        norm += dij * dij;
                        rho += dij * (r[i] + dij * z[s][j]);
                    }
                    // minimise (1/P)(norm·z² − 2ρz) + λ|z|: z = S(ρ, λP/2) / norm
                    double t = lambda * p / 2;
                    double nz = positive ? Math.max(0, rho - t) / norm : Math.signum(rho) * Math.max(0, Math.abs(rho) - t) / norm;
                    for (int i = 0; i < p; i++) {
                        r[i] -= d[i * k + j] * (nz - z[s][j]);
                    }
                    z[s][j] = nz;
                }
            }
        }
        return z;
    }

    private static double energy(float[] d, float[] y, int s, int p, int k, double[] z, double lambda) {
        double e = 0;
        for (int i = 0; i < p; i++) {
            double r = y[s * p + i];
            for (int j = 0; j < k; j++) {
                r -= d[i * k + j] * z[j];
            }
            e += r * r;
        }
        double l1 = 0;
        for (double v : z) {
            l1 += Math.abs(v);
        }
        return e / p + lambda * l1;
    }
}
