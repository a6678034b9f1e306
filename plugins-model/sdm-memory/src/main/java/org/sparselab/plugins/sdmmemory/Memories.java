package org.sparselab.plugins.sdmmemory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.math.BigInteger;
import java.util.List;

/**
 * The associative memories of spec sdm.md §6, as one update ξ → ξ′ on a batch of queries {@code [q, n]} against
 * stored patterns {@code [m, n]} (autoassociative: addresses = pointers). Binary memories work on {0,1} vectors,
 * continuous ones on unit vectors. Weights are formed in log space and normalised before use, so that counts of
 * 10^300 (n = 1000) neither overflow nor lose the ratios between distances.
 */
final class Memories {

    /** The algorithms; {@code binary()} tells the vector kind. */
    enum Kind {
        /** Pattern SDM with infinite neurons: w = I(H(ξ, p)), majority of the weighted patterns. */
        BINARY_SDM(true),
        /** Pattern SDM with r neurons: expected counts stochastically rounded at every update. */
        BINARY_SDM_NEURON_LIMIT(true),
        /** Neuron SDM: r random binary addresses, write and read within Hamming radius d. */
        NEURON_SDM(true),
        /** Binary SDM attention: softmax(β(1 − 2H/n)) with β fitted to the binary intersection. */
        BINARY_ATTENTION_BFIT(true),
        /** Hopfield network (bipolar, zero diagonal, sign updates). */
        HOPFIELD(true),
        /** Continuous SDM: weights from the cap intersection of the cosine. */
        CONT_SDM(false),
        /** Continuous SDM with r neurons (stochastic rounding of the expected counts). */
        CONT_SDM_NEURON_LIMIT(false),
        /** The cosine mapped to a Hamming distance, then the binary intersection. */
        CONT_BINARY_SDM(false),
        /** SDM attention: softmax(β cos) with β fitted to the binary intersection. */
        CONT_ATTENTION_BFIT(false),
        /** SDM attention with β fitted to the cap intersection. */
        CONT_ATTENTION_CFIT(false),
        /** Transformer attention: softmax(pᵀξ/√n) on raw dot products (reference). */
        TRANSFORMER(false);

        private final boolean binary;

        Kind(boolean binary) {
            this.binary = binary;
        }

        boolean binary() {
            return binary;
        }

        static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown algorithm '" + s + "'; known: " + List.of(values()).stream()
                        .map(k -> k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
            }
        }
    }

    private final Kind kind;
    private final int n;
    private final int d;
    private final double r;
    private final NDArray patterns;
    /** ln of the binary intersection per Hamming distance, −∞ where it is 0. */
    private final double[] lnInter;
    /** ln of the cap intersection on the cache grid of 10,000 cosines. */
    private final double[] capCache;
    private final double capLogArea;
    private final double beta;
    private final java.util.Random random;
    private NDArray neuronAddresses;
    private NDArray neuronValues;
    private NDArray neuronCounts;
    private NDArray hopfield;

    Memories(Kind kind, NDArray patterns, int d, double r, long seed, boolean plusTwo) {
        this.kind = kind;
        this.patterns = patterns;
        this.n = (int) patterns.getShape().get(1);
        this.d = d;
        this.r = r;
        this.random = new java.util.Random(seed);
        BinaryGeometry g = new BinaryGeometry(n);
        BigInteger[] inter = g.intersections(d);
        lnInter = new double[n + 1];
        for (int h = 0; h <= n; h++) {
            lnInter[h] = BinaryGeometry.ln(inter[h]);
        }
        boolean needsCap = kind == Kind.CONT_SDM || kind == Kind.CONT_SDM_NEURON_LIMIT || kind == Kind.CONT_ATTENTION_CFIT;
        CapGeometry cap = new CapGeometry(n, d, plusTwo);
        capLogArea = cap.logSphereArea();
        capCache = needsCap ? CAP_CACHES.computeIfAbsent(n + ":" + d + ":" + plusTwo, k -> capCache(cap)) : null;
        beta = switch (kind) {
            case BINARY_ATTENTION_BFIT, CONT_ATTENTION_BFIT -> BetaFit.binary(g, d, r, 0, Math.max(1, d - 1), BetaFit.Estimator.NUMPY).beta();
            case CONT_ATTENTION_CFIT -> BetaFit.cap(cap, n, r, 0, Math.max(1, d - 1), BetaFit.Estimator.NUMPY).beta();
            case TRANSFORMER -> 1 / Math.sqrt(n);
            default -> Double.NaN;
        };
    }

    double beta() {
        return beta;
    }

    /** Cap caches by n, d and the +2 flag: 10,000 integrals each, shared by every memory of one experiment. */
    private static final java.util.Map<String, double[]> CAP_CACHES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The original's cache: 10,000 cosines in linspace(−1, 1), the last replaced by 1 − 1e-15. */
    private static double[] capCache(CapGeometry cap) {
        double[] c = new double[10_000];
        for (int i = 0; i < c.length; i++) {
            double cos = i == c.length - 1 ? 1 - 1e-15 : -1 + 2.0 * i / (c.length - 1);
            c[i] = cap.logIntersection(cos);
        }
        return c;
    }

    private double capLookup(double cos) {
        // the original's index trunc(5000(cos + 1) − 1), with cos = −1 clamped to 0 instead of wrapping
        int i = (int) (5000 * (cos + 1) - 1);
        return capCache[Math.max(0, Math.min(capCache.length - 1, i))];
    }

    /** One update of every query; a query whose weights sum to 0 (or whose update is all zeros) keeps its value. */
    NDArray update(NDArray q) {
        NDManager m = q.getManager();
        return switch (kind) {
            case HOPFIELD -> hopfield(q);
            case NEURON_SDM -> neuronSdm(q);
            default -> {
                NDArray w = weights(q, m);
                NDArray sum = w.sum(new int[]{1}, true);
                NDArray out = w.matMul(patterns).div(sum.maximum(1e-38f));
                if (kind.binary()) {
                    out = out.gt(0.5f).toType(DataType.FLOAT32, false);
                } else if (kind != Kind.TRANSFORMER) {
                    out = out.div(out.norm(new int[]{1}, true).maximum(1e-30f));
                }
                NDArray bad = sum.lte(0f).logicalOr(out.abs().sum(new int[]{1}, true).lte(0f));
                yield NDArray_where(bad, q, out);
            }
        };
    }

    private static NDArray NDArray_where(NDArray condRows, NDArray ifTrue, NDArray ifFalse) {
        NDArray c = condRows.toType(DataType.FLOAT32, false);
        return ifTrue.mul(c).add(ifFalse.mul(c.neg().add(1f)));
    }

    /** Read weights [q, m] of every stored pattern for every query. */
    private NDArray weights(NDArray q, NDManager m) {
        if (kind.binary()) {
            NDArray h = hamming(q, patterns);
            return switch (kind) {
                case BINARY_SDM -> table(h, lnInter, lnInter[0]);
                case BINARY_SDM_NEURON_LIMIT -> stochasticRound(table(h, lnInter, -Math.log(r) + n * Math.log(2)));
                case BINARY_ATTENTION_BFIT -> softmax(h.mul(-2f / n).add(1f).mul((float) beta));
                default -> throw new IllegalStateException(kind.toString());
            };
        }
        NDArray cos = q.matMul(patterns.transpose()).div(q.norm(new int[]{1}, true).matMul(patterns.norm(new int[]{1}, true).transpose()).maximum(1e-30f));
        return switch (kind) {
            case CONT_SDM -> cap(cos, m, capCache[capCache.length - 1]);
            case CONT_SDM_NEURON_LIMIT -> stochasticRound(cap(cos, m, capLogArea - Math.log(r)));
            case CONT_BINARY_SDM -> {
                // cosines above 1 by rounding are clipped before the Hamming distance floor(n(1 − cos)/2)
                NDArray h = cos.clip(-1f, 1f).neg().add(1f).mul(n / 2f).floor();
                yield table(h, lnInter, lnInter[0]);
            }
            case CONT_ATTENTION_BFIT, CONT_ATTENTION_CFIT -> softmax(cos.mul((float) beta));
            case TRANSFORMER -> softmax(q.matMul(patterns.transpose()).mul((float) beta));
            default -> throw new IllegalStateException(kind.toString());
        };
    }

    /** Hamming distances [q, m] between {0,1} rows. */
    static NDArray hamming(NDArray a, NDArray b) {
        NDArray agree = a.matMul(b.transpose()).add(a.neg().add(1f).matMul(b.neg().add(1f).transpose()));
        return agree.neg().add((float) a.getShape().get(1)).round();
    }

    /** exp(table[h] − shift) looked up per entry (h integral), 0 where the table is −∞. */
    private NDArray table(NDArray h, double[] lnTable, double shift) {
        float[] t = new float[lnTable.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) Math.exp(lnTable[i] - shift);
        }
        NDArray lut = h.getManager().create(t);
        NDArray idx = h.clip(0f, (float) (lnTable.length - 1)).toType(DataType.INT64, false);
        return lut.take(idx);
    }

    private NDArray cap(NDArray cos, NDManager m, double shift) {
        float[] c = cos.toFloatArray();
        float[] w = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            double l = capLookup(c[i]);
            w[i] = Double.isInfinite(l) ? 0f : (float) Math.exp(l - shift);
        }
        return m.create(w, cos.getShape());
    }

    private NDArray stochasticRound(NDArray counts) {
        float[] c = counts.toFloatArray();
        for (int i = 0; i < c.length; i++) {
            double f = Math.floor(c[i]);
            c[i] = (float) (f + (random.nextDouble() < c[i] - f ? 1 : 0));
        }
        return counts.getManager().create(c, counts.getShape());
    }

    private static NDArray softmax(NDArray logits) {
        return logits.sub(logits.max(new int[]{1}, true)).exp().div(logits.sub(logits.max(new int[]{1}, true)).exp().sum(new int[]{1}, true));
    }

    private NDArray hopfield(NDArray q) {
        if (hopfield == null) {
            NDArray b = patterns.mul(2f).sub(1f);
            NDArray w = b.transpose().matMul(b).div((float) n);
            hopfield = w.sub(w.mul(patterns.getManager().eye(n)));
            // built inside the first update's scope, kept for the memory's life
            ai.djl.ndarray.NDScope.unregister(hopfield);
        }
        NDArray s = q.mul(2f).sub(1f).matMul(hopfield);
        return s.gt(0f).toType(DataType.FLOAT32, false);
    }

    private NDArray neuronSdm(NDArray q) {
        NDManager m = patterns.getManager();
        if (neuronAddresses == null) {
            int neurons = (int) Math.min(r, 200_000);
            float[] a = new float[neurons * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextBoolean() ? 1f : 0f;
            }
            neuronAddresses = m.create(a, new Shape(neurons, n));
            NDArray write = hamming(neuronAddresses, patterns).lte((float) d).toType(DataType.FLOAT32, false); // [r, m]
            neuronValues = write.matMul(patterns); // [r, n]: summed patterns per neuron
            neuronCounts = write.sum(new int[]{1}); // [r]
            // built inside the first update's scope, kept for the memory's life
            ai.djl.ndarray.NDScope.unregister(neuronAddresses, neuronValues, neuronCounts);
        }
        NDArray active = hamming(q, neuronAddresses).lte((float) d).toType(DataType.FLOAT32, false); // [q, r]
        NDArray num = active.matMul(neuronValues);
        NDArray den = active.matMul(neuronCounts.reshape(-1, 1));
        NDArray out = num.div(den.maximum(1e-30f)).gt(0.5f).toType(DataType.FLOAT32, false);
        return NDArray_where(den.lte(0f), q, out);
    }
}
