package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * C10 and C11 of spec vdl.md: FISTA on real MNIST against the reference energies computed with the original's utils.ISTA
 * (float64, positive FISTA, tol 1e-3, at most 200 steps, zero init). Dictionary = the first 128 images of MNIST_train.npy
 * order (numpy RandomState(31).permutation(60000), see the mnist plugin's split: vdl), standardised, each column scaled
 * to unit L2 norm; batch = the next 250 images of that order. Needs data/mnist (./sparselab data fetch mnist); skips
 * with a message otherwise.
 */
class FistaMnistTest {

    static Path mnist() {
        String env = System.getenv("SPARSELAB_DATA");
        if (env != null && Files.isRegularFile(Path.of(env, "mnist", "train-images-idx3-ubyte"))) {
            return Path.of(env, "mnist");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("data/mnist/train-images-idx3-ubyte"))) {
                return p.resolve("data/mnist");
            }
        }
        return null;
    }

    /** The dictionary [784, 128] (unit columns) and the batch [250, 784], float64. */
    static NDArray[] problem(NDManager m) throws IOException {
        Path root = mnist();
        assumeTrue(root != null, "MNIST not found (data/mnist of the checkout or $SPARSELAB_DATA/mnist): "
                + "fetch it with ./sparselab data fetch mnist to run C10/C11");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(root.resolve("train-images-idx3-ubyte")));
        assumeTrue(b.getInt(4) == 60000, "C10/C11 need the 60,000-image MNIST training file");
        int[] order = NumpyRandom.permutation(31, 60000);
        double[] d = new double[784 * 128];
        double[] y = new double[250 * 784];
        for (int j = 0; j < 128 + 250; j++) {
            int img = order[j];
            for (int p = 0; p < 784; p++) {
                double v = ((b.get(16 + img * 784 + p) & 0xff) / 255.0 - 0.1307) / 0.3081;
                if (j < 128) {
                    d[p * 128 + j] = v;
                } else {
                    y[(j - 128) * 784 + p] = v;
                }
            }
        }
        for (int j = 0; j < 128; j++) {
            double norm = 0;
            for (int p = 0; p < 784; p++) {
                norm += d[p * 128 + j] * d[p * 128 + j];
            }
            norm = Math.sqrt(norm);
            for (int p = 0; p < 784; p++) {
                d[p * 128 + j] /= norm;
            }
        }
        return new NDArray[]{m.create(d, new Shape(784, 128)), m.create(y, new Shape(250, 784))};
    }

    private static Fista.Result solve(NDManager m, NDArray[] dy, double lambda, double step, double beta, double tol, int steps) {
        Fista.Settings s = new Fista.Settings(lambda, step, tol, steps, true, true, beta, 0.5, 0);
        return Fista.solve(dy[1], dy[0], m.zeros(new Shape(250, 128), DataType.FLOAT64), null, s);
    }

    /** C10: σ_max(D)² = 37.54; λ = 0.005, η = 1, β = 0: all 200 steps (mean counted 195.7), energy 112.140, zeros 0.911. */
    @Test
    void c10LassoOnMnist() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] dy = problem(m);
            // σ_max(D)² by power iteration on DᵀD
            NDArray g = dy[0].transpose().matMul(dy[0]);
            NDArray v = m.ones(new Shape(128, 1), DataType.FLOAT64);
            double lambdaMax = 0;
            for (int i = 0; i < 500; i++) {
                NDArray w = g.matMul(v);
                lambdaMax = w.norm().getDouble();
                v = w.div(lambdaMax);
            }
            assertEquals(37.54, lambdaMax, 0.01, "σ_max(D)²");
            Fista.Result r = solve(m, dy, 0.005, 1.0, 0, 1e-3, 200);
            assertEquals(200, r.steps(), "runs all 200 steps");
            assertEquals(195.7, r.meanCountedSteps(), 1.0);
            assertEquals(112.140, r.energy(), 112.140 * 1e-3);
            assertEquals(0.911, r.zeroFraction(), 0.01);
            // toward the 5,000-step reference (112.085, zeros 0.913): more steps without early stop lower the energy further
            Fista.Result ref = solve(m, dy, 0.005, 1.0, 0, 0, 1500);
            assertTrue(ref.energy() < r.energy() && ref.energy() > 112.085 - 0.01, ref.energy() + " vs " + r.energy());
            assertEquals(112.085, ref.energy(), 112.085 * 1e-3);
            assertEquals(0.913, ref.zeroFraction(), 0.01);
        }
    }

    /** C11: λ = 0.02, η = 0.5, β = 10, T = 0.5, γ = 0: 200 steps, energy 193.770, zeros 0.960 (reference 193.629 / 0.962). */
    @Test
    void c11VarianceHingeOnMnist() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] dy = problem(m);
            Fista.Result r = solve(m, dy, 0.02, 0.5, 10, 1e-3, 200);
            assertEquals(200, r.steps());
            assertEquals(193.770, r.energy(), 193.770 * 1e-3);
            assertEquals(0.960, r.zeroFraction(), 0.01);
            Fista.Result ref = solve(m, dy, 0.02, 0.5, 10, 0, 1500);
            assertTrue(ref.energy() < r.energy(), ref.energy() + " vs " + r.energy());
            assertEquals(193.629, ref.energy(), 193.629 * 1e-3);
            assertEquals(0.962, ref.zeroFraction(), 0.01);
        }
    }
}
