package org.sparselab.plugins.sdmmemory;

/**
 * The β that makes softmax attention approximate SDM's read weights (spec sdm.md §5.3): regress ln(expected
 * intersection) on the cosine x = 1 − 2d_v/n. {@code Estimator.NUMPY} (the default, so that the paper's figures
 * match) divides numpy's np.cov (ddof = 1) by np.var (ddof = 0), i.e. the least-squares slope × N/(N−1);
 * {@code OLS} is the plain least-squares slope.
 */
final class BetaFit {
    enum Estimator { NUMPY, OLS }

    /** Slope and intercept of the fit. */
    record Line(double beta, double bias) {
    }

    private BetaFit() {
    }

    static Line fit(double[] x, double[] y, Estimator e) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            throw new IllegalArgumentException("a beta fit needs at least two points, got " + n);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double ols = sxy / sxx;
        double beta = e == Estimator.NUMPY ? (sxy / (n - 1)) / (sxx / n) : ols;
        return new Line(beta, my - beta * mx);
    }

    /**
     * β for binary SDM with n dimensions, radius d and r neurons, over d_v = from..to (the paper's fit_beta uses
     * 0..d−1; its notebook table 1..d). Only the intercept depends on r.
     */
    static Line binary(BinaryGeometry g, int d, double r, int from, int to, Estimator e) {
        java.math.BigInteger[] inter = g.intersections(d);
        int count = 0;
        double[] x = new double[to - from + 1];
        double[] y = new double[x.length];
        for (int dv = from; dv <= to; dv++) {
            if (inter[dv].signum() == 0) {
                continue;
            }
            x[count] = 1 - 2.0 * dv / g.n();
            y[count] = BinaryGeometry.ln(inter[dv]) - g.n() * Math.log(2) + Math.log(r);
            count++;
        }
        return fit(java.util.Arrays.copyOf(x, count), java.util.Arrays.copyOf(y, count), e);
    }

    /** The same fit on the continuous cap intersection, at the cosines of d_v = from..to. */
    static Line cap(CapGeometry c, int n, double r, int from, int to, Estimator e) {
        int count = 0;
        double[] x = new double[to - from + 1];
        double[] y = new double[x.length];
        for (int dv = from; dv <= to; dv++) {
            double cv = 1 - 2.0 * dv / n;
            double l = c.logIntersection(dv == 0 ? 1 - 1e-15 : cv);
            if (Double.isInfinite(l)) {
                continue;
            }
            x[count] = cv;
            y[count] = l + Math.log(r) - c.logSphereArea();
            count++;
        }
        return fit(java.util.Arrays.copyOf(x, count), java.util.Arrays.copyOf(y, count), e);
    }
}
