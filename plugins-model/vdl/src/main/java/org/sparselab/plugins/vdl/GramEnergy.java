package org.sparselab.plugins.vdl;

/**
 * The reconstruction error of a batch of codes without another pass over the pixels: Σᵢ‖yᵢ − D zᵢ‖² = Σᵢ (‖yᵢ‖² −
 * 2 zᵢ·(Dᵀyᵢ) + zᵢᵀ(DᵀD)zᵢ), summed over the non-zeros of each code in double, with ‖Z‖₁ and the count of exact
 * zeros. The plain-array solvers ({@link FistaKernel}, {@link AdaptiveFista}, {@link CoordinateDescent}) have DᵀD and
 * Dᵀy already, so their final energy costs (non-zeros)² per sample instead of a product with the dictionary.
 *
 * @param squaredError Σᵢ‖yᵢ − D zᵢ‖² (not yet divided by P)
 * @param l1           Σᵢ‖zᵢ‖₁
 * @param zeros        the code entries that are exactly 0
 */
record GramEnergy(double squaredError, double l1, long zeros) {

    /**
     * codes and dty [n, d] row-major (dty = Y·D), gram = DᵀD [d, d] row-major, yy = Σᵢ‖yᵢ‖².
     */
    static GramEnergy of(float[] codes, float[] dty, float[] gram, double yy, int n, int d) {
        double cross = 0;
        double quad = 0;
        double l1 = 0;
        long zeros = 0;
        int[] nz = new int[d];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            int found = 0;
            for (int j = 0; j < d; j++) {
                float v = codes[off + j];
                if (v != 0f) {
                    nz[found++] = j;
                    cross += (double) v * dty[off + j];
                    l1 += Math.abs(v);
                } else {
                    zeros++;
                }
            }
            for (int a = 0; a < found; a++) {
                int row = nz[a] * d;
                double acc = 0;
                for (int b = 0; b < found; b++) {
                    acc += gram[row + nz[b]] * (double) codes[off + nz[b]];
                }
                quad += codes[off + nz[a]] * acc;
            }
        }
        return new GramEnergy(yy - 2 * cross + quad, l1, zeros);
    }

    /** Σ‖y‖² of a flat array, in double. */
    static double sumSquares(float[] y) {
        double s = 0;
        for (float v : y) {
            s += (double) v * v;
        }
        return s;
    }
}
