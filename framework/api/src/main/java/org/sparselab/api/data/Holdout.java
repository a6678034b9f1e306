package org.sparselab.api.data;

import java.util.SplittableRandom;

/** Seeded permutations and validation holdouts, identical on every machine (SplittableRandom). */
public final class Holdout {
    private Holdout() {
    }

    /** A Fisher–Yates permutation of 0..n-1. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Splits {@code all} into {@code train} and {@code val}: the first {@code valSize} entries of a seeded
     * permutation go to val; both keep the original index order.
     */
    public static Split[] split(Split all, int valSize, long seed) {
        int n = all.size();
        int[] order = permutation(n, seed);
        boolean[] isVal = new boolean[n];
        for (int i = 0; i < valSize; i++) {
            isVal[order[i]] = true;
        }
        int[] train = new int[n - valSize];
        int[] val = new int[valSize];
        for (int i = 0, t = 0, v = 0; i < n; i++) {
            if (isVal[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Split[]{all.select(train, "train"), all.select(val, "val")};
    }
}
