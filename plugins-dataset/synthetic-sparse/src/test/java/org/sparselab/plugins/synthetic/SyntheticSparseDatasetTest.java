package org.sparselab.plugins.synthetic;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.FloatTensor;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSparseDatasetTest {

    /** dim 16, 32 atoms, k 3, 200/50/50 samples. */
    private static SyntheticSparseDataset.Config cfg(Double noise, Long seed) {
        return new SyntheticSparseDataset.Config(16, 32, 3, 200, 50, 50, noise, null, null, null, seed);
    }

    private static DataSource open(SyntheticSparseDataset.Config c, long seed) {
        return new SyntheticSparseDataset().open(c, new DataContext(Path.of("."), seed));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static float[] all(DataSource d, String split) {
        return d.split(split).features(range(d.split(split).size()));
    }

    private static void assertUnitNormRows(FloatTensor dict) {
        for (int a = 0; a < dict.rows(); a++) {
            double n = 0;
            for (int j = 0; j < dict.cols(); j++) {
                double v = dict.data()[a * dict.cols() + j];
                n += v * v;
            }
            assertEquals(1.0, n, 1e-5, "atom " + a);
        }
    }

    @Test
    void specSplitsAndDefaults() {
        DataSource d = open(cfg(null, null), 5);
        assertArrayEquals(new int[]{16}, d.spec().sampleShape());
        assertEquals(0, d.spec().numClasses());
        assertFalse(d.spec().labelled());
        assertEquals(List.of("train", "val", "test"), d.splitNames());
        assertEquals(200, d.split("train").size());
        assertEquals(50, d.split("val").size());
        assertEquals(50, d.split("test").size());
        assertEquals(-1, d.split("train").label(0));
        assertFalse(d.split("test").labelled());
        assertEquals(List.of("train", "test"), open(new SyntheticSparseDataset.Config(16, 32, 3, 20, 0, 10, null, null, null, null, null), 5).splitNames());

        SyntheticSparseDataset.Config def = new SyntheticSparseDataset.Config(null, null, null, null, null, null, null, null, null, null, null);
        assertEquals(64, def.dim());
        assertEquals(128, def.atoms());
        assertEquals(5, def.k());
        assertEquals(10000, def.trainSize());
        assertEquals(1000, def.valSize());
        assertEquals(1000, def.testSize());
        assertEquals(0.01, def.noise());
        assertEquals(0.5, def.minCoef());
        assertEquals(1.5, def.maxCoef());
        assertFalse(def.nonnegativeDictionary());
        assertNull(def.seed());
        DataSource big = new SyntheticSparseDataset().open(def, new DataContext(Path.of("."), 1));
        assertEquals(10000, big.split("train").size());
        assertArrayEquals(new int[]{128, 64}, big.groundTruth().get("dictionary").shape());
    }

    @Test
    void atomsHaveUnitNorm() {
        FloatTensor dict = open(cfg(0.0, null), 5).groundTruth().get("dictionary");
        assertArrayEquals(new int[]{32, 16}, dict.shape());
        assertUnitNormRows(dict);
        boolean anyNegative = false;
        for (float v : dict.data()) {
            anyNegative |= v < 0;
        }
        assertTrue(anyNegative);

        SyntheticSparseDataset.Config nonneg = new SyntheticSparseDataset.Config(16, 32, 3, 20, 0, 10, 0.0, null, null, true, null);
        FloatTensor pos = open(nonneg, 5).groundTruth().get("dictionary");
        assertUnitNormRows(pos);
        for (float v : pos.data()) {
            assertTrue(v >= 0);
        }
    }

    @Test
    void codesAreKSparseNonNegativeAndXIsTheirCombination() {
        SyntheticSparseDataset.Config c = new SyntheticSparseDataset.Config(16, 32, 5, 500, 0, 10, 0.0, 0.5, 1.5, null, null);
        float[] dict = SyntheticSparseDataset.dictionary(c, new SplittableRandom(1));
        float[] z = new float[500 * 32];
        float[] x = SyntheticSparseDataset.samples(c, dict, 500, new SplittableRandom(2), new SplittableRandom(3), z);
        int[] used = new int[32];
        for (int i = 0; i < 500; i++) {
            int nonzero = 0;
            for (int a = 0; a < 32; a++) {
                float v = z[i * 32 + a];
                if (v != 0) {
                    nonzero++;
                    used[a]++;
                    assertTrue(v >= 0.5f && v <= 1.5f, "coefficient " + v);
                }
            }
            assertEquals(5, nonzero, "sample " + i);
            for (int d = 0; d < 16; d++) {
                double dz = 0;
                for (int a = 0; a < 32; a++) {
                    dz += z[i * 32 + a] * dict[a * 16 + d];
                }
                assertEquals(dz, x[i * 16 + d], 1e-5);
            }
        }
        // atoms are drawn uniformly: each of 32 atoms is expected 500*5/32 ≈ 78 times
        for (int a = 0; a < 32; a++) {
            assertTrue(used[a] > 40 && used[a] < 120, "atom " + a + " used " + used[a] + " times");
        }
        // k = atoms: every atom in every code
        SyntheticSparseDataset.Config full = new SyntheticSparseDataset.Config(4, 3, 3, 5, 0, 1, 0.0, null, null, null, null);
        float[] zf = new float[5 * 3];
        SyntheticSparseDataset.samples(full, SyntheticSparseDataset.dictionary(full, new SplittableRandom(1)), 5,
                new SplittableRandom(2), new SplittableRandom(3), zf);
        for (float v : zf) {
            assertTrue(v >= 0.5f);
        }
    }

    @Test
    void generationIsDeterministicAndSeeded() {
        DataSource a = open(cfg(0.01, null), 5);
        DataSource b = open(cfg(0.01, null), 5);
        for (String s : List.of("train", "val", "test")) {
            assertArrayEquals(all(a, s), all(b, s), s);
        }
        assertArrayEquals(a.groundTruth().get("dictionary").data(), b.groundTruth().get("dictionary").data());
        assertEquals(a.fingerprint(), b.fingerprint());

        DataSource c = open(cfg(0.01, null), 6);
        assertFalse(java.util.Arrays.equals(all(a, "test"), all(c, "test")));
        assertNotEquals(a.fingerprint(), c.fingerprint());

        // the seed parameter overrides the run's seed
        assertArrayEquals(all(open(cfg(0.01, 5L), 99), "train"), all(a, "train"));
        assertEquals(a.fingerprint(), open(cfg(0.01, 5L), 99).fingerprint());

        // a split does not depend on the sizes of the others
        DataSource bigger = open(new SyntheticSparseDataset.Config(16, 32, 3, 300, 0, 50, 0.01, null, null, null, null), 5);
        assertArrayEquals(all(a, "test"), all(bigger, "test"));
        assertArrayEquals(all(a, "train"), java.util.Arrays.copyOf(all(bigger, "train"), 200 * 16));
        // the splits differ from each other
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(all(a, "train"), 50 * 16), all(a, "test")));
    }

    @Test
    void fixedValuesGuardCrossMachineReproducibility() {
        // Pinned values: a change here means every earlier synthetic-sparse run's data changed.
        DataSource d = open(new SyntheticSparseDataset.Config(4, 6, 2, 3, 0, 2, 0.1, null, null, null, null), 42);
        float[] x = all(d, "train");
        float[] dict = d.groundTruth().get("dictionary").data();
        assertEquals(12, x.length);
        // exact bits (0.9043227f and -0.3017863f): SplittableRandom and StrictMath give these on every JVM
        assertEquals(1063748017, Float.floatToIntBits(x[0]));
        assertEquals(-1097169988, Float.floatToIntBits(dict[0]));
    }

    @Test
    void noiseHasTheRequestedStdAndLeavesTheSignalAlone() {
        // Codes and noise come from separate streams, so x(noise) - x(0) is exactly the noise.
        SyntheticSparseDataset.Config clean = new SyntheticSparseDataset.Config(16, 32, 3, 5000, 0, 10, 0.0, null, null, null, 9L);
        SyntheticSparseDataset.Config noisy = new SyntheticSparseDataset.Config(16, 32, 3, 5000, 0, 10, 0.1, null, null, null, 9L);
        float[] x0 = all(open(clean, 1), "train");
        float[] x1 = all(open(noisy, 1), "train");
        double s = 0;
        double q = 0;
        for (int i = 0; i < x0.length; i++) {
            double e = x1[i] - x0[i];
            s += e;
            q += e * e;
        }
        double mean = s / x0.length;
        double std = Math.sqrt(q / x0.length - mean * mean);
        assertEquals(0.0, mean, 0.003); // 80000 draws: the mean's std is 0.1/283 ≈ 0.00035
        assertEquals(0.1, std, 0.002);
        assertArrayEquals(open(clean, 1).groundTruth().get("dictionary").data(), open(noisy, 1).groundTruth().get("dictionary").data());
    }

    @Test
    void badConfigNamesTheKey() {
        ConfigException k = assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(16, 4, 5, null, null, null, null, null, null, null, null));
        assertEquals("k", k.key());
        assertTrue(k.getMessage().contains("k = 5") && k.getMessage().contains("atoms = 4"), k.getMessage());
        ConfigException max = assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(null, null, null, null, null, null, null, 1.0, 0.5, null, null));
        assertEquals("max_coef", max.key());
        assertEquals("max_coef", assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(null, null, null, null, null, null, null, null, Double.NaN, null, null)).key());
        assertEquals("noise", assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(null, null, null, null, null, null, -0.1, null, null, null, null)).key());
        assertEquals("min_coef", assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(null, null, null, null, null, null, null, -1.0, null, null, null)).key());
        assertEquals("dim", assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(0, null, null, null, null, null, null, null, null, null, null)).key());
        assertEquals("val_size", assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(null, null, null, null, -1, null, null, null, null, null, null)).key());
        ConfigException huge = assertThrows(ConfigException.class,
                () -> new SyntheticSparseDataset.Config(100000, null, null, 100000, null, null, null, null, null, null, null));
        assertEquals("train_size", huge.key());
    }
}
