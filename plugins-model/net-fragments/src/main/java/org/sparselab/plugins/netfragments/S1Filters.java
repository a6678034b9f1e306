package org.sparselab.plugins.netfragments;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stage S1 (spec A3): four fixed 5×5 line detectors (vertical, "/", horizontal, "\") applied as a "same"
 * cross-correlation with zero padding, then an activation. Images are {@code [size*size]} row-major; features
 * {@code [4][size*size]} flattened channel-major.
 */
public final class S1Filters {

    public static final int CHANNELS = 4;
    static final int K = 5;

    /** Which of the original's two banks. */
    public enum Bank {
        /** Integer kernels divided by 6: a full centre line gives 1.0. */
        A,
        /** The "larger weights" bank (the original's effective second definition), unscaled: a full centre line gives 4. */
        B
    }

    /** S1 activation modes of the original. */
    public enum Activation {
        /** 1 where the response is strictly positive. */
        THRESHOLD("threshold"),
        /** A Bernoulli draw with probability clip(response, 0, 1). */
        BERNOULLI("bernoulli"),
        /** max(response, 0), continuous (the original's 'None'). */
        RELU("None");

        final String originalName;

        Activation(String originalName) {
            this.originalName = originalName;
        }

        /** Parses the original's names ('threshold', 'bernoulli', 'None') and 'relu'; anything else is an error. */
        static Activation parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "threshold" -> THRESHOLD;
                case "bernoulli" -> BERNOULLI;
                case "none", "relu" -> RELU;
                default -> throw new IllegalArgumentException(s);
            };
        }
    }

    private static final float[][] BANK_A = {
            {0, -1, 0, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 0, -1, 0},
            {0, 0, -1, -1, 0, 0, -1, 0, 2, -1, -1, 0, 2, 0, -1, -1, 2, 0, -1, 0, 0, -1, -1, 0, 0},
            {0, 0, 0, 0, 0, -1, -1, -1, -1, -1, 0, 2, 2, 2, 0, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0},
            {0, -1, -1, 0, 0, -1, 2, 0, -1, 0, -1, 0, 2, 0, -1, 0, -1, 0, 2, -1, 0, 0, -1, -1, 0}};

    private static final float H = -0.5f;
    private static final float[][] BANK_B = {
            {H, H, 0, H, H, 0, H, 1, H, 0, H, H, 2, H, H, 0, H, 1, H, 0, H, H, 0, H, H},
            {H, 0, H, H, 0, 0, H, H, 1, H, H, H, 2, H, H, H, 1, H, H, 0, 0, H, H, 0, H},
            {H, 0, H, 0, H, H, H, H, H, H, 0, 1, 2, 1, 0, H, H, H, H, H, H, 0, H, 0, H},
            {0, H, H, 0, H, H, 1, H, H, 0, H, H, 2, H, H, 0, H, H, 1, H, H, 0, H, H, 0}};

    private final float[][] kernels;
    private final Activation activation;
    private final int size;

    public S1Filters(Bank bank, Activation activation, int size) {
        this.kernels = kernels(bank);
        this.activation = activation;
        this.size = size;
    }

    /** The bank's kernels {@code [4][25]} (row-major 5×5), bank A already divided by 6. */
    public static float[][] kernels(Bank bank) {
        float[][] k = new float[CHANNELS][];
        for (int c = 0; c < CHANNELS; c++) {
            k[c] = (bank == Bank.A ? BANK_A : BANK_B)[c].clone();
            if (bank == Bank.A) {
                for (int i = 0; i < k[c].length; i++) {
                    k[c][i] /= 6f;
                }
            }
        }
        return k;
    }

    public Activation activation() {
        return activation;
    }

    float[][] kernels() {
        return kernels;
    }

    /** The filter responses before the activation, {@code [4*size*size]}. */
    public float[] responses(float[] image) {
        int n = size * size;
        float[] out = new float[CHANNELS * n];
        for (int c = 0; c < CHANNELS; c++) {
            float[] w = kernels[c];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float acc = 0;
                    for (int j = 0; j < K; j++) {
                        int yy = y + j - 2;
                        if (yy < 0 || yy >= size) {
                            continue;
                        }
                        for (int k = 0; k < K; k++) {
                            int xx = x + k - 2;
                            if (xx >= 0 && xx < size) {
                                acc += w[j * K + k] * image[yy * size + xx];
                            }
                        }
                    }
                    out[c * n + y * size + x] = acc;
                }
            }
        }
        return out;
    }

    /** Responses then the activation; {@code rng} is used by the Bernoulli mode only. */
    public float[] apply(float[] image, SplittableRandom rng) {
        float[] a = responses(image);
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (activation) {
                case THRESHOLD -> a[i] > 0 ? 1f : 0f;
                case BERNOULLI -> rng.nextDouble() < Math.min(1f, Math.max(0f, a[i])) ? 1f : 0f;
                case RELU -> Math.max(a[i], 0f);
            };
        }
        return a;
    }
}
