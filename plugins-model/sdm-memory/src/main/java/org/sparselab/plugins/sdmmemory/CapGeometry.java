package org.sparselab.plugins.sdmmemory;

/**
 * The continuous analogue (spec sdm.md §5.2): two caps of half-angle θ on the unit sphere S^{n−1} whose centres are
 * at cosine c_v, and the area of their intersection (Li 2011), as a log. The caps' angle comes from the Hamming
 * radius: cos θ = 1 − 2d/n. The original code adds 2 to the log of the half-lune integral where ln 2 (two equal
 * halves) is correct; {@code plusTwoQuirk} reproduces it (counts e²/2 ≈ 3.69 times larger; β unchanged).
 */
final class CapGeometry {
    private final int n;
    private final double theta;
    private final boolean plusTwoQuirk;

    CapGeometry(int n, int d, boolean plusTwoQuirk) {
        if (n < 3) {
            throw new IllegalArgumentException("n = " + n + ": the cap intersection needs n >= 3");
        }
        this.n = n;
        this.theta = Math.acos(1 - 2.0 * d / n);
        this.plusTwoQuirk = plusTwoQuirk;
    }

    /** ln of the total area of S^{n−1}: ln 2 + (n/2) ln π − lnΓ(n/2). */
    double logSphereArea() {
        return Math.log(2) + n / 2.0 * Math.log(Math.PI) - SpecialFunctions.logGamma(n / 2.0);
    }

    /** θ_min = arctan(cos θ₁ / (cos θ₂ sin θ_v) − cot θ_v); θ_v/2 for equal caps. */
    static double thetaMin(double theta1, double theta2, double thetaV) {
        return Math.atan(Math.cos(theta1) / (Math.cos(theta2) * Math.sin(thetaV)) - 1 / Math.tan(thetaV));
    }

    /** ln of the intersection area for centres at cosine cv; −∞ when the caps do not meet. */
    double logIntersection(double cv) {
        double thetaV = Math.acos(Math.max(-1, Math.min(1, cv)));
        if (thetaV >= 2 * theta) {
            return Double.NEGATIVE_INFINITY;
        }
        double tmin = thetaV < 1e-12 ? 0 : thetaMin(theta, theta, thetaV);
        double a = (n - 2) / 2.0;
        double tanMin = Math.tan(tmin);
        // ∫_{θmin}^{θ} sin^{n−2}φ · I_{1−(tan θmin / tan φ)²}((n−2)/2, ½) dφ, scaled by sin^{n−2}θ to stay in range
        double logScale = (n - 2) * Math.log(Math.sin(theta));
        java.util.function.DoubleUnaryOperator f = phi -> {
            double t = tanMin / Math.tan(phi);
            double x = 1 - t * t;
            double s = Math.exp((n - 2) * Math.log(Math.sin(phi)) - logScale);
            return s * SpecialFunctions.regularizedBeta(Math.max(0, x), a, 0.5);
        };
        double integral = Quadrature.adaptiveSimpson(f, tmin, theta, 1e-10);
        if (!(integral > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double logJ = (n - 1) / 2.0 * Math.log(Math.PI) - SpecialFunctions.logGamma((n - 1) / 2.0) + Math.log(integral) + logScale;
        return (plusTwoQuirk ? 2 : Math.log(2)) + logJ;
    }

    /** Expected neurons in the intersection for r neurons spread over the sphere: exp(L + ln r − ln S). */
    double expectedNeurons(double cv, double r) {
        return Math.exp(logIntersection(cv) + Math.log(r) - logSphereArea());
    }

    /** The single cap's share of the sphere: ½·I_{sin²θ}((n−1)/2, ½). */
    double capFraction() {
        double s = Math.sin(theta);
        return 0.5 * SpecialFunctions.regularizedBeta(s * s, (n - 1) / 2.0, 0.5);
    }
}
