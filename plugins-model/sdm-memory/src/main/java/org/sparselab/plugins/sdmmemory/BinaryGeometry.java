package org.sparselab.plugins.sdmmemory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Exact geometry of Kanerva's binary SDM (spec sdm.md §5.1): circles of Hamming radius d in {0,1}ⁿ and the size of
 * the intersection of two such circles whose centres are d_v apart, in arbitrary-precision integers (n in the
 * thousands loses nothing; double precision cancels catastrophically in the lune form already at n = 1000).
 * Binomial coefficients of one n are computed once per instance.
 */
final class BinaryGeometry {
    private final int n;
    /** C(m, i) for every m ≤ n is too much at n = 4000; rows are built on demand and cached. */
    private final java.util.Map<Integer, BigInteger[]> rows = new java.util.HashMap<>();

    BinaryGeometry(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n = " + n + ": expected a dimension >= 1");
        }
        this.n = n;
    }

    int n() {
        return n;
    }

    /** C(m, k), 0 outside 0 ≤ k ≤ m. */
    BigInteger choose(int m, int k) {
        if (k < 0 || m < 0 || k > m) {
            return BigInteger.ZERO;
        }
        return rows.computeIfAbsent(m, BinaryGeometry::row)[k];
    }

    private static BigInteger[] row(int m) {
        BigInteger[] r = new BigInteger[m + 1];
        r[0] = BigInteger.ONE;
        for (int k = 1; k <= m; k++) {
            r[k] = r[k - 1].multiply(BigInteger.valueOf(m - k + 1)).divide(BigInteger.valueOf(k));
        }
        return r;
    }

    /** |O(d)| = Σ_{i ≤ d} C(n, i), the number of addresses within Hamming distance d of a point. */
    BigInteger circle(int d) {
        BigInteger s = BigInteger.ZERO;
        for (int i = 0; i <= Math.min(d, n); i++) {
            s = s.add(choose(n, i));
        }
        return s;
    }

    /** Kanerva's lune form: I(d_v) = |O(d)| − Σ_{j odd ≤ d_v} C(j−1, (j−1)/2)·C(n−j, d − (j−1)/2), floored at 0. */
    BigInteger intersectionLune(int d, int dv) {
        if (dv > 2 * d) {
            return BigInteger.ZERO;
        }
        BigInteger s = circle(d);
        for (int j = 1; j <= dv; j += 2) {
            int h = (j - 1) / 2;
            s = s.subtract(choose(j - 1, h).multiply(choose(n - j, d - h)));
        }
        return s.signum() < 0 ? BigInteger.ZERO : s;
    }

    /**
     * The paper's interpretable form: a of the n − d_v shared bits agree with both centres, b of the d_v differing
     * bits agree with the query; within d of both needs a + b ≥ n − d and a + d_v − b ≥ n − d.
     */
    BigInteger intersectionInterpretable(int d, int dv) {
        BigInteger s = BigInteger.ZERO;
        int shared = n - dv;
        for (int a = Math.max(0, n - d - dv / 2); a <= shared; a++) {
            int need = n - d - a; // b >= need and b <= dv - need
            BigInteger inner = BigInteger.ZERO;
            for (int b = Math.max(0, need); b <= dv - need; b++) {
                inner = inner.add(choose(dv, b));
            }
            s = s.add(choose(shared, a).multiply(inner));
        }
        return s;
    }

    /**
     * I(d_v) for every d_v in 0..n (lune form). The subtracted terms C(2h, h)·C(n−2h−1, d−h) are updated from one
     * odd d_v to the next by exact integer recurrences instead of rebuilding binomial rows: O(n) big-integer
     * operations in all, which keeps n = 1000 at every d_v to milliseconds.
     */
    BigInteger[] intersections(int d) {
        BigInteger[] out = new BigInteger[n + 1];
        BigInteger s = circle(d);
        BigInteger central = BigInteger.ONE; // C(2h, h), h = 0
        BigInteger tail = choose(n - 1, d);  // C(n − j, d − h) for j = 1, h = 0
        for (int dv = 0; dv <= n; dv++) {
            if (dv > 2 * d) {
                out[dv] = BigInteger.ZERO;
                continue;
            }
            if (dv % 2 == 1) {
                int h = (dv - 1) / 2;
                s = s.subtract(central.multiply(tail));
                // next odd j = dv + 2: C(2h+2, h+1) and C(m−2, k−1) with m = n − dv, k = d − h
                central = central.multiply(BigInteger.valueOf((2L * h + 1) * (2L * h + 2))).divide(BigInteger.valueOf((long) (h + 1) * (h + 1)));
                long m = n - dv;
                long k = d - h;
                tail = m < 2 || k < 1 || k > m ? BigInteger.ZERO
                        : tail.multiply(BigInteger.valueOf(k * (m - k))).divide(BigInteger.valueOf(m * (m - 1)));
            }
            out[dv] = s.signum() < 0 ? BigInteger.ZERO : s;
        }
        return out;
    }

    /** 2ⁿ. */
    BigInteger space() {
        return BigInteger.ONE.shiftLeft(n);
    }

    /** p = |O(d)| / 2ⁿ, the fraction of the space within d of a point (binom.cdf(d; n, ½)). */
    double spaceFraction(int d) {
        return ratio(circle(d), space());
    }

    /**
     * The Hamming radius holding a space fraction p: the smallest d with |O(d)|/2ⁿ ≥ p (scipy's binom.ppf(p, n, ½)).
     */
    int radiusForFraction(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("space fraction " + p + ": expected a number in (0, 1]");
        }
        BigDecimal target = new BigDecimal(p).multiply(new BigDecimal(space()));
        BigInteger s = BigInteger.ZERO;
        for (int d = 0; d <= n; d++) {
            s = s.add(choose(n, d));
            if (new BigDecimal(s).compareTo(target) >= 0) {
                return d;
            }
        }
        return n;
    }

    /** ln(x) of a positive big integer, to double precision. */
    static double ln(BigInteger x) {
        if (x.signum() <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        int shift = Math.max(0, x.bitLength() - 60);
        return Math.log(x.shiftRight(shift).doubleValue()) + shift * Math.log(2);
    }

    /** a / b as a double, exact to double precision even when both overflow a double. */
    static double ratio(BigInteger a, BigInteger b) {
        if (a.signum() == 0) {
            return 0;
        }
        // exp(ln a − ln b): both logs come from the top 60 bits, so the relative error stays near 1e-15
        return Math.exp(ln(a) - ln(b));
    }
}
