package org.sparselab.plugins.sdmmemory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Attention approximates SDM, on data: for m random binary patterns and a query made from one of them by h bit
 * flips, the read weight SDM gives every pattern (its circle intersection with the query, normalised) beside the
 * weight softmax attention gives it with the fitted β (softmax of β·cosine), grouped by Hamming distance.
 */
final class Equivalence {

    /** Weights of one pattern at a given distance, and how many patterns lie there. */
    record Row(int distance, int count, double sdm, double attention) {
    }

    record Result(double beta, List<Row> rows, double totalVariation, double maxDiff, double targetSdm, double targetAttention,
                  double readoutCosine) {
    }

    private Equivalence() {
    }

    static Result compute(int n, int d, int m, int h, double r, long seed) {
        Random rnd = new Random(seed);
        boolean[][] p = new boolean[m][n];
        for (boolean[] row : p) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextBoolean();
            }
        }
        boolean[] q = p[0].clone();
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            idx.add(j);
        }
        java.util.Collections.shuffle(idx, rnd);
        for (int j = 0; j < h; j++) {
            q[idx.get(j)] = !q[idx.get(j)];
        }
        BinaryGeometry g = new BinaryGeometry(n);
        BigInteger[] inter = g.intersections(d);
        double beta = BetaFit.binary(g, d, r, 0, Math.max(1, d - 1), BetaFit.Estimator.NUMPY).beta();
        int[] dist = new int[m];
        double[] lnSdm = new double[m];
        double[] logit = new double[m];
        for (int i = 0; i < m; i++) {
            int hd = 0;
            for (int j = 0; j < n; j++) {
                hd += p[i][j] != q[j] ? 1 : 0;
            }
            dist[i] = hd;
            lnSdm[i] = BinaryGeometry.ln(inter[hd]);
            logit[i] = beta * (1 - 2.0 * hd / n);
        }
        double[] sdm = normalise(lnSdm);
        double[] att = normalise(logit);
        double tv = 0;
        double max = 0;
        double[] readSdm = new double[n];
        double[] readAtt = new double[n];
        for (int i = 0; i < m; i++) {
            tv += Math.abs(sdm[i] - att[i]) / 2;
            max = Math.max(max, Math.abs(sdm[i] - att[i]));
            for (int j = 0; j < n; j++) {
                double v = p[i][j] ? 1 : -1;
                readSdm[j] += sdm[i] * v;
                readAtt[j] += att[i] * v;
            }
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < n; j++) {
            dot += readSdm[j] * readAtt[j];
            na += readSdm[j] * readSdm[j];
            nb += readAtt[j] * readAtt[j];
        }
        java.util.TreeMap<Integer, int[]> byDistance = new java.util.TreeMap<>();
        java.util.Map<Integer, double[]> w = new java.util.HashMap<>();
        for (int i = 0; i < m; i++) {
            byDistance.computeIfAbsent(dist[i], k -> new int[1])[0]++;
            w.put(dist[i], new double[]{sdm[i], att[i]});
        }
        List<Row> rows = new ArrayList<>();
        byDistance.forEach((k, c) -> rows.add(new Row(k, c[0], w.get(k)[0], w.get(k)[1])));
        return new Result(beta, rows, tv, max, sdm[0], att[0], dot / Math.sqrt(na * nb));
    }

    /** exp(v − max) / Σ, with −∞ as 0. */
    private static double[] normalise(double[] logs) {
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : logs) {
            mx = Math.max(mx, v);
        }
        double[] out = new double[logs.length];
        double s = 0;
        for (int i = 0; i < logs.length; i++) {
            out[i] = Double.isInfinite(logs[i]) ? 0 : Math.exp(logs[i] - mx);
            s += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= s;
        }
        return out;
    }
}
