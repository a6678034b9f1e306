package org.sparselab.plugins.netfragments;

import java.util.SplittableRandom;

/**
 * The evaluation's noise and metrics (spec A6), on merged binary outputs {@code [4·1024]}. Where the original
 * takes a mean over an empty set (NaN in PyTorch), these return the vacuous value 1 and {@link #isVacuous} says so.
 */
public final class FragmentsMetrics {

    private FragmentsMetrics() {
    }

    /**
     * Flips int(p · length) feature elements chosen uniformly without replacement (v → 1 - v) in place; returns
     * their indices. The choice is the first elements of a random permutation, as torch.randperm's prefix.
     */
    public static int[] flip(float[] features, double p, SplittableRandom rng) {
        int n = (int) (p * features.length);
        int[] perm = new int[features.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(perm.length - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(perm, n);
        for (int i : chosen) {
            features[i] = 1f - features[i];
        }
        return chosen;
    }

    /** Share of the flipped positions where S2's output differs from the noisy input value; 0 without flips. */
    public static double noiseReduction(float[] output, float[] noisyFeatures, int[] flipped) {
        if (flipped.length == 0) {
            return 0;
        }
        int fixed = 0;
        for (int i : flipped) {
            fixed += output[i] != noisyFeatures[i] ? 1 : 0;
        }
        return (double) fixed / flipped.length;
    }

    /** 1 - mean |L - B| over all positions. */
    public static double accuracy(float[] output, float[] baseline) {
        double sum = 0;
        for (int i = 0; i < output.length; i++) {
            sum += Math.abs(output[i] - baseline[i]);
        }
        return 1 - sum / output.length;
    }

    /** 1 - mean |L - B| over the baseline's active positions (1 when it has none). */
    public static double recall(float[] output, float[] baseline) {
        return agreementWhere(output, baseline, baseline);
    }

    /** 1 - mean |L - B| over the output's active positions (1 when it has none). */
    public static double precision(float[] output, float[] baseline) {
        return agreementWhere(output, baseline, output);
    }

    public static boolean isVacuous(float[] where) {
        for (float v : where) {
            if (v > 0) {
                return false;
            }
        }
        return true;
    }

    private static double agreementWhere(float[] output, float[] baseline, float[] where) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < output.length; i++) {
            if (where[i] > 0) {
                sum += Math.abs(output[i] - baseline[i]);
                n++;
            }
        }
        return n == 0 ? 1 : 1 - sum / n;
    }

    /**
     * Feature reconstruction rate at the gap: among the positions of the removed pixels (input ≠ baseline input),
     * replicated over the 4 channels, where the baseline is active, the share where the output is active too;
     * 0 when there is no such position (always without interruption).
     */
    public static double gapReconstruction(float[] output, float[] baseline, float[] image, float[] baselineImage) {
        int pixels = image.length;
        double sum = 0;
        int n = 0;
        for (int c = 0; c < output.length / pixels; c++) {
            for (int p = 0; p < pixels; p++) {
                int i = c * pixels + p;
                if (image[p] != baselineImage[p] && baseline[i] > 0) {
                    sum += Math.abs(output[i] - baseline[i]);
                    n++;
                }
            }
        }
        return n == 0 ? 0 : 1 - sum / n;
    }

    /**
     * Overlap diagnostics over the samples' outputs: {avg active, avg inactive, avg overlap, avg biggest overlap}, with
     * overlap(v, w) = Σ a_v·a_w / Σ (a_v + a_w) over ordered pairs v ≠ w (0 when both are empty). Binary outputs
     * are compared as sorted lists of their active positions, so the n² pairs cost the active counts, not 4096.
     */
    public static double[] overlaps(float[][] outputs) {
        int n = outputs.length;
        int[][] on = new int[n][];
        double active = 0;
        for (int v = 0; v < n; v++) {
            int[] idx = new int[outputs[v].length];
            int k = 0;
            for (int i = 0; i < outputs[v].length; i++) {
                if (outputs[v][i] != 0) {
                    idx[k++] = i;
                }
            }
            on[v] = java.util.Arrays.copyOf(idx, k);
            active += k;
        }
        double total = 0;
        double biggest = 0;
        for (int v = 0; v < n; v++) {
            double best = 0;
            for (int w = 0; w < n; w++) {
                if (v == w) {
                    continue;
                }
                double both = 0;
                for (int i = 0, j = 0; i < on[v].length && j < on[w].length; ) {
                    int a = on[v][i];
                    int b = on[w][j];
                    if (a == b) {
                        both += (double) outputs[v][a] * outputs[w][b];
                        i++;
                        j++;
                    } else if (a < b) {
                        i++;
                    } else {
                        j++;
                    }
                }
                double sum = 0;
                for (int i : on[v]) {
                    sum += outputs[v][i];
                }
                for (int j : on[w]) {
                    sum += outputs[w][j];
                }
                double o = sum == 0 ? 0 : both / sum;
                total += o;
                best = Math.max(best, o);
            }
            biggest += best;
        }
        long pairs = (long) n * (n - 1);
        int len = n == 0 ? 0 : outputs[0].length;
        return new double[]{n == 0 ? 0 : active / n, n == 0 ? 0 : len - active / n,
                pairs == 0 ? 0 : total / pairs, n == 0 ? 0 : biggest / n};
    }
}
