package org.sparselab.plugins.sdmmemory;

import java.util.function.DoubleUnaryOperator;

/** Adaptive Simpson quadrature (recursive, with Richardson correction), enough for the smooth cap integrands. */
final class Quadrature {
    private Quadrature() {
    }

    static double adaptiveSimpson(DoubleUnaryOperator f, double a, double b, double relTol) {
        if (b <= a) {
            return 0;
        }
        double fa = f.applyAsDouble(a);
        double fb = f.applyAsDouble(b);
        double m = (a + b) / 2;
        double fm = f.applyAsDouble(m);
        double whole = (b - a) / 6 * (fa + 4 * fm + fb);
        double tol = Math.max(relTol * Math.abs(whole), 1e-300);
        return step(f, a, b, fa, fm, fb, whole, tol, 50);
    }

    private static double step(DoubleUnaryOperator f, double a, double b, double fa, double fm, double fb, double whole, double tol, int depth) {
        double m = (a + b) / 2;
        double lm = (a + m) / 2;
        double rm = (m + b) / 2;
        double flm = f.applyAsDouble(lm);
        double frm = f.applyAsDouble(rm);
        double left = (m - a) / 6 * (fa + 4 * flm + fm);
        double right = (b - m) / 6 * (fm + 4 * frm + fb);
        double delta = left + right - whole;
        if (depth <= 0 || Math.abs(delta) <= 15 * tol) {
            return left + right + delta / 15;
        }
        return step(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) + step(f, m, b, fm, frm, fb, right, tol / 2, depth - 1);
    }
}
