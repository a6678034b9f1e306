package org.sparselab.core.denoise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The denoising protocol on synthetic data: the zero-MSE rule, the noisy-input PSNR, maps, seeding, batching. */
class DenoiseTest {
    static final int DIM = 784;

    static DenoiseConfig cfg(Map<String, Object> m) {
        return ConfigBinder.bind(m, DenoiseConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'denoise'");
    }

    static ArraySplit images(String name, int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.8 ? 0f : (float) r.nextGaussian();
        }
        return new ArraySplit(name, x, null, DIM);
    }

    static Denoise.Data data(NDManager m, Split split, UnaryOperator<NDArray> enc, UnaryOperator<NDArray> dec, int bs, PixelMap map) {
        return new Denoise.Data(split, enc, dec, m, bs, 31, map, split);
    }

    /** C9: identical reconstructions give exactly 40 dB; with the identity model the noisy reconstruction is the noisy image. */
    @Test
    void identityModelZeroMseRuleAndNoisyPsnr() {
        try (NDManager m = NDManager.newBaseManager()) {
            Split test = images("test", 200, 1);
            double scale = 0.3081;
            Denoise.Result r = Denoise.run(data(m, test, x -> x, c -> c, 50, PixelMap.constant(scale, 0.1307)),
                    cfg(Map.of("sigma", List.of(0.0, 0.5, 1.0))));
            assertEquals(200, r.samples());
            assertEquals(4, r.batches());
            Denoise.Level zero = r.levels().get(0);
            assertEquals(40.0, zero.psnrOrig(), 0.0, "zero MSE counts as 1e-4");
            assertEquals(40.0, zero.psnrNoisyImg(), 0.0, "σ = 0 adds nothing");
            for (Denoise.Level l : r.levels()) {
                assertEquals(l.psnrNoisyImg(), l.psnrNoisyRec(), 1e-9);
                assertTrue(l.l0Orig() > 0.75 && l.l0Orig() < 0.85, "zero fraction of the inputs " + l.l0Orig());
            }
            // E[MSE] = (scale σ)², so the per-image PSNR ≈ -20 log10(scale σ) (784 pixels: tiny Jensen term)
            for (int i = 1; i < 3; i++) {
                double sigma = r.levels().get(i).sigma();
                assertEquals(-20 * Math.log10(scale * sigma), r.levels().get(i).psnrNoisyImg(), 0.02, "σ = " + sigma);
                assertEquals(0.0, r.levels().get(i).l0Noisy(), 1e-3, "noise fills every entry");
            }
        }
    }

    /** The noise is one seeded stream in sample order: the batch size does not change it, the seed does. */
    @Test
    void seededNoiseIndependentOfBatching() {
        try (NDManager m = NDManager.newBaseManager()) {
            Split test = images("test", 60, 2);
            UnaryOperator<NDArray> shrink = x -> x.mul(0.5f);
            DenoiseConfig all = cfg(Map.of("sigma", List.of(1.0), "drop_last", false));
            double a = Denoise.run(data(m, test, shrink, c -> c, 7, PixelMap.constant(1, 0)), all).levels().get(0).psnrNoisyRec();
            double b = Denoise.run(data(m, test, shrink, c -> c, 60, PixelMap.constant(1, 0)), all).levels().get(0).psnrNoisyRec();
            assertEquals(a, b, 1e-9);
            Denoise.Data other = new Denoise.Data(test, shrink, c -> c, m, 60, 32, PixelMap.constant(1, 0), test);
            assertTrue(Math.abs(Denoise.run(other, all).levels().get(0).psnrNoisyRec() - a) > 1e-6);
            // drop_last: whole batches only
            assertEquals(56, Denoise.run(data(m, test, shrink, c -> c, 7, PixelMap.constant(1, 0)), cfg(Map.of("max_samples", 59))).samples());
            int arrays = m.getManagedArrays().size();
            Denoise.run(data(m, test, shrink, c -> c, 7, PixelMap.constant(1, 0)), all);
            assertEquals(arrays, m.getManagedArrays().size(), "no arrays left behind");
        }
    }

    /** C7 (synthetic) and C9 (LCN): an all-zero prediction and per-sample std maps, against hand computations. */
    @Test
    void baselinesAndPerSampleMaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20;
            Split test = images("test", n, 3);
            Split train = images("train", 50, 4);
            float[] std = new float[n * DIM];
            float[] mean = new float[n * DIM];
            Random r = new Random(5);
            for (int i = 0; i < std.length; i++) {
                std[i] = (float) (0.2 + r.nextDouble());
                mean[i] = (float) r.nextGaussian();
            }
            SplitsSource src = new SplitsSource("patches", DataSpec.of(new int[]{1, 28, 28}, 0), Map.of("train", train, "test", test), "f",
                    Map.of("test_std", new FloatTensor(std, new int[]{n, DIM}), "test_mean", new FloatTensor(mean, new int[]{n, DIM}),
                            PixelMap.SCALE, new FloatTensor(new float[]{0.259f}, new int[]{1}),
                            PixelMap.OFFSET, new FloatTensor(new float[]{0.457f}, new int[]{1})));
            PixelMap map = PixelMap.of(src, "test", null, null, n);
            assertTrue(map.source().contains("test_std") && map.source().contains("[dataset]"), map.source());
            Denoise.Data d = new Denoise.Data(test, x -> x, c -> c.zerosLike(), m, 5, 31, map, train);
            Denoise.Result res = Denoise.run(d, cfg(Map.of()));
            // hand computation: pixels (x·s + m)·0.259 + 0.457 for target and zero prediction, both with the clean maps
            double expect = 0;
            float[] x = test.features(java.util.stream.IntStream.range(0, n).toArray());
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < DIM; j++) {
                    double s = std[i * DIM + j];
                    double mu = mean[i * DIM + j];
                    double t = (x[i * DIM + j] * s + mu) * 0.259 + 0.457;
                    double p = (0 * s + mu) * 0.259 + 0.457;
                    sum += (t - p) * (t - p);
                }
                expect += 10 * Math.log10(DIM / sum);
            }
            expect /= n;
            assertEquals(expect, res.levels().get(0).psnrOrig(), 1e-6, "decoder returns zeros");
            assertEquals(expect, res.baselines().get("psnr_zero_prediction"), 1e-6);
            assertTrue(res.baselines().containsKey("psnr_train_mean"));
            assertEquals(0.259, PixelMap.of(src, "test", null, null, n).scale(), 1e-7);
            assertEquals(2.0, PixelMap.of(src, "train", 2.0, null, 50).scale(), 0.0, "an override wins");
            assertTrue(PixelMap.of(new SplitsSource("x", DataSpec.of(new int[]{4}, 0), Map.of("test", test), "f"), "test", null, null, n)
                    .source().contains("identity"));
        }
    }

    /**
     * C8 (synthetic): the rank-k bound's construction. Data near a 6-dimensional subspace of R^36: the aggregate MSE of the
     * projection onto XᵀX's top-k eigenvectors equals the eigenvalue tail (what C8's 23.84 dB is computed from), and no other
     * rank-k linear reconstruction (a random subspace, or the top-k of another sample) reaches its aggregate PSNR.
     */
    @Test
    void c8RankKBoundSynthetic() {
        int n = 400;
        int dim = 36;
        Random r = new Random(8);
        double[][] basis = new double[6][dim];
        for (double[] b : basis) {
            for (int j = 0; j < dim; j++) {
                b[j] = r.nextGaussian();
            }
        }
        float[] x = new float[n * dim];
        float[] other = new float[n * dim];
        for (float[] target : new float[][]{x, other}) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 6; c++) {
                    double w = r.nextGaussian() * (6 - c);
                    for (int j = 0; j < dim; j++) {
                        target[i * dim + j] += (float) (w * basis[c][j]);
                    }
                }
                for (int j = 0; j < dim; j++) {
                    target[i * dim + j] += (float) (0.3 * r.nextGaussian());
                }
            }
        }
        ArraySplit split = new ArraySplit("test", x, null, dim);
        double[] values = new double[dim];
        double[][] vectors = DenoiseMnistTest.gramEigen(x, n, dim, values);
        double[][] otherVectors = DenoiseMnistTest.gramEigen(other, n, dim, new double[dim]);
        double total = java.util.Arrays.stream(values).sum();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[]{3, 6}) {
                double tail = total - java.util.Arrays.stream(values, 0, k).sum();
                double best = aggregatePsnr(m, split, DenoiseMnistTest.basis(m, vectors, dim, k));
                assertEquals(10 * Math.log10(n * dim / tail), best, 1e-3, "rank " + k + ": the eigenvalue tail is the aggregate error");
                assertTrue(aggregatePsnr(m, split, DenoiseMnistTest.basis(m, otherVectors, dim, k)) < best, "another sample's top-" + k);
                NDArray random = m.randomNormal(new ai.djl.ndarray.types.Shape(dim, k));
                // a random rank-k subspace (Gram–Schmidt)
                float[] rb = random.toFloatArray();
                float[] cols = new float[k * dim];
                for (int a = 0; a < dim; a++) {
                    for (int j = 0; j < k; j++) {
                        cols[j * dim + a] = rb[a * k + j];
                    }
                }
                double[][] q = orthonormal(cols, k, dim);
                assertTrue(aggregatePsnr(m, split, DenoiseMnistTest.basis(m, q, dim, k)) < best, "a random rank-" + k + " subspace");
            }
        }
    }

    /** PSNR of the aggregate MSE (scale 1) of the projection onto the columns of v. */
    private static double aggregatePsnr(NDManager m, ArraySplit split, NDArray v) {
        try (ai.djl.ndarray.NDScope ignored = new ai.djl.ndarray.NDScope()) {
            NDArray x = m.create(split.features(java.util.stream.IntStream.range(0, split.size()).toArray()),
                    new ai.djl.ndarray.types.Shape(split.size(), split.inputDim()));
            double mse = x.sub(x.matMul(v).matMul(v.transpose())).square().mean().getFloat();
            return 10 * Math.log10(1 / mse);
        }
    }

    /** Gram–Schmidt on k rows of length dim. */
    private static double[][] orthonormal(float[] rows, int k, int dim) {
        double[][] q = new double[k][dim];
        for (int j = 0; j < k; j++) {
            for (int a = 0; a < dim; a++) {
                q[j][a] = rows[j * dim + a];
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int a = 0; a < dim; a++) {
                    dot += q[j][a] * q[p][a];
                }
                for (int a = 0; a < dim; a++) {
                    q[j][a] -= dot * q[p][a];
                }
            }
            double norm = 0;
            for (int a = 0; a < dim; a++) {
                norm += q[j][a] * q[j][a];
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < dim; a++) {
                q[j][a] /= norm;
            }
        }
        return q;
    }

    @Test
    void configDefaultsAndErrors() {
        DenoiseConfig d = DenoiseConfig.defaults();
        assertEquals(List.of(1.0), d.sigma());
        assertEquals("test", d.split());
        assertTrue(d.dropLast());
        ConfigError neg = assertThrows(ConfigError.class, () -> cfg(Map.of("sigma", List.of(-1.0))));
        assertTrue(neg.getMessage().contains("sigma"), neg.getMessage());
        assertThrows(ConfigError.class, () -> cfg(Map.of("sigma", List.of(1.0, 1.0))));
        assertThrows(ConfigError.class, () -> cfg(Map.of("pixel_scale", 0.0)));
        assertThrows(ConfigError.class, () -> cfg(Map.of("sigmas", List.of(1.0))));
    }
}
