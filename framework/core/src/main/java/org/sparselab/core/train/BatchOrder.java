package org.sparselab.core.train;

import java.util.SplittableRandom;

/** Seeded sample orders: the same seed and epoch give the same permutation on every machine. */
public final class BatchOrder {
    private BatchOrder() {
    }

    public static int[] permutation(int n, long seed, int epoch, boolean shuffle) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    /** Indices of batch b (the last batch may be smaller). */
    public static int[] batch(int[] order, int b, int batchSize) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return idx;
    }

    public static int batches(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }
}
