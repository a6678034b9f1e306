package org.sparselab.plugins.synthetic;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.FloatTensor;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSparseDatasetTest {

    private static SyntheticSparseDataset.Config cfg(Double noise) {
        return new SyntheticSparseDataset.Config(16, 32, 3, 200, 50, 50, noise, null, null, null, null);
    }

    private static DataSource open(SyntheticSparseDataset.Config c, long seed) {
        return new SyntheticSparseDataset().open(c, new DataContext(Path.of("."), seed));
    }

    @Test
    void atomsAreUnitNormAndSamplesAreKSparseCombinations() {
        DataSource d = open(cfg(0.0), 5);
        FloatTensor dict = d.groundTruth().get("dictionary");
        assertArrayEquals(new int[]{32, 16}, dict.shape());
        for (int a = 0; a < 32; a++) {
            double n = 0;
            for (int j = 0; j < 16; j++) {
                n += dict.data()[a * 16 + j] * dict.data()[a * 16 + j];
            }
            assertEquals(1.0, n, 1e-5);
        }
        // A noiseless sample with k = 1 is a scaled atom: its best |cos| with the dictionary is 1.
        SyntheticSparseDataset.Config one = new SyntheticSparseDataset.Config(16, 32, 1, 10, 0, 10, 0.0, null, null, null, 3L);
        DataSource d1 = open(one, 1);
        float[] x = d1.split("train").features(new int[]{0});
        float[] dd = d1.groundTruth().get("dictionary").data();
        double best = 0;
        double xn = 0;
        for (float v : x) {
            xn += v * v;
        }
        for (int a = 0; a < 32; a++) {
            double dot = 0;
            for (int j = 0; j < 16; j++) {
                dot += x[j] * dd[a * 16 + j];
            }
            best = Math.max(best, Math.abs(dot) / Math.sqrt(xn));
        }
        assertEquals(1.0, best, 1e-5);
        assertEquals(0, d.spec().numClasses());
        assertEquals(-1, d.split("train").label(0));
        assertEquals(200, d.split("train").size());
        assertTrue(d.hasSplit("val"));
    }

    @Test
    void generationIsDeterministicAndSeeded() {
        float[] a = open(cfg(0.01), 5).split("test").features(new int[]{0, 1, 2});
        float[] b = open(cfg(0.01), 5).split("test").features(new int[]{0, 1, 2});
        float[] c = open(cfg(0.01), 6).split("test").features(new int[]{0, 1, 2});
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        assertEquals(open(cfg(0.01), 5).fingerprint(), open(cfg(0.01), 5).fingerprint());
    }

    @Test
    void noiseAddsItsVariance() {
        SyntheticSparseDataset.Config clean = new SyntheticSparseDataset.Config(16, 32, 3, 2000, 0, 10, 0.0, null, null, null, 9L);
        SyntheticSparseDataset.Config noisy = new SyntheticSparseDataset.Config(16, 32, 3, 2000, 0, 10, 0.3, null, null, null, 9L);
        double v0 = var(open(clean, 1).split("train").features(range(2000)));
        double v1 = var(open(noisy, 1).split("train").features(range(2000)));
        assertEquals(v0 + 0.09, v1, 0.1 * (v0 + 0.09));
    }

    @Test
    void kMustNotExceedAtoms() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(16, 4, 5, null, null, null, null, null, null, null, null));
        assertEquals("k", e.key());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static double var(float[] x) {
        double s = 0;
        double q = 0;
        for (float v : x) {
            s += v;
            q += v * v;
        }
        double m = s / x.length;
        return q / x.length - m * m;
    }
}
