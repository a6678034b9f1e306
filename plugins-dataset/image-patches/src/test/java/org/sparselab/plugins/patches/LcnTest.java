package org.sparselab.plugins.patches;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Lcn} against a direct 2-D implementation of spec vdl.md §8, step 3, written here loop by loop. */
class LcnTest {

    /** 13×13 kernel straight from the formula: exp(−((u−6)² + (v−6)²) / (2·5²)), divided by its sum. */
    static double[][] directKernel(int size, double sigma) {
        double[][] g = new double[size][size];
        double c = (size - 1) / 2.0;
        double sum = 0;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                g[u][v] = Math.exp(-((u - c) * (u - c) + (v - c) * (v - c)) / (2 * sigma * sigma));
                sum += g[u][v];
            }
        }
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                g[u][v] /= sum;
            }
        }
        return g;
    }

    /** "Valid" 2-D filtering with a full kernel. */
    static double[][] valid(double[][] in, double[][] g) {
        int f = g.length;
        int n = in.length - f + 1;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int u = 0; u < f; u++) {
                    for (int v = 0; v < f; v++) {
                        acc += g[u][v] * in[i + u][j + v];
                    }
                }
                out[i][j] = acc;
            }
        }
        return out;
    }

    /** Reference LCN of a batch of 52×52 crops: {x_lcn, mean map, std map} per crop, each 28×28. */
    static double[][][][] reference(double[][][] batch) {
        double[][] g = directKernel(13, 5);
        int n = batch.length;
        double[][][] c = new double[n][][];
        double[][][] m = new double[n][][];
        double[][][] s = new double[n][][];
        double total = 0;
        for (int k = 0; k < n; k++) {
            m[k] = valid(batch[k], g); // 40×40
            c[k] = new double[40][40];
            double[][] c2 = new double[40][40];
            for (int i = 0; i < 40; i++) {
                for (int j = 0; j < 40; j++) {
                    c[k][i][j] = batch[k][i + 6][j + 6] - m[k][i][j];
                    c2[i][j] = c[k][i][j] * c[k][i][j];
                }
            }
            double[][] v = valid(c2, g); // 28×28
            s[k] = new double[28][28];
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    s[k][i][j] = Math.sqrt(v[i][j] < 0 ? 0 : v[i][j]);
                    total += s[k][i][j];
                }
            }
        }
        double sbar = total / (n * 28 * 28);
        double[][][][] out = new double[n][3][28][28];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    double sd = s[k][i][j] > sbar ? s[k][i][j] : sbar;
                    if (sd <= 1e-4) {
                        sd = 1e-4;
                    }
                    out[k][0][i][j] = c[k][i + 6][j + 6] / sd;
                    out[k][1][i][j] = m[k][i + 6][j + 6];
                    out[k][2][i][j] = sd;
                }
            }
        }
        return out;
    }

    static double[] flat(double[][] a) {
        double[] f = new double[a.length * a.length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, f, i * a.length, a.length);
        }
        return f;
    }

    /** Smooth structure plus pixel noise, of the given contrast. */
    static double[][] texture(Random r, double contrast) {
        double[][] x = new double[52][52];
        double fx = 0.1 + r.nextDouble() * 0.5;
        double fy = 0.1 + r.nextDouble() * 0.5;
        for (int i = 0; i < 52; i++) {
            for (int j = 0; j < 52; j++) {
                x[i][j] = 0.3 + contrast * (Math.sin(fx * i) * Math.cos(fy * j) + 0.5 * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void kernelSumsToOneIsSymmetricAndGaussian() {
        double[] k = Lcn.kernel(13, 5);
        double[][] direct = directKernel(13, 5);
        double sum = 0;
        for (int u = 0; u < 13; u++) {
            for (int v = 0; v < 13; v++) {
                double w = k[u * 13 + v];
                sum += w;
                assertEquals(direct[u][v], w, 1e-15);
                assertEquals(w, k[v * 13 + u], 0.0, "transpose");
                assertEquals(w, k[(12 - u) * 13 + v], 0.0, "flip rows");
                assertEquals(w, k[u * 13 + 12 - v], 0.0, "flip columns");
                assertTrue(w <= k[6 * 13 + 6]);
            }
        }
        assertEquals(1.0, sum, 1e-12);
        // a ratio fixed by sigma: g(6,6) / g(6,7) = exp(1 / (2·25))
        assertEquals(Math.exp(1 / 50.0), k[6 * 13 + 6] / k[6 * 13 + 7], 1e-12);
        double s1 = 0;
        for (double w : Lcn.kernel1d(13, 5)) {
            s1 += w;
        }
        assertEquals(1.0, s1, 1e-12);
    }

    @Test
    void matchesTheDirectTwoDimensionalReference() {
        Random r = new Random(11);
        // different contrasts, so that some stds are raised to the batch mean and some are not
        double[][][] batch = {texture(r, 0.05), texture(r, 1.0), texture(r, 0.3), texture(r, 2.0)};
        double[][] crops = new double[batch.length][];
        for (int k = 0; k < batch.length; k++) {
            crops[k] = flat(batch[k]);
        }
        Lcn lcn = new Lcn(28, 13, 5);
        assertEquals(52, lcn.crop());
        Lcn.Result got = lcn.apply(crops);
        double[][][][] want = reference(batch);
        int raised = 0;
        for (int k = 0; k < batch.length; k++) {
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    int p = k * 784 + i * 28 + j;
                    assertEquals(want[k][0][i][j], got.x()[p], 1e-5, "x_lcn");
                    assertEquals(want[k][1][i][j], got.mean()[p], 1e-5, "mean map");
                    assertEquals(want[k][2][i][j], got.std()[p], 1e-5, "std map");
                    if (got.std()[p] == got.sbar()) {
                        raised++;
                    }
                }
            }
        }
        assertTrue(raised > 784 && raised < 4 * 784 - 784, "the low-contrast crop is raised to s̄, the high-contrast ones are not: " + raised);
    }

    @Test
    void smallStdsAreRaisedToTheBatchMeanThenFloored() {
        Random r = new Random(5);
        double[] flatCrop = new double[52 * 52];
        java.util.Arrays.fill(flatCrop, 0.7);
        double[] textured = flat(texture(r, 1.0));
        Lcn lcn = new Lcn(28, 13, 5);

        // a flat crop next to a textured one: its raw stds are 0, all replaced by s̄; its LCN values are 0
        Lcn.Result mixed = lcn.apply(new double[][]{flatCrop, textured});
        for (int p = 0; p < 784; p++) {
            assertEquals(mixed.sbar(), mixed.std()[p], 1e-12);
            assertEquals(0.0, mixed.x()[p], 1e-9);
            assertEquals(0.7, mixed.mean()[p], 1e-12);
            assertTrue(mixed.std()[784 + p] >= mixed.sbar());
        }
        // s̄ is the mean over both crops, half of whose raw stds are exactly 0: half the textured crop's own s̄
        assertEquals(lcn.apply(new double[][]{textured}).sbar() / 2, mixed.sbar(), 1e-12);
        assertTrue(mixed.sbar() > Lcn.FLOOR);

        // a batch of flat crops: s̄ = 0 up to rounding, so the floor 1e-4 applies everywhere
        Lcn.Result floor = lcn.apply(new double[][]{flatCrop, flatCrop});
        assertTrue(floor.sbar() < 1e-12, "s̄ = " + floor.sbar());
        for (int p = 0; p < 2 * 784; p++) {
            assertEquals(Lcn.FLOOR, floor.std()[p], 0.0);
            assertEquals(0.0, floor.x()[p], 1e-9);
        }
        // a nearly flat batch: stds around 1e-6 are floored at 1e-4, so LCN does not blow noise up
        double[] faint = textured.clone();
        for (int i = 0; i < faint.length; i++) {
            faint[i] = 0.5 + 1e-6 * faint[i];
        }
        Lcn.Result f = lcn.apply(new double[][]{faint});
        for (int p = 0; p < 784; p++) {
            assertEquals(Lcn.FLOOR, f.std()[p], 0.0);
            assertTrue(Math.abs(f.x()[p]) < 0.1);
        }
    }

    @Test
    void lcnTimesStdPlusMeanGivesBackTheCropCentre() {
        Random r = new Random(3);
        double[][] a = texture(r, 0.8);
        double[][] b = texture(r, 0.01);
        Lcn.Result res = new Lcn(28, 13, 5).apply(new double[][]{flat(a), flat(b)});
        for (int k = 0; k < 2; k++) {
            double[][] src = k == 0 ? a : b;
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    int p = k * 784 + i * 28 + j;
                    assertEquals(src[i + 12][j + 12], res.x()[p] * res.std()[p] + res.mean()[p], 1e-12);
                }
            }
        }
    }

    @Test
    void otherSizesAndArguments() {
        Lcn small = new Lcn(4, 3, 1);
        assertEquals(8, small.crop());
        Lcn.Result res = small.apply(new double[][]{new double[64], new double[64]});
        assertEquals(2 * 16, res.x().length);
        assertEquals(0, small.apply(new double[0][]).x().length);
        assertThrows(IllegalArgumentException.class, () -> new Lcn(28, 12, 5));
        assertThrows(IllegalArgumentException.class, () -> new Lcn(28, 13, 0));
        assertThrows(IllegalArgumentException.class, () -> new Lcn(28, 13, 5).apply(new double[][]{new double[10]}));
    }
}
