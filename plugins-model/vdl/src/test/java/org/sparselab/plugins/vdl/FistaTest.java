package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec vdl.md checks C12 and C13 for the FISTA solver. */
class FistaTest {

    private static Fista.Settings settings(double lambda, double step, double tol, int steps, double beta) {
        return new Fista.Settings(lambda, step, tol, steps, true, true, beta, 0.5, 0);
    }

    @Test
    void c12ManyStepsMatchAnIndependentCoordinateDescentSolver() {
        Random rnd = new Random(1);
        int p = 30;
        int d = 10;
        int n = 6;
        double lambda = 0.02;
        double[][] dict = new double[p][d];
        for (int j = 0; j < d; j++) {
            double norm = 0;
            for (int i = 0; i < p; i++) {
                dict[i][j] = rnd.nextGaussian();
                norm += dict[i][j] * dict[i][j];
            }
            for (int i = 0; i < p; i++) {
                dict[i][j] /= Math.sqrt(norm);
            }
        }
        double[][] y = new double[n][p];
        for (double[] row : y) {
            for (int i = 0; i < p; i++) {
                row[i] = rnd.nextGaussian() * 0.3;
            }
        }
        // Independent solver: cyclic coordinate descent on (1/P)|y - D z|^2 + lambda |z|_1, z >= 0, per sample.
        double[][] ref = new double[n][d];
        for (int s = 0; s < n; s++) {
            double[] z = ref[s];
            for (int sweep = 0; sweep < 3000; sweep++) {
                for (int j = 0; j < d; j++) {
                    double rho = 0;
                    for (int i = 0; i < p; i++) {
                        double r = y[s][i];
                        for (int k = 0; k < d; k++) {
                            if (k != j) {
                                r -= dict[i][k] * z[k];
                            }
                        }
                        rho += dict[i][j] * r;
                    }
                    // minimise (1/P)(z_j^2 - 2 rho z_j) + lambda z_j over z_j >= 0 (unit columns)
                    z[j] = Math.max(0, rho - lambda * p / 2);
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] df = new float[p * d];
            float[] yf = new float[n * p];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < d; j++) {
                    df[i * d + j] = (float) dict[i][j];
                }
            }
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < p; i++) {
                    yf[s * p + i] = (float) y[s][i];
                }
            }
            NDArray dArr = m.create(df, new Shape(p, d)).toType(DataType.FLOAT64, false);
            NDArray yArr = m.create(yf, new Shape(n, p)).toType(DataType.FLOAT64, false);
            // step below 1/L with L = (2/P) sigma_max^2
            Fista.Result r = Fista.solve(yArr, dArr, m.zeros(new Shape(n, d), DataType.FLOAT64), null, settings(lambda, 3, 0, 4000, 0));
            double[] z = r.codes().toDoubleArray();
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(ref[s][j], z[s * d + j], 1e-4, "sample " + s + " atom " + j);
                }
            }
        }
    }

    @Test
    void c12FistaEndsBelowItsWarmStartAndStopsPerSample() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray dict = m.randomNormal(new Shape(64, 16));
            dict = dict.div(dict.norm(new int[]{0}, true));
            NDArray y = m.randomNormal(new Shape(40, 64));
            NDArray warm = m.randomUniform(0, 0.5f, new Shape(40, 16));
            Fista.Settings s = settings(0.01, 1, 1e-3, 200, 2.0);
            double before = Fista.energy(y, dict, warm, null, s);
            Fista.Result r = Fista.solve(y, dict, warm, null, s);
            assertTrue(r.energy() <= before, r.energy() + " > " + before);
            for (float v : r.codes().toFloatArray()) {
                assertTrue(v >= 0, "non-negative codes");
            }
            // a tolerance nothing can miss stops everyone after the first step
            Fista.Result one = Fista.solve(y, dict, warm, null, settings(0.01, 1, 1e9, 200, 0));
            assertEquals(1, one.steps());
            assertEquals(0.0, one.meanCountedSteps(), 1e-9);
        }
    }

    /** The one-hidden decoder's closed-form reconstruction gradient equals finite differences of its value. */
    @Test
    void oneHiddenDecoderGradientEqualsFiniteDifferences() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 4;
            int d = 5;
            int h = 7;
            int p = 9;
            NDArray y = m.randomNormal(new Shape(n, p)).toType(DataType.FLOAT64, false);
            NDArray w1t = m.randomNormal(new Shape(d, h)).toType(DataType.FLOAT64, false);
            NDArray b1 = m.randomNormal(new Shape(h)).mul(0.3).toType(DataType.FLOAT64, false);
            NDArray w2t = m.randomNormal(new Shape(h, p)).toType(DataType.FLOAT64, false);
            NDArray z = m.randomUniform(0, 1, new Shape(n, d)).toType(DataType.FLOAT64, false);
            try (Fista.OneHidden rec = new Fista.OneHidden(y, w1t, b1, w2t)) {
                double[] g = rec.gradient(z).toDoubleArray();
                double[] zv = z.toDoubleArray();
                double eps = 1e-6;
                for (int k = 0; k < zv.length; k++) {
                    double[] plus = zv.clone();
                    double[] minus = zv.clone();
                    plus[k] += eps;
                    minus[k] -= eps;
                    double fd = (rec.value(m.create(plus, new Shape(n, d))) - rec.value(m.create(minus, new Shape(n, d)))) / (2 * eps);
                    assertEquals(fd, g[k], 1e-6, "entry " + k);
                }
            }
        }
    }

    /** The affine shortcut (linear decoder, no hinge) with the code term gives the codes of the plain gradient path. */
    @Test
    void affineShortcutWithTheCodeTermEqualsTheGradientPath() {
        Engine.getInstance().setRandomSeed(22);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray dict = m.randomNormal(new Shape(30, 8));
            dict = dict.div(dict.norm(new int[]{0}, true));
            NDArray y = m.randomNormal(new Shape(12, 30));
            NDArray e = m.randomUniform(0, 0.5f, new Shape(12, 8));
            Fista.Settings s = new Fista.Settings(0.01, 1, 1e-3, 200, true, true, 0, 0.5, 3.0);
            Fista.Result fast;
            Fista.Result plain;
            try (Fista.Linear lin = new Fista.Linear(y, dict)) {
                fast = Fista.solve(lin, e, e, s);
                // the same term behind an interface the solver cannot see through
                Fista.Reconstruction opaque = new Fista.Reconstruction() {
                    public NDArray gradient(NDArray z) { return lin.gradient(z); }
                    public double value(NDArray z) { return lin.value(z); }
                    public NDArray targets() { return lin.targets(); }
                    public void close() { }
                };
                plain = Fista.solve(opaque, e, e, s);
            }
            assertEquals(plain.steps(), fast.steps());
            assertEquals(plain.energy(), fast.energy(), 1e-4 * Math.abs(plain.energy()));
            assertEquals(0f, plain.codes().sub(fast.codes()).abs().max().getFloat(), 1e-5f);
        }
    }

    /**
     * The plain-Java kernel (float32 on the CPU) against the same iterations as engine operations: a sparse problem
     * like C10's (unit atoms, non-negative codes, λ = 0.005, η = 1, tol 1e-3) with more rows than one block, FISTA
     * and ISTA, zero and warm starts, the dictionary given as a transposed view (as VdlModel does), and a tolerance
     * that stops the solve inside a segment of iterations. Rounding differs (summation order), the algorithm not.
     */
    @Test
    void kernelEqualsTheEnginePath() {
        Engine.getInstance().setRandomSeed(23);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray atomsAsRows = m.randomNormal(new Shape(48, 100));
            atomsAsRows = atomsAsRows.div(atomsAsRows.norm(new int[]{1}, true));
            NDArray dict = atomsAsRows.transpose();
            // inputs made of a few atoms each, plus noise, so that the codes are sparse
            NDArray mix = m.randomUniform(0, 1, new Shape(150, 48)).lt(0.1f).toType(DataType.FLOAT32, false)
                    .mul(m.randomUniform(0.5f, 2f, new Shape(150, 48)));
            NDArray y = mix.matMul(atomsAsRows).add(m.randomNormal(0, 0.05f, new Shape(150, 100), DataType.FLOAT32));
            NDArray zero = m.zeros(new Shape(150, 48));
            NDArray warm = m.randomUniform(0, 0.3f, new Shape(150, 48));
            java.util.Set<Integer> stops = new java.util.TreeSet<>();
            for (boolean fista : new boolean[]{true, false}) {
                for (NDArray z0 : new NDArray[]{zero, warm}) {
                    for (double tol : new double[]{0, 1e-3, 1e-2, 3e-2, 1e-1}) {
                        Fista.Settings s = new Fista.Settings(0.005, 1, tol, 200, true, fista, 0, 0.5, 0);
                        Fista.Result kernel = Fista.solve(y, dict, z0, null, s, true);
                        Fista.Result engine = Fista.solve(y, dict, z0, null, s, false);
                        String what = (fista ? "FISTA" : "ISTA") + (z0 == zero ? " from zero" : " warm") + ", tol " + tol;
                        assertEquals(engine.steps(), kernel.steps(), what);
                        assertEquals(engine.meanCountedSteps(), kernel.meanCountedSteps(), 0.02, what);
                        assertEquals(engine.energy(), kernel.energy(), 1e-5 * engine.energy(), what);
                        assertEquals(engine.zeroFraction(), kernel.zeroFraction(), 0.005, what);
                        assertEquals(0f, engine.codes().sub(kernel.codes()).abs().max().getFloat(), 1e-4f, what);
                        stops.add(kernel.steps());
                    }
                }
            }
            // some solves stopped early, inside a segment of the kernel's iterations (redone from the segment's start)
            assertTrue(stops.stream().anyMatch(k -> k < 200 && k % FistaKernel.SEGMENT != 0), "steps " + stops);
        }
    }

    /** A batch large enough to be split over threads gives the codes of one thread (rows are independent). */
    @Test
    void kernelThreadsDoNotChangeTheResult() {
        Random rnd = new Random(5);
        int n = 1200; // n·d² above FistaKernel.PARALLEL_WORK: split over the pool where it has a thread
        int d = 64;
        float[] q = new float[d * d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                q[j * d + k] = (j == k ? 1f : 0f) - (float) (0.01 * Math.abs(rnd.nextGaussian()));
            }
        }
        float[] c = new float[n * d];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (0.02 * rnd.nextGaussian() - 0.005);
        }
        FistaKernel whole = new FistaKernel(n, d, q, c, new float[n * d], true, 0);
        assertEquals(200, whole.run(200));
        FistaKernel half = new FistaKernel(n / 2, d, q, java.util.Arrays.copyOf(c, n / 2 * d), new float[n / 2 * d], true, 0);
        half.run(200);
        float[] a = whole.codes();
        float[] b = half.codes();
        for (int i = 0; i < b.length; i++) {
            assertEquals(b[i], a[i], 0f, "entry " + i);
        }
    }

    @Test
    void c13HingeGradientEqualsFiniteDifferencesAndIsZeroForAConstantComponent() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] zv = {0.1, 0.4, 0.0, 0.3, 0.2, 0.9, 0.7, 0.2, 0.5, 0.6, 0.8, 0.1, 0.3, 0.3, 0.3};
            // 5 samples x 3 components; component 2 is constant (0.3 everywhere in rows 3..4? make it exactly constant)
            double[][] z = new double[5][3];
            for (int i = 0; i < 5; i++) {
                z[i][0] = zv[i];
                z[i][1] = zv[5 + i] * 0.2;
                z[i][2] = 0.3;
            }
            NDArray arr = m.create(flat(z), new Shape(5, 3)).toType(DataType.FLOAT64, false);
            double beta = 1.5;
            double t = 0.5;
            double[] g = Fista.hingeGradient(arr, beta, t).toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 2; j++) {
                    double[][] plus = copy(z);
                    double[][] minus = copy(z);
                    plus[i][j] += h;
                    minus[i][j] -= h;
                    double fd = (hinge(plus, beta, t) - hinge(minus, beta, t)) / (2 * h);
                    assertEquals(fd, g[i * 3 + j], 1e-6, "entry " + i + "," + j);
                }
                assertEquals(0.0, g[i * 3 + 2], 0.0, "a constant component gets no push");
            }
        }
    }

    private static double hinge(double[][] z, double beta, double t) {
        int n = z.length;
        double total = 0;
        for (int j = 0; j < z[0].length; j++) {
            double mu = 0;
            for (double[] row : z) {
                mu += row[j] / n;
            }
            double ss = 0;
            for (double[] row : z) {
                ss += (row[j] - mu) * (row[j] - mu);
            }
            double sigma = Math.sqrt(ss / (n - 1));
            total += beta * Math.pow(Math.max(0, t - sigma), 2);
        }
        return total;
    }

    private static float[] flat(double[][] z) {
        float[] f = new float[z.length * z[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                f[i * z[0].length + j] = (float) z[i][j];
            }
        }
        return f;
    }

    private static double[][] copy(double[][] z) {
        double[][] c = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            c[i] = z[i].clone();
        }
        return c;
    }
}
