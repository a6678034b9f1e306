package org.sparselab.core.denoise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparselab.api.data.ArraySplit;
import org.tribuo.math.la.DenseMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks C6, C7 and C8 of spec vdl.md on real MNIST (the values the spec computed with numpy), through the denoising
 * protocol: the noisy-input PSNR per σ, the trivial baselines, and the rank-k linear reconstruction bound. They need the
 * IDX files in data/mnist of the checkout (./sparselab data fetch mnist) and skip with a message otherwise; DenoiseTest
 * holds their synthetic variants, which always run.
 */
class DenoiseMnistTest {
    static final double MEAN = 0.1307;
    static final double STD = 0.3081;
    static ArraySplit test;
    static ArraySplit train;

    static Path mnist() {
        String env = System.getenv("SPARSELAB_DATA");
        if (env != null && Files.isRegularFile(Path.of(env, "mnist", "t10k-images-idx3-ubyte"))) {
            return Path.of(env, "mnist");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("data/mnist/t10k-images-idx3-ubyte"))
                    && Files.isRegularFile(p.resolve("data/mnist/train-images-idx3-ubyte"))) {
                return p.resolve("data/mnist");
            }
        }
        return null;
    }

    /** Raw IDX images, standardised as the original: (x/255 − 0.1307) / 0.3081. */
    static ArraySplit read(Path file, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        b.getInt();
        int n = b.getInt();
        int dim = b.getInt() * b.getInt();
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (((b.get() & 0xff) / 255.0 - MEAN) / STD);
        }
        return new ArraySplit(name, x, null, dim);
    }

    @BeforeAll
    static void load() throws IOException {
        Path root = mnist();
        if (root != null) {
            test = read(root.resolve("t10k-images-idx3-ubyte"), "test");
            train = read(root.resolve("train-images-idx3-ubyte"), "train");
        }
    }

    static void requireMnist() {
        assumeTrue(test != null, "MNIST not found (data/mnist of the checkout or $SPARSELAB_DATA/mnist): "
                + "fetch it with ./sparselab data fetch mnist to run C6-C8 on real data");
    }

    /** C6: PSNR of the noisy input per σ, MNIST test, batch 250: 10.23 dB at σ = 1 (±0.02 across noise seeds). */
    @Test
    void c6NoisyInputPsnr() {
        requireMnist();
        Map<Double, Double> expected = Map.of(0.1, 30.24, 0.25, 22.27, 0.5, 16.25, 0.75, 12.73, 1.0, 10.23, 1.5, 6.71, 2.0, 4.21);
        try (NDManager m = NDManager.newBaseManager()) {
            Denoise.Data d = new Denoise.Data(test, x -> x, c -> c, m, 250, 31, PixelMap.constant(STD, MEAN), train);
            Denoise.Result r = Denoise.run(d, DenoiseTest.cfg(Map.of("sigma", List.of(0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0),
                    "baselines", false)));
            assertEquals(10000, r.samples());
            assertEquals(40, r.batches());
            for (Denoise.Level l : r.levels()) {
                assertEquals(expected.get(l.sigma()), l.psnrNoisyImg(), 0.02, "σ = " + l.sigma());
            }
        }
    }

    /** C7: the all-zero code of a linear decoder (pixel 0.1307 everywhere) gives 10.37 dB; the mean training image 11.86 dB. */
    @Test
    void c7TrivialBaselines() {
        requireMnist();
        try (NDManager m = NDManager.newBaseManager()) {
            // a linear "model" whose code is all zero: Dec(0) = 0 in the normalised space
            Denoise.Data d = new Denoise.Data(test, x -> x.zerosLike().get(":, :128"), c -> m.zeros(new Shape(c.getShape().get(0), 784)),
                    m, 250, 31, PixelMap.constant(STD, MEAN), train);
            Denoise.Result r = Denoise.run(d, DenoiseTest.cfg(Map.of()));
            assertEquals(10.37, r.levels().get(0).psnrOrig(), 0.01);
            assertEquals(1.0, r.levels().get(0).l0Orig(), 0.0);
            assertEquals(10.37, r.baselines().get("psnr_zero_prediction"), 0.01);
            assertEquals(11.86, r.baselines().get("psnr_train_mean"), 0.01);
        }
    }

    /**
     * C8: the best rank-k linear reconstruction of the test set (uncentred, normalised space): rank 128 → 23.84 dB as the
     * PSNR of the aggregate MSE (the strict bound for SDL/VDL's 128-atom linear decoders) and 24.20 dB as mean per-image
     * PSNR; rank 64 → 20.77, rank 256 → 29.53 dB (mean per-image). The subspace comes from the eigenvectors of XᵀX.
     */
    /** Eigenvalues (descending) and eigenvectors (columns, same order) of XᵀX for the rows of {@code x} ({@code [n, dim]}). */
    static double[][] gramEigen(float[] x, int n, int dim, double[] values) {
        double[][] g = new double[dim][dim];
        for (int i = 0; i < n; i++) {
            int o = i * dim;
            for (int a = 0; a < dim; a++) {
                double xa = x[o + a];
                if (xa == 0) {
                    continue;
                }
                double[] row = g[a];
                for (int c = a; c < dim; c++) {
                    row[c] += xa * x[o + c];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int c = 0; c < a; c++) {
                g[a][c] = g[c][a];
            }
        }
        DenseMatrix.EigenDecomposition eig = DenseMatrix.createDenseMatrix(g).eigenDecomposition().orElseThrow();
        double[] ev = eig.eigenvalues().toArray();
        Integer[] order = new Integer[dim];
        for (int i = 0; i < dim; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(ev[q], ev[p]));
        double[][] vectors = new double[dim][];
        for (int j = 0; j < dim; j++) {
            values[j] = ev[order[j]];
            vectors[j] = eig.getEigenVector(order[j]).toArray();
        }
        return vectors;
    }

    /** The first k of {@code vectors} as a {@code [dim, k]} basis. */
    static NDArray basis(NDManager m, double[][] vectors, int dim, int k) {
        float[] b = new float[dim * k];
        for (int j = 0; j < k; j++) {
            for (int a = 0; a < dim; a++) {
                b[a * k + j] = (float) vectors[j][a];
            }
        }
        return m.create(b, new Shape(dim, k));
    }

    /** Mean per-image PSNR of the projection onto the columns of v, through the denoise protocol (σ unused: clean pass). */
    static double projectionPsnr(NDManager m, ArraySplit split, NDArray v, double scale) {
        NDArray vt = v.transpose().duplicate();
        Denoise.Data d = new Denoise.Data(split, xx -> xx.matMul(v), c -> c.matMul(vt), m, 250, 31, PixelMap.constant(scale, 0), null);
        return Denoise.run(d, DenoiseTest.cfg(Map.of("baselines", false, "drop_last", false))).levels().get(0).psnrOrig();
    }

    /**
     * C8: the best rank-k linear reconstruction of the test set (uncentred, normalised space): rank 128 → 23.84 dB as the
     * PSNR of the aggregate MSE (the strict bound for SDL/VDL's 128-atom linear decoders) and 24.20 dB as mean per-image
     * PSNR; rank 64 → 20.77, rank 256 → 29.53 dB (mean per-image). The subspace comes from the eigenvectors of XᵀX.
     */
    @Test
    void c8RankKLinearBound() {
        requireMnist();
        int n = test.size();
        int dim = test.inputDim();
        float[] x = test.features(java.util.stream.IntStream.range(0, n).toArray());
        double[] values = new double[dim];
        double[][] vectors = gramEigen(x, n, dim, values);
        double total = java.util.Arrays.stream(values).sum();
        Map<Integer, Double> perImage = Map.of(64, 20.77, 128, 24.20, 256, 29.53);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[]{64, 128, 256}) {
                double psnr = projectionPsnr(m, test, basis(m, vectors, dim, k), STD);
                assertEquals(perImage.get(k), psnr, 0.03, "rank " + k + " mean per-image PSNR");
                if (k == 128) {
                    double kept = java.util.Arrays.stream(values, 0, k).sum();
                    double mse = (total - kept) / ((double) n * dim) * STD * STD;
                    assertEquals(23.84, 10 * Math.log10(1 / mse), 0.01, "rank 128 PSNR of the aggregate MSE");
                }
            }
        }
    }
}
