package org.sparselab.plugins.netfragments;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec checks 4-12 of net fragments (A3, A4, A6), each against an independent, direct computation. */
class NetFragmentsChecksTest {

    static final int N = 32;

    static FragmentsConfig config(String act, int timesteps, int alternatives) {
        return new FragmentsConfig(false, "threshold", alternatives, null, null, null, timesteps, act,
                List.of(1.2, 1.4, 1.6, 1.8, 2.0, 2.2), null, null);
    }

    static float[] horizontalLine() {
        float[] img = new float[N * N];
        for (int x = 2; x <= 30; x++) {
            img[16 * N + x] = 1;
        }
        return img;
    }

    /** A line from (x1,y1) to (x2,y2) by rounding (test data only). */
    static float[] line(int x1, int y1, int x2, int y2) {
        float[] img = new float[N * N];
        int steps = Math.max(Math.abs(x2 - x1), Math.abs(y2 - y1));
        for (int s = 0; s <= steps; s++) {
            int x = Math.round(x1 + (x2 - x1) * (float) s / steps);
            int y = Math.round(y1 + (y2 - y1) * (float) s / steps);
            img[y * N + x] = 1;
        }
        return img;
    }

    /** Check 4: bank A gives 1.0 on a centre line's interior, other channels ≤ 0; bank B 4.0; threshold is strict. */
    @Test
    void s1BanksOnAHorizontalLine() {
        float[] img = horizontalLine();
        float[] a = new S1Filters(S1Filters.Bank.A, S1Filters.Activation.THRESHOLD, N).responses(img);
        float[] b = new S1Filters(S1Filters.Bank.B, S1Filters.Activation.THRESHOLD, N).responses(img);
        for (int x = 3; x <= 29; x++) {
            int p = 16 * N + x;
            assertEquals(1.0, a[2 * N * N + p], 1e-6);
            assertEquals(4.0, b[2 * N * N + p], 1e-6);
        }
        // the diagonal kernels reach 2 pixels along the row: away from the line's ends they see -1 + 2 - 1 = 0
        for (int x = 4; x <= 28; x++) {
            int p = 16 * N + x;
            for (int c : new int[]{0, 1, 3}) {
                assertTrue(a[c * N * N + p] <= 1e-6, "channel " + c + " at x=" + x + ": " + a[c * N * N + p]);
            }
        }
        float[] t = new S1Filters(S1Filters.Bank.A, S1Filters.Activation.THRESHOLD, N).apply(img, new SplittableRandom(1));
        for (int i = 0; i < t.length; i++) {
            assertTrue(t[i] == 0 || t[i] == 1);
            assertEquals(a[i] > 0 ? 1f : 0f, t[i], "strict > 0 at " + i);
        }
        // a response of exactly 0 stays 0: ch0 on the horizontal line's interior is -1 + 2 - 1 = 0
        assertEquals(0f, a[16 * N + 10], 1e-7f);
        assertEquals(0f, t[16 * N + 10]);
        float[] relu = new S1Filters(S1Filters.Bank.B, S1Filters.Activation.RELU, N).apply(img, null);
        assertEquals(4f, relu[2 * N * N + 16 * N + 10], 1e-6f);
        assertEquals(0f, Arrays.stream(box(relu)).min().orElseThrow(), 0f);
    }

    private static double[] box(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Check 5: two unit weights per cell, at the centre tap of channel co/10 and of channel co+4. */
    @Test
    void initialWeights() {
        LateralLayer s2 = new NetFragments(config("0.5", 6, 10)).s2();
        float[] w = s2.weights();
        assertEquals(40 * 5324, w.length);
        int centre = 5 * 11 + 5;
        for (int co = 0; co < 40; co++) {
            int nonzero = 0;
            for (int d = 0; d < 5324; d++) {
                float v = w[co * 5324 + d];
                if (v != 0) {
                    nonzero++;
                    assertEquals(1f, v);
                    assertTrue(d == (co / 10) * 121 + centre || d == (co + 4) * 121 + centre, "cell " + co + " tap " + d);
                }
            }
            assertEquals(2, nonzero);
        }
    }

    /** Check 6: with initial weights an on feature pixel gives s = 1 at t = 0; the cap maps 20 → 11.45, 50 → -3.55. */
    @Test
    void supportAndCap() {
        NetFragments net = new NetFragments(config("0.5", 2, 10));
        float[] features = new float[4 * N * N];
        features[1 * N * N + 5 * N + 7] = 1;
        LateralLayer.Cycle c = net.run(features, S2Activation.parse("0.5"), new double[]{1, 1}, new SplittableRandom(1), true, null);
        float[] s = c.support().get(0);
        for (int a = 0; a < 10; a++) {
            assertEquals(1f, s[(10 + a) * N * N + 5 * N + 7]);
        }
        assertEquals(1f, Arrays.stream(box(s)).sum(), 10f);
        assertEquals(14.3, net.s2().supportLimit(), 1e-12);
        assertEquals(11.45f, LateralLayer.cap(20f, 14.3f), 1e-5f);
        assertEquals(-3.55f, LateralLayer.cap(50f, 14.3f), 1e-5f);
        assertEquals(14.2f, LateralLayer.cap(14.2f, 14.3f), 0f);
    }

    /** A layer with random sparse weights in [0,1] (as after training), so that alternatives differ. */
    static NetFragments randomNet(String act, int timesteps, long seed) {
        NetFragments net = new NetFragments(config(act, timesteps, 10));
        float[] w = net.s2().weights();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble() < 0.05 ? (float) r.nextDouble() : w[i];
        }
        net.s2().weightsChanged();
        return net;
    }

    /** Direct support: s[co,p] = Σ_d W[co,d]·[x_d(p) > 0.5], d = ci·121 + j·11 + k at offset (j-5, k-5). */
    static double[] directSupport(float[] w, float[] input44) {
        double[] s = new double[40 * N * N];
        for (int co = 0; co < 40; co++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    double acc = 0;
                    for (int ci = 0; ci < 44; ci++) {
                        for (int j = 0; j < 11; j++) {
                            for (int k = 0; k < 11; k++) {
                                int yy = y + j - 5;
                                int xx = x + k - 5;
                                if (yy >= 0 && yy < N && xx >= 0 && xx < N && input44[ci * N * N + yy * N + xx] > 0.5f) {
                                    acc += w[co * 5324 + ci * 121 + j * 11 + k];
                                }
                            }
                        }
                    }
                    s[co * N * N + y * N + x] = acc;
                }
            }
        }
        return s;
    }

    /** The scatter computes the same support as a direct 11×11 cross-correlation over the 44 binarised channels. */
    @Test
    void supportEqualsDirectCrossCorrelation() {
        NetFragments net = randomNet("0.5", 3, 4);
        float[] img = line(2, 9, 30, 23);
        float[] f = net.features(img, null);
        LateralLayer.Cycle c = net.run(f, S2Activation.parse("0.5"), new double[]{1.2, 1.4, 1.6}, null, true, null);
        for (int t = 0; t < 3; t++) {
            float[] input = new float[44 * N * N];
            System.arraycopy(f, 0, input, 0, 4 * N * N);
            if (t > 0) {
                System.arraycopy(c.outputs().get(t - 1), 0, input, 4 * N * N, 40 * N * N);
            }
            double[] direct = directSupport(net.s2().weights(), input);
            float[] s = c.support().get(t);
            for (int i = 0; i < s.length; i++) {
                assertEquals(direct[i], s[i], 1e-4, "t=" + t + " at " + i);
            }
        }
    }

    /** Check 7 (and the choice rule): one alternative per (feature, pixel), fixed after t = 0, the best-matching one. */
    @Test
    void alternativesAreExclusiveAndFixed() {
        for (String act : new String[]{"0.3", "bernoulli"}) {
            NetFragments net = randomNet(act, 6, 9);
            float[] f = net.features(line(2, 4, 30, 28), null);
            LateralLayer.Cycle c = net.run(f, S2Activation.parse(act), new double[]{0.6, 0.8, 1, 1.2, 1.4, 1.6},
                    new SplittableRandom(3), true, null);
            int active = 0;
            for (float[] z : c.outputs()) {
                for (int ff = 0; ff < 4; ff++) {
                    for (int p = 0; p < N * N; p++) {
                        int on = 0;
                        for (int a = 0; a < 10; a++) {
                            if (z[(ff * 10 + a) * N * N + p] > 0) {
                                on++;
                                assertEquals(c.chosen()[ff * N * N + p], a, "only the alternative chosen at t=0 fires");
                            }
                        }
                        assertTrue(on <= 1);
                        active += on;
                    }
                }
            }
            assertTrue(active > 0, "the check must see active cells");
            // the choice maximises (#both - #xor) of the binary weight pattern and the binary input patch, first on ties
            float[] w = net.s2().weights();
            for (int p = 0; p < N * N; p += 37) {
                for (int ff = 0; ff < 4; ff++) {
                    int best = -1;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int a = 0; a < 10; a++) {
                        double score = 0;
                        int co = ff * 10 + a;
                        for (int ci = 0; ci < 44; ci++) {
                            for (int j = 0; j < 11; j++) {
                                for (int k = 0; k < 11; k++) {
                                    int yy = p / N + j - 5;
                                    int xx = p % N + k - 5;
                                    boolean x = ci < 4 && yy >= 0 && yy < N && xx >= 0 && xx < N && f[ci * N * N + yy * N + xx] > 0.5f;
                                    boolean on = w[co * 5324 + ci * 121 + j * 11 + k] > 0;
                                    score += (on && x ? 1 : 0) - (on != x ? 1 : 0);
                                }
                            }
                        }
                        score /= 5324;
                        if (score > bestScore) {
                            bestScore = score;
                            best = a;
                        }
                    }
                    assertEquals(best, c.chosen()[ff * N * N + p]);
                }
            }
        }
    }

    /** Check 8: per feature channel max x_norm is 1 (or 0), and z = [x_norm^γ ≥ θ]. */
    @Test
    void normalisationAndThreshold() {
        NetFragments net = randomNet("0.5", 6, 2);
        double[] gammas = {1.2, 1.4, 1.6, 1.8, 2.0, 2.2};
        LateralLayer.Cycle c = net.run(net.features(line(4, 2, 28, 30), null), S2Activation.parse("0.5"), gammas, null, true, null);
        for (int t = 0; t < 6; t++) {
            float[] norm = c.normalised().get(t);
            float[] s = c.support().get(t);
            float[] z = c.outputs().get(t);
            for (int ff = 0; ff < 4; ff++) {
                float max = 0;
                boolean positive = false;
                for (int a = 0; a < 10; a++) {
                    for (int p = 0; p < N * N; p++) {
                        int i = (ff * 10 + a) * N * N + p;
                        max = Math.max(max, norm[i]);
                        positive |= c.chosen()[ff * N * N + p] == a && s[i] > 0;
                        if (c.chosen()[ff * N * N + p] != a) {
                            assertEquals(0f, norm[i], "masked-off alternatives are 0");
                        }
                    }
                }
                assertEquals(positive ? 1f : 0f, max, 1e-6f, "t=" + t + " channel " + ff);
            }
            for (int i = 0; i < z.length; i++) {
                assertEquals(Math.pow(norm[i], gammas[t]) >= 0.5f ? 1f : 0f, z[i]);
            }
        }
    }

    /** Check 9: the lower temporal median: T=6 → on in ≥ 4 of 6 steps; T=2 → AND. */
    @Test
    void temporalMedian() {
        for (int t : new int[]{6, 2, 5}) {
            NetFragments net = randomNet("bernoulli", t, 5);
            LateralLayer.Cycle c = net.run(net.features(line(2, 12, 30, 20), null), S2Activation.BERNOULLI,
                    new double[]{1, 1, 1, 1, 1, 1}, new SplittableRandom(11), true, null);
            int checked = 0;
            for (int i = 0; i < c.median().length; i++) {
                float[] values = new float[t];
                for (int s = 0; s < t; s++) {
                    values[s] = c.outputs().get(s)[i];
                }
                Arrays.sort(values);
                float lower = values[(t - 1) / 2]; // torch.median
                assertEquals(lower, c.median()[i]);
                int ones = 0;
                for (float v : values) {
                    ones += (int) v;
                }
                if (t == 6) {
                    assertEquals(ones >= 4 ? 1f : 0f, c.median()[i]);
                }
                if (t == 2) {
                    assertEquals(values[0] * values[1], c.median()[i]);
                }
                checked += ones > 0 && ones < t ? 1 : 0;
            }
            assertTrue(checked > 0, "some cells must disagree over time for the check to bite");
        }
    }

    /** Check 10: the Hebbian update against the spec's formula computed directly over every pixel and patch entry. */
    @Test
    void hebbianUpdateMatchesTheFormula() {
        NetFragments net = randomNet("0.5", 6, 8);
        float[] f = net.features(line(2, 6, 30, 26), null);
        LateralLayer.Cycle c = net.run(f, S2Activation.parse("0.5"), net.config().trainGammas(), null, false, null);
        float[] median = c.median();
        float[] before = net.s2().weights().clone();
        // direct: U[co,d] = mean_p [clip(y·x) - clip(y·[x==0]) - clip((1-y)·x)]
        float[] x44 = new float[44 * N * N];
        System.arraycopy(f, 0, x44, 0, 4 * N * N);
        System.arraycopy(median, 0, x44, 4 * N * N, 40 * N * N);
        double[] u = new double[40 * 5324];
        for (int co = 0; co < 40; co++) {
            for (int d = 0; d < 5324; d++) {
                int ci = d / 121;
                int j = d % 121 / 11;
                int k = d % 11;
                double sum = 0;
                for (int p = 0; p < N * N; p++) {
                    int yy = p / N + j - 5;
                    int xx = p % N + k - 5;
                    double x = yy >= 0 && yy < N && xx >= 0 && xx < N ? x44[ci * N * N + yy * N + xx] : 0;
                    double y = median[co * N * N + p];
                    sum += clip(y * x) - clip(y * (x == 0 ? 1 : 0)) - clip((1 - y) * x);
                }
                u[co * 5324 + d] = Math.max(0, sum / (N * N));
            }
        }
        double min = Arrays.stream(u).min().orElseThrow();
        double max = Arrays.stream(u).max().orElseThrow();
        net.s2().hebbianUpdate(f, median);
        float[] after = net.s2().weights();
        double biggest = 0;
        for (int i = 0; i < u.length; i++) {
            double expected = Math.min(1, Math.max(0, before[i] + 0.2 * (u[i] - min) / (max - min + 1e-10)));
            assertEquals(expected, after[i], 1e-5, "entry " + i);
            assertTrue(after[i] >= before[i] && after[i] <= 1 && after[i] >= 0);
            biggest = Math.max(biggest, after[i] - before[i]);
        }
        assertTrue(max > 0, "the update must have something to learn");
        // the largest U entry moves by exactly lr unless clipped at 1
        int arg = 0;
        for (int i = 0; i < u.length; i++) {
            arg = u[i] > u[arg] ? i : arg;
        }
        assertEquals(Math.min(1, before[arg] + 0.2) - before[arg], after[arg] - before[arg], 1e-6);
        // cells that never fire are unchanged (and with 10 alternatives no L2 normalisation touches them)
        for (int co = 0; co < 40; co++) {
            boolean fires = false;
            for (int p = 0; p < N * N; p++) {
                fires |= median[co * N * N + p] > 0;
            }
            if (!fires) {
                for (int d = 0; d < 5324; d++) {
                    assertEquals(before[co * 5324 + d], after[co * 5324 + d]);
                }
            }
        }
        assertTrue(biggest <= 0.2 + 1e-6);
    }

    private static double clip(double v) {
        return Math.min(1, Math.max(0, v));
    }

    /** Check 11: exactly int(p·4096) flips of v → 1 - v; NR = 1 when the output equals the clean baseline there. */
    @Test
    void featureNoise() {
        float[] clean = new NetFragments(config("0.5", 6, 10)).features(horizontalLine(), null);
        for (double p : new double[]{0.01, 0.05, 0.1, 0.2, 0.0}) {
            float[] noisy = clean.clone();
            int[] flipped = FragmentsMetrics.flip(noisy, p, new SplittableRandom(2));
            assertEquals((int) (p * 4096), flipped.length);
            assertEquals(flipped.length, Arrays.stream(flipped).distinct().count());
            int changed = 0;
            for (int i = 0; i < clean.length; i++) {
                if (noisy[i] != clean[i]) {
                    changed++;
                    assertEquals(1f - clean[i], noisy[i]);
                }
            }
            assertEquals(flipped.length, changed);
            assertEquals(flipped.length == 0 ? 0.0 : 1.0, FragmentsMetrics.noiseReduction(clean, noisy, flipped));
            assertEquals(0.0, FragmentsMetrics.noiseReduction(noisy, noisy, flipped));
        }
    }

    /** Check 12: L == B gives accuracy = recall = precision = 1; no interruption gives a gap rate of 0. */
    @Test
    void metricsEdgeCases() {
        float[] b = new float[4096];
        b[10] = 1;
        b[300] = 1;
        float[] img = new float[1024];
        assertEquals(1.0, FragmentsMetrics.accuracy(b, b));
        assertEquals(1.0, FragmentsMetrics.recall(b, b));
        assertEquals(1.0, FragmentsMetrics.precision(b, b));
        assertEquals(0.0, FragmentsMetrics.gapReconstruction(b, b, img, img));
        float[] l = new float[4096];
        l[10] = 1;
        l[11] = 1;
        assertEquals(0.5, FragmentsMetrics.recall(l, b));
        assertEquals(0.5, FragmentsMetrics.precision(l, b));
        assertEquals(1 - 2.0 / 4096, FragmentsMetrics.accuracy(l, b), 1e-12);
        float[] empty = new float[4096];
        assertEquals(1.0, FragmentsMetrics.precision(empty, b), "empty output: vacuous precision, not NaN");
        assertTrue(FragmentsMetrics.isVacuous(empty));
        float[] cut = img.clone();
        float[] whole = img.clone();
        whole[10] = 1;
        whole[300] = 1;
        // pixel 10 removed: channel 0 at 10 was on in the baseline and is on again; pixel 300 was kept
        // both baseline pixels removed; of the baseline-active cells there (channel 0 at 10 and 300) one is on again
        assertEquals(0.5, FragmentsMetrics.gapReconstruction(l, b, cut, whole));
        double[] o = FragmentsMetrics.overlaps(new float[][]{b, b, l});
        assertEquals((2 + 2 + 2) / 3.0, o[0], 1e-12);
        assertEquals(4096 - 2.0, o[1], 1e-12);
        // pairs: (b,b) 2/4, (b,l) 1/4 → mean over the 6 ordered pairs 1/3; biggest per sample .5, .5, .25
        assertEquals(1 / 3.0, o[2], 1e-12);
        assertEquals(1.25 / 3, o[3], 1e-12);
    }
}
