package org.sparselab.plugins.patches;

/**
 * Local contrast normalisation of a batch of square grey crops (spec vdl.md §8, step 3), with "valid" filtering
 * throughout, so a crop of side {@code patch + 2 (filter - 1)} yields a patch of side {@code patch}:
 * <ol>
 *   <li>local mean m = g ⋆ x, of side {@code patch + filter - 1};</li>
 *   <li>centred crop c = x − m, where x is read {@code (filter - 1) / 2} pixels in from the border so that each
 *       pixel meets the mean of the window around it;</li>
 *   <li>local variance v = g ⋆ c², of side {@code patch}; negative values (rounding) become 0; s = √v;</li>
 *   <li>small stds are raised: s̄ is the mean of s over every position of every crop of the batch; an s that is not
 *       above s̄ becomes s̄, and then an s that is not above 1e-4 becomes 1e-4;</li>
 *   <li>output x_lcn = c / s on the centre {@code patch × patch} of c, with the maps m and s of those positions.</li>
 * </ol>
 * Then x_lcn · s + m gives back the centre of the input crop exactly (up to rounding). The Gaussian g is the
 * normalised outer product of a 1-D Gaussian, so both filterings run as two 1-D passes. Arithmetic in double.
 */
final class Lcn {

    /** The smallest divisor. */
    static final double FLOOR = 1e-4;

    private final int patch;
    private final int filter;
    private final double[] g1;

    /**
     * @param patch side of the output patches
     * @param filter side of the Gaussian kernel, odd
     * @param sigma the kernel's standard deviation in pixels
     */
    Lcn(int patch, int filter, double sigma) {
        if (patch < 1 || filter < 1 || filter % 2 == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("patch >= 1, odd filter >= 1 and sigma > 0 expected; got " + patch + ", " + filter + ", " + sigma);
        }
        this.patch = patch;
        this.filter = filter;
        this.g1 = kernel1d(filter, sigma);
    }

    /** Side of the crops {@link #apply} takes. */
    int crop() {
        return patch + 2 * (filter - 1);
    }

    int patch() {
        return patch;
    }

    /** The 1-D factor: weights ∝ exp(−(i − centre)² / (2σ²)), centre (size − 1) / 2, summing to 1. */
    static double[] kernel1d(int size, double sigma) {
        double[] k = new double[size];
        double centre = (size - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - centre;
            k[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** The 2-D kernel, row-major {@code size × size}: the outer product of {@link #kernel1d}, summing to 1. */
    static double[] kernel(int size, double sigma) {
        double[] k1 = kernel1d(size, sigma);
        double[] k = new double[size * size];
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                k[u * size + v] = k1[u] * k1[v];
            }
        }
        return k;
    }

    /**
     * Normalised patches and their maps, each row-major {@code [n, patch * patch]}.
     *
     * @param sbar the batch mean of the local stds before the raising (s̄)
     */
    record Result(double[] x, double[] mean, double[] std, double sbar) {
    }

    /** Normalises a batch of crops, each row-major {@code crop() × crop()}. */
    Result apply(double[][] crops) {
        int n = crops.length;
        int side = crop();
        int mid = patch + filter - 1;
        int half = (filter - 1) / 2;
        int d = patch * patch;
        double[] centred = new double[n * d];
        double[] mean = new double[n * d];
        double[] std = new double[n * d];
        double[] m = new double[mid * mid];
        double[] c2 = new double[mid * mid];
        double[] c = new double[mid * mid];
        double[] v = new double[d];
        double[] tmp = new double[side * mid];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double[] x = crops[k];
            if (x.length != side * side) {
                throw new IllegalArgumentException("crop " + k + " has " + x.length + " values, expected " + side + "×" + side);
            }
            filterValid(x, side, m, tmp);
            for (int i = 0; i < mid; i++) {
                for (int j = 0; j < mid; j++) {
                    double cij = x[(i + half) * side + j + half] - m[i * mid + j];
                    c[i * mid + j] = cij;
                    c2[i * mid + j] = cij * cij;
                }
            }
            filterValid(c2, mid, v, tmp);
            int o = k * d;
            for (int i = 0; i < patch; i++) {
                for (int j = 0; j < patch; j++) {
                    int p = i * patch + j;
                    double s = Math.sqrt(Math.max(v[p], 0));
                    std[o + p] = s;
                    sum += s;
                    centred[o + p] = c[(i + half) * mid + j + half];
                    mean[o + p] = m[(i + half) * mid + j + half];
                }
            }
        }
        double sbar = n == 0 ? 0 : sum / ((double) n * d);
        for (int p = 0; p < std.length; p++) {
            double s = std[p] > sbar ? std[p] : sbar;
            s = s > FLOOR ? s : FLOOR;
            std[p] = s;
            centred[p] /= s;
        }
        return new Result(centred, mean, std, sbar);
    }

    /**
     * "Valid" filtering of a {@code side × side} image with the 2-D Gaussian: output side {@code side − filter + 1},
     * rows first, then columns. {@code tmp} holds at least {@code side × (side − filter + 1)} values.
     */
    private void filterValid(double[] in, int side, double[] out, double[] tmp) {
        int os = side - filter + 1;
        for (int r = 0; r < side; r++) {
            for (int j = 0; j < os; j++) {
                double acc = 0;
                int base = r * side + j;
                for (int t = 0; t < filter; t++) {
                    acc += g1[t] * in[base + t];
                }
                tmp[r * os + j] = acc;
            }
        }
        for (int i = 0; i < os; i++) {
            for (int j = 0; j < os; j++) {
                double acc = 0;
                for (int t = 0; t < filter; t++) {
                    acc += g1[t] * tmp[(i + t) * os + j];
                }
                out[i * os + j] = acc;
            }
        }
    }
}
