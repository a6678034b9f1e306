package org.sparselab.plugins.netfragments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original's S2 stat meters: per forward step, the mean, std, min and max of the raw support of the cells that
 * fired and of those that did not, and the mean normaliser s / x_norm (over cells with x_norm > 0, where it is
 * defined); averaged over the steps since the last reset. Thread-safe, as evaluation runs samples in parallel.
 */
final class SupportMeter implements LateralLayer.StepObserver {

    private static final String[] KEYS = {"avg_support_active", "std_support_active", "min_support_active", "max_support_active",
            "avg_support_inactive", "std_support_inactive", "min_support_inactive", "max_support_inactive", "norm_factor"};
    private final double[] sums = new double[KEYS.length];
    private final int[] counts = new int[KEYS.length];

    @Override
    public void step(float[] support, float[] normalised, float[] output) {
        double[] on = moments(support, output, true);
        double[] off = moments(support, output, false);
        double norm = 0;
        int n = 0;
        for (int i = 0; i < support.length; i++) {
            if (normalised[i] > 0) {
                norm += support[i] / (1e-10 + normalised[i]);
                n++;
            }
        }
        synchronized (this) {
            add(0, on);
            add(4, off);
            if (n > 0) {
                sums[8] += norm / n;
                counts[8]++;
            }
        }
    }

    private void add(int at, double[] m) {
        if (m == null) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            sums[at + i] += m[i];
            counts[at + i]++;
        }
    }

    /** mean, std (population), min, max of the support where the output is (not) on; null when there is none. */
    private static double[] moments(float[] support, float[] output, boolean active) {
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int i = 0; i < support.length; i++) {
            if ((output[i] > 0) == active) {
                double v = support[i];
                sum += v;
                sq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        double mean = sum / n;
        return new double[]{mean, Math.sqrt(Math.max(0, sq / n - mean * mean)), min, max};
    }

    /** The averages under {@code S2/<name>}, then cleared. */
    synchronized Map<String, Double> drain() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.length; i++) {
            if (counts[i] > 0) {
                out.put("S2/" + KEYS[i], sums[i] / counts[i]);
            }
            sums[i] = 0;
            counts[i] = 0;
        }
        return out;
    }

    /** The original's weight statistics. */
    static Map<String, Double> weightStats(float[] w) {
        double sum = 0;
        double sq = 0;
        double nzSum = 0;
        int nz = 0;
        int above = 0;
        int below = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : w) {
            sum += v;
            sq += (double) v * v;
            if (v != 0) {
                nzSum += v;
                nz++;
            }
            above += v >= 0.9f ? 1 : 0;
            below += v <= 0.1f ? 1 : 0;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / w.length;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("S2/weight_mean", mean);
        // sample std (torch.std's default)
        out.put("S2/weight_std", Math.sqrt(Math.max(0, (sq - w.length * mean * mean) / (w.length - 1))));
        out.put("S2/weight_mean_(0_ignored)", nz == 0 ? 0.0 : nzSum / nz);
        out.put("S2/weight_min", min);
        out.put("S2/weight_max", max);
        out.put("S2/weight_above_0.9", (double) above / w.length);
        out.put("S2/weight_below_0.1", (double) below / w.length);
        return out;
    }
}
