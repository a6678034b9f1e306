package org.sparselab.core.denoise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.sparselab.api.data.Split;
import org.sparselab.core.UserException;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The denoising protocol of the VDL paper (spec vdl.md §9, eval_denoising.py): for each σ, y_noisy = y + σ·N(0, I) in the
 * model's input space; codes from the encoder (amortised, no inference), z = Enc(y), z_noisy = Enc(y_noisy); reported as
 * means over images: PSNR_orig = PSNR(y, Dec(z)), PSNR_noisy_img = PSNR(y, y_noisy), PSNR_noisy_rec = PSNR(y, Dec(z_noisy)),
 * L0_orig and L0_noisy (fraction of code entries exactly 0). PSNR per image in pixel space ({@link PixelMap}), then averaged.
 * Batch-wise over the split in its order; the noise is one seeded stream in sample order, reset for every σ.
 */
public final class Denoise {

    /**
     * What the protocol needs: the split, the encoder (input {@code [n, dim]} to codes) and decoder (codes to
     * reconstruction), a manager, the batch size, the pixel mapping, and the training split for the mean baseline.
     */
    public record Data(Split split, UnaryOperator<NDArray> encoder, UnaryOperator<NDArray> decoder, NDManager manager, int batchSize,
                       long seed, PixelMap pixels, Split train) {
    }

    /** One σ: means over {@code samples} images. */
    public record Level(double sigma, int samples, double psnrOrig, double psnrNoisyImg, double psnrNoisyRec, double l0Orig, double l0Noisy) {
        public Map<String, Object> row() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sigma", sigma);
            m.put("samples", samples);
            m.put("psnr_orig", psnrOrig);
            m.put("psnr_noisy_img", psnrNoisyImg);
            m.put("psnr_noisy_rec", psnrNoisyRec);
            m.put("l0_orig", l0Orig);
            m.put("l0_noisy", l0Noisy);
            return m;
        }
    }

    /** The levels and (when asked) the trivial baselines: PSNR of an all-zero prediction and of the mean training sample. */
    public record Result(List<Level> levels, Map<String, Double> baselines, int samples, int batches) {
    }

    private Denoise() {
    }

    /** The indices evaluated: the first samples of the split, whole batches only when dropLast. */
    static int count(int size, int maxSamples, int batchSize, boolean dropLast) {
        int n = maxSamples > 0 ? Math.min(maxSamples, size) : size;
        return dropLast ? n / batchSize * batchSize : n;
    }

    public static Result run(Data d, DenoiseConfig cfg) {
        int dim = d.split().inputDim();
        int bs = d.batchSize();
        int n = count(d.split().size(), cfg.maxSamples(), bs, cfg.dropLast());
        if (n == 0) {
            throw new UserException("denoise: no samples to evaluate (split '" + d.split().name() + "' has " + d.split().size()
                    + " samples, batch size " + bs + (cfg.dropLast() ? ", drop_last" : "") + ")");
        }
        int batches = (n + bs - 1) / bs;
        // clean pass: PSNR_orig, L0_orig and the baselines
        float[] mean = cfg.baselines() && d.train() != null ? meanSample(d.train()) : null;
        float[] zeros = new float[dim];
        double psnrOrig = 0;
        double l0Orig = 0;
        double psnrZero = 0;
        double psnrMean = 0;
        for (int b = 0; b < batches; b++) {
            int[] idx = batch(b, bs, n);
            float[] y = d.split().features(idx);
            float[][] out = encodeDecode(d, y, idx.length, dim);
            for (int i = 0; i < idx.length; i++) {
                psnrOrig += d.pixels().psnr(y, i * dim, out[1], i * dim, dim, idx[i]);
                if (cfg.baselines()) {
                    psnrZero += d.pixels().psnr(y, i * dim, zeros, 0, dim, idx[i]);
                    if (mean != null) {
                        psnrMean += d.pixels().psnr(y, i * dim, mean, 0, dim, idx[i]);
                    }
                }
            }
            l0Orig += zeroFraction(out[0], idx.length);
        }
        psnrOrig /= n;
        l0Orig /= n;
        List<Level> levels = new ArrayList<>();
        for (double sigma : cfg.sigma()) {
            Random rng = new Random(d.seed());
            double img = 0;
            double rec = 0;
            double l0 = 0;
            for (int b = 0; b < batches; b++) {
                int[] idx = batch(b, bs, n);
                float[] y = d.split().features(idx);
                float[] noisy = new float[y.length];
                for (int j = 0; j < y.length; j++) {
                    noisy[j] = (float) (y[j] + sigma * rng.nextGaussian());
                }
                float[][] out = encodeDecode(d, noisy, idx.length, dim);
                for (int i = 0; i < idx.length; i++) {
                    img += d.pixels().psnr(y, i * dim, noisy, i * dim, dim, idx[i]);
                    rec += d.pixels().psnr(y, i * dim, out[1], i * dim, dim, idx[i]);
                }
                l0 += zeroFraction(out[0], idx.length);
            }
            levels.add(new Level(sigma, n, psnrOrig, img / n, rec / n, l0Orig, l0 / n));
        }
        Map<String, Double> baselines = new LinkedHashMap<>();
        if (cfg.baselines()) {
            baselines.put("psnr_zero_prediction", psnrZero / n);
            if (mean != null) {
                baselines.put("psnr_train_mean", psnrMean / n);
            }
        }
        return new Result(levels, baselines, n, batches);
    }

    private static int[] batch(int b, int bs, int n) {
        int from = b * bs;
        int m = Math.min(bs, n - from);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    /** Codes (row-major, flattened) and reconstructions of a batch, inside a scope that frees every array. */
    private static float[][] encodeDecode(Data d, float[] x, int m, int dim) {
        try (NDScope ignored = new NDScope()) {
            NDArray in = d.manager().create(FloatBuffer.wrap(x), new Shape(m, dim), DataType.FLOAT32);
            NDArray code = d.encoder().apply(in);
            if (code.getShape().dimension() != 2 || code.getShape().get(0) != m) {
                throw new UserException("denoise: the encoder returned " + code.getShape() + " for " + m + " samples");
            }
            NDArray rec = d.decoder().apply(code);
            if (rec.getShape().size() != (long) m * dim) {
                throw new UserException("denoise: the decoder returned " + rec.getShape() + " for " + m + " samples of " + dim + " values");
            }
            return new float[][]{code.toType(DataType.FLOAT32, false).toFloatArray(), rec.toType(DataType.FLOAT32, false).toFloatArray()};
        }
    }

    /** Sum over the batch's samples of the fraction of code entries exactly 0 (utils.L0). */
    private static double zeroFraction(float[] codes, int m) {
        int width = codes.length / m;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            int zeros = 0;
            for (int j = 0; j < width; j++) {
                if (codes[i * width + j] == 0f) {
                    zeros++;
                }
            }
            sum += (double) zeros / width;
        }
        return sum;
    }

    static float[] meanSample(Split train) {
        int dim = train.inputDim();
        double[] acc = new double[dim];
        float[] row = new float[dim];
        for (int i = 0; i < train.size(); i++) {
            train.copySample(i, row, 0);
            for (int j = 0; j < dim; j++) {
                acc[j] += row[j];
            }
        }
        float[] mean = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (acc[j] / Math.max(1, train.size()));
        }
        return mean;
    }
}
