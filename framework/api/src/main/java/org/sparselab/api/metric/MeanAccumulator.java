package org.sparselab.api.metric;

/** Running sample-weighted mean, the building block of most per-batch metrics. */
public final class MeanAccumulator {
    private double sum;
    private long count;

    public void add(double batchMean, long samples) {
        sum += batchMean * samples;
        count += samples;
    }

    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public long count() {
        return count;
    }

    public void reset() {
        sum = 0;
        count = 0;
    }
}
