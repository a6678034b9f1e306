package org.sparselab.core.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded, stratified draws of K labelled samples per class. */
final class Draws {

    /** Split indices drawn (ascending) and whether some class had fewer than K samples. */
    record Draw(int[] indices, boolean capped) {
    }

    private Draws() {
    }

    /**
     * K samples of every class, without replacement, from {@code seed} alone. A class with fewer than K samples
     * gives all it has and the draw is marked capped (the run goes on; the table says so): a few-shot table on a
     * dataset with a small class is still worth having, and its size is reported with every cell.
     */
    static Draw perClass(int[] labels, int k, int classes, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("K must be >= 1, got " + k);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("sample " + i + " has label " + labels[i] + ", outside 0.." + (classes - 1));
            }
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] pick = new int[byClass.stream().mapToInt(m -> Math.min(k, m.size())).sum()];
        int n = 0;
        boolean capped = false;
        for (List<Integer> members : byClass) {
            int take = Math.min(k, members.size());
            capped |= take < k;
            // partial Fisher-Yates: the first `take` places become a uniform sample
            for (int j = 0; j < take; j++) {
                int swap = j + r.nextInt(members.size() - j);
                Integer t = members.get(j);
                members.set(j, members.get(swap));
                members.set(swap, t);
                pick[n++] = members.get(j);
            }
        }
        int[] out = Arrays.copyOf(pick, n);
        Arrays.sort(out);
        return new Draw(out, capped);
    }

    /**
     * The first K samples of every class in index order (the VDL paper's eval_classification.py on the ordered split
     * file); a class with fewer than K gives all it has and the draw is marked capped. Indices ascending.
     */
    static Draw firstPerClass(int[] labels, int k, int classes) {
        if (k < 1) {
            throw new IllegalArgumentException("K must be >= 1, got " + k);
        }
        int[] taken = new int[classes];
        int[] pick = new int[Math.min(labels.length, k * classes)];
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("sample " + i + " has label " + c + ", outside 0.." + (classes - 1));
            }
            if (taken[c] < k) {
                taken[c]++;
                pick[n++] = i;
            }
        }
        boolean capped = false;
        for (int t : taken) {
            capped |= t < k;
        }
        return new Draw(Arrays.copyOf(pick, n), capped);
    }

    /** {@code n} of {@code size} indices, seeded, ascending; all of them when n >= size. */
    static int[] subset(int size, int n, long seed) {
        if (n >= size) {
            return range(size);
        }
        int[] all = range(size);
        SplittableRandom r = new SplittableRandom(seed);
        for (int j = 0; j < n; j++) {
            int swap = j + r.nextInt(size - j);
            int t = all[j];
            all[j] = all[swap];
            all[swap] = t;
        }
        int[] out = Arrays.copyOf(all, n);
        Arrays.sort(out);
        return out;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
