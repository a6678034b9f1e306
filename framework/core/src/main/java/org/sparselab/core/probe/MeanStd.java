package org.sparselab.core.probe;

import java.util.List;

/** Mean and sample standard deviation (n - 1; 0 for a single value) of per-seed figures. */
public record MeanStd(double mean, double std) {

    public static MeanStd of(List<Double> values) {
        if (values.isEmpty()) {
            return new MeanStd(Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.size();
        if (values.size() == 1) {
            return new MeanStd(mean, 0.0);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new MeanStd(mean, Math.sqrt(ss / (values.size() - 1)));
    }
}
